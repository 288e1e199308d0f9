/**
 * What the scale e2e sections share: a report of checks and measured figures, Redis, Postgres and HAProxy on
 * loopback, and the REST calls that put credentials and workflows into a running n8n and read its executions back.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { E2E_CACHE, freePort, sleep, type N8nClient } from './n8nProcess';

export class Report {
	readonly started = Date.now();
	readonly results: Array<{ name: string; ok: boolean | 'skip'; detail?: string }> = [];
	readonly figures: Array<{ section: string; what: string; value: string }> = [];

	log(line: string): void {
		process.stdout.write(`[scale +${((Date.now() - this.started) / 1000).toFixed(1)}s] ${line}\n`);
	}

	async check(name: string, fn: () => Promise<void> | void): Promise<boolean> {
		const t = Date.now();
		try {
			await fn();
			this.results.push({ name, ok: true });
			this.log(`PASS ${name} (${((Date.now() - t) / 1000).toFixed(1)}s)`);
			return true;
		} catch (e) {
			const detail = (e as Error)?.stack ?? String(e);
			this.results.push({ name, ok: false, detail });
			this.log(`FAIL ${name} (${((Date.now() - t) / 1000).toFixed(1)}s)\n${detail}`);
			return false;
		}
	}

	skip(name: string, why: string): void {
		this.results.push({ name, ok: 'skip', detail: why });
		this.log(`SKIP ${name}: ${why}`);
	}

	/** A measured figure, printed in the table at the end (and to be quoted in notes). */
	figure(section: string, what: string, value: string): void {
		this.figures.push({ section, what, value });
		this.log(`  ${section}: ${what} = ${value}`);
	}

	get failed(): number {
		return this.results.filter((r) => r.ok === false).length;
	}
}

export function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

/** Polls `fn` until it returns something truthy; throws `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 500): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const got = await fn();
		if (got) return got;
		if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
		await sleep(everyMs);
	}
}

/**
 * A server from the Debian package of the same name, as a child process, with `dir` as its scratch folder: ready once
 * `ready(output)` holds; `stop()` ends it with SIGTERM and removes `dir`. Killed if the e2e exits first.
 */
async function startServer(command: string, args: string[], dir: string, ready: (out: string) => boolean | Promise<boolean>): Promise<{ stop(): Promise<void> }> {
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	child.once('error', (e) => (out += String(e)));
	const killOnExit = () => child.kill('SIGKILL');
	process.on('exit', killOnExit);
	await waitFor(`${command} to accept connections`, async () => (await ready(out)) || (child.exitCode !== null && Promise.reject(new Error(`${command} exited: ${out}`))), 15_000, 100).catch((e: Error) => {
		throw new Error(`${e.message} (is Debian's ${command} installed? bash test/e2e/install-queue-deps.sh)\n${out.slice(-1000)}`);
	});
	return {
		async stop() {
			child.kill('SIGTERM');
			await exited;
			process.off('exit', killOnExit);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** A Redis server from Debian's `redis-server`, on a loopback port, nothing saved to disk. */
export async function startRedis(): Promise<{ port: number; stop(): Promise<void> }> {
	const port = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'unipile-redis-'));
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
	const server = await startServer('redis-server', args, dir, (out) => /Ready to accept connections/.test(out));
	return { port, stop: server.stop };
}

/**
 * HAProxy from Debian's `haproxy` in front of one n8n process, sending requests to it only while n8n's
 * `/healthz/readiness` answers 200 (otherwise it answers 503 itself), as a load balancer or a Kubernetes readiness
 * probe does. The config is the one the README gives users (`readinessGatedHaproxyConfig`).
 */
export function readinessGatedHaproxyConfig(listen: string, n8n: string): string {
	return [
		'defaults',
		'\tmode http',
		'\ttimeout connect 2s',
		'\ttimeout client 30s',
		'\ttimeout server 30s',
		'frontend n8n_webhooks',
		`\tbind ${listen}`,
		'\tdefault_backend n8n',
		'backend n8n',
		'\toption httpchk GET /healthz/readiness',
		'\thttp-check expect status 200',
		`\tserver n8n ${n8n} check inter 250ms fall 1 rise 1`,
		'',
	].join('\n');
}

export async function startHaproxy(n8nPort: number, port: number): Promise<{ port: number; stop(): Promise<void> }> {
	const dir = mkdtempSync(join(tmpdir(), 'unipile-haproxy-'));
	const config = join(dir, 'haproxy.cfg');
	writeFileSync(config, readinessGatedHaproxyConfig(`127.0.0.1:${port}`, `127.0.0.1:${n8nPort}`));
	const answers = () => fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
	const server = await startServer('haproxy', ['-db', '-f', config], dir, answers);
	return { port, stop: server.stop };
}

/** Debian's PostgreSQL binaries (`postgresql` puts them in /usr/lib/postgresql/<major>/bin, not on PATH). */
function postgresBin(name: string): string {
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
	for (const major of majors) if (existsSync(join(root, major, 'bin', name))) return join(root, major, 'bin', name);
	return name;
}

/**
 * A PostgreSQL server from Debian's `postgresql`, initdb'd into a temp folder, on a loopback port, trust auth for
 * user `n8n`, database `n8n`, no fsync (a throwaway database). Postgres refuses to run as root: as root (CI) it runs
 * as the `postgres` user that the package creates.
 */
export async function startPostgres(): Promise<{ port: number; user: string; database: string; stop(): Promise<void> }> {
	const port = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'unipile-pg-'));
	const asRoot = process.getuid?.() === 0;
	const run = (bin: string, args: string[]) => (asRoot ? { cmd: 'runuser', args: ['-u', 'postgres', '--', postgresBin(bin), ...args] } : { cmd: postgresBin(bin), args });
	const hint = "(is Debian's postgresql installed? bash test/e2e/install-queue-deps.sh)";
	if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
	const data = join(dir, 'data');
	const init = run('initdb', ['-D', data, '-A', 'trust', '-U', 'n8n', '-E', 'UTF8', '--no-sync']);
	try {
		execFileSync(init.cmd, init.args, { stdio: 'pipe' });
	} catch (e) {
		rmSync(dir, { recursive: true, force: true });
		throw new Error(`initdb failed ${hint}: ${String((e as { stderr?: Buffer }).stderr ?? e).slice(-800)}`);
	}
	const server = run('postgres', ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']);
	const child = spawn(server.cmd, server.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	child.once('error', (e) => (out += String(e)));
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const killGroup = (signal: NodeJS.Signals) => {
		try {
			if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
		} catch {
			/* gone */
		}
	};
	const killOnExit = () => killGroup('SIGKILL');
	process.on('exit', killOnExit);
	const stop = async () => {
		// SIGINT to the postmaster = fast shutdown (runuser passes it on; the backends follow their postmaster).
		killGroup('SIGINT');
		const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
		process.off('exit', killOnExit);
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitFor('postgres to accept connections', () => /ready to accept connections/.test(out) || (child.exitCode !== null && Promise.reject(new Error(`postgres exited: ${out}`))), 30_000, 100);
		execFileSync(postgresBin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], { stdio: 'pipe' });
	} catch (e) {
		await stop();
		throw new Error(`${(e as Error).message} ${hint}\n${out.slice(-1000)}`);
	}
	return { port, user: 'n8n', database: 'n8n', stop };
}

