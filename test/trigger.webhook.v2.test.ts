/**
 * Unipile Trigger on Unipile API v2, inside n8n-core's real HookContext and WebhookContext served over real HTTP,
 * against the sandbox's /v2/webhooks/endpoints/ and its signed deliveries: activation creates one endpoint (its
 * secret kept in static data), a restart finds it again, a failure halfway leaves none, deactivation deletes it;
 * deliveries start one execution each only with a valid signature within the tolerance, never twice for one event id;
 * own messages, accounts, events not chosen and attachments as on v1; v1 event values keep their meaning on v2.
 */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type ILoadOptionsFunctions, type INode, type INodePropertyOptions, type INodeType, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import type { Sandbox } from './sandbox/server';
import { additionalDataFor, loadPackage, nodeTypes, type UnipileCredentialData } from './harness/engine';
import { webhookTestKit } from './harness/webhook';
import { v2Webhooks, type V2Webhooks } from './sandbox/v2/webhooks';
import { signatureHeader, SIGNATURE_TOLERANCE_SECONDS } from '../dist/nodes/UnipileTrigger/webhookSignature';
import { v2EventsOf } from '../dist/nodes/UnipileTrigger/webhookEventsV2';

const kit = webhookTestKit({ chats: 6, messagesPerChat: 2, v2: { chatsPerAccount: 3, messagesPerChat: 2 }, v2Webhooks: { retryDelaysMs: [20, 40, 80, 160, 320], timeoutMs: 2000 } }, 'v2');
const harness = kit.harness;
let sandbox: Sandbox;
let hub: V2Webhooks;
beforeEach(() => {
	sandbox = kit.sandbox();
	hub = v2Webhooks(sandbox.v2.env);
});

const endpoints = () => [...hub.endpoints.values()];
const accountOf = (provider: string) => sandbox.v2.accounts.find((a) => a.provider === provider && a.status === 'running')!.id;
const endpointRequests = () => sandbox.requests.filter((r) => r.path.startsWith('/v2/webhooks/endpoints'));

/** A delivery as Unipile signs it, with the endpoint's secret (or another), posted to the node's URL. */
async function deliver(url: string, body: string, options: { secret?: string; t?: number; header?: string | null } = {}): Promise<number> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	const header = options.header === undefined ? signatureHeader(options.secret ?? endpoints()[0].secret, body, options.t) : options.header;
	if (header !== null) headers['unipile-signature'] = header;
	const res = await fetch(url, { method: 'POST', headers, body });
	await res.text();
	return res.status;
}

