import { startSandbox, type Sandbox } from './sandbox/server';
import { runNode } from './harness/engine';
import { nodeRequest, sdkRequest } from './helpers/sdk-vs-node';

let sandbox: Sandbox;
let credentials: { dsn: string; apiKey: string };

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 40, messagesPerChat: 6 });
	credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

/** A contact (not the account owner) who has sent messages and has a picture. */
function busyContact() {
	const senders = new Set(sandbox.store.messages.map((m) => m.sender_attendee_id));
	const attendee = sandbox.store.sortedAttendees().find((a) => !a.is_self && a.picture_url && senders.has(a.id));
	if (!attendee) throw new Error('the seed has no contact with messages and a picture');
	return attendee;
}

async function rawList(path: string, query: Record<string, string>): Promise<string[]> {
	const ids: string[] = [];
	let cursor: string | null = null;
	do {
		const qs = new URLSearchParams({ ...query, limit: '250', ...(cursor ? { cursor } : {}) });
		const response = await fetch(`${sandbox.url}/api/v1${path}?${qs}`, { headers: { 'X-API-KEY': sandbox.apiKey } });
		const body = (await response.json()) as { items: Array<{ id: string }>; cursor: string | null };
		ids.push(...body.items.map((entry) => entry.id));
		cursor = body.cursor;
	} while (cursor);
	return ids;
}

describe('Attendee → Get Many', () => {
	test('Return All with an account filter: every attendee of the account, one per item', async () => {
		const accountId = 'acc_linkedin_1';
		const expected = await rawList('/chat_attendees', { account_id: accountId });
		sandbox.clearRequests();

		const { items, error } = await runNode({
			credentials,
			parameters: { resource: 'attendee', operation: 'getAll', returnAll: true, filters: { accountId } },
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual(expected);
		expect(items.every((item) => item.json.object === 'ChatAttendee' && item.json.account_id === accountId)).toBe(true);
		expect(sandbox.requests[0]).toMatchObject({ method: 'GET', path: '/chat_attendees', query: { account_id: accountId, limit: '250' } });
	});

	test('Limit: exactly that many, one request, no filter sent when none is set', async () => {
		const { items } = await runNode({ credentials, parameters: { resource: 'attendee', operation: 'getAll', limit: 3 } });
		expect(items).toHaveLength(3);
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0].query).toEqual({ limit: '3' });
	});
});

describe('Attendee → Get', () => {
	test('returns the attendee as one item', async () => {
		const attendee = busyContact();
		const { items } = await runNode({ credentials, parameters: { resource: 'attendee', operation: 'get', attendeeId: ` ${attendee.id} ` } });
		expect(items.map((item) => item.json)).toEqual([attendee]);
		expect(sandbox.requests[0]).toMatchObject({ method: 'GET', path: `/chat_attendees/${attendee.id}`, query: {} });
	});

	test('an ID with a slash stays one path segment', async () => {
		const { error } = await runNode({ credentials, parameters: { resource: 'attendee', operation: 'get', attendeeId: '../accounts' } });
		expect(error?.message).toBeDefined();
		expect(sandbox.requests[0].rawPath).toBe('/api/v1/chat_attendees/..%2Faccounts');
	});
});

