/**
 * The example workflows' checks, shared by the regular e2e (run.ts: `n8n execute`, regular mode) and the queue-mode
 * section of the scale e2e (queue.ts: behind a Webhook node, on a worker): the same workflow must give the same
 * outputs wherever n8n runs it. Each check reads what a user sees: the items n8n output and the requests the
 * sandbox received.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { acceptSentInvitation } from '../sandbox/linkedin';
import type { Sandbox } from '../sandbox/server';
import { AGENT_WORKFLOWS } from './agent';
import type { N8nClient } from './n8nProcess';

/** More than one page of the largest size (250): Return All has to follow the cursor. */
export const SANDBOX_CHATS = 300;

/** The file workflows/message-attachment.json makes, sends and downloads again (non-ASCII on purpose). */
export const ATTACHMENT = { fileName: 'n8n-note.txt', text: 'Note made in n8n: café, naïve, ✓ 🚀\nSecond line.' };

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

/** Account → Get for each account listed: one item per account, in the list's order, each an Account. */
function assertEveryAccount(run: WorkflowRun, expected: unknown[]): void {
	const got = run.items.map((i) => i.json.id);
	assert(isDeepStrictEqual(got, expected), `Account → Get for each account gave ${JSON.stringify(got)}, the sandbox holds ${JSON.stringify(expected)}`);
	assert(run.items.every((i) => i.json.object === 'Account'), 'an item is not an Account');
}

/** The note made in n8n, downloaded back: one item whose binary "file" has its name, type and bytes. */
function assertNoteDownloaded(run: WorkflowRun): { item: Item; bytes: Buffer } {
	const [item] = run.items;
	assert(run.items.length === 1, `expected the downloaded attachment in one item, got ${run.items.length}`);
	const file = (item.binary as Record<string, { fileName?: string; mimeType?: string }> | undefined)?.file;
	assert(file?.fileName === ATTACHMENT.fileName && file.mimeType?.startsWith('text/plain'), `binary field "file": ${JSON.stringify(file)}`);
	const bytes = Buffer.from(String(item.json.base64 ?? ''), 'base64');
	assert(bytes.toString('utf8') === ATTACHMENT.text, `the downloaded bytes are not the file sent: ${JSON.stringify(bytes.toString('utf8'))}`);
	return { item, bytes };
}

/** What the sandbox recorded of the note sent: its name, type, size and sha256. */
const NOTE_SENT = { fileName: ATTACHMENT.fileName, mimeType: 'text/plain', size: Buffer.byteLength(ATTACHMENT.text), sha256: createHash('sha256').update(ATTACHMENT.text).digest('hex') };

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** The checks' view of the sandbox: GET on its Unipile API (right key), following `cursor` for list endpoints. */
export function sandboxCtx(sb: Sandbox): Ctx {
	return {
		sandbox: sb,
		async listAll(path, query = {}) {
			const all: Array<Record<string, unknown>> = [];
			let cursor: string | undefined;
			do {
				const qs = new URLSearchParams({ ...query, limit: '250', ...(cursor ? { cursor } : {}) });
				const res = await fetch(`${sb.dsn}/api/v1${path}?${qs}`, { headers: { 'X-API-KEY': sb.apiKey, accept: 'application/json' } });
				assert(res.ok, `sandbox GET ${path} → ${res.status}`);
				const body = (await res.json()) as { items: Array<Record<string, unknown>>; cursor?: string | null };
				all.push(...body.items);
				cursor = body.cursor || undefined;
			} while (cursor);
			return all;
		},
	};
}


export type Item = { json: Record<string, unknown>; binary?: Record<string, unknown> };

export interface WorkflowRun {
	/** items of the last node that ran */
	items: Item[];
	/** n8n's whole run data, by node name */
	runData: Record<string, Array<{ data?: { main?: Item[][] }; error?: unknown }>>;
	raw: Record<string, unknown>;
}