describe('activation on v2', () => {
	test('one endpoint at the production URL with the events, accounts and a description naming workflow and node; its secret kept; a restart only lists; deactivation deletes it', async () => {
		const whatsapp = accountOf('whatsapp');
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new', 'relation.new', 'account.status.disconnected'], accountIds: [whatsapp] });
		await h.activate();
		const posts = endpointRequests().filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(1);
		expect(posts[0].path).toBe('/v2/webhooks/endpoints/');
		const sent = posts[0].json as Record<string, unknown>;
		expect(Object.keys(sent).sort()).toEqual(['account_ids', 'description', 'trigger_events', 'url']);
		expect(sent.trigger_events).toEqual(['account.status.disconnected', 'message.new', 'relation.new']);
		expect(sent.url).toBe(h.url);
		expect(sent.account_ids).toEqual([whatsapp]);
		expect(sent.description).toMatch(/^n8n workflow wf-webhook-\d+ · Unipile Trigger$/);
		expect(endpoints()).toHaveLength(1);
		const state = h.staticData();
		expect(state).toEqual({ api: 'v2', secret: endpoints()[0].secret, url: h.url, fingerprint: expect.any(String), endpointId: endpoints()[0].id });

		// n8n restarting: checkExists on the saved static data finds the endpoint through the paged list, creates nothing.
		sandbox.clearRequests();
		await h.activate({ activation: 'init' });
		// Asked past Unipile's 1-hour GET cache: an endpoint made or deleted since must show.
		expect(sandbox.requests.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query as Record<string, string>).toString()} ${r.headers['cache-control']}`)).toEqual(['GET /v2/webhooks/endpoints/?limit=100 no-cache']);
		expect(endpoints()).toHaveLength(1);

		await h.deactivate();
		expect(endpoints()).toHaveLength(0);
		expect(endpointRequests().filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/v2/webhooks/endpoints/${state.endpointId}`]);
		expect(h.staticData()).toEqual({});
	});

	test('the endpoint is found again among many (pages by offset); a restart from lost static data or a changed configuration replaces it: still exactly one', async () => {
		for (let i = 0; i < 230; i++) hub.create({ trigger_events: ['email.new'], url: `https://elsewhere.example.com/hook/${i}` });
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'] });
		await h.activate();
		sandbox.clearRequests();
		await h.activate({ activation: 'init' });
		expect(sandbox.requests.map((r) => r.query.offset ?? '0')).toEqual(['0', '100', '200']);
		const mine = () => endpoints().filter((e) => e.url === h.url);
		const first = mine()[0].id;

		h.setStaticData({});
		await h.activate({ activation: 'init' });
		expect(mine()).toHaveLength(1);
		expect(mine()[0].id).not.toBe(first);

		// Changed by hand at Unipile: registered again as configured.
		hub.endpoints.get(mine()[0].id)!.trigger_events = ['message.delete'];
		await h.activate({ activation: 'init' });
		expect(mine().map((e) => e.trigger_events)).toEqual([['message.new']]);
		expect(endpoints()).toHaveLength(231);
	});

	test('a create whose answer is lost leaves no endpoint at Unipile, and the activation fails', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'] });
		sandbox.injectFault({ method: 'POST', path: '/v2/webhooks/endpoints/', dropAfterHandling: true });
		await expect(h.activate()).rejects.toThrow();
		expect(endpoints()).toHaveLength(0);
		expect(h.staticData()).toEqual({});
		// The POST was sent once (never resent), then the URL was swept.
		expect(endpointRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(endpointRequests().filter((r) => r.method === 'DELETE')).toHaveLength(1);
	});

	test('an endpoint created without a secret in the answer is deleted again: no orphan, and the error says why', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'] });
		const original = hub.create.bind(hub);
		hub.create = (body) => {
			const { secret: _secret, ...withoutSecret } = original(body);
			return withoutSecret as ReturnType<typeof original>;
		};
		try {
			await expect(h.activate()).rejects.toThrow('Unipile did not return the secret of the webhook endpoint it created');
		} finally {
			hub.create = original;
		}
		expect(endpoints()).toHaveLength(0);
		expect(h.staticData()).toEqual({});
	});

	test('a key refused on the endpoints route: the error says a Service API key may be needed, without the key', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'] });
		sandbox.injectFault({ method: 'POST', path: '/v2/webhooks/endpoints/', status: 403, times: 1 });
		const error = await h.activate().then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);
		expect(error?.message).toBe('Unipile refused to manage webhook endpoints with this API key (HTTP 403)');
		expect(error?.description).toContain('a Service API key (the key that manages the application, from the Unipile dashboard) may be needed');
		expect(JSON.stringify(error)).not.toContain(sandbox.v2.apiKey);
		expect(endpoints()).toHaveLength(0);
	});

	test('a v1 workflow switched to v2 keeps its meaning: v1 events (and account statuses) registered as their v2 counterparts', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message_received', 'account_status', 'mail_sent', 'new_relation'], accountStatuses: ['CREDENTIALS', 'ERROR'] });
		await h.activate();
		expect(endpoints()[0].trigger_events).toEqual(['account.status.disconnected', 'account.status.errored', 'email.new', 'message.new', 'relation.new']);
		const incoming = sandbox.v2.injectMessage({ accountId: accountOf('telegram'), text: 'switched' });
		await hub.idle();
		await h.answered(1);
		expect(h.executions.map((e) => (e.items[0].json.payload as Record<string, unknown>).id)).toEqual([incoming.id]);

		// v1's "every status" is every account event of v2; an unknown value is refused before anything is sent.
		expect(v2EventsOf(['account_status']).events).toContain('account.add');
		const bad = await harness({ authentication: 'unipileApiV2', events: ['message_received', 'no_such_event'] });
		sandbox.clearRequests();
		await expect(bad.activate()).rejects.toThrow('Events: "no_such_event" is not a Unipile API v2 event');
		expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	test('"Listen for test event" registers at the test URL and deletes the endpoint afterwards', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'] });
		await h.activate({ test: true });
		expect(endpoints().map((e) => e.url)).toEqual([h.testUrl]);
		sandbox.v2.injectMessage({ accountId: accountOf('whatsapp'), text: 'test event' });
		await hub.idle();
		await h.answered(1);
		expect(h.executions.map((e) => [e.test, (e.items[0].json.payload as Record<string, unknown>).text])).toEqual([[true, 'test event']]);
		await h.deactivate({ test: true });
		expect(endpoints()).toHaveLength(0);
	});
});

