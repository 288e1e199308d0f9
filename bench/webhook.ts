import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2E_CACHE, n8nInstalled, startN8n } from '../test/e2e/n8nProcess';
import { executionsOf, triggerItems, webhookWorkflow } from '../test/e2e/webhookTrigger';
import { webhookWorkflowV2 } from '../test/e2e/webhookTriggerV2';
import { startSandbox } from '../test/sandbox/server';
import { v2Webhooks } from '../test/sandbox/v2/webhooks';
import type { Row } from './stats';

const EVENTS = Math.max(100, Number(process.env.BENCH_WEBHOOK_EVENTS ?? 120));
const SPACING_MS = 40;
const TARGET_P95_MS = 250;
const TRIGGER_ACCOUNT = 'acc_whatsapp_1';
/** The polling trigger at n8n's smallest interval (1 min): an event waits a uniform 0–60 s for the next poll. */
const POLL_INTERVAL_MS = 60_000;

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A community webhook node doing nothing but start the workflow with the body: the floor for any custom trigger. */
const MINIMAL_WEBHOOK_NODE = `class MinimalWebhook {
	constructor() {
		this.description = { displayName: 'Minimal Webhook', name: 'minimalWebhook', group: ['trigger'], version: 1, description: '',
			defaults: { name: 'Minimal Webhook' }, inputs: [], outputs: ['main'], properties: [],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }] };
	}
	async webhook() { return { workflowData: [[{ json: this.getBodyData() }]] }; }
}
module.exports = { MinimalWebhook };
`;

/**
 * Unipile Trigger (webhooks) in the real n8n: event → execution latency over ≥ 100 events, beside two floors fed the
 * same way in the same n8n (their own sandbox webhooks, events taking turns): a minimal community webhook node, and
 * n8n's built-in Webhook node (which n8n lets skip the expression isolate, unlike any other node). The sandbox stamps
 * each event when it happens (before its delivery is sent); n8n records when the execution started. One event at a
 * time, 40 ms after n8n answered the previous one: the latency of an event, not the queue of a burst.
 */
interface Variant {
	label: string;
	accountId: string;
	workflowId: string;
	latencies: number[];
	/** Unipile API v2: events come from the sandbox's v2 environment (signed v2 envelopes) */
	v2?: boolean;
}

