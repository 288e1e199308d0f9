/**
 * Queue mode (issue 15): Redis and PostgreSQL from Debian's packages on loopback ports, `n8n start` (main),
 * `n8n worker` and `n8n webhook` with EXECUTIONS_MODE=queue and binary data in the database. The regular e2e's
 * example workflows run the production way (behind n8n's Webhook node, called at the webhook processor) and must pass
 * the same checks (workflowChecks.ts); the Unipile requests must come from the worker's process. The Unipile Trigger's
 * deliveries must be answered by the webhook processor and its executions run on the worker; the polling trigger
 * must poll on main and its executions run on the worker.
 *
 * Which process sent a request: the sandbox notes each request's client port while the connection is open; the
 * socket with that port is found in /proc/net/tcp, and its inode among the open files (/proc/<pid>/fd) of the n8n
 * processes and their children (each n8n runs in its own process group, with its task runner).
 */
import { randomUUID, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { startSandbox, type LoggedRequest, type Sandbox } from '../sandbox/server';
import { E2E_CACHE, freePort, N8nDeployment, type N8nClient, type N8nProcess } from './n8nProcess';
import { assert, createUnipileCredential, createWorkflow, listExecutions, startPostgres, startRedis, waitFor, workflowFrom, type Credential, type Report } from './scaleKit';
import { injectedEventsCheck, WEBHOOK_ID, webhookWorkflow } from './webhookTrigger';
import { exampleWorkflows, pollingTriggerCheck, SANDBOX_CHATS, sandboxCtx, type Item, type WorkflowRun } from './workflowChecks';

const S = 'queue';
const KEEP = process.env.UNIPILE_E2E_KEEP === '1';

/** The regular e2e's example workflows that run here (the AI Agent ones need the OpenAI stub: not in this section). */
const ACTION_WORKFLOWS = [
	'workflows/chat-getAll.json',
	'workflows/account-getAll.json',
	'workflows/message-send-get.json',
	'workflows/message-attachment.json',
	'workflows/attendee-picture.json',
	'workflows/user-getProfile.json',
	'workflows/email-reply.json',
	'workflows/linkedin-invite.json',
	'workflows/linkedin-follow-up.json',
];

// ------------------------------------------------------------------------------------------ who sent a request

type Role = 'main' | 'worker' | 'webhook';

/** The inode of a TCP socket on loopback: a connection (local port → remote port) or a listening socket. */
function socketInode(localPort: number, remotePort: number | 'listen'): string | undefined {
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const f = line.trim().split(/\s+/);
			if (f.length < 10 || parseInt(f[1].split(':')[1], 16) !== localPort) continue;
			if (remotePort === 'listen' ? f[3] === '0A' : parseInt(f[2].split(':')[1], 16) === remotePort) return f[9];
		}
	}
	return undefined;
}

/** Every process in a process group (an n8n and the children it started, e.g. its task runner). */
function groupPids(pgid: number): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp …
			if (Number(fields[2]) === pgid) pids.push(Number(entry));
		} catch {
			/* gone */
		}
	}
	return pids;
}

function ownerOf(inode: string | undefined, processes: Map<Role, N8nProcess>): Role | undefined {
	if (!inode || inode === '0') return undefined;
	const target = `socket:[${inode}]`;
	for (const [role, proc] of processes) {
		for (const pid of groupPids(proc.pid)) {
			let fds: string[] = [];
			try {
				fds = readdirSync(`/proc/${pid}/fd`);
			} catch {
				continue;
			}
			for (const fd of fds) {
				try {
					if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return role;
				} catch {
					/* closed meanwhile */
				}
			}
		}
	}
	return undefined;
}

// ------------------------------------------------------------------------------------------------ execution data

function flatted(): { parse(s: string): unknown } {
	return createRequire(join(E2E_CACHE, 'n8n/node_modules/n8n/package.json'))('flatted') as { parse(s: string): unknown };
}

