/**
 * The webhook trigger's pure modules: the secret, events → sources, what a delivery starts, resend detection, and
 * the registration lifecycle against the sandbox's real /webhooks over HTTP (no orphan when activation fails
 * halfway; a restart finds what is registered; extras at the node's URL are removed).
 */
import { eventsBySource, planRegistration, TRIGGER_EVENTS } from '../dist/nodes/UnipileTrigger/webhookEvents';
import { attachmentsOf, deliveryKey, judge, payloadOf, rememberDelivery } from '../dist/nodes/UnipileTrigger/webhookPayload';
import { registerWebhooks, unregisterWebhooks, webhooksExist, type RegistrationState, type WebhookApi } from '../dist/nodes/UnipileTrigger/webhookRegistry';
import { newSecret, DELIVERY_CHECK_HEADER, secretMatches } from '../dist/nodes/UnipileTrigger/webhookSecret';
import { startSandbox, type Sandbox } from './sandbox/server';

type Any = any;

describe('secret', () => {
	test('32 random bytes, compared in constant time whatever the length or shape of the header', () => {
		const s = newSecret();
		expect(Buffer.from(s, 'base64url')).toHaveLength(32);
		expect(newSecret()).not.toBe(s);
		expect(secretMatches(s, s)).toBe(true);
		expect(secretMatches(s, [s])).toBe(true);
		for (const wrong of [undefined, '', 'x', s.slice(0, -1), `${s}x`, s.toUpperCase(), 42, null]) expect(secretMatches(s, wrong)).toBe(false);
		expect(secretMatches(undefined, s)).toBe(false);
		expect(secretMatches('short', 'short')).toBe(false);
		expect(DELIVERY_CHECK_HEADER.toLowerCase()).toBe('x-unipile-n8n-secret');
	});
});

describe('events and sources', () => {
	test('the events Unipile documents for v1, each mapped to its Unipile source; one webhook per source', () => {
		expect(TRIGGER_EVENTS.map((e) => e.value).sort()).toEqual(
			[
				'message_received', 'message_read', 'message_reaction', 'message_edited', 'message_deleted', 'message_delivered', 'new_relation', 'account_status', 'mail_received', 'mail_sent', 'mail_opened', 'mail_link_clicked',
				'calendar_event_created', 'calendar_event_updated', 'calendar_event_deleted',
			].sort(),
		);
		expect(eventsBySource(['calendar_event_updated', 'calendar_event_created'])).toEqual({ bySource: [{ source: 'calendar_event', events: ['calendar_event_created', 'calendar_event_updated'] }], unknown: [] });
		expect(eventsBySource(['mail_opened', 'message_read', 'account_status', 'message_received', 'new_relation', 'mail_sent', 'nope'])).toEqual({
			bySource: [
				{ source: 'messaging', events: ['message_read', 'message_received'] },
				{ source: 'users', events: ['new_relation'] },
				{ source: 'account_status', events: ['account_status'] },
				{ source: 'email', events: ['mail_sent'] },
				{ source: 'email_tracking', events: ['mail_opened'] },
			],
			unknown: ['nope'],
		});
		const plan = planRegistration({ url: 'http://n8n/webhook/abc/webhook', events: ['account_status', 'message_received'], accountIds: ['b', 'a', 'b'], workflowId: 'W1', nodeName: 'Unipile Trigger' });
		expect(plan.webhooks).toEqual([
			{ request_url: 'http://n8n/webhook/abc/webhook', source: 'messaging', name: 'n8n workflow W1 · Unipile Trigger · messaging', format: 'json', enabled: true, events: ['message_received'], account_ids: ['a', 'b'] },
			{ request_url: 'http://n8n/webhook/abc/webhook', source: 'account_status', name: 'n8n workflow W1 · Unipile Trigger · account_status', format: 'json', enabled: true, account_ids: ['a', 'b'] },
		]);
		expect(planRegistration({ url: 'u', events: ['message_received', 'account_status'], accountIds: ['a', 'b'], nodeName: 'x' }).fingerprint).toBe(plan.fingerprint.replace(/http:\/\/n8n\/webhook\/abc\/webhook/g, 'u'));
	});
});

