import { runNode } from '../test/harness/engine';
import type { Sandbox } from '../test/sandbox/server';
import { interleave, median, timed, type Row } from './stats';

const PAGE = 250;

/** Chat → Get Many with Return All over every chat of the sandbox, beside a bare fetch loop over the same pages. */
export async function benchReturnAll(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	const total = sandbox.store.chats.length;
	const credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };

	async function viaNode() {
		sandbox.clearRequests();
		const { ms, value } = await timed(() =>
			runNode({ credentials, parameters: { resource: 'chat', operation: 'getAll', returnAll: true } }),
		);
		if (value.error || value.items.length !== total) throw new Error(`node: ${value.error?.message ?? value.items.length + ' items'}`);
		return { ms, requests: sandbox.requests.length };
	}

	async function rawFetch() {
		sandbox.clearRequests();
		const { ms, value } = await timed(async () => {
			const items: unknown[] = [];
			let cursor: string | null = null;
			do {
				const query = new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}) });
				const response = await fetch(`${sandbox.dsn}/api/v1/chats?${query}`, {
					headers: { 'X-API-KEY': sandbox.apiKey, accept: 'application/json' },
				});
				const body = (await response.json()) as { items: unknown[]; cursor: string | null };
				items.push(...body.items);
				cursor = body.cursor;
			} while (cursor);
			return items;
		});
		if (value.length !== total) throw new Error(`raw fetch: ${value.length} items`);
		return { ms, requests: sandbox.requests.length };
	}

	const samples = await interleave(rounds, { node: viaNode, raw: rawFetch }, { warmUp: true });
	const scenario = `Return All, ${total.toLocaleString('en')} chats`;
	return [
		{
			scenario,
			measure: 'requests',
			value: median(samples.node.map((s) => s.requests)),
			floor: Math.ceil(total / PAGE),
			floorName: `ceil(N/${PAGE})`,
			unit: '',
			target: { maxRatio: 1, label: 'at floor' },
		},
		{
			scenario,
			measure: 'time',
			value: median(samples.node.map((s) => s.ms)),
			floor: median(samples.raw.map((s) => s.ms)),
			floorName: 'raw fetch',
			unit: 'ms',
			ratio: median(samples.node.map((s, round) => s.ms / samples.raw[round].ms)),
			target: { maxRatio: 1.5, label: '≤ 1.5× raw' },
		},
	];
}