describe('Attendee → Get Chats / Get Messages', () => {
	test('Get Chats with account, dates and Return All', async () => {
		const attendee = busyContact();
		const expected = await rawList(`/chat_attendees/${attendee.id}/chats`, { account_id: attendee.account_id });
		sandbox.clearRequests();
		const { items } = await runNode({
			credentials,
			parameters: {
				resource: 'attendee',
				operation: 'getChats',
				attendeeId: attendee.id,
				returnAll: true,
				filters: { accountId: attendee.account_id, after: '2000-01-01T00:00:00', before: '2100-01-01T00:00:00+02:00' },
			},
		});
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((item) => item.json.id)).toEqual(expected);
		expect(sandbox.requests[0]).toMatchObject({
			method: 'GET',
			path: `/chat_attendees/${attendee.id}/chats`,
			query: { account_id: attendee.account_id, after: '2000-01-01T00:00:00.000Z', before: '2099-12-31T22:00:00.000Z', limit: '250' },
		});
	});

	test('Get Messages: the messages of the attendee, newest first', async () => {
		const attendee = busyContact();
		const { items } = await runNode({
			credentials,
			parameters: { resource: 'attendee', operation: 'getMessages', attendeeId: attendee.id, returnAll: true },
		});
		const expected = sandbox.store.sortedMessages().filter((m) => m.sender_attendee_id === attendee.id);
		expect(items.map((item) => item.json.id)).toEqual(expected.map((m) => m.id));
		expect(sandbox.requests[0].query).toEqual({ limit: '250' });
	});

	test('a date that is not one fails before any request', async () => {
		const { error } = await runNode({
			credentials,
			parameters: { resource: 'attendee', operation: 'getMessages', attendeeId: 'x', filters: { before: 'yesterday' } },
		});
		expect(error?.message).toBe('"Before" is not a valid date: "yesterday"');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Attendee → Get Picture', () => {
	test('the picture lands in the binary field with its MIME type, bytes equal to the sandbox file', async () => {
		const attendee = busyContact();
		const { items, error } = await runNode({
			credentials,
			parameters: { resource: 'attendee', operation: 'getPicture', attendeeId: attendee.id, binaryPropertyName: 'photo' },
		});
		expect(error).toBeUndefined();
		// REFERENCE.md: GET /chat_attendees/{id}/picture, no query (the SDK has no call for it).
		expect(sandbox.requests.map((r) => [r.method, r.path, r.query])).toEqual([['GET', `/chat_attendees/${attendee.id}/picture`, {}]]);
		const picture = sandbox.store.picture(attendee.id)!;
		const binary = items[0].binary!.photo;
		expect(Buffer.from(binary.data, 'base64')).toEqual(picture.bytes);
		expect(binary.mimeType).toBe('image/png');
		expect(binary.fileName).toBe(`${attendee.id}.png`);
		expect(items[0].json).toEqual({ fileName: `${attendee.id}.png`, mimeType: 'image/png', fileSize: picture.bytes.length });
	});

	test("a group chat's picture, given the chat ID", async () => {
		const group = sandbox.store.sortedChats().find((chat) => chat.type !== 0)!;
		const { items } = await runNode({ credentials, parameters: { resource: 'attendee', operation: 'getPicture', attendeeId: group.id } });
		expect(Buffer.from(items[0].binary!.data.data, 'base64')).toEqual(sandbox.store.picture(group.id)!.bytes);
	});
});

describe('Attendee: the same requests as the official SDK', () => {
	test('getAllAttendees', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.messaging.getAllAttendees({ account_id: 'acc_whatsapp_1', limit: 20 }));
		const ours = await nodeRequest(sandbox, { resource: 'attendee', operation: 'getAll', limit: 20, filters: { accountId: 'acc_whatsapp_1' } });
		expect({ ...ours, result: undefined }).toEqual({ ...sdk, result: undefined });
	});

	test('getAttendee', async () => {
		const id = busyContact().id;
		const sdk = await sdkRequest(sandbox, (c) => c.messaging.getAttendee(id));
		const ours = await nodeRequest(sandbox, { resource: 'attendee', operation: 'get', attendeeId: id });
		expect({ ...ours, result: undefined }).toEqual({ ...sdk, result: undefined });
	});

	test('getAllChatsFromAttendee', async () => {
		const attendee = busyContact();
		const input = { attendee_id: attendee.id, account_id: attendee.account_id, limit: 5, after: '2020-01-01T00:00:00.000Z', before: '2100-01-01T00:00:00.000Z' };
		const sdk = await sdkRequest(sandbox, (c) => c.messaging.getAllChatsFromAttendee(input));
		const ours = await nodeRequest(sandbox, {
			resource: 'attendee',
			operation: 'getChats',
			attendeeId: attendee.id,
			limit: 5,
			filters: { accountId: attendee.account_id, after: input.after, before: input.before },
		});
		expect({ ...ours, result: undefined }).toEqual({ ...sdk, result: undefined });
	});

	test('getAllMessagesFromAttendee (the SDK drops account_id: REFERENCE.md lists it, so we send it)', async () => {
		const attendee = busyContact();
		const input = { attendee_id: attendee.id, limit: 5, after: '2020-01-01T00:00:00.000Z', before: '2100-01-01T00:00:00.000Z' };
		const sdkWithoutAccount = await sdkRequest(sandbox, (c) => c.messaging.getAllMessagesFromAttendee(input));
		const ours = await nodeRequest(sandbox, {
			resource: 'attendee',
			operation: 'getMessages',
			attendeeId: attendee.id,
			limit: 5,
			filters: { after: input.after, before: input.before },
		});
		expect({ ...ours, result: undefined }).toEqual({ ...sdkWithoutAccount, result: undefined });

		// The SDK's input type has no account_id and its code never reads it; REFERENCE.md:
		// GET /chat_attendees/{id}/messages?account_id&before&after&limit&cursor.
		const withAccount = await nodeRequest(sandbox, {
			resource: 'attendee',
			operation: 'getMessages',
			attendeeId: attendee.id,
			limit: 5,
			filters: { accountId: attendee.account_id },
		});
		expect(withAccount.query).toEqual({ account_id: attendee.account_id, limit: '5' });
		expect(withAccount.result.error).toBeUndefined();
	});
});
