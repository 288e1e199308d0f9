/**
 * Unipile Trigger (webhooks) in the real n8n: activation registers exactly one webhook per source at the sandbox,
 * pointing at n8n's production URL; injected events start one execution each with the payload; a wrong secret gets
 * 401 and starts nothing; after a restart of n8n there is still exactly one webhook per source and events still
 * arrive; deactivation removes them; "Listen for test event" registers at the test URL and cleans up after itself.
 */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../sandbox/server';

type Item = { json: Record<string, unknown> };

export interface RestClient {
	ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
	call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T; text: string }>;
}

export interface WebhookE2eDeps {
	rest: RestClient;
	/** n8n's base URL as Unipile must reach it (WEBHOOK_URL without the trailing slash) */
	base: string;
	sb: Sandbox;
	credential: { id: string; name: string };
	check(name: string, fn: () => Promise<void>): Promise<boolean>;
	log(line: string): void;
	/** stops n8n and starts it again on the same database and port; the client is logged in again */
	restart(): Promise<void>;
	/** n8n's own `flatted.parse` (execution data) */
	parseFlatted(text: string): unknown;
}

/** Every secret the trigger registered during the run: run.ts searches n8n's logs for them. */
export const webhookSecretsSeen: string[] = [];

export const WEBHOOK_NODE_ID = '5e0b7a52-0000-4000-8000-00000000b001';
export const WEBHOOK_ID = 'c0ffee00-1e55-4b0b-9e57-000000000014';
export const WEBHOOK_EVENTS = ['message_received', 'account_status', 'new_relation'];

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** n8n publishes an activation (and a deactivation) in the background: its REST answer comes first. */
async function eventually(what: string, test: () => boolean, timeoutMs = 15_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!test()) {
		assert(Date.now() < until, `${what} not within ${timeoutMs / 1000}s`);
		await sleep(100);
	}
}

