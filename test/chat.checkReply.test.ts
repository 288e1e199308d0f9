/**
 * Chat → Check Reply and Chat → Start's Reuse Existing Chat on v1 and v2, through n8n's engine against the sandbox:
 * the requests Unipile receives and the items n8n outputs (replied or not, own messages not counted, no chat is
 * replied: false; a message sent into the existing 1-to-1 chat or a new chat started).
 */
import { loadPackage, runNode } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

type Any = any;

let sandbox: Sandbox;
let v1Account: string;
let v1Person: { providerId: string; publicIdentifier: string; chatId: string };
let v2Account: string;
let v2Person: { id: string; chatId: string };

const SINCE = '2030-01-01T00:00:00.000Z';
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const v1 = () => ({ dsn: sandbox.url, apiKey: sandbox.apiKey });
const v2 = () => ({ apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url });
const sent = () => sandbox.requests.map((r) => ({ method: r.method, path: r.path, query: r.query }));

async function v2Get(path: string): Promise<Any> {
	const res = await fetch(`${sandbox.url}/v2${path}`, { headers: { 'X-API-KEY': sandbox.v2.apiKey, 'Cache-Control': 'no-store' } });
	return await res.json();
}

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 6, messagesPerChat: 2 });
	await loadPackage();
});
afterAll(async () => await sandbox.close());
beforeEach(async () => {
	sandbox.reset();
	const store: Any = sandbox.store;
	v1Account = store.sortedAccounts().find((a: Any) => a.type === 'LINKEDIN').id;
	const chat = store.sortedChats().find((c: Any) => c.account_id === v1Account && c.type === 0);
	const person = (store.chatAttendees.get(chat.id) as string[]).map((id) => store.attendeeById.get(id)).find((a: Any) => a.is_self !== 1);
	const handle = [...store.handles.entries()].find(([, id]: [string, string]) => id === person.id);
	v1Person = { providerId: person.provider_id, publicIdentifier: handle ? handle[0].split('/')[1] : '', chatId: chat.id };
	v2Account = sandbox.v2.accounts.find((a: Any) => a.provider === 'linkedin' && a.status === 'running')!.id;
	const v2Chat = (await v2Get(`/${v2Account}/chats?limit=50`)).data.find((c: Any) => c.user_id);
	v2Person = { id: v2Chat.user_id, chatId: v2Chat.id };
	sandbox.clearRequests();
});

async function checkReply(api: 'v1' | 'v2', parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	sandbox.clearRequests();
	return await runNode({
		credentials: api === 'v1' ? v1() : v2(),
		parameters: { authentication: api === 'v1' ? 'unipileApi' : 'unipileApiV2', resource: 'chat', operation: 'checkReply', accountId: byId(api === 'v1' ? v1Account : v2Account), since: SINCE, ...parameters } as Any,
		...extra,
	});
}

