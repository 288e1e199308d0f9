import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPackage } from './harness/engine';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));

/** What n8n's PackageDirectoryLoader reads from dist/ next to each node: the codex that files the node in the nodes panel. */
describe('codex files', () => {
	test.each(['unipile', 'unipilePollingTrigger'])('%s: the built codex reaches n8n, under Communication, documented by the README', async (name) => {
		const loader = await loadPackage();
		const description = loader.types.nodes.find((node) => node.name === name)!;
		expect(description.codex).toEqual({
			categories: ['Communication'],
			alias: expect.arrayContaining(['WhatsApp', 'LinkedIn']),
			resources: {
				primaryDocumentation: [{ url: `${pkg.homepage}#readme` }],
				credentialDocumentation: [{ url: `${pkg.homepage}#credentials` }],
			},
		});
		const file = name === 'unipile' ? 'nodes/Unipile/Unipile.node.json' : 'nodes/UnipilePollingTrigger/UnipilePollingTrigger.node.json';
		const codex = JSON.parse(readFileSync(join(__dirname, '..', 'dist', file), 'utf8'));
		// The type name n8n gives an installed community node: <package name>.<node name>.
		expect(codex.node).toBe(`${pkg.name}.${name}`);
	});

	test('the README has the section credentialDocumentation points to', () => {
		expect(readFileSync(join(__dirname, '..', 'README.md'), 'utf8')).toMatch(/^## Credentials$/m);
	});
});
