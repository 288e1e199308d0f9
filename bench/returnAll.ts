import { runNode, type RunResult } from '../test/harness/engine';
import type { Sandbox } from '../test/sandbox/server';
import { PAGING } from '../test/sandbox/v2/store';
import { interleave, median, timed, type Row } from './stats';

const PAGE = 250;

/** One list read both ways: by the node with Return All, and by a bare fetch loop over the same pages. */
interface ReturnAllCase {
	scenario: string;
	total: number;
	node(): Promise<RunResult>;
	/** One page of the list by plain fetch, from where the previous page said the next one starts. */
	rawPage(next: string | null): Promise<{ items: unknown[]; next: string | null }>;
}

/** Chat → Get Many with Return All over every chat, beside a bare fetch loop over the same pages: v1, and v2 per paging mode. */
export async function benchReturnAll(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	const rows: Row[] = [];
	for (const list of [v1Chats(sandbox), v2Chats(sandbox, 'whatsapp'), v2Chats(sandbox, 'linkedin')]) rows.push(...(await measure(sandbox, rounds, list)));
	return rows;
}

function v1Chats(sandbox: Sandbox): ReturnAllCase {
	const credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
	return {
		scenario: `Return All, ${sandbox.store.chats.length.toLocaleString('en')} chats`,
		total: sandbox.store.chats.length,
		node: () => runNode({ credentials, parameters: { resource: 'chat', operation: 'getAll', returnAll: true } }),
		async rawPage(cursor) {
			const query = new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}) });
			const response = await fetch(`${sandbox.dsn}/api/v1/chats?${query}`, {
				headers: { 'X-API-KEY': sandbox.apiKey, accept: 'application/json' },
			});
			const body = (await response.json()) as { items: unknown[]; cursor: string | null };
			return { items: body.items, next: body.cursor || null };
		},
	};
}

/** The chats of the sandbox's one running v2 account of that provider (seeded with `v2.chatsPerAccount`). */
function v2Chats(sandbox: Sandbox, provider: 'whatsapp' | 'linkedin'): ReturnAllCase {
	const account = sandbox.v2.accounts.find((a) => a.provider === provider && a.status === 'running');
	if (!account) throw new Error(`no running v2 ${provider} account in the sandbox`);
	const total = sandbox.v2.env.store.chatsOf(account.id).length;
	const mode = PAGING[provider];
	const credentials = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	const parameters = { authentication: 'unipileApiV2', resource: 'chat', operation: 'getAll', accountId: { __rl: true, mode: 'id', value: account.id }, returnAll: true };
	const name = provider === 'whatsapp' ? 'WhatsApp' : 'LinkedIn';
	return {
		scenario: `Return All v2, ${total.toLocaleString('en')} chats (${name}, by ${mode})`,
		total,
		node: () => {
			// The node's reads go through Unipile's GET cache (no Bypass Unipile Cache): emptied before each run, every page
			// is a miss as on the first Return All of the hour, like the raw loop's no-store pages; else the warm-up would
			// make every later run a cache hit.
			sandbox.v2.clearCache();
			return runNode({ credentials, parameters });
		},
		async rawPage(next) {
			const query = new URLSearchParams({ limit: String(PAGE), ...(next === null ? {} : mode === 'cursor' ? { cursor: next } : { offset: next }) });
			const response = await fetch(`${sandbox.url}/v2/${account.id}/chats?${query}`, {
				headers: { 'X-API-KEY': sandbox.v2.apiKey, accept: 'application/json', 'Cache-Control': 'no-store' },
			});
			const body = (await response.json()) as { data: unknown[]; next_cursor?: string; total_count?: number };
			if (mode === 'cursor') return { items: body.data, next: body.next_cursor ?? null };
			const end = Number(next ?? 0) + body.data.length;
			return { items: body.data, next: body.data.length > 0 && end < (body.total_count ?? Infinity) ? String(end) : null };
		},
	};
}

async function measure(sandbox: Sandbox, rounds: number, list: ReturnAllCase): Promise<Row[]> {
	async function viaNode() {
		sandbox.clearRequests();
		const { ms, value } = await timed(() => list.node());
		if (value.error || value.items.length !== list.total) throw new Error(`${list.scenario}, node: ${value.error?.message ?? value.items.length + ' items'}`);
		return { ms, requests: sandbox.requests.length };
	}

	async function rawFetch() {
		sandbox.clearRequests();
		const { ms, value } = await timed(async () => {
			const items: unknown[] = [];
			let next: string | null = null;
			do {
				const page = await list.rawPage(next);
				items.push(...page.items);
				next = page.next;
			} while (next !== null);
			return items;
		});
		if (value.length !== list.total) throw new Error(`${list.scenario}, raw fetch: ${value.length} items`);
		return { ms, requests: sandbox.requests.length };
	}

	const samples = await interleave(rounds, { node: viaNode, raw: rawFetch }, { warmUp: true });
	const { scenario, total } = list;
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