describe('what a delivery starts', () => {
	const chosen = { events: ['message_received', 'account_status', 'mail_received'], accountIds: [] as string[], includeOwnMessages: false };

	test('bodies: parsed object, raw JSON when n8n did not parse, anything else refused', () => {
		expect(payloadOf({ event: 'x' }, undefined)).toEqual({ event: 'x' });
		expect(payloadOf({}, Buffer.from('{"event":"message_received"}'))).toEqual({ event: 'message_received' });
		expect(payloadOf('{"a":1}', '{"a":1}')).toEqual({ a: 1 });
		for (const [parsed, raw] of [[[1], '[1]'], ['x', '"x"'], [{}, 'not json'], [{}, ''], [null, 'null'], [{}, '42']] as Array<[unknown, string]>) {
			expect(judge(payloadOf(parsed, raw), chosen)).toEqual({ kind: 'refuse', status: 400, message: expect.stringContaining('JSON object') });
		}
		expect(judge(payloadOf({}, undefined), chosen).kind).toBe('refuse');
		expect(judge(payloadOf({}, '{}'), chosen).kind).toBe('ignore');
	});

	test('chosen events and accounts start; others are ignored; own messages only when asked', () => {
		const msg = { event: 'message_received', account_id: 'A', message_id: 'm1', sender: { attendee_provider_id: 'me' }, account_info: { user_id: 'me' } };
		expect(judge(msg, chosen).kind).toBe('ignore');
		expect(judge({ ...msg, is_sender: false }, chosen)).toEqual({ kind: 'accept', event: 'message_received', accountId: 'A' });
		expect(judge({ ...msg, is_sender: true }, { ...chosen, includeOwnMessages: true }).kind).toBe('accept');
		expect(judge({ ...msg, sender: { attendee_provider_id: 'other' } }, chosen).kind).toBe('accept');
		expect(judge({ ...msg, event: 'message_read' }, chosen)).toEqual({ kind: 'ignore', reason: 'event message_read not chosen' });
		expect(judge({ AccountStatus: { account_id: 'A', message: 'OK' } }, chosen)).toEqual({ kind: 'accept', event: 'account_status', accountId: 'A' });
		expect(judge({ ...msg, is_sender: 0 }, { ...chosen, accountIds: ['B'] }).kind).toBe('ignore');
		expect(judge({ ...msg, is_sender: 0 }, { ...chosen, accountIds: ['B', 'A'] }).kind).toBe('accept');
		expect(judge({ event: 'something_else' }, chosen).kind).toBe('ignore');
	});

	test('a message whose payload does not say who sent it is never taken as "not own": Unipile is asked', () => {
		const documented = { event: 'message_received', account_id: 'A', message_id: 'm1', sender: { attendee_provider_id: '33600000000@s.whatsapp.net' } };
		expect(judge(documented, chosen)).toEqual({ kind: 'accept', event: 'message_received', accountId: 'A', askOwnership: true });
		expect(judge({ ...documented, account_info: { type: 'LINKEDIN', user_id: '' } }, chosen)).toEqual(expect.objectContaining({ askOwnership: true }));
		expect(judge({ ...documented, sender: {}, account_info: { user_id: 'me' } }, chosen)).toEqual(expect.objectContaining({ askOwnership: true }));
		expect(judge(documented, { ...chosen, includeOwnMessages: true })).toEqual({ kind: 'accept', event: 'message_received', accountId: 'A' });
		for (const is_sender of [true, 1, 'true', '1']) expect(judge({ ...documented, is_sender }, chosen).kind).toBe('ignore');
		for (const is_sender of [false, 0, 'false', '0']) expect(judge({ ...documented, is_sender }, chosen)).toEqual({ kind: 'accept', event: 'message_received', accountId: 'A' });
	});

	test('tracking named by `type`; account statuses filtered; calendar events by id and update time', () => {
		const tracking = { events: ['mail_opened', 'mail_link_clicked'], accountIds: [], includeOwnMessages: false };
		expect(judge({ type: 'mail_opened', event_id: 'e1', account_id: 'A' }, tracking)).toEqual({ kind: 'accept', event: 'mail_opened', accountId: 'A' });
		expect(judge({ type: 'message_received', account_id: 'A' }, { ...tracking, events: ['message_received'] }).kind).toBe('ignore');
		const statuses = { events: ['account_status'], accountIds: [], includeOwnMessages: false, accountStatuses: ['CREDENTIALS', 'ERROR'] };
		expect(judge({ AccountStatus: { account_id: 'A', message: 'OK' } }, statuses)).toEqual({ kind: 'ignore', reason: 'account status OK not chosen' });
		expect(judge({ AccountStatus: { account_id: 'A', message: 'ERROR' } }, statuses).kind).toBe('accept');
		expect(judge({ AccountStatus: { account_id: 'A' } }, statuses).kind).toBe('ignore');
		expect(judge({ AccountStatus: { account_id: 'A', message: 'OK' } }, { ...statuses, accountStatuses: [] }).kind).toBe('accept');
		const cal = { event: 'calendar_event_updated', account_id: 'A', id: 'ev1', updated_at: '2026-01-01T00:00:00Z' };
		expect(deliveryKey(cal)).toBe(deliveryKey({ ...cal, webhook_name: 'other' }));
		expect(deliveryKey(cal)).not.toBe(deliveryKey({ ...cal, updated_at: '2026-01-01T00:01:00Z' }));
		expect(deliveryKey(cal)).not.toBe(deliveryKey({ ...cal, event: 'calendar_event_deleted' }));
		expect(deliveryKey({ type: 'mail_opened', event_id: 'e1', account_id: 'A' })).toBe(deliveryKey({ event: 'mail_opened', event_id: 'e1', account_id: 'A' }));
	});

	test('attachments as an array or as the documentation example single object', () => {
		expect(attachmentsOf({ attachments: [{ id: 'a1', file_name: 'f.pdf', mimetype: 'application/pdf' }, { id: 'a2', unavailable: true }, { nope: 1 }, 'x'] })).toEqual([
			{ id: 'a1', fileName: 'f.pdf', mimeType: 'application/pdf', unavailable: false },
			{ id: 'a2', fileName: undefined, mimeType: undefined, unavailable: true },
			{ id: undefined, fileName: undefined, mimeType: undefined, unavailable: false },
		]);
		expect(attachmentsOf({ attachments: { id: 'a3', sticker: 'false', unavailable: 'false', mimetype: 'image/png' } })).toEqual([{ id: 'a3', fileName: undefined, mimeType: 'image/png', unavailable: false }]);
		expect(attachmentsOf({ attachments: null })).toEqual([]);
	});

	test('a resend has the same key; different events on one message do not; status changes are never dropped', () => {
		const m = { event: 'message_received', account_id: 'A', message_id: 'm1', timestamp: 't1' };
		expect(deliveryKey(m)).toBe(deliveryKey({ ...m }));
		expect(deliveryKey({ ...m, event: 'message_read' })).not.toBe(deliveryKey(m));
		expect(deliveryKey({ ...m, event: 'message_reaction', reaction: '👍' })).not.toBe(deliveryKey({ ...m, event: 'message_reaction', reaction: '❤️' }));
		expect(deliveryKey({ AccountStatus: { account_id: 'A', message: 'OK' } })).toBeUndefined();
		expect(deliveryKey({ event: 'mail_received', email_id: 'e1' })).toBe(deliveryKey({ event: 'mail_received', email_id: 'e1' }));
		expect(deliveryKey({ event: 'mail_received', object: 'Mail', id: 'e1' })).toBe(deliveryKey({ event: 'mail_received', email_id: 'e1' }));
		const recent: string[] = [];
		expect(rememberDelivery(recent, 'k1', 3)).toBe(true);
		expect(rememberDelivery(recent, 'k1', 3)).toBe(false);
		for (const k of ['k2', 'k3', 'k4']) rememberDelivery(recent, k, 3);
		expect(recent).toEqual(['k2', 'k3', 'k4']);
		expect(rememberDelivery(recent, 'k1', 3)).toBe(true);
	});
});

