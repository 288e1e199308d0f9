/**
 * Unipile Polling Trigger → Watch: New Emails on Unipile API v2, through n8n's real PollContext against the sandbox's
 * v2 email area: which mailboxes and folders are read and how (the folder route, Cache-Control: no-cache, Gmail's
 * date-only `after` asked a day wider and filtered exactly), what comes out (the v2 Email with its account), exactly
 * once across polls, nothing old on activation, back-fills inside and outside the window, a failed poll, the v1
 * parameters' meaning on v2 (Folder Role, Folder ID), Fetch Test Event, and the poll budget.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { loadPackage, nodeTypes, pollHarness } from './harness/engine';
import { startSandbox, type LoggedRequest, type Sandbox } from './sandbox/server';

type Any = any;
const MINUTE = 60_000;
const DAY = 86_400_000;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 1, messagesPerChat: 1, v2: { chatsPerAccount: 1, messagesPerChat: 1 } });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
});

const mailboxes = () => sandbox.v2.accounts.filter((a) => ['google', 'outlook', 'imap'].includes(a.provider) && a.status === 'running');
const accountOf = (provider: string) => mailboxes().find((a) => a.provider === provider)!.id;

function trigger(parameters: INodeParameters = {}, options: { staticData?: IDataObject; pollBudgetMs?: number } = {}) {
	return pollHarness({ credentials: { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url }, parameters: { authentication: 'unipileApiV2', watch: 'emails', ...parameters }, ...options });
}

async function activated(parameters: INodeParameters = {}, options: { pollBudgetMs?: number } = {}) {
	const harness = trigger(parameters, options);
	expect(await harness.poll()).toBeNull();
	sandbox.clearRequests();
	return harness;
}

/** The mailbox as the sandbox stores it (a control read: not logged as a v2 request). */
async function mailbox(accountId: string): Promise<Any> {
	return await (await fetch(`${sandbox.url}/_sandbox/v2/mailboxes/${encodeURIComponent(accountId)}`)).json();
}

/** The newest email of a folder (by id), the poller's watermark after activation. */
async function newestIn(accountId: string, folderId: string): Promise<string> {
	const box = await mailbox(accountId);
	return (box.emails as Any[]).filter((e) => e.folders.includes(folderId)).map((e) => e.date as string).sort().reverse()[0];
}

/** Delivers an email into a mailbox (`folder`: an id or role; INBOX by default). */
async function deliver(accountId: string, input: { date?: string; folder?: string; subject?: string; files?: Array<{ filename: string; mimetype: string; text: string }> } = {}): Promise<Any> {
	const res = await fetch(`${sandbox.url}/_sandbox/v2/emails`, { method: 'POST', body: JSON.stringify({ accountId, ...input }) });
	expect(res.status).toBe(201);
	return await res.json();
}

type Poll = Awaited<ReturnType<ReturnType<typeof trigger>['poll']>>;
const ids = (result: Poll) => (result?.[0] ?? []).map((item) => String(item.json.id));
const reads = () => sandbox.requests.filter((r) => r.path.startsWith('/v2/'));
const route = (r: LoggedRequest) => r.path.replace(/^\/v2\/acc_[^/]+/, '/v2/{account}');
const iso = (ms: number) => new Date(ms).toISOString();
const dayBefore = (ms: number) => iso(Math.floor(ms / DAY) * DAY - DAY);