describe('Chat → Check Reply on v1', () => {
	test('no message since the date: replied false, with the chat found through the person', async () => {
		const { error, items } = await checkReply('v1', { person: v1Person.providerId });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([{ replied: false, reply_count: 0, last_reply: null, chat_id: v1Person.chatId }]);
		expect(sent()).toEqual([
			{ method: 'GET', path: `/chat_attendees/${v1Person.providerId}/chats`, query: { account_id: v1Account, limit: '100' } },
			{ method: 'GET', path: `/chats/${v1Person.chatId}/messages`, query: { after: SINCE, limit: '100' } },
		]);
	});

	test('replies after the date are counted, the newest is last_reply; own messages are not replies', async () => {
		sandbox.injectMessage({ chatId: v1Person.chatId, text: 'Our pitch', isSender: true, timestamp: '2030-01-01T10:00:00.000Z' });
		const first = sandbox.injectMessage({ chatId: v1Person.chatId, text: 'Sounds good', senderId: v1Person.providerId, timestamp: '2030-01-02T10:00:00.000Z' });
		const last = sandbox.injectMessage({ chatId: v1Person.chatId, text: 'Call tomorrow?', senderId: v1Person.providerId, timestamp: '2030-01-03T10:00:00.000Z' });
		sandbox.injectMessage({ chatId: v1Person.chatId, text: 'Sure', isSender: true, timestamp: '2030-01-04T10:00:00.000Z' });
		expect(first.id).not.toBe(last.id);
		const { items } = await checkReply('v1', { person: '={{ $json.who }}' }, { items: [{ who: v1Person.providerId }, { who: `https://www.linkedin.com/in/${v1Person.publicIdentifier}` }] });
		const expected = { replied: true, reply_count: 2, last_reply: { text: 'Call tomorrow?', timestamp: last.timestamp, message_id: last.id }, chat_id: v1Person.chatId };
		expect(items.map((i) => i.json)).toEqual([expected, expected]);
		// The URL is looked up once (User → Get Profile), then the same two calls.
		expect(sent().map((r) => r.path)).toEqual([
			`/chat_attendees/${v1Person.providerId}/chats`,
			`/chats/${v1Person.chatId}/messages`,
			`/users/${v1Person.publicIdentifier}`,
			`/chat_attendees/${v1Person.providerId}/chats`,
			`/chats/${v1Person.chatId}/messages`,
		]);
		// By chat ID: the messages only.
		const byChat = await checkReply('v1', { replyChatId: v1Person.chatId, since: '2030-01-02T12:00:00Z' });
		expect(byChat.items[0].json).toEqual({ replied: true, reply_count: 1, last_reply: { text: 'Call tomorrow?', timestamp: last.timestamp, message_id: last.id }, chat_id: v1Person.chatId });
		expect(sent()).toEqual([{ method: 'GET', path: `/chats/${v1Person.chatId}/messages`, query: { after: '2030-01-02T12:00:00.000Z', limit: '100' } }]);
	});

	test('no chat with the person: replied false, chat_id null (not an error); bad input is refused per item with Continue On Fail', async () => {
		const { error, items } = await checkReply('v1', { person: '={{ $json.who }}', since: '={{ $json.since }}' }, {
			items: [{ who: 'ACoAAUnknownPerson123456', since: SINCE }, { who: 'https://www.linkedin.com/company/unipile', since: SINCE }, { who: v1Person.providerId, since: 'last week' }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ replied: false, reply_count: 0, last_reply: null, chat_id: null });
		expect(items[1].json.error).toBe('"Person" is not a LinkedIn person (a company URL was given)');
		expect(items[2].json.error).toBe('"Since" is not a date: "last week"');
		expect(sent()).toHaveLength(1);
	});
});

describe('Chat → Check Reply on v2', () => {
	test('ChatLookup then the messages after the date; own messages not counted; no chat → replied false', async () => {
		const none = await checkReply('v2', { person: v2Person.id });
		// Fresh reads: a reply that came in since must be seen (v2 answers reads from a cache otherwise).
		expect(sandbox.requests.every((r) => r.headers['cache-control'] === 'no-cache')).toBe(true);
		expect(none.items[0].json).toEqual({ replied: false, reply_count: 0, last_reply: null, chat_id: v2Person.chatId });
		expect(sent()).toEqual([
			{ method: 'GET', path: `/v2/${v2Account}/users/${v2Person.id}/chat`, query: {} },
			{ method: 'GET', path: `/v2/${v2Account}/chats/${v2Person.chatId}/messages`, query: { after: SINCE, limit: '250' } },
		]);
		sandbox.v2.injectMessage({ accountId: v2Account, chatId: v2Person.chatId, text: 'Our pitch', isSender: true, timestamp: '2030-01-01T10:00:00.000Z' });
		const reply = sandbox.v2.injectMessage({ accountId: v2Account, chatId: v2Person.chatId, text: 'Interested', timestamp: '2030-01-02T10:00:00.000Z' });
		const { items } = await checkReply('v2', { person: v2Person.id });
		expect(items[0].json).toEqual({ replied: true, reply_count: 1, last_reply: { text: 'Interested', timestamp: reply.timestamp, message_id: reply.id }, chat_id: v2Person.chatId });
		const byChat = await checkReply('v2', { replyChatId: v2Person.chatId });
		expect(byChat.items[0].json).toEqual(items[0].json);
		expect(sent().map((r) => r.path)).toEqual([`/v2/${v2Account}/chats/${v2Person.chatId}/messages`]);
		const nobody = await checkReply('v2', { person: 'ACoAAUnknownPerson123456' });
		expect(nobody.items[0].json).toEqual({ replied: false, reply_count: 0, last_reply: null, chat_id: null });
	});
});

describe('Chat → Start: Reuse Existing Chat', () => {
	const start = (api: 'v1' | 'v2', reuse: boolean | undefined, person: string) =>
		runNode({
			credentials: api === 'v1' ? v1() : v2(),
			parameters: {
				authentication: api === 'v1' ? 'unipileApi' : 'unipileApiV2',
				resource: 'chat',
				operation: 'start',
				accountId: byId(api === 'v1' ? v1Account : v2Account),
				attendeesIds: person,
				text: 'Following up',
				...(reuse === undefined ? {} : { reuseExistingChat: reuse }),
			} as Any,
		});

	test('v1: on, the message goes into the existing 1-to-1 chat (reused: true); off or unset, a new chat as before', async () => {
		sandbox.clearRequests();
		const on = await start('v1', true, v1Person.providerId);
		expect(on.error).toBeUndefined();
		expect(sent().map((r) => `${r.method} ${r.path}`)).toEqual([`GET /chat_attendees/${v1Person.providerId}/chats`, `POST /chats/${v1Person.chatId}/messages`]);
		expect(sandbox.requests[1].form).toEqual([{ name: 'text', value: 'Following up' }]);
		expect(on.items[0].json).toEqual({ object: 'MessageSent', message_id: expect.any(String), chat_id: v1Person.chatId, reused: true });
		sandbox.clearRequests();
		const off = await start('v1', undefined, v1Person.providerId);
		expect(sent().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /chats']);
		expect(off.items[0].json).toEqual({ object: 'ChatStarted', chat_id: expect.any(String), message_id: expect.any(String) });
		sandbox.clearRequests();
		const noChat = await start('v1', true, 'ACoAANewPerson1234567890');
		expect(sent().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /chat_attendees/ACoAANewPerson1234567890/chats', 'POST /chats']);
		expect(noChat.items[0].json).toMatchObject({ object: 'ChatStarted', reused: false });
	});

	test('v2: on, ChatLookup then messages/send into the chat (reused: true); off, chats/send', async () => {
		sandbox.clearRequests();
		const on = await start('v2', true, v2Person.id);
		expect(on.error).toBeUndefined();
		expect(sandbox.requests.map((r) => [r.method, r.path, r.json])).toEqual([
			['GET', `/v2/${v2Account}/users/${v2Person.id}/chat`, undefined],
			['POST', `/v2/${v2Account}/chats/${v2Person.chatId}/messages/send`, { text: 'Following up' }],
		]);
		expect(on.items[0].json).toMatchObject({ chat_id: v2Person.chatId, reused: true });
		sandbox.clearRequests();
		const off = await start('v2', false, v2Person.id);
		expect(sandbox.requests.map((r) => [r.method, r.path, r.json])).toEqual([['POST', `/v2/${v2Account}/chats/send`, { users_ids: v2Person.id, text: 'Following up' }]]);
		expect(off.items[0].json.reused).toBeUndefined();
	});
});
