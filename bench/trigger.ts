import { pollHarness } from '../test/harness/engine';
import type { Sandbox } from '../test/sandbox/server';
import { interleave, median, timed, type Row } from './stats';

const NEW_MESSAGES = 1000;
const WINDOW_MS = 60 * 60_000;
const PAGE = 250;

/**
 * The Unipile Polling Trigger's poll, idle and with 1,000 new messages, beside a bare fetch loop sending the query the
 * trigger sends (`after` = watermark − lookback window, limit 250, cursor followed). Each round starts from the
 * seeded sandbox and an activated trigger (its first poll, not timed).
 */
export async function benchTrigger(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	const credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
	const accountId = sandbox.store.accounts[0].id;

	async function activated() {
		sandbox.reset();
		const harness = pollHarness({ credentials, parameters: {} });
		if ((await harness.poll()) !== null) throw new Error('activation emitted items');
		return harness;
	}

	async function rawPoll(after: string) {
		let count = 0;
		let cursor: string | null = null;
		do {
			const query = new URLSearchParams({ after, limit: String(PAGE), ...(cursor ? { cursor } : {}) });
			const response = await fetch(`${sandbox.dsn}/api/v1/messages?${query}`, {
				headers: { 'X-API-KEY': sandbox.apiKey, accept: 'application/json' },
			});
			const body = (await response.json()) as { items: unknown[]; cursor: string | null };
			count += body.items.length;
			cursor = body.cursor;
		} while (cursor);
		return count;
	}

	let turn = 0;
	async function round(fresh: number) {
		const harness = await activated();
		for (let n = 0; n < fresh; n++) sandbox.injectMessage({ accountId, text: `new ${n}` });
		const after = new Date(Date.parse(String(harness.staticData().watermark)) - WINDOW_MS).toISOString();
		// Untimed: lets the sandbox rebuild its sorted index after the injection, which would otherwise land on whoever asks first.
		await rawPoll(after);
		const viaNode = async () => {
			sandbox.clearRequests();
			const { ms, value } = await timed(() => harness.poll());
			const emitted = value?.[0]?.length ?? 0;
			if (emitted !== fresh) throw new Error(`poll emitted ${emitted}, expected ${fresh}`);
			return { ms, requests: sandbox.requests.length };
		};
		const viaFetch = async () => {
			sandbox.clearRequests();
			const { ms } = await timed(() => rawPoll(after));
			return { ms, requests: sandbox.requests.length };
		};
		const first = turn++ % 2 === 0;
		const a = await (first ? viaNode() : viaFetch());
		const b = await (first ? viaFetch() : viaNode());
		const [node, raw] = first ? [a, b] : [b, a];
		return { node: node.ms, nodeRequests: node.requests, raw: raw.ms, rawRequests: raw.requests };
	}

	const samples = await interleave(rounds, { idle: () => round(0), busy: () => round(NEW_MESSAGES) });
	const rows = (name: string, list: Array<Awaited<ReturnType<typeof round>>>, target?: Row['target']): Row[] => [
		{
			scenario: `Trigger, ${name}`,
			measure: 'requests',
			value: median(list.map((s) => s.nodeRequests)),
			floor: median(list.map((s) => s.rawRequests)),
			floorName: 'same query, raw',
			unit: '',
			target,
		},
		{
			scenario: `Trigger, ${name}`,
			measure: 'time',
			value: median(list.map((s) => s.node)),
			floor: median(list.map((s) => s.raw)),
			floorName: 'raw fetch',
			unit: 'ms',
			ratio: median(list.map((s) => s.node / s.raw)),
		},
	];
	return [
		...rows('idle poll', samples.idle, { maxRatio: 1, label: 'one request' }),
		...rows(`poll with ${NEW_MESSAGES.toLocaleString('en')} new`, samples.busy),
	];
}
