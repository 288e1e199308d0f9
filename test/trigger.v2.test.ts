/**
 * Unipile Polling Trigger on Unipile API v2, through n8n's real PollContext against the sandbox's v2 environment:
 * which accounts are read and how (chats newest activity first, then each active chat's messages after the floor,
 * every read with Cache-Control: no-cache), what an idle poll costs, what comes out (the v2 Message with its
 * account), back-fills, a newly connected account, one chat, files, the poll budget, and what v2 refuses (New Emails
 * on v2: trigger.emails.v2.test.ts).
 */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type IDataObject, type ILoadOptionsFunctions, type INode, type INodeListSearchResult, type INodeParameters, type INodePropertyOptions, type INodeType, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { additionalDataFor, loadPackage, nodeTypes, pollHarness } from './harness/engine';
import { startSandbox, type LoggedRequest, type Sandbox } from './sandbox/server';
import type { V2Message } from './sandbox/v2/schemas';

const MINUTE = 60_000;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 2, messagesPerChat: 1, v2: { chatsPerAccount: 6, messagesPerChat: 3 } });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
});

const store = () => sandbox.v2.env.store;
const messaging = () => sandbox.v2.accounts.filter((a) => ['whatsapp', 'linkedin', 'instagram', 'telegram'].includes(a.provider) && a.status === 'running');
const accountOf = (provider: string) => messaging().find((a) => a.provider === provider)!.id;
const chatsOf = (accountId: string) => store().chatsOf(accountId);

function trigger(parameters: INodeParameters = {}, options: { staticData?: IDataObject; pollBudgetMs?: number } = {}) {
	return pollHarness({ credentials: { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url }, parameters: { authentication: 'unipileApiV2', ...parameters }, ...options });
}

async function activated(parameters: INodeParameters = {}) {
	const harness = trigger(parameters);
	expect(await harness.poll()).toBeNull();
	sandbox.clearRequests();
	return harness;
}

type Poll = Awaited<ReturnType<ReturnType<typeof trigger>['poll']>>;
const keys = (result: Poll) => (result?.[0] ?? []).map((item) => `${String(item.json.chat_id)} ${String(item.json.id)}`);
const keyOf = (m: V2Message) => `${m.chat_id} ${m.id}`;
const reads = () => sandbox.requests.filter((r) => r.path.startsWith('/v2/'));
const route = (r: LoggedRequest) => r.path.replace(/^\/v2\/acc_[^/]+/, '/v2/{account}').replace(/\/chats\/[^/]+\/messages/, '/chats/{chat}/messages');
const newestOf = (accountId: string) => chatsOf(accountId)[0].messages[0].timestamp;

