/**
 * The sandbox's webhooks behave like Unipile's: the SDK creates, lists (paged) and deletes them and its validators
 * accept the answers; events reach registered URLs as the documented flat payloads, only for the chosen events and
 * accounts, with the registered headers and no JSON content type unless registered; only a 200 counts, anything
 * else is retried 5 times with growing delays.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { UnipileClient } from 'unipile-node-sdk';
import { startSandbox, type Sandbox } from './sandbox/server';
import { expectValid, sdkModule } from './helpers/sdk-schemas';

const sdk = (file: string) => sdkModule(file);
const V = {
	createBody: sdk('webhooks/webhooks-create.types.js').WebhookCreateBodyValidator,
	created: sdk('webhooks/webhooks-create.types.js').WebhookCreateResponseValidator,
	list: sdk('webhooks/webhooks-list.types.js').WebhookListResponseValidator,
	deleted: sdk('webhooks/webhooks-delete.types.js').WebhookDeleteResponseValidator,
};

type Any = any;

interface Received {
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	at: number;
}

/** A receiver that answers each call with the next planned status (then 200). */
class Receiver {
	server!: Server;
	url = '';
	calls: Received[] = [];
	plan: number[] = [];
	delayMs = 0;
	async start(): Promise<void> {
		this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				this.calls.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
				const status = this.plan.shift() ?? 200;
				setTimeout(() => {
					if (!res.destroyed) res.writeHead(status).end('ok');
				}, this.delayMs);
			});
		});
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
		const a = this.server.address();
		this.url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
	}
	json(i: number): Any {
		return JSON.parse(this.calls[i].body);
	}
	close(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((r) => this.server.close(() => r()));
	}
}

