/**
 * Unipile Trigger (webhooks) inside n8n-core's real HookContext and WebhookContext, served over real HTTP, against
 * the sandbox's /webhooks and its deliveries: activation registers one webhook per source at n8n's URL; events start
 * one execution each; wrong secrets, bad bodies, unchosen events, own messages and resends start nothing; a
 * failure halfway leaves no webhook at Unipile; a restart keeps exactly one per source; deactivation removes them.
 */
import type { Sandbox } from './sandbox/server';
import { webhookTestKit } from './harness/webhook';
import { DELIVERY_CHECK_HEADER } from '../dist/nodes/UnipileTrigger/webhookSecret';


const kit = webhookTestKit({ chats: 12, messagesPerChat: 2, webhooks: { retryDelaysMs: [20, 40, 80, 160, 320], timeoutMs: 2000 } });
const harness = kit.harness;
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = kit.sandbox();
});

const hooks = () => [...sandbox.webhooks.webhooks.values()];

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
	const res = await fetch(url, { method: 'POST', headers, body });
	return { status: res.status, text: await res.text() };
}

describe('activation', () => {
	test('one webhook per source at the production URL, with a 32-byte secret and a JSON content type; a restart registers nothing new', async () => {
		const h = await harness({ events: ['message_received', 'message_reaction', 'new_relation', 'account_status', 'mail_received', 'mail_opened'], accountIds: [] });
		await h.activate();
		expect(hooks().map((w) => [w.source, w.request_url, w.events ?? null])).toEqual([
			['messaging', h.url, ['message_reaction', 'message_received']],
			['users', h.url, ['new_relation']],
			['account_status', h.url, null],
			['email', h.url, ['mail_received']],
			['email_tracking', h.url, ['mail_opened']],
		]);
		const state = h.staticData();
		expect(Buffer.from(String(state.secret), 'base64url').length).toBeGreaterThanOrEqual(32);
		for (const w of hooks()) {
			expect(w.headers).toEqual([{ key: DELIVERY_CHECK_HEADER, value: state.secret }, { key: 'Content-Type', value: 'application/json' }]);
			expect(w.name).toContain('wf-webhook');
			expect(w.account_ids).toBeUndefined();
		}
		// n8n restarting: checkExists on the saved static data finds them all, creates nothing.
		sandbox.clearRequests();
		await h.activate({ activation: 'init' });
		expect(sandbox.requests.map((r) => r.method)).toEqual(['GET']);
		expect(hooks()).toHaveLength(5);
		await h.deactivate();
		expect(hooks()).toHaveLength(0);
		expect(h.staticData()).toEqual({});
	});

	test('a restart from older static data (or none) replaces what is at the URL: still exactly one per source', async () => {
		const h = await harness({ events: ['message_received', 'account_status'] });
		await h.activate();
		const first = hooks().map((w) => w.id);
		h.setStaticData({});
		await h.activate({ activation: 'init' });
		expect(hooks()).toHaveLength(2);
		expect(hooks().map((w) => w.id)).not.toEqual(first);
		expect(hooks().map((w) => w.source)).toEqual(['messaging', 'account_status']);
	});

	test('a failure halfway through activation leaves no webhook at Unipile, and the error says why', async () => {
		const h = await harness({ events: ['message_received', 'account_status', 'new_relation'] });
		let posts = 0;
		const original = sandbox.webhooks.create.bind(sandbox.webhooks);
		sandbox.webhooks.create = (body) => {
			if (++posts === 2) sandbox.injectFault({ method: 'POST', path: '/webhooks', status: 403, times: 1 });
			return original(body);
		};
		try {
			await expect(h.activate()).rejects.toThrow(/feature|subscri|403|Forbidden/i);
		} finally {
			sandbox.webhooks.create = original;
		}
		expect(hooks()).toHaveLength(0);
		expect(h.staticData()).toEqual({});
	});

	test('accounts narrow the registration; no event chosen is refused before anything is sent', async () => {
		const h = await harness({ events: ['message_received'], accountIds: ['acc_whatsapp_1'] });
		await h.activate();
		expect(hooks().map((w) => w.account_ids)).toEqual([['acc_whatsapp_1']]);
		sandbox.injectMessage({ accountId: 'acc_telegram_1', text: 'elsewhere' });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'here' });
		await sandbox.webhooks.idle();
		await h.answered(1);
		expect(h.executions.map((e) => e.items[0].json.message)).toEqual(['here']);

		const none = await harness({ events: [] });
		sandbox.clearRequests();
		await expect(none.activate()).rejects.toThrow('Choose at least one event in Events');
		expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
	});
});