describe('registration lifecycle against the sandbox', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ chats: 4, messagesPerChat: 1 });
	});
	afterAll(async () => sandbox?.close());
	beforeEach(() => sandbox.reset());

	function api(): WebhookApi {
		const call = async (method: string, path: string, body?: unknown): Promise<Any> => {
			const res = await fetch(`${sandbox.url}/api/v1${path}`, {
				method,
				headers: { 'X-API-KEY': sandbox.apiKey, ...(body ? { 'Content-Type': 'application/json' } : {}) },
				body: body ? JSON.stringify(body) : undefined,
			});
			const json: Any = await res.json();
			if (res.status === 404 && method === 'DELETE') return json;
			if (res.status >= 300) throw new Error(`${res.status} ${json.type}`);
			return json;
		};
		return {
			async *list() {
				let cursor: string | null = null;
				do {
					const page: Any = await call('GET', `/webhooks?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
					yield* page.items;
					cursor = page.cursor;
				} while (cursor);
			},
			create: async (body) => (await call('POST', '/webhooks', body)).webhook_id,
			remove: async (id) => void (await call('DELETE', `/webhooks/${encodeURIComponent(id)}`)),
		};
	}
	const url = 'http://127.0.0.1:5678/webhook/node-1/webhook';
	const plan = planRegistration({ url, events: ['message_received', 'new_relation', 'account_status', 'mail_received', 'mail_opened'], accountIds: [], workflowId: 'W', nodeName: 'T' });

	test('create → exists; a second check after a "restart" with the same state creates nothing; delete removes all', async () => {
		const state: RegistrationState = {};
		expect(await webhooksExist(api(), plan, state)).toBe(false);
		await registerWebhooks(api(), plan, state);
		const hooks = [...sandbox.webhooks.webhooks.values()];
		expect(hooks.map((w) => w.source)).toEqual(['messaging', 'users', 'account_status', 'email', 'email_tracking']);
		for (const w of hooks) expect(w.headers).toEqual([{ key: DELIVERY_CHECK_HEADER, value: state.secret }, { key: 'Content-Type', value: 'application/json' }]);
		expect(Buffer.from(state.secret!, 'base64url').length).toBeGreaterThanOrEqual(32);
		const restarted = JSON.parse(JSON.stringify(state));
		sandbox.clearRequests();
		expect(await webhooksExist(api(), plan, restarted)).toBe(true);
		expect(sandbox.requests.every((r) => r.method === 'GET')).toBe(true);
		// Changed events: the old registration goes.
		const other = planRegistration({ url, events: ['message_received'], accountIds: [], workflowId: 'W', nodeName: 'T' });
		expect(await webhooksExist(api(), other, restarted)).toBe(false);
		expect(sandbox.webhooks.webhooks.size).toBe(0);
		await registerWebhooks(api(), other, restarted);
		expect(sandbox.webhooks.webhooks.size).toBe(1);
		await unregisterWebhooks(api(), url, restarted);
		expect(sandbox.webhooks.webhooks.size).toBe(0);
		expect(restarted).toEqual({});
	});

	test('a failure halfway through activation leaves no webhook at Unipile', async () => {
		let created = 0;
		const real = api();
		const flaky: WebhookApi = {
			list: () => real.list(),
			remove: (id) => real.remove(id),
			create: async (body) => {
				if (++created === 3) sandbox.injectFault({ method: 'POST', path: '/webhooks', status: 422, times: 1 });
				return real.create(body);
			},
		};
		const state: RegistrationState = {};
		await expect(registerWebhooks(flaky, plan, state)).rejects.toThrow('422');
		expect(sandbox.webhooks.webhooks.size).toBe(0);
		expect(state).toEqual({});
		expect(sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([200, 200]);
	});

	test('a creation whose answer was lost (its twin exists) and foreign copies at the URL are removed', async () => {
		const state: RegistrationState = {};
		await registerWebhooks(api(), plan, state);
		const twin = await api().create({ request_url: url, source: 'messaging' });
		expect(await webhooksExist(api(), plan, state)).toBe(false);
		expect(sandbox.webhooks.webhooks.has(twin)).toBe(false);
		expect(sandbox.webhooks.webhooks.size).toBe(0);
		const elsewhere = await api().create({ request_url: 'http://other/hook', source: 'messaging' });
		await registerWebhooks(api(), plan, state);
		await unregisterWebhooks(api(), url, state);
		expect([...sandbox.webhooks.webhooks.keys()]).toEqual([elsewhere]);
	});
});
