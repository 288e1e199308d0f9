import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const docs = require('../scripts/docs-operations.cjs') as {
	START: string;
	END: string;
	operationsSection(unipile: unknown, trigger: unknown): string;
	builtNodes(): { unipile: unknown; trigger: unknown };
};
/* eslint-enable @typescript-eslint/no-require-imports */

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README operations table', () => {
	test('is what the node descriptions give (run `npm run docs:operations` after changing an operation)', () => {
		const { unipile, trigger } = docs.builtNodes();
		const block = readme.slice(readme.indexOf(docs.START), readme.indexOf(docs.END) + docs.END.length);
		expect(block).toBe(docs.operationsSection(unipile, trigger));
	});

	test('sits under the Operations heading and lists every operation once', () => {
		expect(readme).toMatch(new RegExp(`## Operations\\n\\n${docs.START}`));
		const { unipile } = docs.builtNodes() as { unipile: { description: { properties: Array<{ name: string; options?: unknown[] }> } } };
		const operations = unipile.description.properties.filter((p) => p.name === 'operation').flatMap((p) => p.options ?? []);
		const rows = readme.split('\n').filter((line) => /^\| (Account|Attendee|Chat|Message|User) \|/.test(line));
		expect(rows).toHaveLength(operations.length);
	});
});