async function readExecution(client: N8nClient, id: string): Promise<{ status: string; mode: string; run: WorkflowRun; error?: string }> {
	const full = await client.ok<{ data: string; status: string; mode: string }>('GET', `/rest/executions/${id}`);
	const data = flatted().parse(full.data) as { resultData: { runData: WorkflowRun['runData']; lastNodeExecuted: string; error?: { message?: string } } };
	const runs = data.resultData.runData[data.resultData.lastNodeExecuted];
	const items = (runs?.[runs.length - 1]?.data?.main?.[0] ?? []) as Item[];
	return { status: full.status, mode: full.mode, run: { items, runData: data.resultData.runData, raw: full as unknown as Record<string, unknown> }, error: data.resultData.error?.message };
}

/** The example workflow with its Manual Trigger ("Start") replaced by a production Webhook node answering with the last node's items. */
function behindWebhook(file: string, credential: Credential, path: string): ReturnType<typeof workflowFrom> {
	const wf = workflowFrom(file, credential);
	const start = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	assert(start, `${file} has no Manual Trigger`);
	Object.assign(start, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: path,
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	});
	wf.name = `queue: ${String(wf.name ?? file)}`;
	return wf;
}

const workerRan = (worker: N8nProcess, id: string) => new RegExp(`Worker started execution ${id} \\(`).test(worker.log());

// ------------------------------------------------------------------------------------------------------ section

