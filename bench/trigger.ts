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
		...(await benchTriggerV2Idle(sandbox, rounds)),
		...(await benchTriggerEmailsIdle(sandbox, rounds)),
	];
}

const V2_ACTIVE_CHATS = 5;

/**
 * The idle poll's requests per watched account on Unipile API v2 beside v1's (one `GET /messages` for every account).
 * v2 has no list across chats: per account, one chats page, then each chat with a message inside the lookback window
 * (at least the newest chat, which holds the watermark) read again, so back-fills there are caught; with no account
 * chosen, one more request per poll lists the accounts. Each round starts from the seeded sandbox and an activated
 * trigger; the idle poll after it is measured.
 */
export async function benchTriggerV2Idle(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	const v1 = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
	const v2 = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	const messagingAccounts = () => sandbox.v2.accounts.filter((a) => ['whatsapp', 'linkedin', 'instagram', 'telegram'].includes(a.provider) && a.status === 'running');

	async function idle(activate: () => ReturnType<typeof pollHarness>, before?: () => void) {
		sandbox.reset();
		before?.();
		const harness = activate();
		if ((await harness.poll()) !== null) throw new Error('activation emitted items');
		sandbox.clearRequests();
		const { ms, value } = await timed(() => harness.poll());
		if (value !== null) throw new Error('an idle poll emitted items');
		return { ms, requests: sandbox.requests.length };
	}
	const v1Accounts = () => new Set(sandbox.store.sortedChats().map((c) => c.account_id)).size;
	/** Five chats of the WhatsApp account get a message inside the hour before activation. */
	const recentChats = () => {
		const account = messagingAccounts().find((a) => a.provider === 'whatsapp')!;
		const chats = [...sandbox.v2.env.store.chats.values()].filter((rec) => rec.accountId === account.id).slice(0, V2_ACTIVE_CHATS);
		const newest = Date.now() - 30 * 60_000;
		chats.forEach((rec, i) => sandbox.v2.injectMessage({ accountId: account.id, chatId: rec.chat.id, timestamp: new Date(newest - i * 60_000).toISOString() }));
		return account.id;
	};
	const samples = await interleave(rounds, {
		v1: () => idle(() => pollHarness({ credentials: v1, parameters: {} })),
		v2All: () => idle(() => pollHarness({ credentials: v2, parameters: { authentication: 'unipileApiV2' } })),
		v2One: () => idle(() => pollHarness({ credentials: v2, parameters: { authentication: 'unipileApiV2', accountIds: [messagingAccounts()[0].id] } })),
		v2Active: () => {
			let accountId = '';
			return idle(() => pollHarness({ credentials: v2, parameters: { authentication: 'unipileApiV2', accountIds: [accountId] } }), () => (accountId = recentChats()));
		},
	});
	const v1PerAccount = median(samples.v1.map((s) => s.requests)) / v1Accounts();
	const n = messagingAccounts().length;
	const row = (scenario: string, list: Array<{ ms: number; requests: number }>, perAccount: (requests: number) => number): Row[] => [
		{ scenario, measure: 'requests per account', value: median(list.map((s) => perAccount(s.requests))), floor: v1PerAccount, floorName: `v1 idle poll (1 request for ${v1Accounts()} accounts)`, unit: '' },
		{ scenario, measure: 'time', value: median(list.map((s) => s.ms)), floor: median(samples.v1.map((s) => s.ms)), floorName: 'v1 idle poll', unit: 'ms' },
	];
	return [
		...row(`Trigger v2, idle poll, no account chosen (${n} messaging accounts + 1 accounts list)`, samples.v2All, (r) => r / n),
		...row('Trigger v2, idle poll, one account chosen', samples.v2One, (r) => r),
		...row(`Trigger v2, idle poll, one account with ${V2_ACTIVE_CHATS} chats active in the last hour`, samples.v2Active, (r) => r),
	];
}

/**
 * Watch → New Emails, idle: requests per watched mailbox on v2 beside v1's (v1: one `GET /emails` per mailbox, plus the
 * accounts list when none is chosen). v2, per mailbox: the folder list (the Folder Role's folder is found by its
 * `role`) and the folder's emails after the floor (Gmail from the day before); with no mailbox chosen, the accounts list.
 * Each round starts from the seeded sandbox and an activated trigger; the idle poll after it is measured.
 */
export async function benchTriggerEmailsIdle(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	const v1 = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
	const v2 = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	const v2Mailboxes = () => sandbox.v2.accounts.filter((a) => ['google', 'outlook', 'imap'].includes(a.provider) && a.status === 'running');
	let v1Mailboxes = 0;
	async function idle(parameters: Record<string, unknown>, credentials: typeof v1 | typeof v2) {
		sandbox.reset();
		const harness = pollHarness({ credentials, parameters: { watch: 'emails', ...parameters } });
		if ((await harness.poll()) !== null) throw new Error('activation emitted items');
		if ('dsn' in credentials) v1Mailboxes = Object.keys((harness.staticData().emailStreams ?? {}) as object).length;
		sandbox.clearRequests();
		const { ms, value } = await timed(() => harness.poll());
		if (value !== null) throw new Error('an idle poll emitted items');
		return { ms, requests: sandbox.requests.length };
	}
	const gmail = () => v2Mailboxes().find((a) => a.provider === 'google')!.id;
	const samples = await interleave(rounds, {
		v1: () => idle({}, v1),
		v2All: () => idle({ authentication: 'unipileApiV2' }, v2),
		v2One: () => idle({ authentication: 'unipileApiV2', accountIds: [gmail()] }, v2),
	});
	const v1PerMailbox = median(samples.v1.map((s) => s.requests)) / Math.max(v1Mailboxes, 1);
	const n = v2Mailboxes().length;
	const floorName = `v1 New Emails idle poll (${median(samples.v1.map((s) => s.requests))} requests for ${v1Mailboxes} mailboxes, accounts list included)`;
	const row = (scenario: string, list: Array<{ ms: number; requests: number }>, perMailbox: (requests: number) => number): Row[] => [
		{ scenario, measure: 'requests per mailbox', value: median(list.map((s) => perMailbox(s.requests))), floor: v1PerMailbox, floorName, unit: '' },
		{ scenario, measure: 'time', value: median(list.map((s) => s.ms)), floor: median(samples.v1.map((s) => s.ms)), floorName: 'v1 New Emails idle poll', unit: 'ms' },
	];
	return [
		...row(`Trigger v2 New Emails, idle poll, no mailbox chosen (${n} mailboxes + 1 accounts list)`, samples.v2All, (r) => r / n),
		...row('Trigger v2 New Emails, idle poll, one Gmail mailbox chosen', samples.v2One, (r) => r),
	];
}