export async function benchWebhook(): Promise<Row[]> {
	if (!n8nInstalled()) {
		process.stderr.write(`(n8n is not installed in ${E2E_CACHE}: run bash test/e2e/install-n8n.sh; skipped) `);
		return [];
	}
	// n8n loads every custom folder under the one package name CUSTOM (the last folder wins): one folder, ours + the floor.
	const extension = mkdtempSync(join(tmpdir(), 'unipile-bench-node-'));
	cpSync(join(__dirname, '..', 'dist'), extension, { recursive: true });
	writeFileSync(join(extension, 'MinimalWebhook.node.js'), MINIMAL_WEBHOOK_NODE);
	const sandbox = await startSandbox({ chats: 20, messagesPerChat: 1 });
	const n8n = await startN8n({ extensions: extension });
	try {
		const { client } = n8n;
		const parseFlatted = (createRequire(join(E2E_CACHE, 'n8n/node_modules/n8n/package.json'))('flatted') as { parse(s: string): unknown }).parse;
		const credential = await client.ok<{ id: string; name: string }>('POST', '/rest/credentials', { name: 'Unipile sandbox', type: 'unipileApi', data: { dsn: sandbox.dsn, apiKey: sandbox.apiKey } });
		const v2Credential = await client.ok<{ id: string; name: string }>('POST', '/rest/credentials', { name: 'Unipile sandbox v2', type: 'unipileV2Api', data: { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url } });
		const v2Hub = v2Webhooks(sandbox.v2.env);
		const v2Account = sandbox.v2.accounts.find((a) => a.provider === 'whatsapp')!.id;
		const publish = async (workflow: Record<string, unknown>) => {
			const created = await client.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', workflow);
			await client.ok('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
			return created.id;
		};
		const simple = (name: string, node: Record<string, unknown>) => ({
			name,
			active: false,
			nodes: [node, { id: `${String(node.id).slice(0, -1)}9`, name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} }],
			connections: { [String(node.name)]: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
			settings: { saveDataSuccessExecution: 'all' },
		});
		const minimalId = 'b0000000-0000-4000-8000-0000000000a1';
		const builtinPath = 'b0000000-0000-4000-8000-0000000000b1';
		const variants: Variant[] = [
			{ label: 'Unipile Trigger', accountId: TRIGGER_ACCOUNT, latencies: [], workflowId: await publish(webhookWorkflow('bench: Unipile Trigger', { id: credential.id, name: credential.name }, ['message_received'], [TRIGGER_ACCOUNT])) },
			{
				label: 'minimal community webhook node',
				accountId: 'acc_telegram_1',
				latencies: [],
				workflowId: await publish(simple('bench: minimal webhook node', { id: minimalId, name: 'Minimal Webhook', type: 'CUSTOM.minimalWebhook', typeVersion: 1, position: [0, 0], webhookId: minimalId, parameters: {} })),
			},
			{
				label: "n8n's Webhook node",
				accountId: 'acc_instagram_1',
				latencies: [],
				workflowId: await publish(simple('bench: n8n Webhook node', { id: builtinPath, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: builtinPath, parameters: { httpMethod: 'POST', path: builtinPath, responseMode: 'onReceived', options: {} } })),
			},
			{ label: 'Unipile Trigger on v2', accountId: v2Account, latencies: [], v2: true, workflowId: await publish(webhookWorkflowV2('bench: Unipile Trigger v2', { id: v2Credential.id, name: v2Credential.name }, ['message.new'], [v2Account])) },
		];
		// v1 deliveries (sandbox.webhooks) and v2 ones (signed envelopes) as one record per accepted delivery.
		type Accepted = { accountId: string; messageId: string; text: string; eventAt: number; attempt: number; sentAt: number; endedAt: number };
		const accepted = (): Accepted[] => [
			...sandbox.webhooks.deliveries
				.filter((d) => d.ok)
				.map((d) => {
					const b = JSON.parse(d.body) as { account_id?: string; message_id?: string; message?: string };
					return { accountId: String(b.account_id), messageId: String(b.message_id), text: String(b.message ?? ''), eventAt: d.eventAt, attempt: d.attempt, sentAt: d.sentAt, endedAt: d.endedAt };
				}),
			...v2Hub.deliveries
				.filter((d) => d.ok)
				.map((d) => {
					const b = JSON.parse(d.body) as { account_id?: string; payload?: { id?: string; text?: string } };
					return { accountId: String(b.account_id), messageId: String(b.payload?.id), text: String(b.payload?.text ?? ''), eventAt: d.eventAt, attempt: d.attempt, sentAt: d.sentAt, endedAt: d.endedAt };
				}),
		];
		const inject = (v: Variant, text: string) => (v.v2 ? sandbox.v2.injectMessage({ accountId: v.accountId, text }) : sandbox.injectMessage({ accountId: v.accountId, text }));
		// The floors are fed by sandbox webhooks of their own (their own account), as Unipile would call them.
		const json = [{ key: 'Content-Type', value: 'application/json' }];
		sandbox.webhooks.create({ request_url: `${n8n.base}/webhook/${minimalId}/webhook`, source: 'messaging', account_ids: [variants[1].accountId], headers: json });
		sandbox.webhooks.create({ request_url: `${n8n.base}/webhook/${builtinPath}`, source: 'messaging', account_ids: [variants[2].accountId], headers: json });

		// Live once n8n has saved the activation (deliveries before that are refused and retried): warm up until each passes.
		const liveBy = Date.now() + 30_000;
		const live = () => variants.every((v) => accepted().some((d) => d.accountId === v.accountId));
		for (let k = 0; !live(); k++) {
			if (Date.now() > liveBy) {
				const waiting = variants.filter((v) => !accepted().some((d) => d.accountId === v.accountId)).map((v) => v.label);
				const answers = [...sandbox.webhooks.deliveries, ...v2Hub.deliveries].map((d) => d.status);
				throw new Error(`not every variant accepted a delivery within 30 s of activation: ${waiting.join(', ')} (webhooks ${sandbox.webhooks.webhooks.size}, v2 endpoints ${v2Hub.endpoints.size}, answers ${JSON.stringify(answers.slice(-12))}, requests ${JSON.stringify(sandbox.requests.slice(-6).map((r) => [r.method, r.path, r.status]))})`);
			}
			if (sandbox.webhooks.webhooks.size >= variants.length - 1 && v2Hub.endpoints.size >= 1) for (const v of variants) inject(v, `warm-up ${k}`);
			await sleep(300);
		}
		// One event at a time (the next once n8n has answered the last), variants in turn: latency, not a burst's queue.
		for (let i = 0; i < EVENTS * variants.length; i++) {
			const answered = accepted().length;
			inject(variants[i % variants.length], `bench ${i}`);
			const by = Date.now() + 30_000;
			while (accepted().length === answered) {
				if (Date.now() > by) throw new Error(`event ${i} not accepted within 30 s`);
				await sleep(5);
			}
			await sleep(SPACING_MS);
		}
		await sandbox.webhooks.idle();
		await v2Hub.idle();
		const answerMs = accepted().map((d) => d.endedAt - d.sentAt);
		process.stderr.write(`(n8n answered deliveries in p50 ${percentile(answerMs, 50)} ms, p95 ${percentile(answerMs, 95)} ms) `);
		const eventAt = new Map<string, number>();
		for (const d of accepted()) if (d.attempt === 1) eventAt.set(d.messageId, d.eventAt);
		for (const v of variants) {
			const until = Date.now() + 60_000;
			let finished: Awaited<ReturnType<typeof executionsOf>> = [];
			const expected = accepted().filter((d) => d.accountId === v.accountId).length;
			while (finished.length < expected) {
				if (Date.now() > until) throw new Error(`${v.label}: ${finished.length} of ${expected} executions after 60 s`);
				finished = (await executionsOf(client, v.workflowId)).filter((e) => e.status === 'success');
				if (finished.length < expected) await sleep(500);
			}
			for (const execution of finished) {
				const [item] = await triggerItems(client, parseFlatted, execution.id, ['Unipile Trigger', 'Minimal Webhook', 'Webhook']);
				const payload = (item?.json.body ?? item?.json) as Record<string, unknown> | undefined;
				// v1: the flat payload (`message_id`, `message`); v2: the event, its message in `payload`.
				const message = (v.v2 ? payload?.payload : payload) as Record<string, unknown> | undefined;
				const at = eventAt.get(String(v.v2 ? message?.id : message?.message_id));
				if (at !== undefined && String((v.v2 ? message?.text : message?.message) ?? '').startsWith('bench ')) v.latencies.push(Date.parse(execution.startedAt) - at);
			}
			if (v.latencies.length < 100) throw new Error(`${v.label}: only ${v.latencies.length} latencies measured`);
		}
		const retried = accepted().filter((d) => d.attempt > 1 && !d.text.startsWith('warm-up')).length;
		const [ours, minimal, builtin, onV2] = variants;
		const p = (v: Variant, q: number) => percentile(v.latencies, q);
		const scenario = `Webhook trigger, real n8n (${ours.latencies.length} events each${retried ? `, ${retried} retried` : ''})`;
		const poll = 'polling 1 min, expected';
		const target = `p95 < ${TARGET_P95_MS} ms`;
		return [
			{ scenario, measure: `event → execution p50`, value: p(ours, 50), floor: p(minimal, 50), floorName: minimal.label, unit: 'ms' },
			{ scenario, measure: `event → execution p95 (${target}: ${p(ours, 95) < TARGET_P95_MS ? 'met' : 'MISSED'})`, value: p(ours, 95), floor: p(minimal, 95), floorName: minimal.label, unit: 'ms' },
			{ scenario, measure: `event → execution p50`, value: p(ours, 50), floor: p(builtin, 50), floorName: builtin.label, unit: 'ms' },
			{ scenario, measure: `event → execution p95`, value: p(ours, 95), floor: p(builtin, 95), floorName: builtin.label, unit: 'ms' },
			{ scenario, measure: `event → execution p50`, value: p(ours, 50), floor: POLL_INTERVAL_MS / 2, floorName: poll, unit: 'ms' },
			{ scenario, measure: `event → execution p95`, value: p(ours, 95), floor: POLL_INTERVAL_MS * 0.95, floorName: poll, unit: 'ms' },
			// v2 (signed envelope, HMAC checked over the raw body) beside v1 in the same n8n, events taking turns.
			{ scenario, measure: `v2 event → execution p50`, value: p(onV2, 50), floor: p(ours, 50), floorName: 'Unipile Trigger on v1', unit: 'ms' },
			{ scenario, measure: `v2 event → execution p95 (${target}: ${p(onV2, 95) < TARGET_P95_MS ? 'met' : 'MISSED'})`, value: p(onV2, 95), floor: p(ours, 95), floorName: 'Unipile Trigger on v1', unit: 'ms' },
		];
	} finally {
		await n8n.stop();
		await sandbox.close();
		rmSync(extension, { recursive: true, force: true });
	}
}
