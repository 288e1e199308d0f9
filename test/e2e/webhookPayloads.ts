/**
 * Unipile Trigger in the real n8n on the payloads Unipile documents: an own WhatsApp message (no `is_sender` in the
 * payload) starts nothing with Include My Own Messages off and one execution with it on; a 50 MB attachment on a
 * slow link is answered 200 within Unipile's 30 s and starts exactly one execution; activation succeeds while
 * `GET /webhooks` lists `headers` as one object; a tracking event typed by `type` and a calendar event start one
 * execution each; an Account Statuses filter set to Credentials ignores OK.
 */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../sandbox/server';
import { executionsOf, triggerItems, webhookSecretsSeen, type ExecutionSummary, type WebhookE2eDeps } from './webhookTrigger';

type Item = { json: Record<string, unknown> };

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function control(sb: Sandbox, path: string, body?: unknown): Promise<any> {
	const res = await fetch(`${sb.dsn}/_sandbox${path}`, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	assert(res.status < 300, `${path} → ${res.status} ${text}`);
	return JSON.parse(text);
}

function triggerWorkflow(name: string, credential: { id: string; name: string }, suffix: string, parameters: Record<string, unknown>): Record<string, unknown> {
	return {
		name,
		active: false,
		nodes: [
			{
				id: `5e0b7a52-0000-4000-8000-0000000021${suffix}`,
				name: 'Unipile Trigger',
				type: 'CUSTOM.unipileTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: `c0ffee00-1e55-4b0b-9e57-0000000021${suffix}`,
				parameters: { authentication: 'unipileApi', ...parameters },
				credentials: { unipileApi: { ...credential } },
			},
			{ id: `5e0b7a52-0000-4000-8000-0000000022${suffix}`, name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { 'Unipile Trigger': { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { saveDataSuccessExecution: 'all', saveManualExecutions: true, saveDataErrorExecution: 'all' },
	};
}

/** The finished executions of a workflow beyond the `known` ones, with the trigger's items, oldest first. */
async function newRuns(d: Pick<WebhookE2eDeps, 'rest' | 'parseFlatted'>, workflowId: string, known: Set<string>): Promise<Array<{ execution: ExecutionSummary; items: Item[] }>> {
	const finished = (await executionsOf(d.rest, workflowId)).filter((e) => !known.has(e.id) && e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting');
	finished.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || Number(a.id) - Number(b.id));
	const out = [];
	for (const e of finished) {
		known.add(e.id);
		out.push({ execution: e, items: await triggerItems(d.rest, d.parseFlatted, e.id) });
	}
	return out;
}

export async function webhookPayloadsE2e(d: Omit<WebhookE2eDeps, 'restart'>): Promise<void> {
	const { rest, sb } = d;
	const strict = await rest.ok<{ id: string; versionId: string }>(
		'POST',
		'/rest/workflows',
		triggerWorkflow('e2e: Unipile Trigger on documented payloads', d.credential, '01', {
			events: ['message_received', 'mail_opened', 'calendar_event_created', 'account_status'],
			accountIds: [],
			accountStatuses: ['CREDENTIALS'],
			options: { downloadAttachments: true },
		}),
	);
	const withOwn = await rest.ok<{ id: string; versionId: string }>(
		'POST',
		'/rest/workflows',
		triggerWorkflow('e2e: Unipile Trigger with own messages', d.credential, '02', { events: ['message_received'], accountIds: [], options: { includeOwnMessages: true } }),
	);
	const seen = { strict: new Set<string>(), withOwn: new Set<string>() };
	const registered = () => [...sb.webhooks.webhooks.values()];

	const active = await d.check('Unipile Trigger: activates while GET /webhooks lists headers as one object, and after a re-activation keeps its webhooks', async () => {
		sb.webhooks.reset();
		await control(sb, '/webhooks/config', { headersAsObject: true });
		for (const w of [strict, withOwn]) await rest.ok('POST', `/rest/workflows/${w.id}/activate`, { versionId: w.versionId });
		const until = Date.now() + 15_000;
		while (registered().length < 5 && Date.now() < until) await sleep(100);
		await sleep(500);
		const sources = registered().map((w) => w.source).sort();
		assert(JSON.stringify(sources) === JSON.stringify(['account_status', 'calendar_event', 'email_tracking', 'messaging', 'messaging']), `webhooks at the sandbox: ${JSON.stringify(sources)}`);
		for (const w of registered()) for (const h of w.headers) if (h.key.toLowerCase() !== 'content-type') webhookSecretsSeen.push(h.value);
	});
	if (!active) return;

	const nonce = randomBytes(3).toString('hex');
	await d.check('Unipile Trigger: an own WhatsApp message without is_sender starts nothing with Include My Own Messages off, one execution with it on', async () => {
		sb.clearRequests();
		sb.webhooks.deliveries = [];
		const own = await control(sb, '/messages', { accountId: 'acc_whatsapp_1', text: `own ${nonce}`, isSender: true });
		await control(sb, '/webhooks/idle', {});
		const bodies = sb.webhooks.deliveries.map((x) => JSON.parse(x.body) as Record<string, unknown>);
		assert(bodies.length === 2 && bodies.every((b) => !('is_sender' in b) && !('account_info' in b)), `deliveries: ${JSON.stringify(bodies).slice(0, 400)}`);
		assert(sb.webhooks.deliveries.every((x) => x.status === 200), `answers ${JSON.stringify(sb.webhooks.deliveries.map((x) => x.status))}`);
		assert(sb.requests.some((r) => r.method === 'GET' && r.path === `/messages/${own.id}`), 'the trigger did not ask Unipile who sent the message');
		await sleep(2000);
		const strictRuns = await newRuns(d, strict.id, seen.strict);
		const ownRuns = await newRuns(d, withOwn.id, seen.withOwn);
		assert(strictRuns.length === 0, `${strictRuns.length} execution(s) for an own message with the option off`);
		assert(ownRuns.length === 1 && ownRuns[0].items[0]?.json.message === `own ${nonce}`, `with the option on: ${JSON.stringify(ownRuns.map((r) => r.items[0]?.json.message))}`);
	});

	await d.check("Unipile Trigger: a 50 MB attachment on a slow link is answered 200 within Unipile's 30 s and starts exactly one execution", async () => {
		sb.webhooks.deliveries = [];
		await control(sb, '/faults', { method: 'GET', pathRegex: '/attachments/', bytesPerSecond: 1024 * 1024, times: 10 });
		const big = await control(sb, '/big-attachments', { size: 50 * 1024 * 1024, fileName: 'video.mp4', mimeType: 'video/mp4', accountId: 'acc_whatsapp_1' });
		await control(sb, '/webhooks/idle', {});
		await fetch(`${sb.dsn}/_sandbox/faults`, { method: 'DELETE' });
		const deliveries = sb.webhooks.deliveries.filter((x) => JSON.parse(x.body).message_id === big.message_id);
		const strictDeliveries = deliveries.filter((x) => x.url.includes('000000002101'));
		assert(strictDeliveries.length === 1 && strictDeliveries[0].status === 200, `deliveries to the trigger: ${JSON.stringify(strictDeliveries.map((x) => [x.attempt, x.status, x.error]))}`);
		const tookMs = strictDeliveries[0].endedAt - strictDeliveries[0].sentAt;
		assert(tookMs < 30_000, `answered after ${tookMs} ms`);
		d.log(`  answered 200 after ${(tookMs / 1000).toFixed(1)} s (Download Time Limit 20 s)`);
		await sleep(1500);
		const runs = (await newRuns(d, strict.id, seen.strict)).filter((r) => r.items[0]?.json.message_id === big.message_id);
		assert(runs.length === 1 && runs[0].execution.status === 'success', `executions: ${JSON.stringify(runs.map((r) => r.execution.status))}`);
		const report = runs[0].items[0].json.attachmentDownload as Record<string, unknown>;
		assert(report?.complete === false && JSON.stringify(report.notDownloaded).includes('time_limit'), `attachmentDownload: ${JSON.stringify(report)}`);
		await newRuns(d, withOwn.id, seen.withOwn);
	});

	await d.check('Unipile Trigger: a tracking event typed by `type` and a calendar event start one execution each', async () => {
		await control(sb, '/webhooks/events', { event: 'mail_opened', accountId: 'acc_google_1' });
		await control(sb, '/webhooks/events', { event: 'calendar_event_created', accountId: 'acc_google_1', fields: { title: `Intro call ${nonce}` } });
		await control(sb, '/webhooks/idle', {});
		await sleep(1500);
		const runs = await newRuns(d, strict.id, seen.strict);
		const kinds = runs.map((r) => String(r.items[0]?.json.event ?? r.items[0]?.json.type));
		assert(JSON.stringify(kinds.sort()) === JSON.stringify(['calendar_event_created', 'mail_opened']), `executions: ${JSON.stringify(kinds)}`);
		assert(runs.some((r) => r.items[0]?.json.type === 'mail_opened' && r.items[0]?.json.event === undefined), 'the tracking payload was not typed by `type`');
		assert(runs.some((r) => r.items[0]?.json.title === `Intro call ${nonce}`), 'calendar payload missing');
	});

	await d.check('Unipile Trigger: Account Statuses set to Credentials ignores OK and starts on CREDENTIALS', async () => {
		await control(sb, '/webhooks/events', { event: 'account_status', accountId: 'acc_linkedin_1', message: 'OK' });
		await control(sb, '/webhooks/events', { event: 'account_status', accountId: 'acc_linkedin_1', message: 'CREDENTIALS' });
		await control(sb, '/webhooks/idle', {});
		await sleep(1500);
		const runs = await newRuns(d, strict.id, seen.strict);
		const statuses = runs.map((r) => (r.items[0]?.json.AccountStatus as Record<string, unknown> | undefined)?.message);
		assert(JSON.stringify(statuses) === JSON.stringify(['CREDENTIALS']), `executions for statuses ${JSON.stringify(statuses)}`);
	});

	await d.check('Unipile Trigger: deactivating both workflows removes their webhooks', async () => {
		for (const w of [strict, withOwn]) await rest.ok('POST', `/rest/workflows/${w.id}/deactivate`, {});
		const until = Date.now() + 15_000;
		while (registered().length > 0 && Date.now() < until) await sleep(100);
		assert(registered().length === 0, `left at the sandbox: ${registered().length}`);
		await control(sb, '/webhooks/config', { headersAsObject: false });
	});
}
