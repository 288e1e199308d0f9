import { createRequire } from 'node:module';
import { join } from 'node:path';
import { E2E_CACHE, n8nInstalled, startN8n } from '../test/e2e/n8nProcess';
import { executionsOf, triggerItems, webhookWorkflow } from '../test/e2e/webhookTrigger';
import { startSandbox } from '../test/sandbox/server';
import type { Row } from './stats';

const EVENTS = Math.max(100, Number(process.env.BENCH_WEBHOOK_EVENTS ?? 120));
const SPACING_MS = 40;
const TARGET_P95_MS = 250;
/** The polling trigger at n8n's smallest interval (1 min): an event waits a uniform 0–60 s for the next poll. */
const POLL_INTERVAL_MS = 60_000;

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Unipile Trigger (webhooks) in the real n8n: event → execution latency over ≥ 100 messages. The sandbox stamps
 * each event when it happens (before its delivery is sent); n8n records when the execution started. Events go one
 * at a time, 40 ms after n8n answered the previous one: the latency of an event, not the queue of a burst.
 */
export async function benchWebhook(): Promise<Row[]> {
	if (!n8nInstalled()) {
		process.stderr.write(`(n8n is not installed in ${E2E_CACHE}: run bash test/e2e/install-n8n.sh; skipped) `);
		return [];
	}
	const sandbox = await startSandbox({ chats: 20, messagesPerChat: 1 });
	const n8n = await startN8n();
	try {
		const { client } = n8n;
		const parseFlatted = (createRequire(join(E2E_CACHE, 'n8n/node_modules/n8n/package.json'))('flatted') as { parse(s: string): unknown }).parse;
		const credential = await client.ok<{ id: string; name: string }>('POST', '/rest/credentials', { name: 'Unipile sandbox', type: 'unipileApi', data: { dsn: sandbox.dsn, apiKey: sandbox.apiKey } });
		const workflow = await client.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', webhookWorkflow('bench: Unipile Trigger', { id: credential.id, name: credential.name }, ['message_received']));
		await client.ok('POST', `/rest/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
		const accounts = sandbox.store.accounts.map((a) => a.id);
		// Live once n8n has saved the activation (deliveries before that are refused and retried): warm up until one passes.
		const liveBy = Date.now() + 30_000;
		for (let k = 0; !sandbox.webhooks.deliveries.some((d) => d.ok); k++) {
			if (Date.now() > liveBy) throw new Error('no delivery accepted within 30 s of activation');
			if (sandbox.webhooks.webhooks.size > 0) sandbox.injectMessage({ accountId: accounts[0], text: `warm-up ${k}` });
			await sleep(300);
		}
		// One event at a time (the next once n8n has answered the last): latency, not the queue of a burst.
		for (let i = 0; i < EVENTS; i++) {
			const answered = sandbox.webhooks.deliveries.filter((d) => d.ok).length;
			sandbox.injectMessage({ accountId: accounts[i % accounts.length], text: `bench ${i}` });
			const by = Date.now() + 30_000;
			while (sandbox.webhooks.deliveries.filter((d) => d.ok).length === answered) {
				if (Date.now() > by) throw new Error(`event ${i} not accepted within 30 s`);
				await sleep(5);
			}
			await sleep(SPACING_MS);
		}
		await sandbox.webhooks.idle();
		const accepted = sandbox.webhooks.deliveries.filter((d) => d.ok).length;
		const until = Date.now() + 60_000;
		let all: Awaited<ReturnType<typeof executionsOf>> = [];
		let finished: typeof all = [];
		while (finished.length < accepted) {
			if (Date.now() > until) {
				const statuses = all.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }), {});
				throw new Error(`${finished.length} of ${accepted} executions after 60 s: ${JSON.stringify(statuses)}`);
			}
			await sleep(500);
			all = await executionsOf(client, workflow.id);
			finished = all.filter((e) => e.status === 'success');
		}
		const answerMs = sandbox.webhooks.deliveries.filter((d) => d.ok).map((d) => d.endedAt - d.sentAt);
		process.stderr.write(`(n8n answered deliveries in p50 ${percentile(answerMs, 50)} ms, p95 ${percentile(answerMs, 95)} ms) `);
		const eventAt = new Map<string, number>();
		for (const d of sandbox.webhooks.deliveries) {
			if (d.attempt !== 1 || !d.ok) continue;
			eventAt.set(String((JSON.parse(d.body) as { message_id: string }).message_id), d.eventAt);
		}
		const latencies: number[] = [];
		for (const execution of finished) {
			const [item] = await triggerItems(client, parseFlatted, execution.id);
			const at = eventAt.get(String(item?.json.message_id));
			if (at === undefined || !String(item?.json.message ?? '').startsWith('bench ')) continue;
			latencies.push(Date.parse(execution.startedAt) - at);
		}
		if (latencies.length < 100) throw new Error(`only ${latencies.length} latencies measured`);
		const retried = sandbox.webhooks.deliveries.filter((d) => d.attempt > 1 && !String(JSON.parse(d.body).message).startsWith('warm-up')).length;
		const p50 = percentile(latencies, 50);
		const p95 = percentile(latencies, 95);
		const scenario = `Webhook trigger, real n8n (${latencies.length} events${retried ? `, ${retried} retried` : ''})`;
		return [
			{ scenario, measure: 'event → execution p50', value: p50, floor: POLL_INTERVAL_MS / 2, floorName: 'polling 1 min, expected', unit: 'ms' },
			{ scenario, measure: `event → execution p95 (target < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? 'met' : 'MISSED'})`, value: p95, floor: POLL_INTERVAL_MS * 0.95, floorName: 'polling 1 min, expected', unit: 'ms' },
		];
	} finally {
		await n8n.stop();
		await sandbox.close();
	}
}
