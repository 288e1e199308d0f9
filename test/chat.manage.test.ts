import { UnipileClient } from 'unipile-node-sdk';
import { startSandbox, type Sandbox } from './sandbox/server';
import { captureRequest, comparable, runUnipile } from './helpers/requests';

let sandbox: Sandbox;
let sdk: UnipileClient;
let chatId: string;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 8, messagesPerChat: 2 });
	sdk = new UnipileClient(sandbox.url, sandbox.apiKey);
	chatId = sandbox.store.sortedChats()[0].id;
});
afterAll(async () => await sandbox.close());

const chat = (operation: string, parameters: Record<string, unknown> = {}) => ({ resource: 'chat', operation, ...parameters });

describe('Chat → Update', () => {
	test.each([
		['setReadStatus', true],
		['setMuteStatus', true],
		['setArchiveStatus', false],
		['setPinnedStatus', true],
	])('%s %s → PATCH /chats/{id} JSON {action, value}', async (action, value) => {
		let items: unknown[] = [];
		const request = await captureRequest(sandbox, async () => {
			({ items } = await runUnipile(sandbox, chat('update', { chatId: ` ${chatId} `, action, value })));
		});
		expect(request).toMatchObject({ method: 'PATCH', path: `/chats/${chatId}`, query: {}, json: { action, value }, status: 200 });
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(items).toEqual([{ json: { object: 'ChatPatched' }, pairedItem: { item: 0 } }]);
	});

	test('archiving shows on the chat', async () => {
		await runUnipile(sandbox, chat('update', { chatId, action: 'setArchiveStatus', value: true }));
		const { items } = await runUnipile(sandbox, chat('get', { chatId }));
		expect(items[0].json.archived).toBe(1);
	});

	test('same request as the SDK (setChatStatus)', async () => {
		const theirs = await captureRequest(sandbox, () => sdk.messaging.setChatStatus({ chat_id: chatId, action: 'setReadStatus', value: false }));
		const ours = await captureRequest(sandbox, () => runUnipile(sandbox, chat('update', { chatId, action: 'setReadStatus', value: false })));
		expect(comparable(ours)).toEqual(comparable(theirs));
	});
});

describe('Chat → Get Attendees', () => {
	test('one item per attendee, same request as the SDK (getAllAttendeesFromChat)', async () => {
		let items: Array<{ json: Record<string, unknown> }> = [];
		const ours = await captureRequest(sandbox, async () => {
			({ items } = await runUnipile(sandbox, chat('getAttendees', { chatId })));
		});
		const theirs = await captureRequest(sandbox, () => sdk.messaging.getAllAttendeesFromChat(chatId));
		expect(comparable(ours)).toEqual(comparable(theirs));
		expect(ours).toMatchObject({ method: 'GET', path: `/chats/${chatId}/attendees`, query: {} });
		const expected = sandbox.store.attendeesOfChat(chatId);
		expect(items.map((item) => item.json)).toEqual(JSON.parse(JSON.stringify(expected)));
		expect(items.length).toBeGreaterThanOrEqual(2);
	});
});

describe('Chat → Sync History', () => {
	test('GET /chats/{id}/sync as REFERENCE.md describes it (not in the SDK)', async () => {
		let items: Array<{ json: Record<string, unknown> }> = [];
		const request = await captureRequest(sandbox, async () => {
			({ items } = await runUnipile(sandbox, chat('sync', { chatId })));
		});
		expect(comparable(request)).toEqual({ method: 'GET', path: `/chats/${chatId}/sync`, query: {}, json: undefined, form: undefined });
		expect(items.map((item) => item.json)).toEqual([{ object: 'ChatHistorySync', chat_id: chatId, status: 'SYNC_STARTED' }]);
	});

	test('an id is URL-encoded: it cannot reach another endpoint', async () => {
		const request = await captureRequest(sandbox, () => runUnipile(sandbox, chat('sync', { chatId: '../accounts' })));
		expect(request.rawPath).toBe('/api/v1/chats/..%2Faccounts/sync');
		expect(request.status).toBe(404);
	});
});

describe('Chat → Get and Get Many equal the SDK', () => {
	test('get (getChat)', async () => {
		const ours = await captureRequest(sandbox, () => runUnipile(sandbox, chat('get', { chatId })));
		const theirs = await captureRequest(sandbox, () => sdk.messaging.getChat(chatId));
		expect(comparable(ours)).toEqual(comparable(theirs));
	});

	test('getAll with every filter (getAllChats)', async () => {
		const account = sandbox.store.sortedAccounts()[0];
		const ours = await captureRequest(sandbox, () =>
			runUnipile(sandbox, chat('getAll', {
				limit: 7,
				filters: { accountId: account.id, accountType: account.type, unread: false, after: '2020-01-01T00:00:00.000Z', before: '2100-01-01T00:00:00.000Z' },
			})),
		);
		const theirs = await captureRequest(sandbox, () =>
			sdk.messaging.getAllChats({
				limit: 7,
				account_id: account.id,
				account_type: account.type as 'WHATSAPP',
				unread: false,
				after: '2020-01-01T00:00:00.000Z',
				before: '2100-01-01T00:00:00.000Z',
			}),
		);
		expect(comparable(ours)).toEqual(comparable(theirs));
	});
});