describe('Unipile Polling Trigger on v2: reading', () => {
	test('activation reads every running messaging account (not mailboxes, not a disconnected account), emits nothing, and bypasses the cache', async () => {
		const harness = trigger();
		expect(await harness.poll()).toBeNull();
		const requests = reads();
		expect(requests[0]).toMatchObject({ method: 'GET', path: '/v2/accounts/' });
		const accountsRead = [...new Set(requests.slice(1).map((r) => r.path.split('/')[2]))].sort();
		expect(accountsRead).toEqual(messaging().map((a) => a.id).sort());
		for (const r of requests) expect(r.headers['cache-control']).toBe('no-cache');
		for (const r of requests) expect(r.status).toBe(200);
		const state = harness.staticData();
		expect(state).toMatchObject({ version: 1, api: 'v2', key: 'v2:accounts:' });
		const accounts = state.accounts as Record<string, { watermark: string }>;
		for (const account of messaging()) expect(accounts[account.id].watermark).toBe(newestOf(account.id));
	});

	test('an idle poll of one account: its first chats page, then the messages of each chat active inside the window, after the floor', async () => {
		const accountId = accountOf('whatsapp');
		const harness = await activated({ accountIds: [accountId] });
		const watermark = newestOf(accountId);
		expect(await harness.poll()).toBeNull();
		const floor = new Date(Date.parse(watermark) - 60 * MINUTE).toISOString();
		const active = chatsOf(accountId).filter((rec) => rec.messages[0].timestamp > floor);
		expect(reads().map((r) => [r.method, route(r), r.query])).toEqual([
			['GET', '/v2/{account}/chats', { limit: '100' }],
			...active.map(() => ['GET', '/v2/{account}/chats/{chat}/messages', { limit: '100', after: floor }]),
		]);
		expect(active.length).toBe(1);
	});

	test('a new message comes out once, as the v2 Message with the account it belongs to', async () => {
		const accountId = accountOf('telegram');
		const harness = await activated();
		const chat = chatsOf(accountId)[3].chat.id;
		const message = sandbox.v2.injectMessage({ accountId, chatId: chat, text: 'Hi there' });
		const result = await harness.poll();
		expect(result?.[0].map((item) => item.json)).toEqual([{ ...JSON.parse(JSON.stringify(message)), account_id: accountId }]);
		expect(await harness.poll()).toBeNull();
	});

	test('new messages of several accounts come out oldest first across accounts', async () => {
		const harness = await activated();
		const base = Math.max(...messaging().map((a) => Date.parse(newestOf(a.id)))) + 1000;
		const sent = [accountOf('linkedin'), accountOf('whatsapp'), accountOf('instagram'), accountOf('whatsapp')].map((accountId, i) =>
			sandbox.v2.injectMessage({ accountId, chatId: chatsOf(accountId)[2].chat.id, timestamp: new Date(base + (3 - i) * 1000).toISOString() }),
		);
		expect(keys(await harness.poll())).toEqual([...sent].reverse().map(keyOf));
	});

	test('own messages and events are left out by default and emitted when asked for', async () => {
		const accountId = accountOf('linkedin');
		const chatId = chatsOf(accountId)[1].chat.id;
		for (const options of [{}, { includeOwnMessages: true, includeEvents: true }]) {
			sandbox.reset();
			const harness = await activated({ accountIds: [accountId], options });
			const own = sandbox.v2.injectMessage({ accountId, chatId, isSender: true, text: 'my reply' });
			const event = sandbox.v2.injectMessage({ accountId, chatId, isEvent: true });
			const theirs = sandbox.v2.injectMessage({ accountId, chatId, text: 'their message' });
			expect(keys(await harness.poll())).toEqual(Object.keys(options).length ? [own, event, theirs].map(keyOf) : [keyOf(theirs)]);
			expect(await harness.poll()).toBeNull();
		}
	});

	test('a back-filled message older than its chat’s newest one comes out inside the window, not outside it', async () => {
		const accountId = accountOf('instagram');
		const harness = await activated({ accountIds: [accountId], options: { lookbackMinutes: 10 } });
		const newest = Date.parse(newestOf(accountId));
		const chatId = chatsOf(accountId)[0].chat.id;
		const inside = sandbox.v2.injectMessage({ accountId, chatId, timestamp: new Date(newest - 5 * MINUTE).toISOString() });
		const outside = sandbox.v2.injectMessage({ accountId, chatId, timestamp: new Date(newest - 11 * MINUTE).toISOString() });
		// The chat's last message did not change: only reading the window again finds it.
		expect(chatsOf(accountId)[0].messages[0].timestamp).toBe(new Date(newest).toISOString());
		expect(keys(await harness.poll())).toEqual([keyOf(inside)]);
		expect(await harness.poll()).toBeNull();
		expect(JSON.stringify(harness.staticData())).not.toContain(outside.id);
	});

	test('a quiet chat that gets a message is found through the chat list (activity order) and read after the floor only', async () => {
		const accountId = accountOf('whatsapp');
		const harness = await activated({ accountIds: [accountId] });
		const quiet = chatsOf(accountId)[5];
		const message = sandbox.v2.injectMessage({ accountId, chatId: quiet.chat.id });
		expect(keys(await harness.poll())).toEqual([keyOf(message)]);
		const read = reads().filter((r) => r.path.includes(encodeURIComponent(quiet.chat.id)) || r.path.includes(quiet.chat.id));
		expect(read).toHaveLength(1);
		expect(read[0].query.after).toBeDefined();
	});

	test('an account connected after activation is seeded: its history is not new, its next messages are', async () => {
		const harness = await activated();
		const added = store().addAccount('telegram');
		const peer = store().newUser('telegram');
		const rec = store().addChat(added, [peer], { group: false });
		store().addMessage(rec, { sender: peer, text: 'history' });
		expect(await harness.poll()).toBeNull();
		expect(Object.keys(harness.staticData().accounts as IDataObject)).toContain(added.account.id);
		const fresh = sandbox.v2.injectMessage({ accountId: added.account.id, chatId: rec.chat.id, text: 'new' });
		expect(keys(await harness.poll())).toEqual([keyOf(fresh)]);
	});

	test('a poll that fails (Unipile 503 past the retries) changes nothing; the next poll delivers', async () => {
		const accountId = accountOf('linkedin');
		const harness = await activated({ accountIds: [accountId] });
		const message = sandbox.v2.injectMessage({ accountId, chatId: chatsOf(accountId)[2].chat.id });
		const before = harness.staticData();
		sandbox.injectFault({ path: /\/messages$/, status: 503, retryAfter: 0, times: 100 });
		await expect(harness.poll()).rejects.toThrow();
		expect(harness.staticData()).toEqual(before);
		sandbox.clearFaults();
		expect(keys(await harness.poll())).toEqual([keyOf(message)]);
	});

	test('Download Attachments fetches each file from the message’s v2 attachment route', async () => {
		const accountId = accountOf('whatsapp');
		const harness = await activated({ accountIds: [accountId], options: { downloadAttachments: true } });
		const bytes = Buffer.from('polled file on v2');
		const chatId = chatsOf(accountId)[1].chat.id;
		const message = sandbox.v2.injectMessage({ accountId, chatId, attachments: [{ filename: 'note.txt', content_type: 'text/plain', bytes }] });
		const result = await harness.poll();
		const binary = result?.[0][0].binary?.attachment_0;
		expect(binary).toMatchObject({ fileName: 'note.txt', mimeType: 'text/plain' });
		expect(Buffer.from(binary!.data, 'base64').equals(bytes)).toBe(true);
		const download = reads().find((r) => r.path.includes('/attachments/'));
		expect(download?.path).toBe(`/v2/${accountId}/chats/${chatId}/messages/${message.id}/attachments/${message.attachments[0].id}`);
	});
});