export async function queueModeE2e(report: Report): Promise<void> {
	const sectionStarted = Date.now();
	const processes = new Map<Role, N8nProcess>();
	const origin = (r: LoggedRequest) => r.origin ?? 'unknown';
	let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
	let pg: Awaited<ReturnType<typeof startPostgres>> | undefined;
	let sandbox: Sandbox | undefined;
	let deployment: N8nDeployment | undefined;
	let failed = false;
	const secrets: string[] = [];
	const check = async (name: string, fn: () => Promise<void>) => {
		const ok = await report.check(`${S}: ${name}`, fn);
		if (!ok) failed = true;
		return ok;
	};
	try {
		let t = Date.now();
		redis = await startRedis();
		report.figure(S, 'Redis ready', `${((Date.now() - t) / 1000).toFixed(1)} s`);
		t = Date.now();
		pg = await startPostgres();
		report.figure(S, 'PostgreSQL ready (initdb, start, createdb)', `${((Date.now() - t) / 1000).toFixed(1)} s`);
		const sb = (sandbox = await startSandbox({
			port: 0,
			chats: SANDBOX_CHATS,
			onRequest: (r) => {
				if (r.remotePort !== undefined) r.origin = ownerOf(socketInode(r.remotePort, sb.port), processes);
			},
		}));
		const webhookPort = await freePort();
		deployment = await N8nDeployment.create({
			logLevel: 'info',
			keep: KEEP,
			webhookUrl: () => `http://127.0.0.1:${webhookPort}/`,
			env: {
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(pg.port),
				DB_POSTGRESDB_USER: pg.user,
				DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
				DB_POSTGRESDB_DATABASE: pg.database,
				// n8n 2.41's default in queue mode, stated: every process reads and writes binary data in Postgres.
				N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			},
		});
		const d = deployment;

		t = Date.now();
		processes.set('main', await d.start('start'));
		report.figure(S, 'n8n main ready (Postgres migrations on an empty database)', `${((Date.now() - t) / 1000).toFixed(1)} s`);
		t = Date.now();
		const timed = async (role: Role, p: Promise<N8nProcess>) => {
			const proc = await p;
			processes.set(role, proc);
			report.figure(S, `n8n ${role} ready (started with the other one)`, `${((Date.now() - t) / 1000).toFixed(1)} s`);
		};
		await Promise.all([timed('worker', d.start('worker')), timed('webhook', d.start('webhook', { N8N_PORT: String(webhookPort) }))]);
		const main = processes.get('main')!;
		const worker = processes.get('worker')!;
		const webhook = processes.get('webhook')!;
		assert(!/Scaling mode is not officially supported/.test(main.log()), 'n8n warns that the database does not support scaling mode');
		const client = await d.login();
		const credential = await createUnipileCredential(client, sb.dsn, sb.apiKey);
		const ctx = sandboxCtx(sb);
		const checks = exampleWorkflows({ n8nMajor: 2, log: (l) => report.log(l) });
		const originsSeen = (requests: LoggedRequest[]) => JSON.stringify([...new Set(requests.map((r) => `${r.method} ${r.path} ← ${origin(r)}`))].slice(0, 12));

		const knownAfter: number[] = [];
		// 1. The example workflows behind a production Webhook node, called at the webhook processor.
		for (const file of ACTION_WORKFLOWS) {
			const w = checks.find((c) => c.file === file);
			assert(w, `no check for ${file} in workflowChecks.ts`);
			await check(`${file} behind a Webhook node: same output, Unipile requests from the worker`, async () => {
				const path = randomUUID();
				const created = await createWorkflow(client, behindWebhook(file, credential, path), true);
				sb.clearRequests();
				const activated = Date.now();
				let started = activated;
				// The webhook processor learns of the activation through Redis/Postgres: retry while it still answers 404.
				const res = await waitFor(
					'the webhook processor to know the webhook',
					async () => {
						started = Date.now();
						const r = await fetch(`${webhook.base}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
						return r.status === 404 ? (await r.text(), false) : r;
					},
					15_000,
					250,
				);
				const answer = (await res.json()) as unknown;
				const wall = Date.now() - started;
				assert(res.status === 200, `the webhook processor answered ${res.status}: ${JSON.stringify(answer).slice(0, 400)}`);
				const [summary, ...more] = await listExecutions(client, created.id);
				assert(summary && more.length === 0, `${more.length + (summary ? 1 : 0)} executions, expected 1`);
				const exec = await readExecution(client, summary.id);
				assert(exec.status === 'success' && !exec.error, `execution ${summary.id} ${exec.status}: ${exec.error ?? ''}`);
				const answered = Array.isArray(answer) ? answer : [answer];
				assert(isDeepStrictEqual(answered, exec.run.items.map((i) => i.json)), `the webhook's answer is not the last node's items: ${JSON.stringify(answer).slice(0, 300)}`);
				const apiCalls = sb.requests.filter((r) => !r.rawPath.startsWith('/_sandbox'));
				assert(apiCalls.length > 0, 'the workflow did not call the sandbox');
				assert(apiCalls.every((r) => r.headers['x-api-key'] === sb.apiKey), "a request went out without the credential's key");
				await w.assert(exec.run, ctx);
				assert(apiCalls.every((r) => origin(r) === 'worker'), `Unipile requests not sent by the worker: ${originsSeen(apiCalls)}`);
				assert(workerRan(worker, summary.id), `the worker's log does not show execution ${summary.id}`);
				assert(!workerRan(main, summary.id), `main ran execution ${summary.id}`);
				report.figure(S, `${file}: webhook call → answer (${apiCalls.length} Unipile requests)`, `${(wall / 1000).toFixed(2)} s`);
				knownAfter.push(started - activated);
				await client.ok('POST', `/rest/workflows/${created.id}/deactivate`, {});
			});
		}

		report.figure(S, 'activation answered → the webhook processor serves the new webhook (no 404), min–max', `${Math.min(...knownAfter)}–${Math.max(...knownAfter)} ms`);

		// 2. Unipile Trigger: registered by main at the webhook processor's URL, deliveries answered there, runs on the worker.
		const productionUrl = `${webhook.base}/webhook/${WEBHOOK_ID}/webhook`;
		await check("Unipile Trigger: webhooks point at the webhook processor, which answers every delivery 200; executions run on the worker", async () => {
			sb.clearRequests();
			sb.webhooks.reset();
			const created = await createWorkflow(client, webhookWorkflow('queue: Unipile Trigger', credential) as Parameters<typeof createWorkflow>[1], true);
			await waitFor('three webhooks registered at the sandbox', () => sb.webhooks.webhooks.size >= 3, 20_000, 100);
			const hooks = [...sb.webhooks.webhooks.values()];
			assert(hooks.length === 3 && hooks.every((h) => h.request_url === productionUrl), `webhooks: ${JSON.stringify(hooks.map((h) => h.request_url))}, expected 3 × ${productionUrl}`);
			for (const h of hooks) for (const header of h.headers) if (header.key.toLowerCase() !== 'content-type') secrets.push(header.value);
			const registrations = sb.requests.filter((r) => r.method === 'POST' && r.path === '/webhooks');
			assert(registrations.length === 3 && registrations.every((r) => origin(r) === 'main'), `webhook registrations not by main: ${originsSeen(registrations)}`);
			assert(ownerOf(socketInode(webhookPort, 'listen'), processes) === 'webhook', `port ${webhookPort} is not the webhook processor's`);
			// n8n saves the trigger's static data (its secret) after the webhooks exist; the webhook processor reads it
			// from the database. A delivery before that is refused (500) and redelivered: wait, as the regular e2e does.
			const savedAfter = Date.now();
			await waitFor(
				"the activation's static data saved",
				async () => {
					const wf = await client.ok<{ staticData?: Record<string, { secret?: unknown }> | null }>('GET', `/rest/workflows/${created.id}`);
					return typeof wf.staticData?.['node:Unipile Trigger']?.secret === 'string';
				},
				20_000,
				50,
			);
			report.figure(S, 'Unipile Trigger: webhooks registered → secret saved in the database (deliveries in between get 500 and are redelivered)', `${Date.now() - savedAfter} ms`);
			const started = Date.now();
			const runs = await injectedEventsCheck({ rest: client, sb, parseFlatted: (s) => flatted().parse(s) }, created.id, randomBytes(3).toString('hex'));
			const wall = Date.now() - started;
			const deliveries = sb.webhooks.deliveries;
			assert(deliveries.length === 3 && deliveries.every((x) => x.status === 200 && new URL(x.url).port === String(webhookPort)), `deliveries: ${JSON.stringify(deliveries.map((x) => [x.url, x.status]))}`);
			for (const r of runs) {
				assert(r.execution.mode === 'webhook', `execution ${r.execution.id} mode ${r.execution.mode}`);
				assert(workerRan(worker, r.execution.id) && !workerRan(main, r.execution.id), `execution ${r.execution.id} did not run on the worker`);
			}
			report.figure(S, 'Unipile Trigger: 3 events emitted → 3 executions finished', `${(wall / 1000).toFixed(2)} s`);
			await client.ok('POST', `/rest/workflows/${created.id}/deactivate`, {});
			await waitFor('webhooks removed after deactivation', () => sb.webhooks.webhooks.size === 0, 15_000, 100);
		});

		// The same trigger when Unipile delivers during the activation: nothing lost, nothing doubled.
		await check('Unipile Trigger: a message delivered before n8n saved the activation still gives exactly one successful execution', async () => {
			sb.webhooks.reset();
			const created = await createWorkflow(client, webhookWorkflow('queue: Unipile Trigger, early message', credential) as Parameters<typeof createWorkflow>[1], true);
			await waitFor('the messaging webhook registered', () => [...sb.webhooks.webhooks.values()].some((w) => w.source === 'messaging'), 20_000, 10);
			const message = sb.injectMessage({ accountId: 'acc_whatsapp_1', text: `early ${randomBytes(3).toString('hex')}` });
			await waitFor('three webhooks registered', () => sb.webhooks.webhooks.size >= 3, 20_000, 100);
			for (const h of sb.webhooks.webhooks.values()) for (const header of h.headers) if (header.key.toLowerCase() !== 'content-type') secrets.push(header.value);
			await sb.webhooks.idle();
			const finished = await waitFor(
				'every execution finished, one of them successful',
				async () => {
					const all = await listExecutions(client, created.id);
					return all.length > 0 && all.every((e) => !['new', 'running', 'waiting'].includes(e.status)) && all.some((e) => e.status === 'success') && all;
				},
				20_000,
				300,
			);
			const attempts = sb.webhooks.deliveries.filter((x) => x.body.includes(message.id));
			const refused = attempts.filter((x) => x.status !== 200);
			assert(attempts.length >= 1 && attempts[attempts.length - 1].status === 200 && refused.every((x) => x.status === 500), `deliveries of the message: ${JSON.stringify(attempts.map((x) => [x.attempt, x.status]))}`);
			const successes = finished.filter((e) => e.status === 'success');
			assert(successes.length === 1, `${successes.length} successful executions for one message`);
			const [item] = (await readExecution(client, successes[0].id)).run.runData['Unipile Trigger']?.[0]?.data?.main?.[0] ?? [];
			assert(item?.json.message_id === message.id, `the execution's payload: ${JSON.stringify(item?.json).slice(0, 300)}`);
			const failures = finished.filter((e) => e.status !== 'success');
			assert(failures.length === refused.length, `${failures.length} failed executions for ${refused.length} refused deliveries`);
			for (const f of failures) {
				const error = (await readExecution(client, f.id)).error ?? '';
				assert(/before n8n had finished activating/.test(error), `failed execution ${f.id}: ${error}`);
			}
			report.figure(S, 'Unipile Trigger, message during activation: refused deliveries (500, a failed execution each) before the one that started the execution', `${refused.length}${refused.length ? `, delivered ${attempts[attempts.length - 1].endedAt - attempts[0].eventAt} ms after the event` : ''}`);
			await client.ok('POST', `/rest/workflows/${created.id}/deactivate`, {});
			await waitFor('webhooks removed after deactivation', () => sb.webhooks.webhooks.size === 0, 15_000, 100);
		});

		// 3. The polling trigger: main (the leader) polls, the worker runs the executions.
		await check('Unipile Polling Trigger: polls on main, its executions run on the worker', async () => {
			const started = Date.now();
			const { executionIds } = await pollingTriggerCheck({ rest: client, sb, credential, log: (l) => report.log(l), parseFlatted: (s) => flatted().parse(s) });
			const wall = Date.now() - started;
			const polls = sb.requests.filter((r) => !r.rawPath.startsWith('/_sandbox'));
			assert(polls.length > 0 && polls.every((r) => origin(r) === 'main'), `poll requests not from main: ${originsSeen(polls)}`);
			assert(executionIds.length > 0, 'no execution');
			for (const id of executionIds) assert(workerRan(worker, id) && !workerRan(main, id), `execution ${id} did not run on the worker`);
			report.figure(S, 'Polling trigger: activation → execution with the injected messages (cron ~20 s after activation)', `${(wall / 1000).toFixed(1)} s`);
		});

		// Stop every n8n (so its log is flushed) before searching the logs.
		await Promise.all([...processes.values()].map((p) => p.stop()));
		await check("the API key and the webhook secrets are in none of the three processes' logs", async () => {
			secrets.push(sb.apiKey);
			for (const p of processes.values()) {
				const text = p.log();
				assert(text.length > 0, `${p.label} wrote no log`);
				assert(!secrets.some((s) => text.includes(s)), `a secret appears in ${p.logFile}`);
			}
		});
		report.figure(S, 'section run time', `${((Date.now() - sectionStarted) / 1000).toFixed(0)} s`);
	} finally {
		await deployment?.close({ keep: KEEP || failed });
		await sandbox?.close().catch(() => undefined);
		await redis?.stop().catch(() => undefined);
		await pg?.stop().catch(() => undefined);
	}
}