let sandbox: Sandbox;
let client: UnipileClient;
const rx = new Receiver();

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Any }> {
	const res = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: { 'X-API-KEY': sandbox.apiKey, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, body: await res.json() };
}

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Any }> {
	const res = await fetch(`${sandbox.url}/_sandbox${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 12, messagesPerChat: 2, webhooks: { retryDelaysMs: [20, 40, 80, 160, 320], timeoutMs: 300 } });
	client = new UnipileClient(sandbox.url, sandbox.apiKey, { validateRequestPayload: true, validateRequestPayloadLevel: 'error' });
	await rx.start();
});

afterAll(async () => {
	await sandbox?.close();
	await rx.close();
});

beforeEach(() => {
	sandbox.reset();
	rx.calls = [];
	rx.plan = [];
	rx.delayMs = 0;
});

describe('POST/GET/DELETE /webhooks', () => {
	test('the SDK creates every source, lists them page by page, deletes one; its validators accept each answer', async () => {
		const bodies: Any[] = [
			{ request_url: `${rx.url}/m`, source: 'messaging', name: 'n8n messaging', events: ['message_received', 'message_reaction'], headers: [{ key: 'X-Secret', value: 's' }] },
			{ request_url: `${rx.url}/a`, source: 'account_status', name: 'n8n status' },
			{ request_url: `${rx.url}/e`, source: 'email', events: ['mail_received', 'mail_sent'], account_ids: ['acc_whatsapp_1'] },
			{ request_url: `${rx.url}/t`, source: 'email_tracking', events: ['mail_opened'] },
		];
		const ids: string[] = [];
		for (const b of bodies) {
			expectValid(V.createBody, b);
			const created: Any = await client.webhook.create(b);
			expectValid(V.created, created);
			ids.push(created.webhook_id);
		}
		const seen: Any[] = [];
		let cursor: string | undefined;
		do {
			const page: Any = await client.webhook.getAll({ extra_params: { limit: '2', ...(cursor ? { cursor } : {}) } } as Any);
			expectValid(V.list, page);
			expect(page.items.length).toBeLessThanOrEqual(2);
			seen.push(...page.items);
			cursor = page.cursor ?? undefined;
		} while (cursor);
		expect(seen.map((w) => w.id).sort()).toEqual([...ids].sort());
		// `users` (new_relation) is documented but not in the SDK (its list schema has no `new_relation`): plain HTTP.
		const users = await api('POST', '/api/v1/webhooks', { request_url: `${rx.url}/u`, source: 'users', events: ['new_relation'] });
		expect(users).toEqual({ status: 201, body: { object: 'WebhookCreated', webhook_id: expect.any(String) } });
		const all = await api('GET', '/api/v1/webhooks?limit=250');
		expect(all.body.items.map((w: Any) => w.id)).toEqual([users.body.webhook_id, ...[...ids].reverse()]);
		ids.push(users.body.webhook_id);
		const messaging = seen.find((w) => w.id === ids[0]);
		expect(messaging).toEqual({
			object: 'Webhook',
			id: ids[0],
			type: 'AUTO',
			account_ids: [],
			enabled: true,
			name: 'n8n messaging',
			request_url: `${rx.url}/m`,
			format: 'json',
			headers: [{ key: 'X-Secret', value: 's' }],
			data: [],
			events: ['message_received', 'message_reaction'],
		});
		expect(seen.find((w) => w.id === ids[2]).account_ids).toEqual([{ id: 'acc_whatsapp_1', name: expect.any(String), type: 'WHATSAPP' }]);

		const deleted: Any = await client.webhook.delete(ids[1]);
		expectValid(V.deleted, deleted);
		expect(deleted).toEqual({ object: 'WebhookDeleted' });
		expect((await api('DELETE', `/api/v1/webhooks/${ids[1]}`)).status).toBe(404);
		expect((await api('GET', '/api/v1/webhooks')).body.items.map((w: Any) => w.id)).not.toContain(ids[1]);
	});

	test('bad bodies are refused with the field named', async () => {
		const cases: Array<[Any, string]> = [
			[{ source: 'messaging' }, 'request_url'],
			[{ request_url: 'ftp://x', source: 'messaging' }, 'request_url'],
			[{ request_url: rx.url, source: 'calendar' }, 'source'],
			[{ request_url: rx.url, source: 'calendar_event', events: ['mail_opened'] }, 'events'],
			[{ request_url: rx.url, source: 'messaging', events: ['mail_received'] }, 'events'],
			[{ request_url: rx.url, source: 'account_status', events: ['message_received'] }, 'events'],
			[{ request_url: rx.url, source: 'messaging', account_ids: ['nope'] }, 'account_ids'],
			[{ request_url: rx.url, source: 'messaging', headers: { key: 'a', value: 'b' } }, 'headers'],
			[{ request_url: rx.url, source: 'messaging', secret: 'x' }, 'secret'],
		];
		for (const [body, field] of cases) {
			const r = await api('POST', '/api/v1/webhooks', body);
			expect({ status: r.status, field: String(r.body.detail).startsWith(field) }).toEqual({ status: 400, field: true });
		}
		expect(sandbox.webhooks.webhooks.size).toBe(0);
	});
});

describe('deliveries', () => {
	async function register(body: Any): Promise<string> {
		const r = await api('POST', '/api/v1/webhooks', body);
		expect(r.status).toBe(201);
		return r.body.webhook_id;
	}

	test('a new message reaches the URL as the documented payload, with the headers and no content type', async () => {
		await register({ request_url: `${rx.url}/hook`, source: 'messaging', name: 'wf 1', headers: [{ key: 'X-Unipile-Secret', value: 'abc' }] });
		const injected = await control('POST', '/messages', { accountId: 'acc_whatsapp_1', text: 'hi there' });
		expect(injected.status).toBe(201);
		await sandbox.webhooks.idle();
		expect(rx.calls).toHaveLength(1);
		const call = rx.calls[0];
		expect(call.path).toBe('/hook');
		expect(call.headers['x-unipile-secret']).toBe('abc');
		expect(call.headers['content-type']).toBeUndefined();
		const msg = injected.body;
		// Exactly the fields of Unipile's "New messages" page: no is_sender, no account_info on WhatsApp.
		expect(rx.json(0)).toEqual(
			{
				account_id: 'acc_whatsapp_1',
				account_type: 'WHATSAPP',
				event: 'message_received',
				chat_id: msg.chat_id,
				timestamp: msg.timestamp,
				webhook_name: 'wf 1',
				message_id: msg.id,
				message: 'hi there',
				sender: { attendee_id: msg.sender_attendee_id, attendee_name: expect.any(String), attendee_provider_id: msg.sender_id, attendee_profile_url: expect.any(String) },
				attendees: expect.any(Array),
				attachments: [],
			},
		);
		// Whether the account sent it is what GET /messages/{id} answers.
		const asked = await fetch(`${sandbox.url}/api/v1/messages/${msg.id}`, { headers: { 'X-API-KEY': sandbox.apiKey } });
		expect(((await asked.json()) as Any).is_sender).toBe(0);
		expect(sandbox.webhooks.deliveries).toEqual([expect.objectContaining({ attempt: 1, status: 200, ok: true, event: 'message_received' })]);
	});

	test('own messages sent through the API are delivered too; events and accounts narrow what is sent', async () => {
		await register({ request_url: `${rx.url}/all`, source: 'messaging', headers: [{ key: 'Content-Type', value: 'application/json' }] });
		await register({ request_url: `${rx.url}/li`, source: 'messaging', account_ids: ['acc_linkedin_1'] });
		await register({ request_url: `${rx.url}/read`, source: 'messaging', events: ['message_read', 'message_reaction', 'message_edited', 'message_deleted'] });
		const chat = sandbox.store.chatsOfAccount('acc_whatsapp_1')[0];
		const form = new FormData();
		form.append('text', 'my reply');
		const sent = await fetch(`${sandbox.url}/api/v1/chats/${chat.id}/messages`, { method: 'POST', headers: { 'X-API-KEY': sandbox.apiKey }, body: form });
		expect(sent.status).toBe(201);
		const { message_id } = (await sent.json()) as Any;
		await sandbox.webhooks.idle();
		expect(rx.calls.map((c) => c.path)).toEqual(['/all']);
		expect(rx.calls[0].headers['content-type']).toBe('application/json');
		expect(rx.json(0)).toEqual(expect.objectContaining({ message_id, message: 'my reply', sender: expect.objectContaining({ attendee_provider_id: sandbox.store.accountSelf('acc_whatsapp_1')!.provider_id }) }));
		expect(rx.json(0)).not.toHaveProperty('is_sender');

		rx.calls = [];
		for (const event of ['message_read', 'message_reaction', 'message_edited', 'message_deleted', 'message_delivered']) {
			expect((await control('POST', '/webhooks/events', { event, messageId: message_id, text: 'edited', reaction: '❤️' })).status).toBe(201);
		}
		await sandbox.webhooks.idle();
		expect(rx.calls.map((c) => `${c.path} ${rx.json(rx.calls.indexOf(c)).event}`)).toEqual(['/read message_read', '/read message_reaction', '/read message_edited', '/read message_deleted']);
		expect(rx.json(1)).toEqual(expect.objectContaining({ reaction: '❤️', reaction_sender: expect.objectContaining({ attendee_id: expect.any(String) }) }));
		expect(rx.json(2).message).toBe('edited');
	});

	test('account status, accepted invitation, email received and opened', async () => {
		await register({ request_url: `${rx.url}/status`, source: 'account_status' });
		await register({ request_url: `${rx.url}/users`, source: 'users', name: 'rel' });
		await register({ request_url: `${rx.url}/mail`, source: 'email', events: ['mail_received'] });
		await register({ request_url: `${rx.url}/track`, source: 'email_tracking', events: ['mail_opened', 'mail_link_clicked'] });
		const events = [
			{ event: 'account_status', accountId: 'acc_whatsapp_1', message: 'CREDENTIALS' },
			{ event: 'new_relation', accountId: 'acc_linkedin_1', name: 'Ada Lovelace' },
			{ event: 'mail_received', accountId: 'acc_whatsapp_1', email: { subject: 'Invoice' } },
			{ event: 'mail_sent', accountId: 'acc_whatsapp_1' },
			{ event: 'mail_opened', accountId: 'acc_whatsapp_1' },
		];
		for (const e of events) expect((await control('POST', '/webhooks/events', e)).status).toBe(201);
		await sandbox.webhooks.idle();
		const byPath = Object.fromEntries(rx.calls.map((c, i) => [c.path, rx.json(i)]));
		expect(Object.keys(byPath).sort()).toEqual(['/mail', '/status', '/track', '/users']);
		expect(byPath['/status']).toEqual({ AccountStatus: { account_id: 'acc_whatsapp_1', account_type: 'WHATSAPP', message: 'CREDENTIALS' } });
		expect(byPath['/users']).toEqual(expect.objectContaining({ event: 'new_relation', account_type: 'LINKEDIN', webhook_name: 'rel', user_full_name: 'Ada Lovelace', user_provider_id: expect.any(String), user_public_identifier: 'ada-lovelace' }));
		expect(byPath['/mail']).toEqual(expect.objectContaining({ event: 'mail_received', email_id: expect.any(String), subject: 'Invoice', from_attendee: expect.objectContaining({ identifier: expect.any(String) }) }));
		// Tracking payloads carry the SDK's keys: the event is named by `type`.
		expect(Object.keys(byPath['/track']).sort()).toEqual(['account_id', 'custom_domain', 'date', 'email_id', 'event_id', 'ip', 'label', 'tracking_id', 'type', 'user_agent']);
		expect(byPath['/track']).toEqual(expect.objectContaining({ type: 'mail_opened', event_id: expect.any(String), tracking_id: expect.any(String) }));
		expect(sandbox.store.accountById.get('acc_whatsapp_1')!.sources[0].status).toBe('CREDENTIALS');
	});

	test('an email arriving in a sandbox mailbox is delivered as mail_received with the stored email', async () => {
		const accountId = [...sandbox.store.mail.accounts.keys()][0];
		await register({ request_url: `${rx.url}/mail`, source: 'email', events: ['mail_received'] });
		const res = await fetch(`${sandbox.url}/_sandbox/emails`, { method: 'POST', body: JSON.stringify({ accountId, from: 'lead@example.com', subject: 'Quote request', body: '<p>Hello</p>' }) });
		const text = await res.text();
		expect({ status: res.status, text: res.status === 201 ? '' : text }).toEqual({ status: 201, text: '' });
		const email = JSON.parse(text);
		await sandbox.webhooks.idle();
		expect(rx.calls.map((c) => c.path)).toEqual(['/mail']);
		expect(rx.json(0)).toEqual(expect.objectContaining({ event: 'mail_received', email_id: email.id, account_id: email.account_id, subject: email.subject, message_id: email.message_id, is_complete: true }));
		expect(rx.json(0).object).toBeUndefined();
	});

	test('only 200 counts: other answers are retried 5 times with growing delays', async () => {
		await register({ request_url: `${rx.url}/flaky`, source: 'messaging' });
		rx.plan = [201, 204, 500, 404, 503, 202];
		sandbox.injectMessage({ accountId: 'acc_telegram_1', text: 'x' });
		await sandbox.webhooks.idle();
		expect(rx.calls).toHaveLength(6);
		const d = sandbox.webhooks.deliveries;
		expect(d.map((x) => [x.attempt, x.status, x.ok])).toEqual([
			[1, 201, false],
			[2, 204, false],
			[3, 500, false],
			[4, 404, false],
			[5, 503, false],
			[6, 202, false],
		]);
		// The start of each answer's body is kept: it tells who answered (n8n's startup page answers 200 too).
		expect(d.map((x) => x.answer)).toEqual(['ok', undefined, 'ok', 'ok', 'ok', 'ok']);
		const gaps = d.slice(1).map((x, i) => x.sentAt - d[i].endedAt);
		for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1] - 5);
		expect(gaps[4]).toBeGreaterThanOrEqual(300);
	});

	test('the control surface makes a URL fail; a slow receiver times out; success stops the retries', async () => {
		await register({ request_url: `${rx.url}/x`, source: 'messaging' });
		expect((await control('POST', '/webhooks/failures', { url: `${rx.url}/x`, status: 502, times: 2 })).status).toBe(201);
		sandbox.injectMessage({ accountId: 'acc_telegram_1' });
		await sandbox.webhooks.idle();
		expect(sandbox.webhooks.deliveries.map((x) => [x.attempt, x.status, x.simulated ?? null])).toEqual([
			[1, 502, 'refuse'],
			[2, 502, 'refuse'],
			[3, 200, null],
		]);
		expect(rx.calls).toHaveLength(1);

		// The receiver got it, but the answer is lost: Unipile sends the same delivery again.
		await control('DELETE', '/webhooks/deliveries');
		rx.calls = [];
		await control('POST', '/webhooks/failures', { url: `${rx.url}/*`, times: 1, mode: 'lose-answer', status: 0 });
		sandbox.injectMessage({ accountId: 'acc_telegram_1' });
		await sandbox.webhooks.idle();
		expect(rx.calls).toHaveLength(2);
		expect(rx.calls[0].body).toBe(rx.calls[1].body);

		await control('DELETE', '/webhooks/deliveries');
		rx.calls = [];
		rx.delayMs = 400;
		rx.plan = [200, 200];
		sandbox.injectMessage({ accountId: 'acc_telegram_1' });
		await new Promise((r) => setTimeout(r, 200));
		rx.delayMs = 0;
		await sandbox.webhooks.idle();
		const d = (await control('GET', '/webhooks/deliveries')).body;
		expect(d.map((x: Any) => [x.attempt, x.status])).toEqual([
			[1, 0],
			[2, 200],
		]);
		expect(d[0].error).toContain('no answer within 300 ms');
	});

	test('a disabled or deleted webhook receives nothing; form format is encoded as a form', async () => {
		const id = await register({ request_url: `${rx.url}/gone`, source: 'messaging' });
		await register({ request_url: `${rx.url}/off`, source: 'messaging', enabled: false });
		await register({ request_url: `${rx.url}/form`, source: 'account_status', format: 'form' });
		await api('DELETE', `/api/v1/webhooks/${id}`);
		sandbox.injectMessage({ accountId: 'acc_telegram_1' });
		await control('POST', '/webhooks/events', { event: 'account_status', accountId: 'acc_telegram_1', message: 'OK' });
		await sandbox.webhooks.idle();
		expect(rx.calls.map((c) => c.path)).toEqual(['/form']);
		expect(rx.calls[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(new URLSearchParams(rx.calls[0].body).get('AccountStatus')).toContain('"message":"OK"');
	});
});

describe('payload revisions, listings and calendar events', () => {
	async function register(body: Any): Promise<string> {
		const r = await api('POST', '/api/v1/webhooks', body);
		expect(r.status).toBe(201);
		return r.body.webhook_id;
	}

	test('account_info only on LinkedIn and Instagram; the older revision has none, old mail and tracking shapes', async () => {
		await register({ request_url: `${rx.url}/msg`, source: 'messaging' });
		await register({ request_url: `${rx.url}/mail`, source: 'email' });
		await register({ request_url: `${rx.url}/track`, source: 'email_tracking' });
		sandbox.injectMessage({ accountId: 'acc_linkedin_1', text: 'li' });
		sandbox.injectMessage({ accountId: 'acc_telegram_1', text: 'tg' });
		await sandbox.webhooks.idle();
		const [li, tg] = [rx.json(0), rx.json(1)];
		expect(li.account_info).toEqual({ type: 'LINKEDIN', feature: 'classic', user_id: sandbox.store.accountSelf('acc_linkedin_1')!.provider_id });
		expect(tg).not.toHaveProperty('account_info');

		rx.calls = [];
		expect((await control('POST', '/webhooks/config', { payloadShapes: 'older' })).status).toBe(200);
		const attachment = { fileName: 'a.png', mimeType: 'image/png', bytes: Buffer.from('png') };
		sandbox.injectMessage({ accountId: 'acc_linkedin_1', text: 'old li', attachments: [attachment] });
		await sandbox.webhooks.idle();
		sandbox.webhooks.controlEvent({ event: 'mail_received', accountId: 'acc_whatsapp_1' });
		sandbox.webhooks.controlEvent({ event: 'mail_opened', accountId: 'acc_whatsapp_1' });
		await sandbox.webhooks.idle();
		const byPath = Object.fromEntries(rx.calls.map((c, i) => [c.path, rx.json(i)]));
		expect(byPath['/msg']).not.toHaveProperty('account_info');
		expect(byPath['/msg'].attachments).toEqual(expect.objectContaining({ id: expect.any(String), mimetype: 'image/png' }));
		expect(byPath['/mail']).toEqual(expect.objectContaining({ object: 'Mail', id: expect.any(String), event: 'mail_received' }));
		expect(byPath['/mail']).not.toHaveProperty('email_id');
		expect(byPath['/track']).toEqual(expect.objectContaining({ event: 'mail_opened' }));
		expect(byPath['/track']).not.toHaveProperty('type');
	});

	test('GET /webhooks can list headers as one object', async () => {
		await register({ request_url: `${rx.url}/h`, source: 'messaging', headers: [{ key: 'X-A', value: '1' }, { key: 'X-B', value: '2' }] });
		expect((await control('POST', '/webhooks/config', { headersAsObject: true })).status).toBe(200);
		const listed = (await (await fetch(`${sandbox.url}/api/v1/webhooks`, { headers: { 'X-API-KEY': sandbox.apiKey } })).json()) as Any;
		expect(listed.items[0].headers).toEqual({ key: 'X-A', value: '1' });
		sandbox.reset();
		await register({ request_url: `${rx.url}/h`, source: 'messaging', headers: [{ key: 'X-A', value: '1' }] });
		const again = (await (await fetch(`${sandbox.url}/api/v1/webhooks`, { headers: { 'X-API-KEY': sandbox.apiKey } })).json()) as Any;
		expect(again.items[0].headers).toEqual([{ key: 'X-A', value: '1' }]);
	});

	test('calendar_event webhooks: the three events, with the fields of the calendar webhook page', async () => {
		await register({ request_url: `${rx.url}/cal`, source: 'calendar_event', name: 'CAL', events: ['calendar_event_created', 'calendar_event_deleted'] });
		for (const event of ['calendar_event_created', 'calendar_event_updated', 'calendar_event_deleted']) {
			expect((await control('POST', '/webhooks/events', { event, accountId: 'acc_google_1', fields: { title: 'Demo' } })).status).toBe(201);
		}
		await sandbox.webhooks.idle();
		expect(rx.calls.map((_, i) => rx.json(i).event)).toEqual(['calendar_event_created', 'calendar_event_deleted']);
		expect(Object.keys(rx.json(0)).sort()).toEqual(
			['account_id', 'attendees', 'calendar_id', 'color', 'created_at', 'end', 'event', 'event_type', 'id', 'is_all_day', 'is_attendees_list_hidden', 'is_cancelled', 'master_event_id', 'organizer', 'start', 'title', 'transparency', 'updated_at', 'visibility', 'webhook_name'].sort(),
		);
		expect(rx.json(0)).toEqual(expect.objectContaining({ webhook_name: 'CAL', account_id: 'acc_google_1', title: 'Demo', start: { date_time: expect.any(String), time_zone: 'UTC' } }));
	});
});