describe('Unipile Polling Trigger on v2: one chat, manual runs, refusals', () => {
	test('one chat of the one chosen account: only its messages are read', async () => {
		const accountId = accountOf('telegram');
		const chatId = chatsOf(accountId)[4].chat.id;
		const harness = await activated({ accountIds: [accountId], chatId: { __rl: true, mode: 'id', value: chatId } });
		const other = sandbox.v2.injectMessage({ accountId, chatId: chatsOf(accountId)[0].chat.id });
		const mine = sandbox.v2.injectMessage({ accountId, chatId });
		expect(keys(await harness.poll())).toEqual([keyOf(mine)]);
		expect(reads().every((r) => r.path === `/v2/${accountId}/chats/${chatId}/messages`)).toBe(true);
		expect(other.id).toBeDefined();
	});

	test('one chat without exactly one account chosen is refused, naming the field', async () => {
		const chatId = chatsOf(accountOf('telegram'))[0].chat.id;
		const harness = trigger({ chatId: { __rl: true, mode: 'id', value: chatId } });
		await expect(harness.poll()).rejects.toThrow('Watching one chat on Unipile API v2 needs its account');
		expect(reads()).toHaveLength(0);
	});

	test('Fetch Test Event gives the latest message of the watched accounts and keeps no state', async () => {
		const accountId = accountOf('linkedin');
		const harness = trigger({ accountIds: [accountId] });
		const latest = sandbox.v2.injectMessage({ accountId, chatId: chatsOf(accountId)[3].chat.id, text: 'latest' });
		const result = await harness.poll('manual');
		expect(result?.[0].map((item) => item.json)).toEqual([{ ...JSON.parse(JSON.stringify(latest)), account_id: accountId }]);
		expect(harness.staticData()).toEqual({});
	});
});