describe('Unipile Polling Trigger → New Emails on v2: reading', () => {
	test('the editor no longer says New Emails is not on v2', async () => {
		await loadPackage();
		const type = nodeTypes().getByNameAndVersion('CUSTOM.unipilePollingTrigger', 1);
		const names = type.description.properties.map((p) => p.name);
		expect(names).not.toContain('emailsOnV2Notice');
		expect(JSON.stringify(type.description)).not.toMatch(/not available on Unipile API v2/);
	});

	test('activation reads every running mailbox (not messaging accounts) in its INBOX folder, bypassing the cache, and emits nothing old', async () => {
		const harness = trigger();
		expect(await harness.poll()).toBeNull();
		const requests = reads();
		expect(requests[0]).toMatchObject({ method: 'GET', path: '/v2/accounts/' });
		expect([...new Set(requests.slice(1).map((r) => r.path.split('/')[2]))].sort()).toEqual(mailboxes().map((a) => a.id).sort());
		for (const r of requests) expect(r.headers['cache-control']).toBe('no-cache');
		for (const r of requests) expect(r.status).toBe(200);
		const gmail = requests.filter((r) => r.path.startsWith(`/v2/${accountOf('google')}/`)).map((r) => [r.method, route(r)]);
		expect(gmail).toEqual([
			['GET', '/v2/{account}/folders'],
			['GET', '/v2/{account}/folders/INBOX/emails'],
		]);
		expect(requests.some((r) => r.path === `/v2/${accountOf('outlook')}/folders/AQMkADAwATM0MDAAInbox/emails`)).toBe(true);
		const state = harness.staticData();
		expect(state).toMatchObject({ version: 1, api: 'v2', key: 'v2:emails::role:inbox' });
		const accounts = state.accounts as Record<string, { watermark: string }>;
		expect(accounts[accountOf('google')].watermark).toBe(await newestIn(accountOf('google'), 'INBOX'));
		expect(accounts[accountOf('imap')].watermark).toBe(await newestIn(accountOf('imap'), 'INBOX'));
		// Nothing old comes out on the next poll either.
		expect(await harness.poll()).toBeNull();
	});

	test("an idle poll: Gmail's after asked from the day before the floor (date only); Outlook and IMAP to the millisecond", async () => {
		const harness = await activated();
		expect(await harness.poll()).toBeNull();
		for (const account of mailboxes()) {
			const inbox = account.provider === 'google' ? 'INBOX' : account.provider === 'outlook' ? 'AQMkADAwATM0MDAAInbox' : 'INBOX';
			const floorMs = Date.parse(await newestIn(account.id, inbox)) - 60 * MINUTE;
			const mine = reads().filter((r) => r.path.startsWith(`/v2/${account.id}/`));
			expect(mine.map((r) => [r.method, r.path, r.query])).toEqual([
				['GET', `/v2/${account.id}/folders`, { limit: '250' }],
				['GET', `/v2/${account.id}/folders/${inbox}/emails`, { limit: '100', after: account.provider === 'google' ? dayBefore(floorMs) : iso(floorMs) }],
			]);
		}
		expect(reads()[0]).toMatchObject({ path: '/v2/accounts/' });
		expect(reads()).toHaveLength(1 + 2 * mailboxes().length);
	});

	test('one chosen mailbox: its provider learnt once from the account list (idle polls read no list); Gmail’s wider day filtered exactly', async () => {
		const outlook = accountOf('outlook');
		const harness = trigger({ accountIds: [outlook] });
		expect(await harness.poll()).toBeNull();
		expect(reads()[0]).toMatchObject({ path: '/v2/accounts/' });
		expect(harness.staticData().providers).toEqual({ [outlook]: 'outlook' });
		sandbox.clearRequests();
		const watermark = Date.parse(await newestIn(outlook, 'AQMkADAwATM0MDAAInbox'));
		expect(await harness.poll()).toBeNull();
		expect(reads().map((r) => [route(r), r.query.after])).toEqual([
			['/v2/{account}/folders', undefined],
			['/v2/{account}/folders/AQMkADAwATM0MDAAInbox/emails', iso(watermark - 60 * MINUTE)],
		]);

		const gmail = accountOf('google');
		const gmailTrigger = await activated({ accountIds: [gmail] });
		const gmailMark = Date.parse(await newestIn(gmail, 'INBOX'));
		// Inside the day Gmail is asked for, below the floor: Unipile lists it, the poller leaves it out.
		const below = await deliver(gmail, { date: iso(gmailMark - 61 * MINUTE) });
		expect(await gmailTrigger.poll()).toBeNull();
		expect(reads().map((r) => [route(r), r.query.after])).toEqual([
			['/v2/{account}/folders', undefined],
			['/v2/{account}/folders/INBOX/emails', dayBefore(gmailMark - 60 * MINUTE)],
		]);
		expect(JSON.stringify(gmailTrigger.staticData())).not.toContain(below.id);
	});

	test('a chosen account the accounts list does not have: asked once, then taken as date-only (a day wider, filtered exactly)', async () => {
		const hidden = sandbox.v2.env.store.addAccount('imap');
		sandbox.injectFault({ method: 'GET', path: /^\/v2\/accounts\/$/, status: 200, body: { object: 'AccountList', data: [], has_more: false }, times: 1 } as Any);
		const harness = trigger({ accountIds: [hidden.account.id] });
		expect(await harness.poll()).toBeNull();
		expect(harness.staticData().providers).toEqual({ [hidden.account.id]: '' });
		sandbox.clearRequests();
		expect(await harness.poll()).toBeNull();
		expect(reads().map(route)).toEqual(['/v2/{account}/folders', '/v2/{account}/folders/INBOX/emails']);
		expect(reads()[1].query.after).toMatch(/T00:00:00\.000Z$/);
	});

	test('a new email comes out once, as the v2 Email with its account; the next polls give nothing', async () => {
		const gmail = accountOf('google');
		const harness = await activated();
		const email = await deliver(gmail, { subject: 'Quote request', date: sandbox.v2.env.store.now() });
		const result = await harness.poll();
		expect(result?.[0].map((item) => item.json)).toEqual([{ ...email, account_id: gmail }]);
		expect(await harness.poll()).toBeNull();
		expect(await harness.poll()).toBeNull();
	});

	test('a Gmail email of the same day as the floor is not lost (Gmail would drop that whole day if asked as is)', async () => {
		const gmail = accountOf('google');
		const harness = await activated({ accountIds: [gmail], options: { lookbackMinutes: 10 } });
		const watermark = Date.parse(await newestIn(gmail, 'INBOX'));
		const sameDay = await deliver(gmail, { date: iso(watermark + MINUTE) });
		expect(sameDay.date.slice(0, 10)).toBe(iso(watermark - 10 * MINUTE).slice(0, 10));
		// What Gmail answers to the floor as given: not this email.
		const asIs = await fetch(`${sandbox.url}/v2/${gmail}/folders/INBOX/emails?limit=100&after=${encodeURIComponent(iso(watermark - 10 * MINUTE))}`, { headers: { 'X-API-KEY': sandbox.v2.apiKey, 'Cache-Control': 'no-store' } });
		expect(((await asIs.json()) as Any).data.map((e: Any) => e.id)).not.toContain(sameDay.id);
		expect(ids(await harness.poll())).toEqual([sameDay.id]);
		expect(await harness.poll()).toBeNull();
	});

	test('emails of several mailboxes come out oldest first across mailboxes, each once across polls', async () => {
		const harness = await activated();
		const base = Date.parse(sandbox.v2.env.store.now());
		const sent = [];
		for (const [i, provider] of ['imap', 'google', 'outlook', 'google'].entries()) sent.push(await deliver(accountOf(provider), { date: iso(base + (3 - i) * 1000) }));
		expect(ids(await harness.poll())).toEqual([...sent].reverse().map((e) => e.id));
		const later = await deliver(accountOf('outlook'), { date: iso(base + 10_000) });
		expect(ids(await harness.poll())).toEqual([later.id]);
		expect(await harness.poll()).toBeNull();
	});

	test('a back-filled email inside the Lookback Window comes out, one outside it does not', async () => {
		const imap = accountOf('imap');
		const harness = await activated({ accountIds: [imap], options: { lookbackMinutes: 10 } });
		const watermark = Date.parse(await newestIn(imap, 'INBOX'));
		const inside = await deliver(imap, { date: iso(watermark - 5 * MINUTE) });
		const outside = await deliver(imap, { date: iso(watermark - 11 * MINUTE) });
		expect(ids(await harness.poll())).toEqual([inside.id]);
		expect(await harness.poll()).toBeNull();
		expect(JSON.stringify(harness.staticData())).not.toContain(outside.id);
	});

	test('a mailbox connected after activation is seeded: its history is not new, its next emails are', async () => {
		const harness = await activated();
		const added = sandbox.v2.env.store.addAccount('google');
		expect(await harness.poll()).toBeNull();
		expect(Object.keys(harness.staticData().accounts as IDataObject)).toContain(added.account.id);
		const fresh = await deliver(added.account.id, { date: sandbox.v2.env.store.now() });
		expect(ids(await harness.poll())).toEqual([fresh.id]);
	});

	test('a poll that fails (Unipile 503 past the retries) changes nothing; the next poll delivers', async () => {
		const gmail = accountOf('google');
		const harness = await activated();
		const email = await deliver(gmail, { date: sandbox.v2.env.store.now() });
		const before = harness.staticData();
		sandbox.injectFault({ path: /\/emails$/, status: 503, retryAfter: 0, times: 100 });
		await expect(harness.poll()).rejects.toThrow();
		expect(harness.staticData()).toEqual(before);
		sandbox.clearFaults();
		expect(ids(await harness.poll())).toEqual([email.id]);
	});

	test('Download Attachments fetches each file from the email’s v2 attachment route', async () => {
		const gmail = accountOf('google');
		const harness = await activated({ accountIds: [gmail], options: { downloadAttachments: true } });
		const email = await deliver(gmail, { date: sandbox.v2.env.store.now(), files: [{ filename: 'order.txt', mimetype: 'text/plain', text: 'polled file on v2' }] });
		const result = await harness.poll();
		const binary = result?.[0][0].binary?.attachment_0;
		expect(binary).toMatchObject({ fileName: 'order.txt', mimeType: 'text/plain' });
		expect(Buffer.from(binary!.data, 'base64').toString()).toBe('polled file on v2');
		const download = reads().find((r) => r.path.includes('/attachments/'));
		expect(download?.path).toBe(`/v2/${gmail}/emails/${email.id}/attachments/${email.attachments[0].id}`);
	});
});

