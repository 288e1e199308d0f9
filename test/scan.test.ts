import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * n8n's own community-package scan (@n8n/scan-community-package, analyzePackage), offline, on the sources and on
 * the packed tarball: see scripts/scan-package.mjs. SCANNER_NODE_MODULES may point to a scratch install.
 */
const ROOT = join(__dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'scan-package.mjs');

function scannerInstalled(): boolean {
	const paths = process.env.SCANNER_NODE_MODULES ? [process.env.SCANNER_NODE_MODULES] : [ROOT];
	try {
		require.resolve('@n8n/scan-community-package/package.json', { paths });
		return true;
	} catch {
		return false;
	}
}

function scan(dir?: string) {
	// Jest sets NODE_ENV=test, and under it eslint-plugin-n8n-nodes-base swaps real file names for its own test
	// fixtures' (false findings on every file name): the scan runs as n8n runs it, without.
	const { NODE_ENV: _testEnv, ...env } = process.env;
	return spawnSync(process.execPath, [SCRIPT, ...(dir ? [dir] : [])], { encoding: 'utf8', env, timeout: 120_000 });
}

const describeIfInstalled = scannerInstalled() ? describe : describe.skip;
if (!scannerInstalled()) {
	// Visible in every run until the dev dependency is installed.
	process.stderr.write('test/scan.test.ts skipped: @n8n/scan-community-package is not installed (npm i -D --save-exact @n8n/scan-community-package)\n');
}

describeIfInstalled('n8n community package scan', () => {
	test('sources and packed tarball: zero findings', () => {
		const result = scan();
		expect(result.stdout).toContain('source: 0 findings');
		expect(result.stdout).toContain('tarball: 0 findings');
		expect(result.status).toBe(0);
	});

	test('the scan is not vacuous: a timer planted in a node file is a finding in both legs', () => {
		const copy = mkdtempSync(join(tmpdir(), 'unipile-scan-copy-'));
		try {
			for (const entry of ['package.json', 'nodes', 'credentials', 'dist', 'icons']) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
			appendFileSync(join(copy, 'nodes/shared/listSearch.ts'), '\nsetTimeout(() => undefined, 1);\n');
			appendFileSync(join(copy, 'dist/nodes/shared/listSearch.js'), '\nsetTimeout(() => undefined, 1);\n');
			const result = scan(copy);
			expect(result.status).toBe(1);
			expect(result.stdout).toMatch(/source: ESLint violations found[\s\S]*listSearch\.ts/);
			expect(result.stdout).toMatch(/tarball: ESLint violations found[\s\S]*listSearch\.js/);
		} finally {
			rmSync(copy, { recursive: true, force: true });
		}
	});
});
