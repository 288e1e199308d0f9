#!/usr/bin/env node
/**
 * Is the package ready to publish? Run by .ci/run and the GitHub workflows after `npm run build`, offline:
 *   1. .github/workflows/*.yml validate against GitHub's workflow schema (SchemaStore's, built into
 *      @action-validator/core; no network);
 *   2. the tarball `npm pack` makes holds only what n8n loads (scripts/package-contents.cjs) and every file the
 *      package.json `n8n` section names; its size and file count are printed;
 *   3. n8n's community-package scan (@n8n/scan-community-package's analyzePackage) on that tarball, extracted.
 * Usage: node scripts/check-package.mjs [packageDir]. Exit 0 when all three pass, 1 with the findings otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const project = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = process.argv[2] ?? project;
const require = createRequire(join(project, 'package.json'));
const { validateWorkflow } = require('@action-validator/core');
const { unexpectedFiles, missingFiles, pack } = require('./scripts/package-contents.cjs');
const { analyzePackage } = await import(pathToFileURL(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs')).href);

const failures = [];

// 1. Workflows.
const workflowDir = join(root, '.github', 'workflows');
const workflows = existsSync(workflowDir) ? readdirSync(workflowDir).filter((file) => /\.ya?ml$/.test(file)).sort() : [];
for (const required of ['ci.yml', 'publish.yml']) {
	if (!workflows.includes(required)) failures.push(`workflows: .github/workflows/${required} is missing`);
}
for (const file of workflows) {
	const { errors } = validateWorkflow(readFileSync(join(workflowDir, file), 'utf8'));
	if (errors.length) failures.push(`workflows: ${file} does not validate against GitHub's workflow schema:\n${JSON.stringify(errors, null, 2)}`);
}
console.log(`workflows: ${workflows.join(', ') || 'none'} checked against GitHub's workflow schema`);

// 2. The tarball's contents. 3. n8n's scan on it.
const work = mkdtempSync(join(tmpdir(), 'unipile-check-package-'));
try {
	const report = pack(root, work);
	const paths = report.files.map((file) => file.path);
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	for (const file of unexpectedFiles(paths)) failures.push(`tarball: holds ${file}`);
	for (const file of missingFiles(paths, pkg)) failures.push(`tarball: lacks ${file}`);
	console.log(`tarball: ${report.filename}, ${(report.size / 1024).toFixed(1)} kB packed, ${(report.unpackedSize / 1024).toFixed(1)} kB unpacked, ${report.entryCount} files`);

	const tar = spawnSync('tar', ['-xzf', report.tarball, '-C', work], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`tar -xzf ${report.tarball} failed: ${tar.stderr}`);
	const scan = await analyzePackage(join(work, 'package'), ['**/*.js', 'package.json']);
	if (scan.passed) console.log("n8n's scan of the extracted tarball: 0 findings");
	else failures.push(`n8n's scan of the extracted tarball: ${scan.message}\n${scan.details ?? scan.error ?? ''}`);
} finally {
	rmSync(work, { recursive: true, force: true });
}

if (failures.length) {
	console.log(`\n${failures.length} problem(s):\n${failures.map((failure) => `- ${failure}`).join('\n')}`);
	process.exitCode = 1;
} else {
	console.log('package: ready to publish');
}