describe('deliveries on v2', () => {
	test('an injected message starts one execution with the v2 event; own messages only when asked; any event type chosen', async () => {
		const whatsapp = accountOf('whatsapp');
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new', 'relation.new', 'account.status.disconnected'] });
		await h.activate();
		const incoming = sandbox.v2.injectMessage({ accountId: whatsapp, text: 'Hi v2!' });
		sandbox.v2.injectMessage({ accountId: whatsapp, text: 'my own reply', isSender: true });
		const relation = hub.emit('relation.new', accountOf('linkedin'), { user: { id: 'u_1', display_name: 'Ada Lovelace' } });
		hub.emit('account.status.disconnected', accountOf('telegram'), { timestamp: new Date().toISOString() });
		await hub.idle();
		await h.answered(4);
		expect(h.answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
		expect(h.executions).toHaveLength(3);
		const [message, rel, status] = h.executions.map((e) => e.items[0].json);
		expect(message).toEqual({ id: expect.stringMatching(/^evt_/), created_at: expect.any(String), account_id: whatsapp, type: 'message.new', payload: expect.objectContaining({ object: 'Message', id: incoming.id, text: 'Hi v2!', is_sender: false }) });
		expect(rel).toEqual(relation.event);
		expect(status.type).toBe('account.status.disconnected');
		expect(hub.deliveries.every((d) => d.headers['unipile-signature'].startsWith('t='))).toBe(true);

		const withOwn = await harness({ authentication: 'unipileApiV2', events: ['message.new'], options: { includeOwnMessages: true } });
		await withOwn.activate();
		sandbox.v2.injectMessage({ accountId: whatsapp, text: 'mine', isSender: true });
		await hub.idle();
		await withOwn.answered(1);
		expect(withOwn.executions.map((e) => (e.items[0].json.payload as Record<string, unknown>).text)).toEqual(['mine']);
	});

	test('a bad signature or an old timestamp is refused (401, no execution); Unipile retries, and the correctly signed retry starts one execution', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'] });
		await h.activate();
		hub.tamperNext('bad-signature');
		const first = sandbox.v2.injectMessage({ accountId: accountOf('whatsapp'), text: 'forged once' });
		await hub.idle();
		hub.tamperNext('old-timestamp', 2);
		const second = sandbox.v2.injectMessage({ accountId: accountOf('whatsapp'), text: 'stale twice' });
		await hub.idle();
		await h.answered(5);
		expect(hub.deliveries.map((d) => [d.attempt, d.status, d.tampered ?? null])).toEqual([
			[1, 401, 'bad-signature'],
			[2, 200, null],
			[1, 401, 'old-timestamp'],
			[2, 401, 'old-timestamp'],
			[3, 200, null],
		]);
		expect(h.executions.map((e) => (e.items[0].json.payload as Record<string, unknown>).id)).toEqual([first.id, second.id]);
	});

	test('forged deliveries get 401 and start nothing: no header, malformed, wrong secret, tampered body, timestamp outside the tolerance', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'], options: { includeOwnMessages: true } });
		await h.activate();
		const body = JSON.stringify({ id: 'evt_forged', created_at: new Date().toISOString(), account_id: accountOf('whatsapp'), type: 'message.new', payload: { id: 'm1', chat_id: 'c1', text: 'forged' } });
		const now = Math.floor(Date.now() / 1000);
		const good = signatureHeader(endpoints()[0].secret, body, now);
		expect(await deliver(h.url, body, { header: null })).toBe(401);
		expect(await deliver(h.url, body, { header: 'v0=abc' })).toBe(401);
		expect(await deliver(h.url, body, { header: good.replace(/v0=./, (m) => (m.endsWith('0') ? 'v0=1' : 'v0=0')) })).toBe(401);
		expect(await deliver(h.url, body, { secret: 'whsec_not-the-secret' })).toBe(401);
		expect(await deliver(h.url, body.replace('forged', 'Forged'), { header: good })).toBe(401);
		expect(await deliver(h.url, body, { t: now - SIGNATURE_TOLERANCE_SECONDS - 5 })).toBe(401);
		expect(await deliver(h.url, body, { t: now + SIGNATURE_TOLERANCE_SECONDS + 5 })).toBe(401);
		expect(h.executions).toHaveLength(0);
		// Unknown keys in the header are ignored; a time within the tolerance is accepted.
		expect(await deliver(h.url, body, { header: `${signatureHeader(endpoints()[0].secret, body, now - 60)},v1=whatever,x=1` })).toBe(200);
		expect(h.executions).toHaveLength(1);
	});

	test('the signature is checked on the bytes received: a body with its own spacing and key order is accepted as signed', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'], options: { includeOwnMessages: true } });
		await h.activate();
		const body = `{ "type" : "message.new",\n  "id": "evt_spaced", "account_id": "${accountOf('whatsapp')}", "payload": {"text": "caf\\u00e9", "id": "m2", "chat_id": "c2"} }`;
		expect(await deliver(h.url, body)).toBe(200);
		expect(h.executions.map((e) => (e.items[0].json.payload as Record<string, unknown>).text)).toEqual(['café']);
	});

	test('the same event id twice starts one execution; events or accounts not chosen start nothing (200)', async () => {
		const whatsapp = accountOf('whatsapp');
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new', 'follower.new'], accountIds: [whatsapp], options: { includeOwnMessages: true } });
		await h.activate();
		const event = (id: string, type: string, account = whatsapp) => JSON.stringify({ id, created_at: new Date().toISOString(), account_id: account, type, payload: { id: `m_${id}`, chat_id: 'c', text: id } });
		expect(await deliver(h.url, event('evt_1', 'message.new'))).toBe(200);
		expect(await deliver(h.url, event('evt_1', 'message.new'))).toBe(200);
		expect(await deliver(h.url, event('evt_2', 'message.delete'))).toBe(200);
		expect(await deliver(h.url, event('evt_3', 'message.new', accountOf('telegram')))).toBe(200);
		expect(await deliver(h.url, event('evt_4', 'follower.new'))).toBe(200);
		expect(h.executions.map((e) => e.items[0].json.id)).toEqual(['evt_1', 'evt_4']);
		expect(await deliver(h.url, 'not json')).toBe(400);
	});

	test('a message.new without is_sender: the message is asked of Unipile (its chat\'s route); an unanswerable question gets 503', async () => {
		const whatsapp = accountOf('whatsapp');
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'] });
		await h.activate();
		const own = sandbox.v2.injectMessage({ accountId: whatsapp, text: 'own, said by Unipile', isSender: true, chatId: undefined });
		await hub.idle();
		const { is_sender: _dropped, ...withoutFlag } = own as unknown as Record<string, unknown>;
		sandbox.clearRequests();
		expect(await deliver(h.url, JSON.stringify({ id: 'evt_own', account_id: whatsapp, type: 'message.new', payload: withoutFlag }))).toBe(200);
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.headers['cache-control'] ?? ''}`)).toEqual([`GET /v2/${whatsapp}/chats/${own.chat_id}/messages/${own.id} no-cache`]);
		expect(h.executions).toHaveLength(0);
		expect(await deliver(h.url, JSON.stringify({ id: 'evt_unknown', account_id: whatsapp, type: 'message.new', payload: { ...withoutFlag, id: 'no_such_message' } }))).toBe(503);
		expect(h.executions).toHaveLength(0);
	});

	test('Download Attachments within the Download Time Limit: a file still coming then is listed, and the answer does not wait for it', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'], options: { downloadAttachments: true, downloadTimeLimit: 1 } });
		await h.activate();
		sandbox.injectFault({ method: 'GET', path: /\/attachments\//, delayMs: 2500 });
		const message = sandbox.v2.injectMessage({ accountId: accountOf('whatsapp'), text: 'slow file', attachments: [{ filename: 'big.bin', content_type: 'application/octet-stream', bytes: Buffer.alloc(1024, 7) }] });
		await hub.idle();
		await h.answered(1);
		const delivery = hub.deliveries[0];
		expect([delivery.status, delivery.endedAt - delivery.sentAt < 3000]).toEqual([200, true]);
		const [item] = h.executions[0].items;
		expect(item.binary).toBeUndefined();
		expect(item.json.attachmentDownload).toEqual({ complete: false, downloaded: [], notDownloaded: [{ index: 0, id: message.attachments[0].id, fileName: 'big.bin', mimeType: 'application/octet-stream', reason: 'time_limit' }] });

		// The sandbox's slow answer ends before the file closes (no timer left behind).
		while (sandbox.requests.some((r) => r.path.includes('/attachments/') && r.status === 0)) await new Promise((r) => setTimeout(r, 100));
	});

	test('Download Attachments: the files of a v2 message in binary fields, from its chat\'s route', async () => {
		const h = await harness({ authentication: 'unipileApiV2', events: ['message.new'], options: { downloadAttachments: true } });
		await h.activate();
		const bytes = Buffer.from('%PDF-1.4 sandbox file for the v2 trigger');
		const message = sandbox.v2.injectMessage({ accountId: accountOf('whatsapp'), text: 'with a file', attachments: [{ filename: 'offer.pdf', content_type: 'application/pdf', bytes }] });
		await hub.idle();
		await h.answered(1);
		const [item] = h.executions[0].items;
		expect(item.json.attachmentDownload).toEqual({ complete: true, downloaded: ['attachment_0'], notDownloaded: [] });
		expect(item.binary?.attachment_0).toEqual(expect.objectContaining({ fileName: 'offer.pdf', mimeType: 'application/pdf' }));
		expect(Buffer.from(item.binary!.attachment_0.data, 'base64')).toEqual(bytes);
		expect(sandbox.requests.some((r) => r.path === `/v2/${accountOf('whatsapp')}/chats/${message.chat_id}/messages/${message.id}/attachments/${message.attachments[0].id}`)).toBe(true);
	});
});

describe("the sandbox's v2 webhooks (what the trigger is tested against)", () => {
	const call = async (method: string, path: string, body?: unknown) => {
		const res = await fetch(`${sandbox.url}/v2${path}`, { method, headers: { 'x-api-key': sandbox.v2.apiKey, 'content-type': 'application/json', 'cache-control': 'no-cache' }, body: body === undefined ? undefined : JSON.stringify(body) });
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	};

	test('strict like the other v2 routes: unknown fields, unknown event types, a missing url are 400 with a v2 error; the list pages by string offset with has_more', async () => {
		expect((await call('POST', '/webhooks/endpoints/', { trigger_events: ['message.new'], url: 'https://example.com/h', source: 'messaging' })).json).toEqual(expect.objectContaining({ object: 'Error', status: 400, type: 'api/invalid_parameters' }));
		expect((await call('POST', '/webhooks/endpoints/', { trigger_events: ['message_received'], url: 'https://example.com/h' })).status).toBe(400);
		expect((await call('POST', '/webhooks/endpoints/', { trigger_events: ['message.new'] })).status).toBe(400);
		const made = await call('POST', '/webhooks/endpoints/', { trigger_events: ['message.new'], url: 'https://example.com/h', description: 'd' });
		expect(made.json).toEqual(expect.objectContaining({ object: 'WebhookEndpoint', id: expect.stringMatching(/^we_/), secret: expect.any(String), account_ids: [], enabled: true }));
		for (let i = 0; i < 2; i++) await call('POST', '/webhooks/endpoints/', { trigger_events: ['email.new'], url: `https://example.com/${i}` });
		const first = await call('GET', '/webhooks/endpoints/?limit=2');
		expect([first.json.object, (first.json.data as unknown[]).length, first.json.has_more]).toEqual(['WebhookEndpoints', 2, true]);
		const second = await call('GET', '/webhooks/endpoints/?limit=2&offset=2');
		expect([(second.json.data as unknown[]).length, second.json.has_more]).toEqual([1, false]);
		expect((await call('GET', '/webhooks/endpoints/?cursor=x')).status).toBe(400);
		expect((await call('DELETE', `/webhooks/endpoints/${String(made.json.id)}`)).json).toEqual({ success: true });
		expect((await call('DELETE', `/webhooks/endpoints/${String(made.json.id)}`)).status).toBe(404);
	});

	test('a delivery nobody answers 2xx is retried 5 times with growing delays, signed anew each time with the same event id', async () => {
		const { checkSignature } = await import('../dist/nodes/UnipileTrigger/webhookSignature');
		const endpoint = hub.create({ trigger_events: ['follower.new'], url: 'http://127.0.0.1:9/nothing-listens-here' });
		hub.emit('follower.new', accountOf('linkedin'), { user: { display_name: 'Fan' } });
		await hub.idle();
		expect(hub.deliveries.map((d) => [d.attempt, d.ok])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, false]));
		const gaps = hub.deliveries.slice(1).map((d, i) => d.sentAt - hub.deliveries[i].endedAt);
		expect(gaps.every((g, i) => i === 0 || g >= gaps[i - 1] - 5)).toBe(true);
		expect(new Set(hub.deliveries.map((d) => d.eventId)).size).toBe(1);
		for (const d of hub.deliveries) expect(checkSignature(endpoint.secret, d.headers['unipile-signature'], Buffer.from(d.body))).toEqual({ valid: true });
		expect(JSON.parse(hub.deliveries[0].body)).toEqual({ id: expect.stringMatching(/^evt_/), created_at: expect.any(String), account_id: accountOf('linkedin'), type: 'follower.new', payload: { user: { display_name: 'Fan' } } });
	});
});