export interface Ctx {
	sandbox: Sandbox;
	/** GET on the sandbox's Unipile API (right key), following `cursor` until the end for list endpoints */
	listAll(path: string, query?: Record<string, string>): Promise<Array<Record<string, unknown>>>;
}

export interface WorkflowCheck {
	/** JSON workflow file, relative to test/e2e/ (or absolute). Credentials `unipileApi` are pointed at the sandbox
	 *  credential; node types `n8n-nodes-unipile-messaging.x` are renamed `CUSTOM.x` (how custom extensions load). */
	file: string;
	assert(run: WorkflowRun, ctx: Ctx): Promise<void> | void;
}

/**
 * One entry per example workflow (one per resource, as they are added), in the order they run (the LinkedIn
 * follow-up needs the invitation before it). `n8nMajor`: the agent's failing-tool example needs n8n 2.x.
 */
export function exampleWorkflows(options: { n8nMajor: number; log(line: string): void }): WorkflowCheck[] {
	const log = options.log;
	/** Set by the LinkedIn invitation check: the person who then accepts, whom the follow-up must write to. */
	let acceptedProviderId: string | undefined;
	return [
		{
			file: 'workflows/chat-getAll.json',
			async assert(run, ctx) {
				const expected = (await ctx.listAll('/chats')).map((c) => c.id);
				const got = run.items.map((i) => i.json.id);
				if (expected.length !== SANDBOX_CHATS) throw new Error(`sandbox lists ${expected.length} chats, expected ${SANDBOX_CHATS}`);
				if (!isDeepStrictEqual(got, expected)) {
					throw new Error(`node returned ${got.length} chats, sandbox holds ${expected.length}; first difference at index ${got.findIndex((id, i) => id !== expected[i])}`);
				}
				const pages = ctx.sandbox.requests.filter((r) => r.path === '/chats');
				if (!pages.some((r) => typeof r.query.cursor === 'string')) throw new Error(`Return All did not follow the cursor: ${pages.length} request(s) to /chats`);
				const notChat = run.items.find((i) => i.json.object !== 'Chat');
				if (notChat) throw new Error(`an item is not a Chat: ${JSON.stringify(notChat.json).slice(0, 200)}`);
			},
		},
		{
			file: 'workflows/account-getAll.json',
			async assert(run, ctx) {
				assertEveryAccount(run, (await ctx.listAll('/accounts')).map((a) => a.id));
			},
		},
		{
			file: 'workflows/message-send-get.json',
			async assert(run, ctx) {
				const [message] = run.items;
				assert(run.items.length === 1 && message.json.object === 'Message', `expected the sent message back, got ${JSON.stringify(run.items).slice(0, 300)}`);
				assert(message.json.text === 'Hello from the real n8n' && message.json.is_sender === 1, `the message read back is not the one sent: ${JSON.stringify(message.json).slice(0, 300)}`);
				const send = ctx.sandbox.requests.find((r) => r.method === 'POST');
				assert(send?.path === `/chats/${String(message.json.chat_id)}/messages` && send.status === 201, `no multipart send reached the chat: ${JSON.stringify(send)}`);
				assert(JSON.stringify(send.form) === JSON.stringify([{ name: 'text', value: 'Hello from the real n8n' }]), `multipart fields: ${JSON.stringify(send.form)}`);
			},
		},
		{
			file: 'workflows/message-attachment.json',
			async assert(run, ctx) {
				const { item, bytes } = assertNoteDownloaded(run);
				const send = ctx.sandbox.requests.find((r) => r.method === 'POST' && /^\/chats\/[^/]+\/messages$/.test(r.path));
				const sent = send?.form?.find((f) => f.name === 'attachments');
				const want = { name: 'attachments', ...NOTE_SENT };
				assert(send?.status === 201 && isDeepStrictEqual(sent, want), `the multipart send did not carry the file: ${JSON.stringify(send?.form)}`);
				assert(item.json.fileName === ATTACHMENT.fileName && item.json.fileSize === bytes.length, `Get Attachment's item: ${JSON.stringify(item.json).slice(0, 300)}`);
				const download = ctx.sandbox.requests.find((r) => r.method === 'GET' && /^\/messages\/[^/]+\/attachments\/[^/]+$/.test(r.path));
				assert(download?.status === 200, `no download of the attachment: ${JSON.stringify(ctx.sandbox.requests.map((r) => [r.method, r.path, r.status]))}`);
			},
		},
		{
			file: 'workflows/attendee-picture.json',
			async assert(run) {
				assert(run.items.length === 2, `expected 2 pictures, got ${run.items.length}`);
				for (const item of run.items) {
					const picture = (item as { binary?: Record<string, { mimeType?: string; fileName?: string }> }).binary?.picture;
					assert(picture?.mimeType?.startsWith('image/') && typeof picture.fileName === 'string', `no picture in binary field "picture": ${JSON.stringify(item).slice(0, 300)}`);
				}
			},
		},
		{
			file: 'workflows/user-getProfile.json',
			async assert(run) {
				const [profile] = run.items;
				assert(run.items.length === 1 && profile.json.object === 'UserProfile' && profile.json.provider === 'LINKEDIN', `expected a LinkedIn UserProfile, got ${JSON.stringify(run.items).slice(0, 300)}`);
			},
		},
		// AI Agent + OpenAI Chat Model (a scripted stub, see agent.ts) + Unipile tools
		...AGENT_WORKFLOWS.filter((agent) => options.n8nMajor === 2 || !agent.n8n2Only).map((agent) => ({ file: agent.file, assert: (run: WorkflowRun, ctx: Ctx) => log(`  ${agent.check(run.items, ctx.sandbox.requests)}`) })),
		{
			file: 'workflows/email-reply.json',
			async assert(run, ctx) {
				const [sent] = run.items;
				assert(run.items.length === 1 && sent.json.object === 'EmailSent', `expected EmailSent, got ${JSON.stringify(run.items).slice(0, 300)}`);
				const post = ctx.sandbox.requests.find((r) => r.method === 'POST' && r.path === '/emails');
				assert(post?.status === 201 && /^n8n-[0-9a-f]{48}$/.test(post.headers['idempotency-key'] ?? ''), `no keyed multipart send: ${JSON.stringify(post?.headers)}`);
				const fields = Object.fromEntries((post.form ?? []).map((f) => [f.name, 'value' in f ? f.value : f.fileName]));
				const mail = ctx.sandbox.store.mail;
				const original = mail.emails.get(String(fields.reply_to));
				const reply = [...mail.emails.values()].find((e) => e.tracking_id === sent.json.tracking_id);
				assert(original !== undefined && reply?.thread_id === original.thread_id && fields.subject === (/^re\s*:/i.test(original.subject) ? original.subject : `Re: ${original.subject}`), `the reply is not in the thread: ${JSON.stringify(fields)}`);
			},
		},
		{
			file: 'workflows/linkedin-invite.json',
			async assert(run, ctx) {
				const invites = ctx.sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/users/invite');
				assert(run.items.length === 2 && invites.length === 2, `expected 2 invitations, got ${invites.length} requests and ${run.items.length} items`);
				assert(run.items.every((i) => i.json.object === 'UserInvitationSent'), `not every invitation was sent: ${JSON.stringify(run.items).slice(0, 300)}`);
				for (const invite of invites) {
					const body = invite.json as { provider_id: string; message: string };
					assert(/^ACo/.test(body.provider_id) && /^Hi \S+, fellow builder here: I'd love to hear how things are going at \S/.test(body.message), `invitation body: ${JSON.stringify(body)}`);
				}
				// Later, on LinkedIn: the first person accepts (the next workflow finds them among the relations).
				acceptSentInvitation(ctx.sandbox.store, 'acc_linkedin_1', (invites[0].json as { provider_id: string }).provider_id);
				acceptedProviderId = (invites[0].json as { provider_id: string }).provider_id;
			},
		},
		{
			file: 'workflows/linkedin-follow-up.json',
			async assert(run, ctx) {
				const start = ctx.sandbox.requests.find((r) => r.method === 'POST' && r.path === '/chats');
				const attendee = start?.form?.find((f) => f.name === 'attendees_ids');
				assert(attendee && 'value' in attendee && attendee.value === acceptedProviderId, `the chat did not go to the person who accepted: ${JSON.stringify(start?.form)}`);
				assert(run.items.length === 1 && run.items[0].json.object === 'ChatStarted', `expected a ChatStarted, got ${JSON.stringify(run.items).slice(0, 300)}`);
			},
		},
	];
}

/**
 * Activates Unipile Polling Trigger → No Op, lets its first poll seed its state, injects two messages through the sandbox's
 * out-of-process control surface, waits for n8n to run the workflow and compares what it emitted.
 * n8n 2.41 refuses polling intervals under a minute (isSubMinuteCron), so the fastest legal schedule is a custom
 * cron firing once a minute at a second we choose: ~20 s after activation.
 */
export async function pollingTriggerCheck(d: {
	rest: N8nClient;
	sb: Sandbox;
	credential: { id: string; name: string };
	log(line: string): void;
	parseFlatted(text: string): unknown;
	/** The API the trigger polls (default v1): on v2 `credential` is a V2 API credential and messages go to v2 accounts. */
	api?: 'v1' | 'v2';
}): Promise<{ workflowId: string; executionIds: string[] }> {
	const { rest, sb, log } = d;
	const onApiV2 = d.api === 'v2';
	const second = (new Date().getUTCSeconds() + 20) % 60;
	const created = await rest.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', {
		name: `e2e: Unipile Polling Trigger${onApiV2 ? ' (v2)' : ''}`,
		active: false,
		nodes: [
			{
				id: '8c1e1f6e-0000-4000-8000-0000000000a1',
				name: 'Unipile Polling Trigger',
				type: 'CUSTOM.unipilePollingTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { authentication: onApiV2 ? 'unipileApiV2' : 'unipileApi', pollTimes: { item: [{ mode: 'custom', cronExpression: `${second} * * * * *` }] } },
				credentials: { [onApiV2 ? 'unipileV2Api' : 'unipileApi']: { ...d.credential } },
			},
			{ id: '8c1e1f6e-0000-4000-8000-0000000000a2', name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { 'Unipile Polling Trigger': { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { saveDataSuccessExecution: 'all', saveManualExecutions: true },
	});
	sb.clearRequests();
	const activated = await rest.ok<{ active?: boolean; activeVersionId?: string | null }>('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	assert(activated.active === true || !!activated.activeVersionId, `activation answered ${JSON.stringify(activated).slice(0, 300)}`);
	// n8n runs the first poll when it activates (it seeds the trigger's state; nothing is emitted).
	const activatedAt = Date.now();
	while (!sb.requests.some((q) => q.path.endsWith('/messages') && q.path.startsWith('/v2/') === onApiV2)) {
		assert(Date.now() - activatedAt < 15_000, `no poll within 15s of activation: ${JSON.stringify(sb.requests.map((q) => [q.method, q.path, q.status]))}`);
		await sleep(250);
	}
	// v2 seeds account after account: a message injected before the seed reaches its account is taken as already there.
	for (let seen = -1; onApiV2 && seen !== sb.requests.length; ) {
		seen = sb.requests.length;
		await sleep(1000);
	}
	log(`  activated workflow ${created.id}; first (seeding) poll after ${Date.now() - activatedAt}ms; next polls at second ${second} of every minute`);

	const nonce = randomBytes(3).toString('hex');
	const injected: Array<{ id: string; text: string }> = [];
	const v2Account = (provider: string) => sb.v2.accounts.find((a) => a.provider === provider && a.status === 'running')!.id;
	for (const [accountId, text] of [
		[onApiV2 ? v2Account('whatsapp') : 'acc_whatsapp_1', `e2e trigger ${nonce} one`],
		[onApiV2 ? v2Account('telegram') : 'acc_telegram_1', `e2e trigger ${nonce} two`],
	]) {
		const res = await fetch(`${sb.dsn}/_sandbox/${onApiV2 ? 'v2/' : ''}messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId, text }) });
		const body = await res.text();
		assert(res.status === 201, `POST /_sandbox/messages → ${res.status} ${body}`);
		injected.push(JSON.parse(body) as { id: string; text: string });
	}

	// Wait for the execution (one minute and a bit covers a tick that fired between activation and injection).
	const filter = encodeURIComponent(JSON.stringify({ workflowId: created.id }));
	const until = Date.now() + 85_000;
	let emitted: Item[] = [];
	let executionIds: string[] = [];
	for (;;) {
		assert(Date.now() < until, `no execution with the injected messages within 85s; trigger requests: ${JSON.stringify(sb.requests.map((q) => [q.path, q.status]))}`);
		await sleep(2000);
		const list = await rest.ok<{ results?: Array<{ id: string; status: string }> } | Array<{ id: string; status: string }>>('GET', `/rest/executions?filter=${filter}`);
		const execs = Array.isArray(list) ? list : (list.results ?? []);
		const finished = execs.filter((e) => e.status !== 'running' && e.status !== 'new');
		if (finished.length === 0) continue;
		const failed = finished.find((e) => e.status !== 'success');
		assert(!failed, `trigger execution ${failed?.id} ended with status ${failed?.status}`);
		emitted = [];
		executionIds = finished.map((e) => e.id);
		for (const e of finished) {
			const full = await rest.ok<{ data: string }>('GET', `/rest/executions/${e.id}`);
			const runData = (d.parseFlatted(full.data) as { resultData: { runData: WorkflowRun['runData'] } }).resultData.runData;
			emitted.push(...(runData['Unipile Polling Trigger']?.[0]?.data?.main?.[0] ?? []));
		}
		if (emitted.length >= injected.length) break;
	}
	const got = emitted.map((i) => String(i.json.id)).sort();
	const want = injected.map((m) => m.id).sort();
	assert(isDeepStrictEqual(got, want), `trigger emitted ${JSON.stringify(emitted.map((i) => [i.json.id, i.json.text]))}, injected ${JSON.stringify(injected.map((m) => [m.id, m.text]))}`);
	log(`  trigger emitted exactly the ${want.length} injected messages`);
	return { workflowId: created.id, executionIds };
}

/**
 * A workflow file as it runs on Unipile API v2: every Unipile node's Authentication on v2 with the V2 API credential,
 * and the sandbox's v1 account ids replaced by the v2 account of the same provider. Nothing else changes: the
 * fields v2 needs are already in the files (v1 does not show them, so it ignores them).
 */
export function onV2(text: string, sb: Sandbox): string {
	const v2Of = (provider: string) => sb.v2.accounts.find((a) => a.provider === provider && a.status === 'running')!.id;
	const mapped = text.replace(/acc_(whatsapp|linkedin|telegram|instagram|google|outlook)_1\b/g, (_id, provider: string) => v2Of(provider));
	const wf = JSON.parse(mapped) as { nodes: Array<{ type: string; parameters?: Record<string, unknown>; credentials?: Record<string, unknown> }> };
	for (const node of wf.nodes) {
		if (!/\.(unipile|unipileTool|unipileLinkedIn|unipileLinkedInTool|unipileEmail|unipileEmailTool)$/.test(node.type)) continue;
		node.parameters = { ...node.parameters, authentication: 'unipileApiV2' };
		if (node.credentials?.unipileApi) {
			node.credentials.unipileV2Api = node.credentials.unipileApi;
			delete node.credentials.unipileApi;
		}
	}
	return JSON.stringify(wf);
}

/** GET on the sandbox's v2 API (its key, bypassing its cache), every page of a list. */
async function v2ListAll(sb: Sandbox, path: string): Promise<Array<Record<string, unknown>>> {
	const all: Array<Record<string, unknown>> = [];
	let offset = 0;
	let cursor: string | undefined;
	for (;;) {
		const qs = new URLSearchParams({ limit: '250', ...(cursor ? { cursor } : offset > 0 ? { offset: String(offset) } : {}) });
		const res = await fetch(`${sb.url}/v2${path}?${qs}`, { headers: { 'X-API-KEY': sb.v2.apiKey, 'Cache-Control': 'no-store' } });
		assert(res.ok, `sandbox GET /v2${path} → ${res.status}`);
		const body = (await res.json()) as { data: Array<Record<string, unknown>>; next_cursor?: string | null; has_more?: boolean; total_count?: number };
		all.push(...body.data);
		if (body.next_cursor) cursor = body.next_cursor;
		else if (body.data.length > 0 && (body.has_more === true || (typeof body.total_count === 'number' && all.length < body.total_count))) offset = all.length;
		else return all;
	}
}

/** The workflows that run on Unipile API v2 too (the Unipile node's), with what a user sees on v2. */
export function exampleWorkflowsOnV2(): WorkflowCheck[] {
	return [
		{
			file: 'workflows/chat-getAll.json',
			async assert(run, ctx) {
				const whatsapp = ctx.sandbox.v2.accounts.find((a) => a.provider === 'whatsapp' && a.status === 'running')!;
				const expected = (await v2ListAll(ctx.sandbox, `/${whatsapp.id}/chats`)).map((c) => c.id);
				const got = run.items.map((i) => i.json.id);
				assert(expected.length > 0 && isDeepStrictEqual(got, expected), `node returned ${JSON.stringify(got).slice(0, 200)}, the account holds ${JSON.stringify(expected).slice(0, 200)}`);
				assert(run.items.every((i) => i.json.object === 'Chat'), 'an item is not a v2 Chat');
				assert(ctx.sandbox.requests.every((r) => r.path === `/v2/${whatsapp.id}/chats`), `requests: ${JSON.stringify(ctx.sandbox.requests.map((r) => r.path))}`);
			},
		},
		{
			file: 'workflows/account-getAll.json',
			async assert(run, ctx) {
				assertEveryAccount(run, (await v2ListAll(ctx.sandbox, '/accounts/')).map((a) => a.id));
			},
		},
		{
			file: 'workflows/message-attachment.json',
			async assert(run, ctx) {
				assertNoteDownloaded(run);
				const send = ctx.sandbox.requests.find((r) => r.method === 'POST' && r.path.endsWith('/messages/send'));
				const [sent] = send?.attachments ?? [];
				const want = { filename: NOTE_SENT.fileName, content_type: NOTE_SENT.mimeType, size: NOTE_SENT.size, sha256: NOTE_SENT.sha256 };
				assert(send?.status === 200 && send.attachments?.length === 1 && isDeepStrictEqual({ filename: sent.filename, content_type: sent.content_type, size: sent.size, sha256: sent.sha256 }, want), `the v2 send did not carry the file as base64: ${JSON.stringify(send?.attachments)}`);
			},
		},
		{
			file: 'workflows/message-send-get.json',
			async assert(run, ctx) {
				const [message] = run.items;
				assert(run.items.length === 1 && message.json.object === 'Message', `expected the sent message back, got ${JSON.stringify(run.items).slice(0, 300)}`);
				assert(message.json.text === 'Hello from the real n8n' && message.json.is_sender === true, `the message read back is not the one sent: ${JSON.stringify(message.json).slice(0, 300)}`);
				const send = ctx.sandbox.requests.find((r) => r.method === 'POST');
				assert(send?.path === `/v2/${ctx.sandbox.v2.accounts.find((a) => a.provider === 'whatsapp' && a.status === 'running')!.id}/chats/${String(message.json.chat_id)}/messages/send`, `no v2 send reached the chat: ${JSON.stringify(send?.path)}`);
				assert(JSON.stringify(send.json) === JSON.stringify({ text: 'Hello from the real n8n' }), `JSON body: ${JSON.stringify(send.json)}`);
			},
		},
	];
}
