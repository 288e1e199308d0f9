import { createHash } from 'node:crypto';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { MAX_RETRIES } from '../dist/nodes/shared/errors';
import { pollHarness } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 8, messagesPerChat: 3 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

function trigger(parameters: INodeParameters = {}, staticData?: IDataObject) {
	return pollHarness({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, parameters, staticData });
}

async function activated(parameters: INodeParameters = {}) {
	const harness = trigger(parameters);
	expect(await harness.poll()).toBeNull();
	sandbox.clearRequests();
	return harness;
}

function ids(result: Awaited<ReturnType<ReturnType<typeof trigger>['poll']>>): string[] {
	return (result?.[0] ?? []).map((item) => String(item.json.id));
}

const apiRequests = () => sandbox.requests.filter((r) => r.path.startsWith('/'));

describe('Unipile Polling Trigger', () => {
	test('first activation emits nothing and records the newest timestamp and the ids inside the window', async () => {
		const harness = trigger();
		expect(await harness.poll()).toBeNull();
		const newest = sandbox.store.messages.map((m) => m.timestamp).sort().pop();
		const state = harness.staticData();
		expect(state).toMatchObject({ version: 1, watermark: newest });
		const windowStart = Date.parse(newest!) - 60 * 60_000;
		const inWindow = sandbox.store.messages.filter((m) => Date.parse(m.timestamp) > windowStart).map((m) => m.id);
		expect(Object.keys(state.seen as IDataObject).sort()).toEqual(inWindow.sort());
		expect(apiRequests().map((r) => [r.method, r.path, r.query])).toEqual([['GET', '/messages', { limit: '250' }]]);
	});

	test('a new message is emitted exactly once, with the message JSON as Unipile returns it', async () => {
		const harness = await activated();
		const message = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'Hi there' });
		const first = await harness.poll();
		expect(first?.[0].map((item) => item.json)).toEqual([JSON.parse(JSON.stringify(message))]);
		expect(await harness.poll()).toBeNull();
		expect(harness.staticData().watermark).toBe(message.timestamp);
	});

	test('an idle poll is exactly one request, asking for one window below the watermark', async () => {
		const harness = await activated();
		const watermark = String(harness.staticData().watermark);
		expect(await harness.poll()).toBeNull();
		expect(apiRequests()).toHaveLength(1);
		expect(apiRequests()[0]).toMatchObject({
			method: 'GET',
			path: '/messages',
			query: { limit: '250', after: new Date(Date.parse(watermark) - 60 * 60_000).toISOString() },
		});
	});

	test('own messages and events are left out by default but recorded as seen', async () => {
		const harness = await activated();
		const own = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', isSender: true, text: 'my reply' });
		const event = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', isEvent: true, eventType: 1 });
		const theirs = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'their message' });
		expect(ids(await harness.poll())).toEqual([theirs.id]);
		expect(harness.staticData().seen).toHaveProperty(own.id);
		expect(harness.staticData().seen).toHaveProperty(event.id);
		expect(await harness.poll()).toBeNull();
	});

	test('own messages and events are emitted when asked for, oldest first', async () => {
		const harness = await activated({ options: { includeOwnMessages: true, includeEvents: true } });
		const own = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', isSender: true, text: 'my reply' });
		const event = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', isEvent: true, eventType: 1 });
		expect(ids(await harness.poll())).toEqual([own.id, event.id]);
	});

	test('chat option: polls only that chat', async () => {
		const [watched, other] = sandbox.store.sortedChats();
		const harness = await activated({ chatId: watched.id });
		sandbox.injectMessage({ chatId: other.id });
		const mine = sandbox.injectMessage({ chatId: watched.id });
		expect(ids(await harness.poll())).toEqual([mine.id]);
		expect(apiRequests().map((r) => r.path)).toEqual([`/chats/${watched.id}/messages`]);
	});

	test('one account is filtered by the server', async () => {
		const harness = await activated({ accountIds: ['acc_linkedin_1'] });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1' });
		const mine = sandbox.injectMessage({ accountId: 'acc_linkedin_1' });
		expect(ids(await harness.poll())).toEqual([mine.id]);
		expect(apiRequests()[0].query).toMatchObject({ account_id: 'acc_linkedin_1' });
	});

	test('several accounts (also as a comma-separated expression value) are filtered here, still one request when idle', async () => {
		for (const accountIds of [['acc_linkedin_1', 'acc_telegram_1'], 'acc_linkedin_1, acc_telegram_1']) {
			sandbox.reset();
			const harness = await activated({ accountIds } as INodeParameters);
			const a = sandbox.injectMessage({ accountId: 'acc_linkedin_1' });
			sandbox.injectMessage({ accountId: 'acc_whatsapp_1' });
			const b = sandbox.injectMessage({ accountId: 'acc_telegram_1' });
			expect(ids(await harness.poll())).toEqual([a.id, b.id]);
			expect(apiRequests()[0].query).not.toHaveProperty('account_id');
			sandbox.clearRequests();
			expect(await harness.poll()).toBeNull();
			expect(apiRequests()).toHaveLength(1);
		}
	});

	test('a restart from saved state carries on; changing the watched accounts starts over without emitting', async () => {
		const harness = await activated({ accountIds: ['acc_linkedin_1'] });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1' });
		const saved = harness.staticData();
		const restarted = trigger({ accountIds: ['acc_linkedin_1'] }, saved);
		const linkedin = sandbox.injectMessage({ accountId: 'acc_linkedin_1' });
		expect(ids(await restarted.poll())).toEqual([linkedin.id]);

		const moved = trigger({ accountIds: ['acc_whatsapp_1'] }, saved);
		expect(await moved.poll()).toBeNull();
		expect(String(moved.staticData().key)).toContain('acc_whatsapp_1');
		expect(apiRequests().pop()?.query).not.toHaveProperty('after');
	});

	test('widening the lookback window later does not replay older messages', async () => {
		const newest = Date.parse(sandbox.store.messages[0].timestamp);
		for (const minutes of [10, 40, 90]) sandbox.injectMessage({ accountId: 'acc_whatsapp_1', timestamp: new Date(newest - minutes * 60_000).toISOString() });
		const narrow = await activated({ options: { lookbackMinutes: 5 } });
		const saved = narrow.staticData();
		const wide = trigger({ options: { lookbackMinutes: 120 } }, saved);
		expect(await wide.poll()).toBeNull();
		expect(apiRequests().pop()?.query).toMatchObject({ after: new Date(newest - 120 * 60_000).toISOString() });
		const next = sandbox.injectMessage({ accountId: 'acc_whatsapp_1' });
		expect(ids(await wide.poll())).toEqual([next.id]);
	});

	test('attachments are downloaded byte-identical into attachment_0, attachment_1 with name and MIME type', async () => {
		const harness = await activated({ options: { downloadAttachments: true } });
		const pdf = Buffer.from('%PDF-1.4 sandbox invoice\n' + 'x'.repeat(5000));
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 255, 0]);
		const message = sandbox.injectMessage({
			accountId: 'acc_whatsapp_1',
			attachments: [
				{ fileName: 'Facture mars 2025.pdf', mimeType: 'application/pdf', bytes: pdf },
				{ fileName: 'photo.png', mimeType: 'image/png', bytes: png },
			],
		});
		const [item] = (await harness.poll())![0];
		expect(item.json.id).toBe(message.id);
		const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
		expect(item.binary?.attachment_0).toMatchObject({ fileName: 'Facture mars 2025.pdf', mimeType: 'application/pdf' });
		expect(item.binary?.attachment_1).toMatchObject({ fileName: 'photo.png', mimeType: 'image/png' });
		expect(sha(Buffer.from(item.binary!.attachment_0.data, 'base64'))).toBe(sha(pdf));
		expect(sha(Buffer.from(item.binary!.attachment_1.data, 'base64'))).toBe(sha(png));
		const downloads = apiRequests().filter((r) => r.path.includes('/attachments/'));
		expect(downloads.map((r) => r.path)).toEqual(
			(message.attachments as Array<{ id: string }>).map((a) => `/messages/${message.id}/attachments/${a.id}`),
		);
	});

	test('the attachment field prefix is configurable; without the option nothing is downloaded', async () => {
		const harness = await activated({ options: { downloadAttachments: true, binaryPropertyPrefix: 'file' } });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', attachments: [{ fileName: 'a.txt', mimeType: 'text/plain', bytes: Buffer.from('hello') }] });
		expect(Object.keys((await harness.poll())![0][0].binary ?? {})).toEqual(['file0']);

		sandbox.reset();
		const plain = await activated();
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', attachments: [{ fileName: 'a.txt', mimeType: 'text/plain', bytes: Buffer.from('hello') }] });
		expect((await plain.poll())![0][0].binary).toBeUndefined();
		expect(apiRequests().filter((r) => r.path.includes('/attachments/'))).toEqual([]);
	});

	test('a failed download fails the poll and keeps the state, so the next poll delivers the message with its file', async () => {
		const harness = await activated({ options: { downloadAttachments: true } });
		const message = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', attachments: [{ fileName: 'a.txt', mimeType: 'text/plain', bytes: Buffer.from('hello') }] });
		const before = harness.staticData();
		// Failing longer than the retries last (Retry-After: 0 keeps the test fast).
		sandbox.injectFault({ path: /\/attachments\//, status: 503, retryAfter: 0, times: MAX_RETRIES + 1 });
		await expect(harness.poll()).rejects.toThrow('[errors/service_unavailable]');
		expect(harness.staticData()).toEqual(before);
		const [item] = (await harness.poll())![0];
		expect(item.json.id).toBe(message.id);
		expect(Buffer.from(item.binary!.attachment_0.data, 'base64').toString()).toBe('hello');
	});

	test('a failed page fails the poll and leaves the state untouched', async () => {
		const harness = await activated();
		for (let i = 0; i < 300; i++) sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: `m${i}` });
		const before = harness.staticData();
		sandbox.clearRequests();
		// The first page answers normally (a fault with only a delay), the second fails on every retry.
		sandbox.injectFault({ path: '/messages', delayMs: 1 });
		sandbox.injectFault({ path: '/messages', status: 503, retryAfter: 0, times: MAX_RETRIES + 1 });
		await expect(harness.poll()).rejects.toThrow('[errors/service_unavailable]');
		expect(apiRequests()).toHaveLength(1 + MAX_RETRIES + 1);
		expect(harness.staticData()).toEqual(before);
		expect(ids(await harness.poll())).toHaveLength(300);
	});

	test('manual mode returns the latest message and leaves the static data untouched', async () => {
		const fresh = trigger();
		const latest = sandbox.injectMessage({ accountId: 'acc_telegram_1', text: 'latest' });
		expect(ids(await fresh.poll('manual'))).toEqual([latest.id]);
		expect(fresh.staticData()).toEqual({});
		// One page of the latest messages, searched for the newest one the filters let through (test/trigger.testEvent.test.ts).
		expect(apiRequests()[0].query).toEqual({ limit: '100' });

		const harness = await activated({ accountIds: ['acc_linkedin_1'] });
		const before = harness.staticData();
		const linkedin = sandbox.injectMessage({ accountId: 'acc_linkedin_1' });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1' });
		expect(ids(await harness.poll('manual'))).toEqual([linkedin.id]);
		expect(harness.staticData()).toEqual(before);
		expect(apiRequests()[0].query).toEqual({ limit: '100', account_id: 'acc_linkedin_1' });
	});

	test('manual mode with several accounts picks the newest across them', async () => {
		const a = sandbox.injectMessage({ accountId: 'acc_linkedin_1' });
		const b = sandbox.injectMessage({ accountId: 'acc_telegram_1' });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1' });
		expect(ids(await trigger({ accountIds: ['acc_telegram_1', 'acc_linkedin_1'] }).poll('manual'))).toEqual([b.id]);
		expect(a.timestamp < b.timestamp).toBe(true);
	});

	test('manual mode without any message says to send one first', async () => {
		const empty = await startSandbox({ chats: 2, messagesPerChat: 0 });
		try {
			const harness = pollHarness({ credentials: { dsn: empty.dsn, apiKey: empty.apiKey }, parameters: {} });
			await expect(harness.poll('manual')).rejects.toThrow("No recent message matched the trigger's filters");
			expect(harness.staticData()).toEqual({});
		} finally {
			await empty.close();
		}
	});

	test('an empty account at activation: the first message after it is still emitted', async () => {
		const empty = await startSandbox({ chats: 2, messagesPerChat: 0 });
		try {
			const harness = pollHarness({ credentials: { dsn: empty.dsn, apiKey: empty.apiKey }, parameters: {} });
			expect(await harness.poll()).toBeNull();
			expect(harness.staticData()).toMatchObject({ watermark: null, seen: {} });
			const first = empty.injectMessage({ accountId: 'acc_whatsapp_1' });
			expect((await harness.poll())![0].map((i) => i.json.id)).toEqual([first.id]);
			expect(await harness.poll()).toBeNull();
		} finally {
			await empty.close();
		}
	});

	test('a lookback window below one minute is refused', async () => {
		await expect(trigger({ options: { lookbackMinutes: 0 } }).poll()).rejects.toThrow('at least 1 minute');
	});
});
