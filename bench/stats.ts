/** Small measuring helpers shared by the bench scenarios. */

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Wall time, and CPU time of this process (user + system): the latter barely moves when other processes compete. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
	const cpu = process.cpuUsage();
	const start = process.hrtime.bigint();
	const value = await work();
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	const used = process.cpuUsage(cpu);
	return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

/**
 * Runs each variant once per round, `rounds` times, rotating the order every round so that no variant always
 * goes first (a warm JIT, a quiet moment of the shared machine). Returns each variant's samples.
 * With `warmUp`, each variant first runs once unrecorded (module loading, JIT).
 */
export async function interleave<K extends string, S>(
	rounds: number,
	variants: Record<K, () => Promise<S>>,
	options: { warmUp?: boolean } = {},
): Promise<Record<K, S[]>> {
	const names = Object.keys(variants) as K[];
	if (options.warmUp) for (const name of names) await variants[name]();
	const samples = Object.fromEntries(names.map((name) => [name, [] as S[]])) as unknown as Record<K, S[]>;
	for (let round = 0; round < rounds; round++) {
		for (let i = 0; i < names.length; i++) {
			const name = names[(round + i) % names.length];
			samples[name].push(await variants[name]());
		}
	}
	return samples;
}

export interface Row {
	scenario: string;
	measure: string;
	/** What the package does (median). */
	value: number;
	/** The floor measured in the same runs (median), or undefined when the figure has no floor. */
	floor?: number;
	floorName?: string;
	unit: string;
	/** Largest acceptable value / floor, when there is a target. */
	target?: { maxRatio: number; label: string };
	/** Ratio of medians unless the scenario gives the median of per-round ratios. */
	ratio?: number;
}

function format(value: number, unit: string): string {
	if (unit === 'ms') return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
	if (unit === 'MB') return `${value.toFixed(1)} MB`;
	if (unit === 'kB') return `${value.toFixed(1)} kB`;
	return `${Number.isInteger(value) ? value : value.toFixed(1)}${unit ? ' ' + unit : ''}`;
}

export function table(rows: Row[]): string {
	const header = ['Scenario', 'Measure', 'Package', 'Floor', 'Ratio', 'Target', ''];
	const lines = rows.map((row) => {
		const ratio = row.ratio ?? (row.floor !== undefined && row.floor !== 0 ? row.value / row.floor : undefined);
		const met =
			row.target === undefined
				? ''
				: row.floor === 0
					? row.value === 0 ? 'met' : 'MISSED'
					: ratio !== undefined && ratio <= row.target.maxRatio
						? 'met'
						: 'MISSED';
		return [
			row.scenario,
			row.measure,
			format(row.value, row.unit),
			row.floor === undefined ? '—' : `${format(row.floor, row.unit)}${row.floorName ? ` (${row.floorName})` : ''}`,
			ratio === undefined ? '—' : `${ratio.toFixed(2)}×`,
			row.target?.label ?? '',
			met,
		];
	});
	const all = [header, ...lines];
	const widths = header.map((_, column) => Math.max(...all.map((line) => line[column].length)));
	const render = (line: string[]) => `| ${line.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
	return [render(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}