describe('deliveries', () => {
	test('each event starts one execution with the payload; own messages only when asked', async () => {
		const h = await harness({ events: ['message_received', 'message_read', 'new_relation', 'account_status', 'mail_received', 'mail_opened'] });
		await h.activate();
		const incoming = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'Hi!' });
		const own = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'my reply', isSender: true });
		await sandbox.webhooks.idle();
		for (const e of [
			{ event: 'message_read', messageId: own.id },
			{ event: 'new_relation', accountId: 'acc_linkedin_1', name: 'Ada Lovelace' },
			{ event: 'account_status', accountId: 'acc_telegram_1', message: 'CREDENTIALS' },
			{ event: 'mail_received', accountId: 'acc_whatsapp_1' },
			{ event: 'mail_opened', accountId: 'acc_whatsapp_1' },
		]) sandbox.webhooks.controlEvent(e);
		await sandbox.webhooks.idle();
		await h.answered(7);
		expect(h.answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
		const got = h.executions.map((e) => e.items.map((i) => i.json));
		expect(got).toHaveLength(6);
		expect(got.every((items) => items.length === 1)).toBe(true);
		expect(got[0][0]).toEqual(expect.objectContaining({ event: 'message_received', message_id: incoming.id, message: 'Hi!' }));
		// The documented WhatsApp payload does not say who sent it: Unipile was asked once per message.
		expect(sandbox.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/messages/')).map((r) => r.path).sort()).toEqual([`/messages/${incoming.id}`, `/messages/${own.id}`].sort());
		expect(got.map((items) => items[0].event ?? items[0].type ?? 'account_status')).toEqual(['message_received', 'message_read', 'new_relation', 'account_status', 'mail_received', 'mail_opened']);
		expect(got[3][0]).toEqual({ AccountStatus: { account_id: 'acc_telegram_1', account_type: 'TELEGRAM', message: 'CREDENTIALS' } });
		const secret = String(h.staticData().secret);
		expect(JSON.stringify(h.executions)).not.toContain(secret);

		const withOwn = await harness({ events: ['message_received'], options: { includeOwnMessages: true } });
		await withOwn.activate();
		sandbox.injectMessage({ accountId: 'acc_telegram_1', text: 'mine', isSender: true });
		await sandbox.webhooks.idle();
		await withOwn.answered(1);
		expect(withOwn.executions.map((e) => e.items[0].json.message)).toEqual(['mine']);
	});

	test('wrong or missing secret → 401, not a JSON object → 400, unchosen event → 200; none starts anything', async () => {
		const h = await harness({ events: ['message_received'] });
		await h.activate();
		const secret = String(h.staticData().secret);
		const good = { [DELIVERY_CHECK_HEADER]: secret, 'Content-Type': 'application/json' };
		const event = JSON.stringify({ event: 'message_received', account_id: 'acc_whatsapp_1', message_id: 'm-1', message: 'x', is_sender: false });
		const cases: Array<[Record<string, string>, string, number]> = [
			[{ 'Content-Type': 'application/json' }, event, 401],
			// the last character changed (to one it is not: a fixed 'A' equals the secret once in 64 runs)
			[{ ...good, [DELIVERY_CHECK_HEADER]: `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}` }, event, 401],
			[{ ...good, [DELIVERY_CHECK_HEADER]: 'short' }, event, 401],
			[good, '[1,2]', 400],
			[good, '"text"', 400],
			[{ [DELIVERY_CHECK_HEADER]: secret, 'Content-Type': 'text/plain' }, 'not json', 400],
			[{ [DELIVERY_CHECK_HEADER]: secret }, '', 400],
			[good, JSON.stringify({ event: 'message_read', message_id: 'm-1' }), 200],
			[good, JSON.stringify({ hello: 'world' }), 200],
		];
		for (const [headers, body, status] of cases) {
			const r = await post(h.url, body, headers);
			expect({ body, status: r.status }).toEqual({ body, status });
			expect(r.text).not.toContain(secret);
		}
		expect(h.executions).toHaveLength(0);
		// Without a content type (Unipile's default for API-created webhooks) the raw body is read.
		const r = await post(h.url, event, { [DELIVERY_CHECK_HEADER]: secret });
		expect(r.status).toBe(200);
		expect(h.executions.map((e) => e.items[0].json.message_id)).toEqual(['m-1']);
	});

	test('a delivery before n8n saved the activation is refused without wiping the secret, and arrives on the retry', async () => {
		const h = await harness({ events: ['message_received'] });
		await h.activate();
		const saved = h.staticData();
		// The webhooks exist at Unipile, n8n has not saved the activation's static data yet.
		h.setStaticData({});
		h.executions.length = 0;
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'early' });
		await h.answered(1);
		expect(h.answers.slice(-1)[0].status).toBe(500);
		expect(h.staticData()).toEqual({});
		h.setStaticData(saved);
		await sandbox.webhooks.idle();
		expect(sandbox.webhooks.deliveries.map((d) => d.status)).toEqual([500, 200]);
		expect(h.executions.map((e) => e.items[0].json.message)).toEqual(['early']);
	});

	test('a resend after a lost answer starts nothing more; a retried failure still delivers once', async () => {
		const h = await harness({ events: ['message_received'] });
		await h.activate();
		await fetch(`${sandbox.url}/_sandbox/webhooks/failures`, { method: 'POST', body: JSON.stringify({ url: h.url, times: 1, mode: 'lose-answer', status: 0 }) });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'once' });
		await sandbox.webhooks.idle();
		await h.answered(2);
		expect(sandbox.webhooks.deliveries.map((d) => d.attempt)).toEqual([1, 2]);
		expect(h.executions).toHaveLength(1);

		await fetch(`${sandbox.url}/_sandbox/webhooks/failures`, { method: 'POST', body: JSON.stringify({ url: h.url, times: 2, status: 503 }) });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'twice refused' });
		await sandbox.webhooks.idle();
		await h.answered(3);
		expect(h.executions.map((e) => e.items[0].json.message)).toEqual(['once', 'twice refused']);
	});

	test('attachments are downloaded into binary fields with their names and types', async () => {
		const h = await harness({ events: ['message_received'], options: { downloadAttachments: true } });
		await h.activate();
		const pdf = Buffer.from('%PDF-1.4 sandbox');
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', attachments: [{ fileName: 'offer.pdf', mimeType: 'application/pdf', bytes: pdf }, { fileName: 'b.txt', mimeType: 'text/plain', bytes: Buffer.from('hello') }] });
		await sandbox.webhooks.idle();
		await h.answered(1);
		const [item] = h.executions[0].items;
		expect(Object.keys(item.binary ?? {})).toEqual(['attachment_0', 'attachment_1']);
		expect(item.binary!.attachment_0).toEqual(expect.objectContaining({ fileName: 'offer.pdf', mimeType: 'application/pdf' }));
		expect(Buffer.from(item.binary!.attachment_0.data, 'base64')).toEqual(pdf);
		expect(item.binary!.attachment_1).toEqual(expect.objectContaining({ fileName: 'b.txt', mimeType: 'text/plain' }));
	});
});

describe('listen for test event', () => {
	test('uses the test URL, receives one event, and removes its webhook; the production registration is untouched', async () => {
		const h = await harness({ events: ['message_received'] });
		await h.activate();
		await h.activate({ test: true });
		expect(hooks().map((w) => w.request_url).sort()).toEqual([h.testUrl, h.url].sort());
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'test me' });
		await sandbox.webhooks.idle();
		await h.answered(2);
		expect(h.executions.map((e) => [e.test, e.items[0].json.message])).toEqual(expect.arrayContaining([[true, 'test me'], [false, 'test me']]));
		await h.deactivate({ test: true });
		expect(hooks().map((w) => w.request_url)).toEqual([h.url]);
	});
});