describe('Accounts picker on v2', () => {
	test("lists v2's accounts (GET /v2/accounts/, the Core list) with their provider; on v1 the v1 accounts", async () => {
		await loadPackage();
		const options = async (authentication: string) => {
			const v2 = authentication === 'unipileApiV2';
			const node: INode = {
				id: 'n1',
				name: 'Unipile Trigger',
				type: 'CUSTOM.unipileTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { authentication },
				credentials: v2 ? { unipileV2Api: { id: 'c2', name: 'v2' } } : { unipileApi: { id: 'c1', name: 'v1' } },
			};
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
			const credentials: UnipileCredentialData = v2 ? { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url } : { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
			const context = new LoadOptionsContext(workflow, node, { ...additionalDataFor(credentials), currentNodeParameters: node.parameters } as IWorkflowExecuteAdditionalData, 'parameters.accountIds');
			const type = nodeTypes().getByNameAndVersion('CUSTOM.unipileTrigger', 1) as INodeType;
			return await (type.methods!.loadOptions!.getAccounts as (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>).call(context);
		};
		const onV2 = await options('unipileApiV2');
		expect(onV2.map((o) => o.value).sort()).toEqual(sandbox.v2.accounts.map((a) => a.id).sort());
		expect(onV2.find((o) => o.value === accountOf('whatsapp'))?.name).toMatch(/\(whatsapp\)$/);
		expect(sandbox.requests.filter((r) => r.path.startsWith('/v2/')).map((r) => r.path)).toEqual(['/v2/accounts/']);
		const onV1 = await options('unipileApi');
		expect(onV1.map((o) => o.value)).toContain('acc_whatsapp_1');
	});
});