describe('Unipile Polling Trigger → New Emails on v2: the v1 parameters', () => {
	const pathsAfter = async (parameters: INodeParameters, accountId: string) => {
		const harness = await activated({ accountIds: [accountId], ...parameters });
		expect(await harness.poll()).toBeNull();
		return reads().map((r) => [route(r), r.query.is_starred]);
	};

	test('Folder Role: Sent is the SENT folder, All Folders the whole mailbox, Starred is_starred, Spam is JUNK on Outlook', async () => {
		expect(await pathsAfter({ role: 'sent' }, accountOf('imap'))).toEqual([
			['/v2/{account}/folders', undefined],
			['/v2/{account}/folders/Sent/emails', undefined],
		]);
		expect(await pathsAfter({ role: '' }, accountOf('google'))).toEqual([['/v2/{account}/emails', undefined]]);
		expect(await pathsAfter({ role: 'starred' }, accountOf('google'))).toEqual([['/v2/{account}/emails', 'true']]);
		expect(await pathsAfter({ role: 'spam' }, accountOf('outlook'))).toEqual([
			['/v2/{account}/folders', undefined],
			['/v2/{account}/folders/AQMkADAwATM0MDAAJunk/emails', undefined],
		]);
	});

	test('a mailbox without a folder of the role is not read (as on v1, it has nothing to watch)', async () => {
		expect(await pathsAfter({ role: 'important' }, accountOf('outlook'))).toEqual([['/v2/{account}/folders', undefined]]);
	});

	test('Folder ID: by its id or its name; only that folder’s new emails come out', async () => {
		const outlook = accountOf('outlook');
		for (const folder of ['AQMkADAwATM0MDAAClients', 'Clients']) {
			sandbox.reset();
			const harness = await activated({ accountIds: [outlook], folder });
			const now = Date.parse(sandbox.v2.env.store.now());
			const inbox = await deliver(outlook, { date: iso(now) });
			const clients = await deliver(outlook, { folder: 'AQMkADAwATM0MDAAClients', date: iso(now + 1000) });
			expect(ids(await harness.poll())).toEqual([clients.id]);
			expect(reads().filter((r) => r.path.endsWith('/emails')).map(route)).toEqual(['/v2/{account}/folders/AQMkADAwATM0MDAAClients/emails']);
			expect(inbox.id).toBeDefined();
		}
	});

	test('changing the folder watched seeds again: nothing old comes out', async () => {
		const gmail = accountOf('google');
		const first = trigger({ accountIds: [gmail] });
		expect(await first.poll()).toBeNull();
		const again = trigger({ accountIds: [gmail], role: 'sent' }, { staticData: first.staticData() });
		expect(await again.poll()).toBeNull();
		expect(again.staticData()).toMatchObject({ key: `v2:emails:${gmail}:role:sent` });
	});
});

