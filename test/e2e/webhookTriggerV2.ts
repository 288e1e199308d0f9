/**
 * Unipile Trigger on Unipile API v2 in the real n8n: activation creates one webhook endpoint at the sandbox's
 * /v2/webhooks/endpoints/ pointing at n8n's production URL; signed v2 events (an injected v2 message, relation.new,
 * account.status.disconnected) start one execution each with the v2 event; a forged or stale signature gets 401 and
 * starts nothing (and a delivery the sandbox signs wrongly is retried until signed right: one execution); after a
 * restart of n8n the same endpoint is still the only one and events still arrive; deactivation deletes it; "Listen for
 * test event" creates one at the test URL and deletes it afterwards. Valid signatures being accepted shows n8n handed
 * the node the raw bytes of the request (the HMAC is over them).
 */
import { randomBytes } from 'node:crypto';
import { signatureHeader } from '../../dist/nodes/UnipileTrigger/webhookSignature';
import { v2Webhooks } from '../sandbox/v2/webhooks';
import { executionsOf, waitForExecutions, webhookSecretsSeen, type WebhookE2eDeps } from './webhookTrigger';

const NODE_ID = '5e0b7a52-0000-4000-8000-00000000c001';
const WEBHOOK_ID = 'c0ffee00-1e55-4b0b-9e57-0000000000c2';
const EVENTS = ['message.new', 'relation.new', 'account.status.disconnected'];

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(what: string, test: () => boolean, timeoutMs = 15_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!test()) {
		assert(Date.now() < until, `${what} not within ${timeoutMs / 1000}s`);
		await sleep(100);
	}
}