/** A workflow "Unipile Trigger → No Op" (n8n assigns `webhookId` in the editor; here it is fixed). */
export function webhookWorkflow(name: string, credential: { id: string; name: string }, events = WEBHOOK_EVENTS, accountIds: string[] = []): Record<string, unknown> {
	return {
		name,
		active: false,
		nodes: [
			{
				id: WEBHOOK_NODE_ID,
				name: 'Unipile Trigger',
				type: 'CUSTOM.unipileTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				// Unipile API v1 (the node's Authentication defaults to v2); webhookTriggerV2.ts runs the v2 side.
				parameters: { authentication: 'unipileApi', events, accountIds },
				credentials: { unipileApi: { ...credential } },
			},
			{ id: '5e0b7a52-0000-4000-8000-00000000b002', name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { 'Unipile Trigger': { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { saveDataSuccessExecution: 'all', saveManualExecutions: true, saveDataErrorExecution: 'all' },
	};
}

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	startedAt: string;
}

/** All executions of a workflow: n8n lists at most 100 per call, newest first, with `nextCursor` for older ones. */
export async function executionsOf(rest: RestClient, workflowId: string): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const all: ExecutionSummary[] = [];
	let cursor: string | undefined;
	for (;;) {
		const list = await rest.ok<{ results?: ExecutionSummary[]; nextCursor?: string | null } | ExecutionSummary[]>(
			'GET',
			`/rest/executions?filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		const page = Array.isArray(list) ? list : (list.results ?? []);
		all.push(...page);
		const next = Array.isArray(list) ? undefined : list.nextCursor;
		if (page.length < 100 || typeof next !== 'string' || next === '') return all;
		cursor = next;
	}
}

export async function triggerItems(rest: RestClient, parseFlatted: (s: string) => unknown, executionId: string, nodeNames = ['Unipile Trigger']): Promise<Item[]> {
	const full = await rest.ok<{ data: string }>('GET', `/rest/executions/${executionId}`);
	const runData = (parseFlatted(full.data) as { resultData: { runData: Record<string, Array<{ data?: { main?: Item[][] } }>> } }).resultData.runData;
	for (const name of nodeNames) if (runData[name]) return runData[name]?.[0]?.data?.main?.[0] ?? [];
	return [];
}

/** Waits until `count` finished executions exist and returns the trigger's items of each, oldest first. */
export async function waitForExecutions(d: Pick<WebhookE2eDeps, 'rest' | 'parseFlatted'>, workflowId: string, count: number, timeoutMs = 20_000): Promise<Array<{ execution: ExecutionSummary; items: Item[] }>> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const finished = (await executionsOf(d.rest, workflowId)).filter((e) => e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting');
		if (finished.length >= count) {
			finished.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || Number(a.id) - Number(b.id));
			const out = [];
			for (const e of finished) out.push({ execution: e, items: await triggerItems(d.rest, d.parseFlatted, e.id) });
			return out;
		}
		assert(Date.now() < until, `${finished.length} of ${count} executions after ${timeoutMs / 1000}s`);
		await sleep(300);
	}
}

async function sandboxControl(sb: Sandbox, path: string, body?: unknown): Promise<any> {
	const res = await fetch(`${sb.dsn}/_sandbox${path}`, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	assert(res.status < 300, `${path} → ${res.status} ${text}`);
	return JSON.parse(text);
}

/**
 * A message, an account status change and a new relation, emitted by the sandbox to the active workflow's webhooks:
 * one successful execution each, with its payload, and every delivery answered 200. Returns those executions.
 */
export async function injectedEventsCheck(d: Pick<WebhookE2eDeps, 'rest' | 'sb' | 'parseFlatted'>, workflowId: string, nonce: string): Promise<Array<{ execution: ExecutionSummary; items: Item[] }>> {
	const { sb } = d;
	const message = await sandboxControl(sb, '/messages', { accountId: 'acc_whatsapp_1', text: `webhook e2e ${nonce}` });
	await sandboxControl(sb, '/webhooks/events', { event: 'account_status', accountId: 'acc_telegram_1', message: 'CREDENTIALS' });
	await sandboxControl(sb, '/webhooks/events', { event: 'new_relation', accountId: 'acc_linkedin_1', name: 'Ada Lovelace' });
	await sandboxControl(sb, '/webhooks/idle', {});
	const runs = await waitForExecutions(d, workflowId, 3);
	assert(runs.length === 3, `${runs.length} executions, expected 3`);
	assert(runs.every((r) => r.execution.status === 'success' && r.items.length === 1), `executions: ${JSON.stringify(runs.map((r) => [r.execution.status, r.items.length]))}`);
	const payloads = runs.map((r) => r.items[0].json);
	const byEvent = (e: string) => payloads.find((p) => (p.event ?? (p.AccountStatus ? 'account_status' : '')) === e);
	assert(byEvent('message_received')?.message_id === message.id && byEvent('message_received')?.message === `webhook e2e ${nonce}`, `message payload: ${JSON.stringify(byEvent('message_received'))}`);
	assert((byEvent('account_status')?.AccountStatus as Record<string, unknown>)?.message === 'CREDENTIALS', `status payload: ${JSON.stringify(payloads)}`);
	assert(byEvent('new_relation')?.user_full_name === 'Ada Lovelace', `relation payload: ${JSON.stringify(payloads)}`);
	const failedDeliveries = sb.webhooks.deliveries.filter((x) => !x.ok);
	assert(failedDeliveries.length === 0, `deliveries n8n did not answer 200: ${JSON.stringify(failedDeliveries.map((x) => [x.status, x.error]))}`);
	return runs;
}

export async function webhookTriggerE2e(d: WebhookE2eDeps): Promise<void> {
	const { rest, sb } = d;
	const productionUrl = `${d.base}/webhook/${WEBHOOK_ID}/webhook`;
	const testUrl = `${d.base}/webhook-test/${WEBHOOK_ID}/webhook`;
	const created = await rest.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', webhookWorkflow('e2e: Unipile Trigger (webhooks)', d.credential));
	const registered = () => [...sb.webhooks.webhooks.values()];
	const expectOnePerSource = (url: string) => {
		const hooks = registered();
		const sources = hooks.map((w) => w.source).sort();
		assert(JSON.stringify(sources) === JSON.stringify(['account_status', 'messaging', 'users']), `webhooks at the sandbox: ${JSON.stringify(hooks.map((w) => [w.source, w.request_url]))}`);
		assert(hooks.every((w) => w.request_url === url), `request_url ${JSON.stringify(hooks.map((w) => w.request_url))}, expected ${url}`);
		return hooks.map((w) => w.id).sort();
	};

	let ids: string[] = [];
	const active = await d.check("Unipile Trigger: activation registers one webhook per source at n8n's production URL", async () => {
		sb.webhooks.reset();
		const activated = await rest.ok<{ active?: boolean; activeVersionId?: string | null }>('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		assert(activated.active === true || !!activated.activeVersionId, `activation answered ${JSON.stringify(activated).slice(0, 300)}`);
		await eventually('webhooks registered after activation', () => registered().length >= 3);
		await sleep(500);
		ids = expectOnePerSource(productionUrl);
		const hook = registered()[0];
		const secret = hook.headers.find((h) => h.key.toLowerCase() !== 'content-type');
		assert(secret && Buffer.from(secret.value, 'base64url').length >= 32, 'no secret header of 32 bytes');
		webhookSecretsSeen.push(secret.value);
		assert(hook.headers.some((h) => h.key === 'Content-Type' && h.value === 'application/json'), 'no JSON content type registered');
		d.log(`  ${ids.length} webhooks → ${productionUrl}`);
	});
	if (!active) return;

	const nonce = randomBytes(3).toString('hex');
	await d.check('Unipile Trigger: injected events start one execution each, with the payload', async () => {
		await injectedEventsCheck(d, created.id, nonce);
	});

	await d.check('Unipile Trigger: a wrong secret gets 401 and starts nothing', async () => {
		const before = (await executionsOf(rest, created.id)).length;
		const body = JSON.stringify({ event: 'message_received', account_id: 'acc_whatsapp_1', message_id: 'forged', message: 'forged', is_sender: false });
		const hook = registered()[0];
		const name = hook.headers.find((h) => h.key.toLowerCase() !== 'content-type')!.key;
		for (const headers of [{ 'content-type': 'application/json' }, { 'content-type': 'application/json', [name]: randomBytes(32).toString('base64url') }]) {
			const res = await fetch(productionUrl, { method: 'POST', headers, body });
			assert(res.status === 401, `forged delivery answered ${res.status}`);
		}
		await sleep(1500);
		const after = (await executionsOf(rest, created.id)).length;
		assert(after === before, `${after - before} execution(s) started by a forged delivery`);
	});

	await d.check('Unipile Trigger: after an n8n restart, still one webhook per source, and events still arrive', async () => {
		const before = (await executionsOf(rest, created.id)).length;
		await d.restart();
		// n8n re-activates published workflows after it is ready: give it time to (wrongly) add any.
		await sleep(3000);
		await eventually('webhooks present after the restart', () => registered().length >= 3);
		const now = expectOnePerSource(productionUrl);
		for (const w of registered()) for (const h of w.headers) if (h.key.toLowerCase() !== 'content-type') webhookSecretsSeen.push(h.value);
		assert(now.length === ids.length, `${now.length} webhooks after the restart, ${ids.length} before`);
		if (JSON.stringify(now) !== JSON.stringify(ids)) d.log('  (the restart replaced the webhooks)');
		await sandboxControl(sb, '/messages', { accountId: 'acc_telegram_1', text: `after restart ${nonce}` });
		await sandboxControl(sb, '/webhooks/idle', {});
		const runs = await waitForExecutions(d, created.id, before + 1);
		assert(runs.some((r) => r.items[0]?.json.message === `after restart ${nonce}`), 'the message sent after the restart started no execution');
	});

	await d.check('Unipile Trigger: deactivation removes its webhooks', async () => {
		await rest.ok('POST', `/rest/workflows/${created.id}/deactivate`, {});
		await eventually('webhooks removed after deactivation', () => registered().length === 0).catch(() => undefined);
		assert(registered().length === 0, `left at the sandbox: ${JSON.stringify(registered().map((w) => w.request_url))}`);
	});

	await d.check('Unipile Trigger: "Listen for test event" registers at the test URL, takes one event and cleans up', async () => {
		const before = (await executionsOf(rest, created.id)).length;
		const run = await rest.ok<{ waitingForWebhook?: boolean }>('POST', `/rest/workflows/${created.id}/run`, { triggerToStartFrom: { name: 'Unipile Trigger' } });
		assert(run.waitingForWebhook === true, `manual run answered ${JSON.stringify(run)}`);
		await eventually('test webhooks registered', () => registered().length >= 3);
		expectOnePerSource(testUrl);
		for (const w of registered()) for (const h of w.headers) if (h.key.toLowerCase() !== 'content-type') webhookSecretsSeen.push(h.value);
		await sandboxControl(sb, '/messages', { accountId: 'acc_whatsapp_1', text: `test event ${nonce}` });
		await sandboxControl(sb, '/webhooks/idle', {});
		const runs = await waitForExecutions(d, created.id, before + 1);
		const last = runs.find((r) => r.items[0]?.json.message === `test event ${nonce}`);
		assert(last && last.execution.mode === 'manual', `no manual execution with the test event: ${JSON.stringify(runs.map((r) => [r.execution.mode, r.items[0]?.json.message]))}`);
		const until = Date.now() + 5000;
		while (registered().length > 0 && Date.now() < until) await sleep(100);
		assert(registered().length === 0, `left at the sandbox after the test event: ${JSON.stringify(registered().map((w) => w.request_url))}`);
	});
}