describe('Unipile Polling Trigger → New Emails on v2: manual runs and the poll budget', () => {
	test('Fetch Test Event gives the newest watched email and keeps no state', async () => {
		const imap = accountOf('imap');
		const latest = await deliver(imap, { subject: 'Latest', date: sandbox.v2.env.store.now() });
		const harness = trigger({ accountIds: [imap] });
		const result = await harness.poll('manual');
		expect(result?.[0].map((item) => item.json)).toEqual([{ ...latest, account_id: imap }]);
		expect(harness.staticData()).toEqual({});
	});

	test('a backlog bigger than one poll: each email exactly once, oldest first, no poll over its budget', async () => {
		const BUDGET_MS = 1_500;
		const outlook = accountOf('outlook');
		const harness = await activated({ accountIds: [outlook], options: { lookbackMinutes: 5 } }, { pollBudgetMs: BUDGET_MS });
		let clock = Date.parse(sandbox.v2.env.store.now());
		const backlog: Any[] = [];
		for (let i = 0; i < 600; i++) {
			if (i % 5 !== 0) clock += i % 150 === 1 ? 3 * 3_600_000 : 1 + (i % 900);
			backlog.push(await deliver(outlook, { date: iso(clock), subject: `b${i}` }));
		}
		sandbox.injectFault({ method: 'GET', path: /^\/v2\//, delayMs: 150, times: 1_000_000 });
		const emitted: string[] = [];
		const perPoll: number[] = [];
		for (let poll = 0; poll < 200; poll++) {
			const got = ids(await harness.poll());
			perPoll.push(got.length);
			emitted.push(...got);
			if (got.length === 0 && emitted.length >= backlog.length) break;
		}
		const byAge = [...backlog].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(emitted.map((id) => Date.parse(backlog.find((e) => e.id === id).date))).toEqual(byAge.map((e) => Date.parse(e.date)));
		expect(emitted.length).toBe(backlog.length);
		expect(harness.durations.filter((ms) => ms > BUDGET_MS)).toEqual([]);
		expect(Math.max(...perPoll)).toBeLessThan(backlog.length);
		process.stdout.write(`v2 email backlog ${backlog.length}: ${perPoll.length} polls, largest ${Math.max(...perPoll)}, longest poll ${Math.max(...harness.durations)} ms of ${BUDGET_MS} ms\n`);
	}, 240_000);
});
