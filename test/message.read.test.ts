import { UnipileClient } from 'unipile-node-sdk';
import { startSandbox, type Sandbox } from './sandbox/server';
import { captureRequest, captureRequests, comparable, runUnipile } from './helpers/requests';

let sandbox: Sandbox;
let sdk: UnipileClient;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 12, messagesPerChat: 30 });
	sdk = new UnipileClient(sandbox.url, sandbox.apiKey);
});
afterAll(async () => await sandbox.close());

const message = (operation: string, parameters: Record<string, unknown> = {}) => ({ resource: 'message', operation, ...parameters });
const AFTER = '2000-01-01T00:00:00.000Z';
const BEFORE = '2100-01-01T00:00:00.000Z';

describe('Message → Get', () => {
	test('GET /messages/{id}, the message as one item, same request as the SDK (getMessage)', async () => {
		const stored = sandbox.store.sortedMessages()[0];
		let items: Array<{ json: unknown }> = [];
		const ours = await captureRequest(sandbox, async () => {
			({ items } = await runUnipile(sandbox, message('get', { messageId: stored.id })));
		});
		const theirs = await captureRequest(sandbox, () => sdk.messaging.getMessage(stored.id));
		expect(comparable(ours)).toEqual(comparable(theirs));
		expect(ours).toMatchObject({ method: 'GET', path: `/messages/${stored.id}`, query: {} });
		expect(items.map((item) => item.json)).toEqual([JSON.parse(JSON.stringify(stored))]);
	});
});

describe('Message → Get Many', () => {
	test('across all chats with every filter: same request as the SDK (getAllMessages)', async () => {
		const stored = sandbox.store.sortedMessages()[0];
		const filters = { accountId: stored.account_id, senderId: stored.sender_id, after: AFTER, before: BEFORE };
		let items: Array<{ json: Record<string, unknown> }> = [];
		const ours = await captureRequest(sandbox, async () => {
			({ items } = await runUnipile(sandbox, message('getAll', { limit: 5, filters })));
		});
		const theirs = await captureRequest(sandbox, () =>
			sdk.messaging.getAllMessages({ limit: 5, account_id: stored.account_id, sender_id: stored.sender_id, after: AFTER, before: BEFORE }),
		);
		expect(comparable(ours)).toEqual(comparable(theirs));
		expect(ours).toMatchObject({
			path: '/messages',
			query: { limit: '5', account_id: stored.account_id, sender_id: stored.sender_id, after: AFTER, before: BEFORE },
		});
		expect(items.length).toBeGreaterThan(0);
		expect(items.length).toBeLessThanOrEqual(5);
		for (const item of items) expect(item.json).toMatchObject({ object: 'Message', sender_id: stored.sender_id });
	});

	test('one chat: GET /chats/{id}/messages, same request as the SDK (getAllMessagesFromChat)', async () => {
		const chat = sandbox.store.sortedChats()[1];
		const sender = sandbox.store.messagesOfChat(chat.id)[0].sender_id;
		const ours = await captureRequest(sandbox, () =>
			runUnipile(sandbox, message('getAll', { chatId: chat.id, limit: 3, filters: { senderId: sender, after: AFTER, before: BEFORE } })),
		);
		const theirs = await captureRequest(sandbox, () =>
			sdk.messaging.getAllMessagesFromChat({ chat_id: chat.id, limit: 3, sender_id: sender, after: AFTER, before: BEFORE }),
		);
		expect(comparable(ours)).toEqual(comparable(theirs));
		expect(ours.path).toBe(`/chats/${chat.id}/messages`);
	});

	test('one chat: the Account ID filter is not sent (that endpoint has no account_id)', async () => {
		const chat = sandbox.store.sortedChats()[1];
		const request = await captureRequest(sandbox, () =>
			runUnipile(sandbox, message('getAll', { chatId: chat.id, limit: 2, filters: { accountId: chat.account_id } })),
		);
		expect(request.query).toEqual({ limit: '2' });
		expect(request.status).toBe(200);
	});

	test('Return All in one chat follows the cursor and returns every message once', async () => {
		const chat = sandbox.store.sortedChats()[2];
		for (let n = 0; n < 240; n++) sandbox.injectMessage({ chatId: chat.id, text: `backlog ${n}` });
		const expected = sandbox.store.messagesOfChat(chat.id).length;
		let items: Array<{ json: Record<string, unknown> }> = [];
		const requests = await captureRequests(sandbox, async () => {
			({ items } = await runUnipile(sandbox, message('getAll', { chatId: chat.id, returnAll: true })));
		});
		expect(items).toHaveLength(expected);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(expected);
		expect(expected).toBeGreaterThan(250);
		expect(requests).toHaveLength(2);
		expect(requests.every((request) => request.path === `/chats/${chat.id}/messages` && request.query.limit === '250')).toBe(true);
		expect(typeof requests[1].query.cursor).toBe('string');
	});

	test('Return All across all chats pages with the cursor', async () => {
		const total = sandbox.store.sortedMessages().length;
		expect(total).toBeLessThanOrEqual(750);
		expect(total).toBeGreaterThan(250);
		let items: unknown[] = [];
		const requests = await captureRequests(sandbox, async () => {
			({ items } = await runUnipile(sandbox, message('getAll', { returnAll: true })));
		});
		expect(items).toHaveLength(total);
		expect(requests).toHaveLength(Math.ceil(total / 250));
		expect(requests.slice(1).every((request) => typeof request.query.cursor === 'string')).toBe(true);
	});

	test('empty filters are never sent', async () => {
		const request = await captureRequest(sandbox, () =>
			runUnipile(sandbox, message('getAll', { chatId: '', limit: 4, filters: { accountId: '', senderId: '', after: '', before: '' } })),
		);
		expect(request).toMatchObject({ path: '/messages', query: { limit: '4' } });
	});
});

describe('Message → Forward', () => {
	test('POST /messages/{id}/forward JSON {chat_id}, as REFERENCE.md describes it (not in the SDK)', async () => {
		const original = sandbox.store.sortedMessages().find((m) => m.account_id === sandbox.store.sortedChats()[0].account_id)!;
		const target = sandbox.store.chatsOfAccount(original.account_id).find((chat) => chat.id !== original.chat_id)!;
		let items: Array<{ json: Record<string, unknown> }> = [];
		const request = await captureRequest(sandbox, async () => {
			({ items } = await runUnipile(sandbox, message('forward', { messageId: original.id, chatId: ` ${target.id} ` })));
		});
		expect(comparable(request)).toEqual({
			method: 'POST',
			path: `/messages/${original.id}/forward`,
			query: {},
			json: { chat_id: target.id },
			form: undefined,
		});
		expect(request.status).toBe(201);
		expect(items.map((item) => item.json)).toEqual([{ object: 'MessageForwarded', message_id: expect.any(String) }]);
		expect(sandbox.store.messageById.get(String(items[0].json.message_id))!.chat_id).toBe(target.id);
	});
});
