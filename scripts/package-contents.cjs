/**
 * What the published tarball may hold, and how it is made: shared by scripts/check-package.mjs (CI),
 * scripts/scan-package.mjs (n8n's scan on the tarball), bench/package.ts (its size) and test/package.test.ts.
 *
 * The package holds only what n8n loads or shows: package.json, README.md, LICENSE, and under dist/ the compiled
 * credentials and nodes (.js), their codex files (.node.json) and icons. No sources, source maps, declarations,
 * tests, sandbox or bench: they are not loaded, and a source map names paths of the machine that built it.
 */
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/(credentials|nodes|icons)\/[\w./-]+\.(js|json|svg|png)$/];
const FORBIDDEN = [/\.map$/, /\.d\.ts$/, /\.ts$/, /(^|\/)(test|tests|__tests__|sandbox|bench|examples|scripts)\//, /\.(test|spec)\.js$/];

/** Paths (as npm pack lists them) that do not belong in the package, each with the reason. */
function unexpectedFiles(paths) {
	return paths.flatMap((path) => {
		const forbidden = FORBIDDEN.find((rule) => rule.test(path));
		if (forbidden) return [`${path} (matches ${forbidden})`];
		return ALLOWED.some((rule) => rule.test(path)) ? [] : [`${path} (not something n8n loads)`];
	});
}

/** Files the package must hold: the three top-level files and every node and credential package.json names. */
function missingFiles(paths, pkg) {
	const required = ['package.json', 'README.md', 'LICENSE', ...(pkg.n8n?.credentials ?? []), ...(pkg.n8n?.nodes ?? [])];
	return required.filter((file) => !paths.includes(file));
}

/**
 * `npm pack` of `root` into `destination` (install scripts skipped, as this project's .npmrc does everywhere):
 * npm's report (name, filename, size, unpackedSize, entryCount, files[]) with the tarball's full path.
 * `dryRun` lists without writing the tarball.
 */
function pack(root, destination, { dryRun = false } = {}) {
	const args = ['pack', '--json', '--ignore-scripts', ...(dryRun ? ['--dry-run'] : ['--pack-destination', destination])];
	const [report] = JSON.parse(execFileSync('npm', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
	return { ...report, tarball: dryRun ? undefined : join(destination, report.filename) };
}

module.exports = { ALLOWED, FORBIDDEN, unexpectedFiles, missingFiles, pack };
