/**
 * Crash restarts (issue 15): `kill -9` of n8n main while messages keep arriving, then the same main again on the
 * same database. Counts, per message, how many executions emitted it.
 *
 * - Polling trigger, once per cursor mode: n8n's default (the poller's static data saved fire-and-forget when a
 *   poll emits) and durable poll cursors (the state committed in the same transaction as the execution). Kills
 *   (a) between polls, (b) inside a poll (the sandbox holds `GET /messages` open), (c) just after a poll emitted,
 *   at n8n's first database write after its debug line for the emit (the fire-and-forget window of the default).
 * - Webhook trigger: kills n8n while the sandbox delivers `message_received` events; Unipile's retries (short
 *   `retryDelaysMs`) must carry what was refused while n8n was down, and the restart must not add webhooks. Run with
 *   Unipile calling n8n directly, and through HAProxy gated on n8n's readiness check, which keeps deliveries away
 *   from the 200 n8n answers to everything while it checks its migrations at startup.
 */
import { readdirSync, readFileSync, watch } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startSandbox, type LoggedRequest, type Sandbox, type SandboxOptions } from '../sandbox/server';
import { E2E_CACHE, freePort, N8nDeployment, N8nClient, sleep, type N8nDeploymentOptions, type N8nProcess } from './n8nProcess';
import { assert, createUnipileCredential, createWorkflow, startHaproxy, waitFor, workflowFrom, type Credential, type Report } from './scaleKit';
import { executionsOf, webhookWorkflow, WEBHOOK_ID, type ExecutionSummary } from './webhookTrigger';

const SECTION = 'crash';
/** n8n 2.41 refuses sub-minute crons, but not several once-a-minute ones at different seconds: one poll every 5 s. */
const POLL_EVERY_S = 5;
const INJECT_EVERY_MS = 300;
const ACCOUNTS = ['acc_whatsapp_1', 'acc_telegram_1', 'acc_linkedin_1', 'acc_instagram_1', 'acc_messenger_1', 'acc_twitter_1'];
const TRIGGER = 'Unipile Polling Trigger';

/** What durable poll cursors need in n8n 2.41 (poll-cursor.service / durable-poller-chain): the scheduler runs the polls. */
export const DURABLE_CURSOR_ENV: Record<string, string> = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
	// The executor claims due polls every 5 s by default: 1 s keeps a 5-second schedule close to its seconds.
	N8N_SCHEDULER_EXECUTOR_INTERVAL: '1',
};

type Mode = 'default' | 'durable';
/** How Unipile reaches n8n: directly, or through HAProxy that forwards only while n8n's readiness check answers 200. */
type Front = 'direct' | 'haproxy';
/** What n8n answers, with 200, to every request while it checks its database migrations at startup. */
const N8N_STARTUP_PAGE = 'n8n is starting up';

let flattedParse: ((s: string) => unknown) | undefined;
function parseFlatted(text: string): unknown {
	flattedParse ??= (createRequire(join(E2E_CACHE, 'n8n/node_modules/n8n/package.json'))('flatted') as { parse(s: string): unknown }).parse;
	return flattedParse(text);
}

type Item = { json: Record<string, unknown> };
interface RunExecution {
	resultData?: { runData?: Record<string, Array<{ data?: { main?: Item[][] } }>> };
	executionData?: { nodeExecutionStack?: Array<{ node?: { name?: string }; data?: { main?: Item[][] } }> };
}

/**
 * The items a trigger handed to one execution: its run data once the execution ran, else the execution's start
 * stack (a polled execution committed with its cursor but killed before it ran still holds them there).
 */
async function triggerItemsOf(client: N8nClient, id: string, node: string): Promise<Item[]> {
	const full = await client.ok<{ data: string }>('GET', `/rest/executions/${id}`);
	const data = parseFlatted(full.data) as RunExecution;
	const ran = data.resultData?.runData?.[node]?.[0]?.data?.main?.[0];
	if (ran) return ran;
	const start = data.executionData?.nodeExecutionStack?.find((s) => s.node?.name === node);
	return start?.data?.main?.[0] ?? [];
}

