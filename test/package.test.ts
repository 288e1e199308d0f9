import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What n8n's community-node verification looks at before any code runs: package.json, the GitHub workflows that
 * publish with provenance, what the tarball holds, the changelog and the README's sections. Runs after the build
 * (`npm test` builds first). scripts/check-package.mjs checks the real tarball and scans it; see .ci/run.
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json'));

/* eslint-disable @typescript-eslint/no-require-imports */
const { validateWorkflow } = require('@action-validator/core') as { validateWorkflow(src: string): { errors: unknown[] } };
const contents = require('../scripts/package-contents.cjs') as {
	unexpectedFiles(paths: string[]): string[];
	missingFiles(paths: string[], pkg: unknown): string[];
	pack(root: string, destination: string, options: { dryRun: boolean }): { files: Array<{ path: string }>; size: number; entryCount: number };
};
/* eslint-enable @typescript-eslint/no-require-imports */

describe('package.json holds what n8n verification checks', () => {
	test('name, keywords, license, author, repository', () => {
		expect(pkg.name).toMatch(/^(@[\w-]+\/)?n8n-nodes-/);
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(read('LICENSE')).toMatch(/^MIT License/);
		expect(pkg.author).toEqual({ name: expect.any(String), email: expect.stringMatching(/^[^@\s]+@[^@\s]+$/) });
		// npm shows this link; verification matches it with the GitHub repository the package is published from.
		expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/) });
		expect(pkg.homepage).toBe(pkg.repository.url.replace(/\.git$/, ''));
	});

	test('no runtime dependencies: n8n-workflow as the only peer; dev dependencies pinned exactly', () => {
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		for (const [name, version] of Object.entries(pkg.devDependencies as Record<string, string>)) {
			expect(`${name}@${version}`).toMatch(/@\d+\.\d+\.\d+(-[\w.]+)?$/);
		}
	});

	test('engines name the Node and n8n versions it runs on', () => {
		expect(pkg.engines.node).toMatch(/^>=\d+/);
		expect(pkg.engines.n8n).toMatch(/^>=1\.\d+\.\d+ <3$/);
	});

	test('files is dist alone, and the n8n section names built files that exist', () => {
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.n8n.credentials.length).toBeGreaterThan(0);
		expect(pkg.n8n.nodes.length).toBeGreaterThan(0);
		for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
			expect(file).toMatch(/^dist\/.+\.(node|credentials)\.js$/);
			expect(existsSync(join(ROOT, file))).toBe(true);
		}
	});
});

describe('the packed tarball', () => {
	test('holds only what n8n loads, and everything the n8n section names', () => {
		const report = contents.pack(ROOT, ROOT, { dryRun: true });
		const paths = report.files.map((file) => file.path);
		expect(contents.unexpectedFiles(paths)).toEqual([]);
		expect(contents.missingFiles(paths, pkg)).toEqual([]);
		expect(paths).not.toContainEqual(expect.stringMatching(/\.(map|ts)$/));
	});

	test('the rule is not vacuous: source maps, declarations, sources, tests, sandbox and bench are refused', () => {
		const planted = [
			'dist/nodes/Unipile/Unipile.node.js.map',
			'dist/nodes/Unipile/Unipile.node.d.ts',
			'nodes/Unipile/Unipile.node.ts',
			'dist/test/sandbox/server.js',
			'dist/nodes/shared/transport.test.js',
			'dist/bench/run.js',
			'test/harness/engine.ts',
			'.github/workflows/ci.yml',
			'package-lock.json',
		];
		expect(contents.unexpectedFiles(planted)).toHaveLength(planted.length);
		expect(contents.unexpectedFiles(['dist/nodes/Unipile/Unipile.node.js', 'dist/icons/unipile.svg', 'README.md'])).toEqual([]);
		expect(contents.missingFiles(['package.json', 'README.md'], pkg)).toContain('LICENSE');
	});

	test('build config emits no source maps or declarations into dist/', () => {
		const build = JSON.parse(read('tsconfig.build.json'));
		expect(build.compilerOptions).toMatchObject({ sourceMap: false, declaration: false, declarationMap: false });
	});
});

describe('GitHub workflows', () => {
	const ci = read('.github/workflows/ci.yml');
	const publish = read('.github/workflows/publish.yml');

	test("both validate against GitHub's workflow schema, and a broken one does not", () => {
		expect(validateWorkflow(ci).errors).toEqual([]);
		expect(validateWorkflow(publish).errors).toEqual([]);
		expect(validateWorkflow(publish.replace('id-token: write', 'id-token: writ')).errors).not.toEqual([]);
		expect(validateWorkflow(ci.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest')).errors).not.toEqual([]);
		expect(validateWorkflow(ci.replace('  pull_request:', '  pull_requests:')).errors).not.toEqual([]);
	});

	test('ci.yml runs every npm command .ci/run runs, on pull requests and pushes to main, from the engines minimum', () => {
		const commands = read('.ci/run').split('\n').filter((line) => /^npm /.test(line));
		expect(commands).toEqual(expect.arrayContaining(['npm install', 'npm test', 'npm run lint', 'npm run check:package', 'npm run test:e2e']));
		for (const command of commands) expect(ci).toContain(`run: ${command}\n`);
		expect(ci).toMatch(/^on:\n {2}pull_request:\n {2}push:\n {4}branches: \[main\]\n {2}workflow_call:\n/m);
		expect(ci).toContain(`node: ['${pkg.engines.node.match(/\d+/)[0]}',`);
		expect(ci).toContain("hashFiles('test/e2e/install-n8n.sh')");
	});

	test('publish.yml: version tags only, tag = package.json version, CI first, provenance through OIDC', () => {
		expect(publish).toMatch(/^on:\n {2}push:\n {4}tags: \['v\*'\]\n {2}workflow_dispatch:\n/m);
		expect(publish).toContain('if [ "$GITHUB_REF_NAME" != "v$version" ]; then');
		expect(publish).toContain('uses: ./.github/workflows/ci.yml');
		expect(publish).toContain('needs: [version, checks]');
		expect(publish).toContain('id-token: write');
		expect(publish).toContain('ref: ${{ github.sha }}');
		expect(publish).toContain('run: npm run check:package');
		expect(publish).toMatch(/^ {10}npm publish --provenance --access public$/m);
	});
});

describe('versions', () => {
	test('CHANGELOG.md: Keep a Changelog, newest first, starting with package.json version', () => {
		const changelog = read('CHANGELOG.md');
		expect(changelog).toMatch(/^# Changelog\n/);
		const releases = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/gm)].map((match) => match[1]);
		expect(releases[0]).toBe(pkg.version);
		const sorted = [...releases].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
		expect(releases).toEqual(sorted);
	});

	test("README has the sections n8n's node template asks for, and the versioning policy", () => {
		const readme = read('README.md');
		for (const section of ['Installation', 'Operations', 'Credentials', 'Compatibility', 'Usage', 'Resources', 'Version history']) {
			expect(readme).toMatch(new RegExp(`^## ${section}$`, 'm'));
		}
		expect(readme).toMatch(/version: \[1, 2\]/);
		expect(readme).toMatch(/^## Publishing$/m);
	});
});