describe('Unipile Polling Trigger on v2: the poll budget', () => {
	test('a backlog bigger than one poll: each message exactly once, oldest first, no poll over its budget', async () => {
		const BUDGET_MS = 2_000;
		const accountId = accountOf('whatsapp');
		const harness = trigger({ accountIds: [accountId], options: { lookbackMinutes: 5 } }, { pollBudgetMs: BUDGET_MS });
		expect(await harness.poll()).toBeNull();
		const chats = chatsOf(accountId).map((rec) => rec.chat.id);
		let clock = Date.parse(newestOf(accountId)) + 1000;
		const backlog: V2Message[] = [];
		for (let i = 0; i < 3000; i++) {
			if (i % 7 !== 0) clock += i % 700 === 1 ? 3 * 3_600_000 : 1 + (i % 1900);
			backlog.push(sandbox.v2.injectMessage({ accountId, chatId: chats[i % chats.length], timestamp: new Date(clock).toISOString(), text: `b${i}` }));
		}
		sandbox.injectFault({ method: 'GET', path: /^\/v2\//, delayMs: 40, times: 1_000_000 });
		const emitted: string[] = [];
		const perPoll: number[] = [];
		for (let poll = 0; poll < 300; poll++) {
			const got = keys(await harness.poll());
			perPoll.push(got.length);
			emitted.push(...got);
			if (got.length === 0 && emitted.length >= backlog.length) break;
		}
		const byAge = [...backlog].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || (keyOf(a) < keyOf(b) ? -1 : 1));
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(emitted).toEqual(byAge.map(keyOf));
		expect(harness.durations.filter((ms) => ms > BUDGET_MS)).toEqual([]);
		expect(Math.max(...perPoll)).toBeLessThan(backlog.length);
		process.stdout.write(`v2 backlog ${backlog.length}: ${perPoll.length} polls, largest ${Math.max(...perPoll)}, longest poll ${Math.max(...harness.durations)} ms of ${BUDGET_MS} ms\n`);
	}, 240_000);
});

describe('Unipile Polling Trigger on v2: many accounts', () => {
	test('more accounts than one poll has time for: they take turns, seeding too, and every message comes once', async () => {
		// Budget and read time are both twice what the turns need, so that a loaded CI machine's scheduling delays stay
		// inside the half of the budget a poll keeps free after its reading share.
		const BUDGET_MS = 2_000;
		const harness = trigger({}, { pollBudgetMs: BUDGET_MS });
		// 300 ms a read: reading four accounts (two reads each) takes longer than the 1,000 ms reading share.
		sandbox.injectFault({ method: 'GET', path: /^\/v2\/acc_/, delayMs: 300, times: 1_000_000 });
		let seedingPolls = 0;
		while (Object.keys((harness.staticData().accounts ?? {}) as IDataObject).length < messaging().length) {
			expect(await harness.poll()).toBeNull();
			expect(++seedingPolls).toBeLessThan(10);
		}
		expect(seedingPolls).toBeGreaterThan(1);
		const sent = messaging().map((account) => sandbox.v2.injectMessage({ accountId: account.id, chatId: chatsOf(account.id)[1].chat.id }));
		const emitted: string[] = [];
		for (let poll = 0; poll < 10 && emitted.length < sent.length; poll++) emitted.push(...keys(await harness.poll()));
		expect([...emitted].sort()).toEqual(sent.map(keyOf).sort());
		for (let poll = 0; poll < 3; poll++) expect(await harness.poll()).toBeNull();
		expect(harness.durations.filter((ms) => ms > BUDGET_MS)).toEqual([]);
	}, 60_000);
});

describe('Unipile Polling Trigger on v2: overlap and state size', () => {
	test('a poll started while another runs emits nothing, and the messages come once', async () => {
		const accountId = accountOf('telegram');
		const harness = await activated({ accountIds: [accountId] });
		const message = sandbox.v2.injectMessage({ accountId, chatId: chatsOf(accountId)[0].chat.id });
		sandbox.injectFault({ method: 'GET', path: /\/chats$/, delayMs: 300 });
		const [slow, overlapping] = await Promise.all([harness.poll(), harness.poll()]);
		expect(keys(slow)).toEqual([keyOf(message)]);
		expect(overlapping).toBeNull();
		expect(await harness.poll()).toBeNull();
	});

	test('the saved state holds only the ids inside each account’s window, however long the trigger runs', async () => {
		const lookbackMinutes = 5;
		const accounts = [accountOf('whatsapp'), accountOf('linkedin')];
		const harness = await activated({ accountIds: accounts, options: { lookbackMinutes } });
		let clock = Math.max(...accounts.map((a) => Date.parse(newestOf(a)))) + MINUTE;
		let sent = 0;
		let emitted = 0;
		for (let minute = 0; minute < 90; minute++) {
			const count = (minute * 7919) % 21;
			for (let i = 0; i < count; i++) {
				clock += Math.floor(MINUTE / (count + 1));
				const accountId = accounts[(minute + i) % 2];
				const chats = chatsOf(accountId);
				sandbox.v2.injectMessage({ accountId, chatId: chats[(minute + i) % chats.length].chat.id, timestamp: new Date(clock).toISOString() });
				sent++;
			}
			clock += 1000;
			emitted += (await harness.poll())?.[0].length ?? 0;
		}
		expect(emitted).toBe(sent);
		for (const state of Object.values(harness.staticData().accounts as Record<string, { watermark: string; seen: Record<string, number> }>)) {
			const floor = Date.parse(state.watermark) - lookbackMinutes * MINUTE;
			for (const ms of Object.values(state.seen)) expect(ms).toBeGreaterThan(floor);
			expect(Object.keys(state.seen).length).toBeLessThanOrEqual(20 * (lookbackMinutes + 1));
		}
	}, 60_000);
});

describe('Unipile Polling Trigger on v2: the editor’s lists', () => {
	/** n8n-core's LoadOptionsContext for the trigger on v2, as the editor calls it, with the node's current parameters. */
	async function editorContext(parameters: INodeParameters, parameterPath: string): Promise<ILoadOptionsFunctions> {
		await loadPackage();
		const node: INode = {
			id: 'n1',
			name: 'Unipile Polling Trigger',
			type: 'CUSTOM.unipilePollingTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { authentication: 'unipileApiV2', ...parameters },
			credentials: { unipileV2Api: { id: 'cred-1', name: 'Unipile account' } },
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
		const additionalData = { ...additionalDataFor({ apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url }), currentNodeParameters: node.parameters } as IWorkflowExecuteAdditionalData;
		return new LoadOptionsContext(workflow, node, additionalData, parameterPath);
	}
	const triggerType = async () => {
		await loadPackage();
		return nodeTypes().getByNameAndVersion('CUSTOM.unipilePollingTrigger', 1) as INodeType;
	};

	test('Account Names or IDs lists the v2 accounts', async () => {
		const getAccounts = (await triggerType()).methods!.loadOptions!.getAccounts as (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>;
		const options = await getAccounts.call(await editorContext({}, 'parameters.accountIds'));
		expect(options.map((o) => o.value).sort()).toEqual(sandbox.v2.accounts.map((a) => a.id).sort());
		expect(reads().map((r) => r.path)).toEqual(['/v2/accounts/']);
	});

	test('the chat picker lists the chats of the one chosen account, and asks for it otherwise', async () => {
		const search = (await triggerType()).methods!.listSearch!.searchChats as (this: ILoadOptionsFunctions, filter?: string, token?: string) => Promise<INodeListSearchResult>;
		const accountId = accountOf('instagram');
		const result = await search.call(await editorContext({ accountIds: [accountId] }, 'parameters.chatId'));
		expect(result.results.map((r) => r.value)).toEqual(chatsOf(accountId).map((rec) => rec.chat.id));
		await expect(search.call(await editorContext({}, 'parameters.chatId'))).rejects.toThrow("Choose the chat's account first");
	});
});
