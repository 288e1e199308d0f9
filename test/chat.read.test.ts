import { startSandbox, type Sandbox } from './sandbox/server';
import { runNode } from './harness/engine';

const PAGE = 250;
let sandbox: Sandbox;
let credentials: { dsn: string; apiKey: string };

/** Counts what Unipile (the sandbox) holds for a query by paging it directly, independent of our node. */
async function countRaw(query: Record<string, string>): Promise<string[]> {
	const ids: string[] = [];
	let cursor: string | null = null;
	do {
		const qs = new URLSearchParams({ ...query, limit: String(PAGE), ...(cursor ? { cursor } : {}) });
		const response = await fetch(`${sandbox.url}/api/v1/chats?${qs}`, { headers: { 'X-API-KEY': sandbox.apiKey } });
		const body = (await response.json()) as { items: Array<{ id: string }>; cursor: string | null };
		ids.push(...body.items.map((chat) => chat.id));
		cursor = body.cursor;
	} while (cursor);
	return ids;
}

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 2600, messagesPerChat: 0 });
	credentials = { dsn: sandbox.url, apiKey: sandbox.apiKey };
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

describe('Chat → Get Many', () => {
	test('Return All over ≥ 1,000 chats: ceil(N/250) requests, every filter on every page', async () => {
		const whatsapp = sandbox.store.accounts.find((account) => account.type === 'WHATSAPP')!;
		const filters = {
			accountId: whatsapp.id,
			accountType: 'WHATSAPP',
			unread: false,
			after: '2000-01-01T00:00:00.000Z',
			before: '2100-01-01T00:00:00.000Z',
		};
		const expectedQuery = {
			account_id: whatsapp.id,
			account_type: 'WHATSAPP',
			unread: 'false',
			after: '2000-01-01T00:00:00.000Z',
			before: '2100-01-01T00:00:00.000Z',
			limit: '250',
		};
		const expectedIds = await countRaw({ ...expectedQuery });
		sandbox.clearRequests();
		expect(expectedIds.length).toBeGreaterThanOrEqual(1000);

		const { items, error } = await runNode({
			credentials,
			parameters: { resource: 'chat', operation: 'getAll', returnAll: true, filters },
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual(expectedIds);
		const requests = sandbox.requests;
		expect(requests).toHaveLength(Math.ceil(expectedIds.length / PAGE));
		requests.forEach((request, page) => {
			expect(request.method).toBe('GET');
			expect(request.path).toBe('/chats');
			expect(request.query).toMatchObject(expectedQuery);
			if (page === 0) expect(request.query.cursor).toBeUndefined();
			else expect(typeof request.query.cursor).toBe('string');
		});
		console.log(`Return All: N=${expectedIds.length} chats, ${requests.length} requests (floor ${Math.ceil(expectedIds.length / PAGE)})`);
	});

	test('Return All over every chat with no filter', async () => {
		const { items } = await runNode({ credentials, parameters: { resource: 'chat', operation: 'getAll', returnAll: true } });
		expect(items).toHaveLength(sandbox.store.chats.length);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(items.length);
		expect(sandbox.requests).toHaveLength(Math.ceil(sandbox.store.chats.length / PAGE));
	});

	test('Limit asks for exactly that many, in one request', async () => {
		const { items } = await runNode({ credentials, parameters: { resource: 'chat', operation: 'getAll', limit: 7 } });
		expect(items).toHaveLength(7);
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0].query).toEqual({ limit: '7' });
		expect(items[0].json).toMatchObject({ object: 'Chat' });
	});

	test('dates from the picker use the workflow time zone; expressions may give Luxon DateTimes', async () => {
		await runNode({
			credentials,
			timezone: 'Europe/Paris',
			parameters: {
				resource: 'chat',
				operation: 'getAll',
				limit: 5,
				filters: { after: '2026-07-01T10:00:00', before: '={{ DateTime.fromISO("2026-12-24T18:30:00.5+01:00") }}' },
			},
		});
		expect(sandbox.requests[0].query).toMatchObject({
			after: '2026-07-01T08:00:00.000Z',
			before: '2026-12-24T17:30:00.500Z',
		});
	});

	test('a date that is not a date is refused before anything is sent', async () => {
		const { error } = await runNode({
			credentials,
			parameters: { resource: 'chat', operation: 'getAll', filters: { before: 'next tuesday' } },
		});
		expect(error?.message).toContain('"Before" is not a valid date');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Chat → Get', () => {
	test('by Unipile ID', async () => {
		const chat = sandbox.store.chats[3];
		const { items } = await runNode({ credentials, parameters: { resource: 'chat', operation: 'get', chatId: chat.id } });
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ object: 'Chat', id: chat.id });
		expect(sandbox.requests[0]).toMatchObject({ method: 'GET', path: `/chats/${chat.id}`, query: {} });
	});

	test('by provider ID with the account it belongs to', async () => {
		const chat = sandbox.store.chats[5];
		const { items, error } = await runNode({
			credentials,
			parameters: { resource: 'chat', operation: 'get', chatId: chat.provider_id, accountId: chat.account_id },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id: chat.id });
		expect(sandbox.requests[0].query).toEqual({ account_id: chat.account_id });
	});

	test('an unknown chat surfaces Unipile’s 404', async () => {
		const { error } = await runNode({ credentials, parameters: { resource: 'chat', operation: 'get', chatId: 'nope' } });
		expect(error?.httpCode).toBe('404');
	});
});