/** "Unipile Trigger (Unipile API v2) → No Op". */
export function webhookWorkflowV2(name: string, credential: { id: string; name: string }, events = EVENTS, accountIds: string[] = [], webhookId = WEBHOOK_ID): Record<string, unknown> {
	return {
		name,
		active: false,
		nodes: [
			{
				id: NODE_ID,
				name: 'Unipile Trigger',
				type: 'CUSTOM.unipileTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { authentication: 'unipileApiV2', events, accountIds },
				credentials: { unipileV2Api: { ...credential } },
			},
			{ id: '5e0b7a52-0000-4000-8000-00000000c002', name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { 'Unipile Trigger': { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { saveDataSuccessExecution: 'all', saveManualExecutions: true, saveDataErrorExecution: 'all' },
	};
}

export async function webhookTriggerV2E2e(d: WebhookE2eDeps): Promise<void> {
	const { rest, sb } = d;
	const hub = v2Webhooks(sb.v2.env);
	const account = (provider: string) => sb.v2.accounts.find((a) => a.provider === provider && a.status === 'running')!.id;
	const productionUrl = `${d.base}/webhook/${WEBHOOK_ID}/webhook`;
	const testUrl = `${d.base}/webhook-test/${WEBHOOK_ID}/webhook`;
	const created = await rest.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', webhookWorkflowV2('e2e: Unipile Trigger (webhooks, Unipile API v2)', d.credential));
	const endpoints = () => [...hub.endpoints.values()];
	const expectOne = (url: string) => {
		const all = endpoints();
		assert(all.length === 1 && all[0].url === url, `endpoints at the sandbox: ${JSON.stringify(all.map((e) => [e.url, e.trigger_events]))}, expected one at ${url}`);
		webhookSecretsSeen.push(all[0].secret);
		return all[0];
	};
	const nonce = randomBytes(3).toString('hex');
	const messageText = (p: Record<string, unknown>) => (p.payload as Record<string, unknown> | undefined)?.text;

	let endpointId = '';
	const active = await d.check("Unipile Trigger on v2: activation creates one webhook endpoint at n8n's production URL", async () => {
		hub.reset();
		hub.retryDelaysMs = [200, 400, 800, 1600, 3200];
		const activated = await rest.ok<{ active?: boolean; activeVersionId?: string | null }>('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		assert(activated.active === true || !!activated.activeVersionId, `activation answered ${JSON.stringify(activated).slice(0, 300)}`);
		await eventually('endpoint created after activation', () => endpoints().length >= 1);
		await sleep(500);
		const endpoint = expectOne(productionUrl);
		assert(JSON.stringify(endpoint.trigger_events) === JSON.stringify([...EVENTS].sort()), `trigger_events ${JSON.stringify(endpoint.trigger_events)}`);
		assert(/^n8n workflow \S+ · Unipile Trigger$/.test(endpoint.description ?? ''), `description ${endpoint.description}`);
		endpointId = endpoint.id;
		d.log(`  endpoint ${endpoint.id} → ${productionUrl}`);
	});
	if (!active) return;

	await d.check('Unipile Trigger on v2: signed events start one execution each, with the v2 event', async () => {
		const message = sb.v2.injectMessage({ accountId: account('whatsapp'), text: `v2 webhook e2e ${nonce}` });
		hub.emit('relation.new', account('linkedin'), { user: { display_name: 'Ada Lovelace' } });
		hub.emit('account.status.disconnected', account('telegram'), { timestamp: new Date().toISOString() });
		await hub.idle();
		const runs = await waitForExecutions(d, created.id, 3);
		assert(runs.length === 3 && runs.every((r) => r.execution.status === 'success' && r.items.length === 1), `executions: ${JSON.stringify(runs.map((r) => [r.execution.status, r.items.length]))}`);
		const events = runs.map((r) => r.items[0].json);
		const byType = (t: string) => events.find((e) => e.type === t);
		assert((byType('message.new')?.payload as Record<string, unknown>)?.id === message.id && messageText(byType('message.new')!) === `v2 webhook e2e ${nonce}`, `message event: ${JSON.stringify(byType('message.new'))}`);
		assert(byType('relation.new') && byType('account.status.disconnected'), `events: ${JSON.stringify(events.map((e) => e.type))}`);
		assert(events.every((e) => typeof e.id === 'string' && (e.id as string).startsWith('evt_')), 'events without their evt_ id');
		const failed = hub.deliveries.filter((x) => !x.ok);
		assert(failed.length === 0, `deliveries n8n did not answer 2xx: ${JSON.stringify(failed.map((x) => [x.status, x.error]))}`);
	});

	await d.check('Unipile Trigger on v2: a forged or stale signature gets 401 and starts nothing; a wrongly signed delivery is retried and starts one execution', async () => {
		const before = (await executionsOf(rest, created.id)).length;
		const secret = endpoints()[0].secret;
		const body = JSON.stringify({ id: `evt_forged${nonce}`, created_at: new Date().toISOString(), account_id: account('whatsapp'), type: 'relation.new', payload: { user: { display_name: 'Forged' } } });
		const now = Math.floor(Date.now() / 1000);
		for (const header of [undefined, signatureHeader(`${secret}x`, body, now), signatureHeader(secret, body, now - 900), signatureHeader(secret, `${body} `, now)]) {
			const res = await fetch(productionUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(header ? { 'unipile-signature': header } : {}) }, body });
			assert(res.status === 401, `forged delivery answered ${res.status}`);
		}
		await sleep(1500);
		assert((await executionsOf(rest, created.id)).length === before, 'a forged delivery started an execution');
		hub.deliveries = [];
		hub.tamperNext('old-timestamp');
		hub.emit('relation.new', account('linkedin'), { user: { display_name: `Retried ${nonce}` } });
		await hub.idle();
		const attempts = hub.deliveries.map((x) => x.status);
		assert(JSON.stringify(attempts) === JSON.stringify([401, 200]), `attempts ${JSON.stringify(attempts)}`);
		const runs = await waitForExecutions(d, created.id, before + 1);
		assert(runs.length === before + 1, `${runs.length - before} executions for one retried event`);
	});

	await d.check('Unipile Trigger on v2: after an n8n restart, the same endpoint is the only one, and events still arrive', async () => {
		const before = (await executionsOf(rest, created.id)).length;
		await d.restart();
		await sleep(3000);
		await eventually('endpoint present after the restart', () => endpoints().length >= 1);
		const endpoint = expectOne(productionUrl);
		if (endpoint.id !== endpointId) d.log('  (the restart replaced the endpoint)');
		sb.v2.injectMessage({ accountId: account('telegram'), text: `v2 after restart ${nonce}` });
		await hub.idle();
		const runs = await waitForExecutions(d, created.id, before + 1);
		assert(runs.some((r) => messageText(r.items[0]?.json ?? {}) === `v2 after restart ${nonce}`), 'the message sent after the restart started no execution');
	});

	await d.check('Unipile Trigger on v2: deactivation deletes its endpoint', async () => {
		await rest.ok('POST', `/rest/workflows/${created.id}/deactivate`, {});
		await eventually('endpoint deleted after deactivation', () => endpoints().length === 0).catch(() => undefined);
		assert(endpoints().length === 0, `left at the sandbox: ${JSON.stringify(endpoints().map((e) => e.url))}`);
	});

	await d.check('Unipile Trigger on v2: "Listen for test event" creates an endpoint at the test URL, takes one event and deletes it', async () => {
		const before = (await executionsOf(rest, created.id)).length;
		const run = await rest.ok<{ waitingForWebhook?: boolean }>('POST', `/rest/workflows/${created.id}/run`, { triggerToStartFrom: { name: 'Unipile Trigger' } });
		assert(run.waitingForWebhook === true, `manual run answered ${JSON.stringify(run)}`);
		await eventually('test endpoint created', () => endpoints().length >= 1);
		expectOne(testUrl);
		sb.v2.injectMessage({ accountId: account('whatsapp'), text: `v2 test event ${nonce}` });
		await hub.idle();
		const runs = await waitForExecutions(d, created.id, before + 1);
		const last = runs.find((r) => messageText(r.items[0]?.json ?? {}) === `v2 test event ${nonce}`);
		assert(last && last.execution.mode === 'manual', `no manual execution with the test event: ${JSON.stringify(runs.map((r) => [r.execution.mode, r.items[0]?.json.type]))}`);
		const until = Date.now() + 5000;
		while (endpoints().length > 0 && Date.now() < until) await sleep(100);
		assert(endpoints().length === 0, `left at the sandbox after the test event: ${JSON.stringify(endpoints().map((e) => e.url))}`);
	});
}