interface Counted {
	executions: ExecutionSummary[];
	/** message id → executions that emitted it */
	perId: Map<string, number>;
}

const itemCache = new Map<string, string[]>();
async function countEmitted(client: N8nClient, workflowId: string, node: string, idOf: (j: Record<string, unknown>) => unknown): Promise<Counted> {
	const executions = await executionsOf(client, workflowId);
	const perId = new Map<string, number>();
	for (const e of executions) {
		const key = `${workflowId}/${e.id}`;
		let ids = itemCache.get(key);
		if (!ids) {
			ids = (await triggerItemsOf(client, e.id, node)).map((i) => String(idOf(i.json)));
			// Only a settled execution's items are final.
			if (!['new', 'running', 'waiting'].includes(e.status)) itemCache.set(key, ids);
		}
		for (const id of ids) perId.set(id, (perId.get(id) ?? 0) + 1);
	}
	return { executions, perId };
}

function tally(injected: string[], perId: Map<string, number>): { once: number; duplicated: number; missed: number; extraExecutions: number } {
	let once = 0;
	let duplicated = 0;
	let missed = 0;
	let extraExecutions = 0;
	for (const id of injected) {
		const n = perId.get(id) ?? 0;
		if (n === 0) missed++;
		else if (n === 1) once++;
		else {
			duplicated++;
			extraExecutions += n - 1;
		}
	}
	return { once, duplicated, missed, extraExecutions };
}

/** "success ×8, crashed ×1": how many of each value. */
function countsOf(values: Array<string | number>): string {
	const by = new Map<string, number>();
	for (const v of values) by.set(String(v), (by.get(String(v)) ?? 0) + 1);
	return [...by].map(([v, n]) => `${v} ×${n}`).join(', ');
}

const statusCounts = (executions: ExecutionSummary[]) => countsOf(executions.map((e) => e.status));

/** Messages from contacts, spread over accounts, every INJECT_EVERY_MS until stopped. */
function startInjector(sb: Sandbox, label: string): { ids: string[]; stop(): Promise<void> } {
	const ids: string[] = [];
	let running = true;
	const loop = (async () => {
		for (let n = 0; running; n++) {
			ids.push(sb.injectMessage({ accountId: ACCOUNTS[n % ACCOUNTS.length], text: `${label} #${n}` }).id);
			await sleep(INJECT_EVERY_MS);
		}
	})();
	return {
		ids,
		async stop() {
			running = false;
			await loop;
		},
	};
}

interface CrashRig {
	sb: Sandbox;
	deployment: N8nDeployment;
	main: N8nProcess;
	client: N8nClient;
	credential: Credential;
	/** Starts the message injector; the rig stops it at the end, whatever happened. */
	inject(label: string): ReturnType<typeof startInjector>;
}

interface CrashRigOptions {
	sandbox: SandboxOptions;
	n8n: N8nDeploymentOptions;
	/** a server to run beside n8n (started once the deployment's ports are known, before n8n) */
	alongside?: (deployment: N8nDeployment) => Promise<{ stop(): Promise<void> }>;
}

/**
 * A sandbox and a logged-in n8n main with a Unipile credential, for `fn`. Afterwards, whatever happened: stops the
 * injector, closes n8n (keeping its folder and logs when `fn` failed, or with UNIPILE_E2E_KEEP=1), stops what ran
 * alongside, closes the sandbox.
 */
