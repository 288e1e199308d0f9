#!/usr/bin/env node
/**
 * What n8n's community-package scan (@n8n/scan-community-package) checks before a package is verified, run offline
 * on this checkout: `analyzePackage` on the sources (package.json, nodes/, credentials/) and on the tarball
 * `npm pack` makes (compiled .js and the published package.json), the two legs `analyzePackageByName` runs on a
 * published version. Usage: node scripts/scan-package.mjs [packageDir]. Needs a build in dist/. Exit 0 and "0 findings" when both pass; the findings otherwise.
 *
 * The scanner is found in this project's node_modules, or under SCANNER_NODE_MODULES (a scratch install).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const project = join(dirname(fileURLToPath(import.meta.url)), '..');
// Another package folder may be given (the test scans a copy with a planted violation, to see the scan bite).
const root = process.argv[2] ?? project;
const base = process.env.SCANNER_NODE_MODULES ? join(process.env.SCANNER_NODE_MODULES, 'noop.js') : join(project, 'package.json');
const scannerPath = createRequire(base).resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerPath).href);

const { pack } = createRequire(import.meta.url)('./package-contents.cjs');

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
	return result.stdout;
}

const work = mkdtempSync(join(tmpdir(), 'unipile-scan-'));
try {
	const { filename: tarball } = pack(root, work);
	const packed = join(work, 'package');
	run('tar', ['-xzf', tarball, '-C', work], work);

	const legs = [
		['source', await analyzePackage(root, SOURCE_FILE_PATTERNS)],
		['tarball', await analyzePackage(packed, ['**/*.js', 'package.json'])],
	];
	const files = readdirSync(join(packed, 'dist'), { recursive: true }).filter((file) => String(file).endsWith('.js'));
	let failed = false;
	for (const [leg, result] of legs) {
		if (result.passed) {
			console.log(`${leg}: 0 findings${result.message ? ` (${result.message})` : ''}`);
		} else {
			failed = true;
			console.log(`${leg}: ${result.message}\n${result.details ?? result.error ?? ''}`);
		}
	}
	console.log(`tarball: ${tarball}, ${files.length} compiled .js files scanned`);
	process.exitCode = failed ? 1 : 0;
} finally {
	rmSync(work, { recursive: true, force: true });
}
