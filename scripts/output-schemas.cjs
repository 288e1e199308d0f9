#!/usr/bin/env node
/**
 * `npm run schemas:generate`: writes n8n's node output schemas of every action operation
 * (`nodes/<Node>/__schema__/v1.0.0/<resource>/<operation>.json`) from what each operation outputs when run through
 * n8n's engine against the sandbox with its fixture (test/outputSchemas.fixtures.ts; how: test/outputSchemas.generate.ts).
 * Files of operations that no longer exist are removed. Needs a build (dist/); test/outputSchemas.test.ts checks
 * that the committed files are what this writes.
 */
const { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

require('ts-node').register({ transpileOnly: true, project: join(__dirname, '..', 'tsconfig.json') });
const { actionOperations, generateOutputSchemas } = require('../test/outputSchemas.generate');

const ROOT = join(__dirname, '..');

function jsonFilesUnder(dir) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? jsonFilesUnder(path) : name.endsWith('.json') ? [path] : [];
	});
}

async function main() {
	const started = Date.now();
	const operations = await actionOperations();
	const { files, problems } = await generateOutputSchemas(operations);
	for (const [path, text] of files) {
		mkdirSync(dirname(join(ROOT, path)), { recursive: true });
		writeFileSync(join(ROOT, path), text);
	}
	for (const dir of new Set(operations.map((op) => op.dir))) {
		for (const file of jsonFilesUnder(join(ROOT, dir, '__schema__'))) {
			if (!files.has(relative(ROOT, file))) rmSync(file);
		}
	}
	console.log(`${files.size} output schemas written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	if (problems.length) {
		console.error(`Not generated:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