async function withCrashRig(options: CrashRigOptions, fn: (rig: CrashRig) => Promise<void>): Promise<void> {
	const sb = await startSandbox(options.sandbox);
	const deployment = await N8nDeployment.create(options.n8n);
	let alongside: { stop(): Promise<void> } | undefined;
	let injector: ReturnType<typeof startInjector> | undefined;
	let failed = false;
	try {
		alongside = await options.alongside?.(deployment);
		const main = await deployment.start('start');
		const client = await deployment.login();
		const credential = await createUnipileCredential(client, sb.dsn, sb.apiKey);
		await fn({ sb, deployment, main, client, credential, inject: (label) => (injector = startInjector(sb, label)) });
	} catch (e) {
		failed = true;
		throw e;
	} finally {
		await injector?.stop();
		await deployment.close({ keep: failed || process.env.UNIPILE_E2E_KEEP === '1' });
		await alongside?.stop();
		await sb.close();
	}
}

const isPoll = (r: LoggedRequest) => r.method === 'GET' && r.path === '/messages';

async function killAndRestart(report: Report, deployment: N8nDeployment, main: N8nProcess, why: string): Promise<{ main: N8nProcess; client: N8nClient; downMs: number }> {
	main.kill('SIGKILL');
	const killedAt = Date.now();
	await main.exited;
	const next = await deployment.start('start');
	const client = await deployment.login();
	const downMs = Date.now() - killedAt;
	report.log(`  kill -9 ${why}; n8n ready again after ${(downMs / 1000).toFixed(1)} s`);
	return { main: next, client, downMs };
}

const EMIT_TEXT = 'Received event to trigger execution for workflow';