export interface Credential {
	id: string;
	name: string;
}

export async function createUnipileCredential(client: N8nClient, dsn: string, apiKey: string, name = 'Unipile sandbox'): Promise<Credential> {
	const created = await client.ok<{ id: string; name: string }>('POST', '/rest/credentials', { name, type: 'unipileApi', data: { dsn, apiKey } });
	return { id: created.id, name: created.name };
}

type WorkflowJson = { name?: string; nodes: Array<Record<string, unknown>>; connections: unknown; settings?: Record<string, unknown>; [k: string]: unknown };

/**
 * A workflow from a JSON file under test/e2e/ (or an object), as n8n runs this package from N8N_CUSTOM_EXTENSIONS:
 * `n8n-nodes-unipile-messaging.x` becomes `CUSTOM.x`, and every `unipileApi` credential points at `credential`.
 */
export function workflowFrom(fileOrJson: string | WorkflowJson, credential: Credential): WorkflowJson {
	const wf = (typeof fileOrJson === 'string' ? JSON.parse(readFileSync(resolve(__dirname, fileOrJson), 'utf8')) : structuredClone(fileOrJson)) as WorkflowJson;
	for (const node of wf.nodes) {
		if (typeof node.type === 'string') node.type = node.type.replace(/^n8n-nodes-unipile-messaging\./, 'CUSTOM.');
		const creds = node.credentials as Record<string, unknown> | undefined;
		if (creds?.unipileApi) creds.unipileApi = { ...credential };
	}
	delete wf.id;
	delete wf.active;
	wf.settings = { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all', saveManualExecutions: true, executionOrder: 'v1', ...wf.settings };
	return wf;
}

export async function createWorkflow(client: N8nClient, wf: WorkflowJson, activate = false): Promise<{ id: string; versionId: string }> {
	const created = await client.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', { ...wf, active: false });
	if (activate) await client.ok('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	return created;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	mode?: string;
	startedAt?: string;
	stoppedAt?: string;
}

/** Every execution of a workflow (all pages), newest first as n8n lists them: at most 100 a page, `nextCursor` for older ones. */
export async function listExecutions(client: N8nClient, workflowId: string): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const all: ExecutionSummary[] = [];
	// n8n 2.41 pages executions by cursor, at most 100 a page (lastId and larger limits are refused).
	let cursor: string | undefined;
	for (;;) {
		const page = await client.ok<{ results?: ExecutionSummary[]; nextCursor?: string | null } | ExecutionSummary[]>('GET', `/rest/executions?filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		const results = Array.isArray(page) ? page : (page.results ?? []);
		all.push(...results);
		const next = Array.isArray(page) ? undefined : page.nextCursor;
		if (results.length < 100 || typeof next !== 'string' || next === '') return all;
		cursor = next;
	}
}

type Item = { json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>> };
export type RunData = Record<string, Array<{ data?: { main?: Item[][] }; error?: { message?: string } }>>;

/** One execution's run data (n8n stores it with `flatted`; parsed with n8n's own copy). */
export async function executionRunData(client: N8nClient, id: string): Promise<{ status: string; runData: RunData; raw: Record<string, unknown> }> {
	const full = await client.ok<{ data: string; status: string }>('GET', `/rest/executions/${id}`);
	const flatted = createRequire(join(E2E_CACHE, 'n8n/node_modules/n8n/package.json'))('flatted') as { parse(s: string): unknown };
	const data = flatted.parse(full.data) as { resultData: { runData: RunData } };
	return { status: full.status, runData: data.resultData.runData, raw: full as unknown as Record<string, unknown> };
}

/** The items a node output in a run. */
export function nodeItems(runData: RunData, node: string, run = 0): Item[] {
	return runData[node]?.[run]?.data?.main?.[0] ?? [];
}
