import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleave, median, type Row } from './stats';

const ROOT = join(__dirname, '..');

/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const contents = require('../scripts/package-contents.cjs') as {
	unexpectedFiles(paths: string[]): string[];
	pack(root: string, destination: string, options: { dryRun: boolean }): { size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string }> };
};

/** Milliseconds to require the given modules in a fresh Node process. */
function loadMs(modules: string[]): number {
	const script = `const s = process.hrtime.bigint(); for (const m of ${JSON.stringify(modules)}) require(m); process.stdout.write(String(Number(process.hrtime.bigint() - s) / 1e6));`;
	return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

/**
 * What installing the package costs: the tarball `npm pack` makes (size, files, none that n8n does not load: the rule
 * scripts/check-package.mjs enforces in CI), runtime dependencies, and the time n8n takes to load our
 * built files beside the floor of loading n8n-workflow alone (which our files require, and n8n has loaded anyway).
 */
export async function benchPackage(rounds: number): Promise<Row[]> {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
	const packed = contents.pack(ROOT, ROOT, { dryRun: true });
	const ours = [...pkg.n8n.credentials, ...pkg.n8n.nodes].map((file: string) => join(ROOT, file));
	const samples = await interleave(rounds, {
		ours: async () => loadMs(['n8n-workflow', ...ours]),
		floor: async () => loadMs(['n8n-workflow']),
	});
	return [
		{ scenario: 'Package', measure: 'packed size', value: packed.size / 1024, unit: 'kB' },
		{ scenario: 'Package', measure: 'unpacked size', value: packed.unpackedSize / 1024, unit: 'kB' },
		{ scenario: 'Package', measure: 'files', value: packed.entryCount, unit: '' },
		{
			scenario: 'Package',
			measure: 'files n8n does not load',
			value: contents.unexpectedFiles(packed.files.map((file) => file.path)).length,
			floor: 0,
			unit: '',
			target: { maxRatio: 0, label: 'zero' },
		},
		{
			scenario: 'Package',
			measure: 'runtime dependencies',
			value: Object.keys(pkg.dependencies ?? {}).length,
			floor: 0,
			unit: '',
			target: { maxRatio: 0, label: 'zero' },
		},
		{
			scenario: 'Package',
			measure: 'load time (fresh process)',
			value: median(samples.ours),
			floor: median(samples.floor),
			floorName: 'n8n-workflow alone',
			unit: 'ms',
			ratio: median(samples.ours.map((ms, i) => ms / samples.floor[i])),
		},
	];
}