/** Every log of a deployment's processes, killed ones included. */
function logsOf(deployment: N8nDeployment): string[] {
	const dir = join(deployment.folder, 'logs');
	return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** From n8n's JSON log: ms from each poll's emit line to the next "Execution added" (the execution row exists). */
function emitToExecutionMs(log: string): number[] {
	const out: number[] = [];
	let emitAt: number | undefined;
	for (const line of log.split('\n')) {
		if (!line.startsWith('{')) continue;
		let entry: { message?: string; timestamp?: string; metadata?: { timestamp?: string } };
		try {
			entry = JSON.parse(line) as typeof entry;
		} catch {
			continue;
		}
		const at = Date.parse(entry.timestamp ?? entry.metadata?.timestamp ?? '');
		if (!Number.isFinite(at)) continue;
		if (entry.message?.startsWith(EMIT_TEXT)) emitAt = at;
		else if (entry.message === 'Execution added' && emitAt !== undefined) {
			out.push(at - emitAt);
			emitAt = undefined;
		}
	}
	return out;
}

/**
 * Arms a kill -9 for the first write to n8n's SQLite database (its WAL file) after n8n logs a poll's emit: the
 * first thing n8n writes after an emit is the poller's state (n8n's default: a fire-and-forget static data update,
 * issued before the execution is created) or the cursor committed with the execution (durable cursors).
 */
const WRITE_SETTLE_MS = 5;

function killOnFirstWriteAfterEmit(main: N8nProcess, walFile: string): Promise<{ emitToKillMs: number }> {
	return new Promise((resolve, reject) => {
		let tail = '';
		let emittedAt: number | undefined;
		let done = false;
		const watcher = watch(walFile, () => {
			if (emittedAt === undefined || done) return;
			const from = emittedAt;
			finish();
			// SQLite appends a transaction's frames, then its commit frame: the kill waits for the commit to be written.
			setTimeout(() => {
				main.kill('SIGKILL');
				resolve({ emitToKillMs: Date.now() - from });
			}, WRITE_SETTLE_MS);
		});
		const timer = setTimeout(() => {
			finish();
			reject(new Error('no poll emitted and wrote within 30 s'));
		}, 30_000);
		const onData = (chunk: Buffer) => {
			tail = (tail + chunk.toString()).slice(-2000);
			if (emittedAt === undefined && tail.includes(EMIT_TEXT)) emittedAt = Date.now();
		};
		function finish() {
			done = true;
			watcher.close();
			clearTimeout(timer);
			main.child.stdout!.off('data', onData);
		}
		main.child.stdout!.on('data', onData);
	});
}

async function pollingCrash(report: Report, mode: Mode): Promise<void> {
	const label = `polling/${mode}`;
	// debug: the emit's log line is what (c) kills on
	const n8n = { env: { ...(mode === 'durable' ? DURABLE_CURSOR_ENV : {}), N8N_LOG_FORMAT: 'json' }, logLevel: 'debug' };
	await withCrashRig({ sandbox: { chats: 30 }, n8n }, async (rig) => {
		const { sb, deployment, credential } = rig;
		let { main, client } = rig;
		const seconds = Array.from({ length: 60 / POLL_EVERY_S }, (_, i) => i * POLL_EVERY_S);
		const wf = workflowFrom(
			{
				name: `crash: polling trigger (${mode})`,
				nodes: [
					{
						id: '8c1e1f6e-0000-4000-8000-00000000c0a1',
						name: TRIGGER,
						type: 'CUSTOM.unipilePollingTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: { authentication: 'unipileApi', pollTimes: { item: seconds.map((s) => ({ mode: 'custom', cronExpression: `${s} * * * * *` })) } },
						credentials: { unipileApi: { ...credential } },
					},
					{ id: '8c1e1f6e-0000-4000-8000-00000000c0a2', name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
				],
				connections: { [TRIGGER]: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
			},
			credential,
		);
		const created = await createWorkflow(client, wf, true);
		// Seeded once a poll asks only for what is after a watermark (durable mode seeds at its first scheduled poll).
		await waitFor(`${label}: a poll after the seeding one`, () => sb.requests.some((r) => isPoll(r) && r.status === 200 && r.query.after !== undefined), 40_000, 200);
		report.log(`  ${label}: workflow ${created.id} active and seeded; injecting a message every ${INJECT_EVERY_MS} ms`);
		const injector = rig.inject(`crash ${mode}`);
		const landed: string[] = [];

		// (a) Between polls: a poll has been answered, the next is seconds away.
		await sleep(POLL_EVERY_S * 1000);
		const answered = sb.requests.length;
		await waitFor('a poll answered', () => sb.requests.slice(answered).some((r) => isPoll(r) && r.status === 200), 20_000, 50);
		await sleep(1500);
		const inFlightA = sb.requests.filter((r) => isPoll(r) && r.status === 0).length;
		({ main, client } = await killAndRestart(report, deployment, main, `between polls (${inFlightA} poll request(s) in flight)`));
		if (inFlightA === 0) landed.push('between');

		// (b) Inside a poll: the sandbox holds the next GET /messages for 3.5 s; n8n dies while it waits.
		await sleep(POLL_EVERY_S * 1000);
		const before = sb.requests.length;
		sb.injectFault({ method: 'GET', path: '/messages', delayMs: 3500, times: 1 });
		const held = await waitFor('a poll request held by the sandbox', () => sb.requests.slice(before).find((r) => isPoll(r) && r.status === 0), 20_000, 20);
		await sleep(1000);
		const heldOpen = held.status === 0;
		({ main, client } = await killAndRestart(report, deployment, main, `inside a poll (GET /messages?${new URLSearchParams(held.query as Record<string, string>).toString()} still unanswered: ${heldOpen})`));
		if (heldOpen) landed.push('mid-poll');
		sb.clearFaults();

		// (c) Right after a poll emitted, at n8n's first database write after it (see killOnFirstWriteAfterEmit).
		await sleep(POLL_EVERY_S * 1000);
		const killed = main;
		const { emitToKillMs } = await killOnFirstWriteAfterEmit(killed, join(deployment.folder, 'user/.n8n/database.sqlite-wal'));
		({ main, client } = await killAndRestart(report, deployment, killed, `at n8n's first database write after a poll's emit (${emitToKillMs} ms after the emit line)`));
		const afterEmit = killed.log().split(EMIT_TEXT).pop() ?? '';
		const outcome = /Execution added/.test(afterEmit) ? 'its execution was created before the kill' : 'no execution created before the kill';
		report.figure(SECTION, `polling trigger, ${mode}: kill -9 at the first database write after a poll's emit (${emitToKillMs} ms after it)`, outcome);
		landed.push('first-write-after-emit');
		const latencies = logsOf(deployment).flatMap(emitToExecutionMs).sort((x, y) => x - y);
		if (latencies.length) {
			report.figure(SECTION, `polling trigger, ${mode}: n8n's emit log line → "Execution added" (median, max of ${latencies.length} polls)`, `${latencies[Math.floor(latencies.length / 2)]} ms, ${latencies[latencies.length - 1]} ms`);
		}

		// Let one more poll run on the restarted n8n, then stop and wait until every message had its chance.
		await sleep(POLL_EVERY_S * 1000);
		await injector.stop();
		const injected = [...injector.ids];
		const lastInjectedAt = Date.now();
		let counted: Counted = { executions: [], perId: new Map() };
		await waitFor(
			`${label}: every injected message emitted`,
			async () => {
				counted = await countEmitted(client, created.id, TRIGGER, (j) => j.id);
				const settled = counted.executions.every((e) => !['new', 'running'].includes(e.status));
				return settled && injected.every((id) => counted.perId.has(id));
			},
			3 * POLL_EVERY_S * 1000 + 15_000,
			1000,
		).catch(() => undefined);
		const t = tally(injected, counted.perId);
		report.log(`  ${label}: waited ${((Date.now() - lastInjectedAt) / 1000).toFixed(1)} s after the last message; kills landed: ${landed.join(', ')}`);
		report.figure(SECTION, `polling trigger, ${mode === 'durable' ? 'durable poll cursors' : "n8n's default cursor"}: injected / emitted once / duplicated / missed`, `${injected.length} / ${t.once} / ${t.duplicated} / ${t.missed}`);
		report.figure(SECTION, `polling trigger, ${mode}: executions (by status) after 3 kill -9`, `${counted.executions.length} (${statusCounts(counted.executions)})`);
		const polls = sb.requests.filter(isPoll);
		report.figure(SECTION, `polling trigger, ${mode}: polls seen by the sandbox`, `${polls.length} GET /messages`);
		if (mode === 'durable') {
			await report.check(`${SECTION}: polling trigger with durable poll cursors: every message started exactly one execution across 3 kill -9`, () => {
				assert(landed.includes('between') && landed.includes('mid-poll'), `kills landed: ${landed.join(', ')}`);
				assert(t.missed === 0 && t.duplicated === 0, `${injected.length} injected: ${t.once} once, ${t.duplicated} duplicated, ${t.missed} missed`);
			});
		}
	});
}

/**
 * POSTs to a webhook path no workflow has, from 4 loops, until stopped: counts the answers that were n8n's startup
 * page (200) rather than a refusal (no connection, 404, 503), and the time between the first and last of them.
 */
function probeStartupAnswers(url: string): { stop(): Promise<{ sent: number; startupPage: number; windowMs: number }> } {
	let running = true;
	let sent = 0;
	const hits: number[] = [];
	const loop = async () => {
		while (running) {
			sent++;
			const page = await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).then(
				async (r) => r.status === 200 && (await r.text()).startsWith(N8N_STARTUP_PAGE),
				() => false,
			);
			if (page) hits.push(Date.now());
			await sleep(5);
		}
	};
	const loops = Promise.all([loop(), loop(), loop(), loop()]);
	return {
		async stop() {
			running = false;
			await loops;
			return { sent, startupPage: hits.length, windowMs: hits.length ? Math.max(...hits) - Math.min(...hits) : 0 };
		},
	};
}

async function webhookCrash(report: Report, front: Front): Promise<void> {
	const retryDelaysMs = [2_000, 4_000, 8_000, 16_000, 24_000];
	const proxyPort = front === 'haproxy' ? await freePort() : undefined;
	const what = `webhook trigger, ${front === 'haproxy' ? 'behind a readiness-gated HAProxy' : 'Unipile calling n8n directly'}`;
	const options: CrashRigOptions = {
		sandbox: { chats: 30, webhooks: { retryDelaysMs, timeoutMs: 10_000 } },
		n8n: { logLevel: 'info', webhookUrl: proxyPort ? () => `http://127.0.0.1:${proxyPort}/` : undefined },
		alongside: proxyPort ? (deployment) => startHaproxy(deployment.mainPort, proxyPort) : undefined,
	};
	await withCrashRig(options, async (rig) => {
		const { sb, deployment, credential } = rig;
		let { main, client } = rig;
		// Where Unipile calls: HAProxy, or n8n main itself.
		const calledAt = `http://127.0.0.1:${proxyPort ?? deployment.mainPort}`;
		const url = `${calledAt}/webhook/${WEBHOOK_ID}/webhook`;
		const created = await createWorkflow(client, webhookWorkflow('crash: Unipile Trigger', credential) as never, true);
		const registered = () => [...sb.webhooks.webhooks.values()];
		await waitFor('webhooks registered after activation', () => registered().length >= 3, 20_000, 100);
		await sleep(500);
		const idsBefore = registered().map((w) => w.id).sort();
		const injector = rig.inject('crash webhook');
		await sleep(3000);
		// Killed while a delivery is on its way.
		await waitFor('a delivery in flight', () => sb.webhooks.busy() > 0, 5_000, 5);
		const probe = probeStartupAnswers(`${calledAt}/webhook/unipile-e2e-probe`);
		const killedAt = Date.now();
		({ main, client } = await killAndRestart(report, deployment, main, `while ${sb.webhooks.busy()} delivery(ies) were in flight`));
		const startup = await probe.stop();
		await sleep(3000);
		await injector.stop();
		const injected = [...injector.ids];
		// Every delivery ends: answered 200, or the last retry failed.
		await Promise.race([sb.webhooks.idle(), sleep(retryDelaysMs.reduce((a, b) => a + b, 0) + 15_000)]);
		let counted: Counted = { executions: [], perId: new Map() };
		await waitFor(
			'every event emitted',
			async () => {
				counted = await countEmitted(client, created.id, 'Unipile Trigger', (j) => j.message_id);
				return counted.executions.every((e) => !['new', 'running'].includes(e.status)) && injected.every((id) => counted.perId.has(id));
			},
			15_000,
			1000,
		).catch(() => undefined);
		const t = tally(injected, counted.perId);
		const forUrl = sb.webhooks.deliveries.filter((d) => d.url === url);
		const byEvent = new Map<string, typeof forUrl>();
		for (const d of forUrl) {
			const id = String((JSON.parse(d.body) as { message_id?: unknown }).message_id);
			byEvent.set(id, [...(byEvent.get(id) ?? []), d]);
		}
		const failedAttempts = forUrl.filter((d) => !d.ok);
		let retried = 0;
		let recovered = 0;
		for (const id of injected) {
			const attempts = byEvent.get(id) ?? [];
			if (attempts.some((d) => !d.ok)) {
				retried++;
				if (attempts.some((d) => d.ok)) recovered++;
			}
		}
		const downUntil = Math.max(...failedAttempts.map((d) => d.endedAt), killedAt);
		const startupPage = (id: string) => (byEvent.get(id) ?? []).some((d) => d.ok && d.answer?.startsWith(N8N_STARTUP_PAGE));
		report.figure(SECTION, `${what}: events injected / emitted once / duplicated / missed`, `${injected.length} / ${t.once} / ${t.duplicated} / ${t.missed}`);
		report.figure(SECTION, `${what}: failed delivery attempts while n8n was down (events hit / recovered by retries)`, `${failedAttempts.length} (${retried} / ${recovered}; answers ${countsOf(failedAttempts.map((d) => d.status || 'none'))})`);
		report.figure(SECTION, `${what}: deliveries failing for (kill -9 to last failed attempt)`, `${((downUntil - killedAt) / 1000).toFixed(1)} s, retries after ${retryDelaysMs.map((d) => d / 1000).join(', ')} s`);
		report.figure(SECTION, `${what}: events n8n answered 200 with "${N8N_STARTUP_PAGE}" (Unipile takes them as delivered)`, String(injected.filter(startupPage).length));
		report.figure(SECTION, `${what}: probe POSTs during the restart answered 200 "${N8N_STARTUP_PAGE}" (of all, window)`, `${startup.startupPage} of ${startup.sent}${startup.startupPage ? `, for ${startup.windowMs} ms` : ''}`);
		await report.check(`${SECTION}: ${what}: still one webhook per source after kill -9 and restart`, () => {
			const hooks = registered();
			const sources = hooks.map((w) => w.source).sort();
			assert(JSON.stringify(sources) === JSON.stringify(['account_status', 'messaging', 'users']), `webhooks at the sandbox: ${JSON.stringify(hooks.map((w) => [w.source, w.request_url]))}`);
			assert(hooks.every((w) => w.request_url === url), `request_url ${JSON.stringify(hooks.map((w) => w.request_url))}`);
			if (JSON.stringify(hooks.map((w) => w.id).sort()) !== JSON.stringify(idsBefore)) report.log('  (the restart replaced the webhooks)');
		});
		const detail = injected
			.filter((id) => (counted.perId.get(id) ?? 0) !== 1)
			.map((id) => {
				const attempts = (byEvent.get(id) ?? []).map((d) => `${d.ok ? 'ok' : 'failed'} ${d.status} at ${((d.endedAt - killedAt) / 1000).toFixed(2)} s${d.answer ? ` "${d.answer.slice(0, 40)}"` : ''}`);
				return `${id}: ${counted.perId.get(id) ?? 0} execution(s); deliveries [${attempts.join(', ')}]`;
			});
		const summary = `${injected.length} events: ${t.once} once, ${t.duplicated} duplicated, ${t.missed} missed (times from the kill)\n${detail.join('\n')}\nexecutions: ${statusCounts(counted.executions)}`;
		if (front === 'haproxy') {
			await report.check(`${SECTION}: ${what}: every event delivered around a kill -9 started exactly one execution`, () => {
				assert(retried > 0, 'no delivery failed while n8n was down: the kill did not land during deliveries');
				assert(t.duplicated === 0 && t.missed === 0, summary);
			});
			await report.check(`${SECTION}: ${what}: no request reached n8n's startup page through HAProxy`, () => {
				assert(startup.startupPage === 0 && startup.sent > 100, `${startup.startupPage} of ${startup.sent} probe POSTs answered 200 "${N8N_STARTUP_PAGE}"`);
			});
		} else {
			// n8n listens before it has checked its database migrations and answers every request 200 "n8n is starting
			// up" meanwhile (abstract-server.js): a delivery in that window is lost before any node sees it.
			await report.check(`${SECTION}: ${what}: every event delivered around a kill -9 started exactly one execution, unless n8n's startup page took it`, () => {
				assert(retried > 0, 'no delivery failed while n8n was down: the kill did not land during deliveries');
				assert(t.duplicated === 0, summary);
				assert(injected.filter((id) => !counted.perId.has(id)).every(startupPage), summary);
			});
		}
	});
}

export async function crashE2e(report: Report): Promise<void> {
	const only = process.env.UNIPILE_E2E_CRASH?.split(',').map((s) => s.trim());
	const parts: Array<[string, () => Promise<void>]> = [
		['default', () => pollingCrash(report, 'default')],
		['durable', () => pollingCrash(report, 'durable')],
		['webhook', () => webhookCrash(report, 'direct')],
		['webhook-haproxy', () => webhookCrash(report, 'haproxy')],
	];
	for (const [name, run] of parts) {
		if (only && !only.includes(name)) continue;
		const t = Date.now();
		await run();
		report.figure(SECTION, `${name} part: run time`, `${((Date.now() - t) / 1000).toFixed(0)} s`);
	}
}
