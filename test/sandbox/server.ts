/**
 * A loopback HTTP server that behaves like Unipile API v1, strictly — for tests, demos and a real n8n instance.
 *
 *   const sandbox = await startSandbox({ chats: 50 });
 *   // credentials: DSN = sandbox.dsn, API key = sandbox.apiKey
 *   sandbox.injectFault({ path: '/chats', status: 429, retryAfter: 2 });
 *   sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'hello' });
 *   await sandbox.close();
 *
 * Control surface for other processes (no auth, not logged): POST /_sandbox/messages, POST /_sandbox/emails, POST|DELETE /_sandbox/faults,
 * GET|DELETE /_sandbox/requests, POST /_sandbox/reset, GET /_sandbox/health, /_sandbox/webhooks… (webhooks.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { SandboxStore, type Attachment, type ChatAttendee, type Message, type StoredFile } from './data';
import { ApiError, malformed, parseUtcDate, problemTypeForStatus, Query, PROBLEM_TITLES } from './http';
import { isMultipart, MultipartError, MultipartParser, type MultipartPart } from './multipart';
import { matchRoute, type RouteContext, type RouteResult } from './routes';
import { generatedFile } from './files';
import type { ReceiveEmailInput } from './email';
import { WebhookHub, type WebhookOptions } from './webhooks';
import { V2Environment, type V2Options } from './v2/env';
import { V2LinkedinArea } from './v2/linkedin';
import { V2Webhooks, type V2WebhookOptions } from './v2/webhooks';
import { V2Error } from './v2/http';
import { V2EmailArea } from './v2/email';
import { V2CalendarArea } from './v2/calendar';
import { V2MessagingExtras } from './v2/messagingExtras';
import type { V2InjectMessageInput, V2Upload } from './v2/store';
import type { V2Account, V2Message } from './v2/schemas';

export { SandboxStore } from './data';
export type { Account, Attachment, Chat, ChatAttendee, Message, ProviderType, StoredFile, UploadedFile } from './data';

export interface SandboxOptions {
	port?: number;
	apiKey?: string;
	seed?: number;
	/** number of chats to seed (default 30) */
	chats?: number;
	/** messages seeded per chat (default 5; 0 allowed) */
	messagesPerChat?: number;
	/** reject unknown query parameters (default true) */
	strictQuery?: boolean;
	/** host to bind (default 127.0.0.1) */
	host?: string;
	/** webhook delivery timing (retry delays, timeout) */
	webhooks?: WebhookOptions;
	/** largest file an upload may carry (default: Unipile's 15 MB for messages, 25 MB for emails) */
	maxFileBytes?: number;
	/**
	 * Called as each API request is logged, while its connection is still open: a caller may find which process
	 * owns the other end of the socket (`remotePort`) and note it in `origin`.
	 */
	onRequest?: (request: LoggedRequest) => void;
	/** the Unipile API v2 environment served at /v2/... (its own key, accounts and data; see v2/env.ts) */
	v2?: V2Options;
	/** v2 webhook delivery timing (retry delays, timeout; see v2/webhooks.ts) */
	v2Webhooks?: V2WebhookOptions;
}

export interface LoggedRequest {
	method: string;
	/** decoded pathname without /api/v1 prefix, e.g. '/chats/abc'; v2 requests keep their /v2/ prefix */
	path: string;
	/** as received, incl. /api/v1 and encoding, no query */
	rawPath: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string>;
	json?: unknown;
	form?: LoggedFormField[];
	/** v2: the base64 `attachments` of a JSON body, decoded (their `content` in `json` is summarised when long) */
	attachments?: Array<{ filename: string; content_type: string; size: number; sha256: string; send_mode?: string }>;
	status: number;
	/** the client's port on 127.0.0.1 (which process sent it, with /proc) */
	remotePort?: number;
	/** set by `onRequest`, e.g. the n8n process that sent it */
	origin?: string;
}

export type LoggedFormField = { name: string; value: string } | { name: string; fileName: string; mimeType: string; size: number; sha256: string };

export interface Fault {
	method?: string;
	/** matched against LoggedRequest.path */
	path?: string | RegExp;
	/** default 1 */
	times?: number;
	status?: number;
	/** seconds, sets Retry-After header */
	retryAfter?: number;
	body?: unknown;
	/** answer slowly (then normally unless status set) */
	delayMs?: number;
	/** destroy the socket without answering */
	drop?: boolean;
	/** let the request do its work (e.g. send the email), then destroy the socket instead of answering */
	dropAfterHandling?: boolean;
	/** answer normally, but destroy the socket after this many bytes of a file download's body */
	dropAfterBytes?: number;
	/** answer normally, but send a file download's body at this rate (a slow link) */
	bytesPerSecond?: number;
}

export interface InjectMessageInput {
	chatId?: string;
	accountId?: string;
	text?: string;
	/** ISO; may be in the past = back-filled */
	timestamp?: string;
	isSender?: boolean;
	isEvent?: boolean;
	eventType?: number;
	/** provider id or attendee id of a member of the chat */
	senderId?: string;
	attachments?: Array<{ fileName: string; mimeType: string; bytes: Buffer }>;
	/** create a new 1:1 chat in `accountId` with a new contact (a message from someone new) */
	newChat?: { name?: string; providerId?: string };
}

export interface BigAttachmentInput {
	size: number;
	fileName?: string;
	mimeType?: string;
	accountId?: string;
	chatId?: string;
	seed?: number;
}

export interface Sandbox {
	url: string;
	dsn: string;
	port: number;
	apiKey: string;
	store: SandboxStore;
	requests: LoggedRequest[];
	clearRequests(): void;
	injectFault(f: Fault): void;
	clearFaults(): void;
	injectMessage(input: InjectMessageInput): Message;
	/**
	 * A message carrying one big file generated on demand (never held in memory), with its sha256. Also over HTTP:
	 * POST /_sandbox/big-attachments {size, fileName?, mimeType?, accountId?, seed?}.
	 */
	injectBigAttachment(input: BigAttachmentInput): Promise<{ message: Message; attachmentId: string; size: number; sha256: string }>;
	/** registered webhooks, deliveries, event emitters (see webhooks.ts) */
	webhooks: WebhookHub;
	/** Unipile API v2 at `${url}/v2/...`: a separate environment (own key `v2_sbx_…`, `acc_…` accounts, provider ids) */
	v2: SandboxV2;
	reset(): void;
	close(): Promise<void>;
}

export interface SandboxV2 {
	apiKey: string;
	/** the v2 accounts, current (seeded: whatsapp, linkedin, instagram, telegram, google, outlook, imap, a disconnected linkedin) */
	readonly accounts: V2Account[];
	env: V2Environment;
	/** a message from someone (or `isSender`) in a v2 chat; also POST /_sandbox/v2/messages */
	injectMessage(input: V2InjectMessageInput): V2Message;
	/** moves the sandbox's v2 clock (cache ages) forward; also POST /_sandbox/v2/clock {advanceMs} */
	advanceClock(ms: number): void;
	clearCache(): void;
	/** every file sent through v2 (size, sha256); also GET /_sandbox/v2/uploads */
	readonly uploads: V2Upload[];
}

const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_BODY = 60 * 1024 * 1024;
/** What the sandbox keeps of uploaded files per request; bigger uploads are hashed, measured and let go. */
const KEEP_UPLOAD_BYTES = MAX_BODY;

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > MAX_BODY) {
				reject(new ApiError(413, 'content_too_large', 'request body too large'));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(text)), ...headers });
	res.end(text);
}

function isJsonType(ct: string | undefined): boolean {
	if (!ct) return false;
	const t = ct.split(';')[0].trim().toLowerCase();
	return t === 'application/json' || t.endsWith('+json');
}

function loggedForm(parts: MultipartPart[]): LoggedFormField[] {
	return parts.map((p) =>
		p.kind === 'field'
			? { name: p.name, value: p.value }
			: { name: p.name, fileName: p.fileName, mimeType: p.contentType ?? '', size: p.size, sha256: p.sha256 },
	);
}

/** A multipart body parsed as it arrives (files hashed on the way, big ones not kept); the request is always read to its end. */
async function readMultipart(req: IncomingMessage, contentType: string | undefined): Promise<{ parts?: MultipartPart[]; error?: string }> {
	let parser: MultipartParser | undefined;
	let error: string | undefined;
	try {
		parser = new MultipartParser(contentType, KEEP_UPLOAD_BYTES);
	} catch (e) {
		error = (e as Error).message;
	}
	for await (const chunk of req) {
		if (!parser) continue;
		try {
			parser.write(chunk as Buffer);
		} catch (e) {
			if (!(e instanceof MultipartError)) throw e;
			error = e.message;
			parser = undefined;
		}
	}
	if (!parser) return { error };
	try {
		return { parts: parser.end() };
	} catch (e) {
		if (!(e instanceof MultipartError)) throw e;
		return { error: e.message };
	}
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.on('drain', done);
		res.on('close', done);
	});
}

function faultMatches(f: Fault, method: string, path: string): boolean {
	if (f.method && f.method.toUpperCase() !== method) return false;
	if (f.path === undefined) return true;
	if (typeof f.path === 'string') return f.path === path;
	f.path.lastIndex = 0;
	return f.path.test(path);
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
	const apiKey = opts.apiKey ?? 'sandbox-api-key';
	const strictQuery = opts.strictQuery ?? true;
	const store = new SandboxStore({ seed: opts.seed, chats: opts.chats, messagesPerChat: opts.messagesPerChat });
	store.maxFileBytes = opts.maxFileBytes;
	const requests: LoggedRequest[] = [];
	let faults: Array<Fault & { remaining: number }> = [];
	const sockets = new Set<Socket>();
	let dsn = '';
	const webhooks = new WebhookHub(store, opts.webhooks);
	store.onMessageStored = (msg) => webhooks.messageEvent('message_received', msg);

	function takeFault(method: string, path: string): Fault | undefined {
		const fault = faults.find((f) => f.remaining > 0 && faultMatches(f, method, path));
		if (fault) {
			fault.remaining--;
			faults = faults.filter((f) => f.remaining > 0);
		}
		return fault;
	}
	const v2 = new V2Environment(opts.v2 ?? {}, { requests, takeFault, onRequest: opts.onRequest });
	v2.addArea(new V2LinkedinArea(v2));
	v2.addArea(new V2Webhooks(v2, opts.v2Webhooks));
	v2.addArea(new V2EmailArea(v2));
	v2.addArea(new V2CalendarArea(v2));
	v2.addArea(new V2MessagingExtras(v2));

	function injectFault(f: Fault): void {
		faults.push({ ...f, remaining: f.times ?? 1 });
	}

	function injectMessage(input: InjectMessageInput): Message {
		let chat = input.chatId !== undefined ? store.chatById.get(input.chatId) : undefined;
		if (input.chatId !== undefined && !chat) throw new Error(`injectMessage: chat ${input.chatId} not found`);
		if (input.accountId !== undefined && !store.accountById.has(input.accountId)) throw new Error(`injectMessage: account ${input.accountId} not found`);
		if (chat && input.accountId !== undefined && chat.account_id !== input.accountId) throw new Error(`injectMessage: chat ${chat.id} is not in account ${input.accountId}`);
		if (!chat && input.newChat) {
			if (input.accountId === undefined) throw new Error('injectMessage: newChat needs accountId');
			const acc = store.accountById.get(input.accountId)!;
			const contact = store.newContact(acc, input.newChat.name, input.newChat.providerId);
			chat = store.newChat(acc, [contact], store.now());
		}
		if (!chat) chat = input.accountId !== undefined ? store.chatsOfAccount(input.accountId)[0] : store.sortedChats()[0];
		if (!chat) throw new Error('injectMessage: no chat to inject into');
		let timestamp: string;
		if (input.timestamp !== undefined) {
			const d = new Date(input.timestamp);
			if (Number.isNaN(d.getTime())) throw new Error(`injectMessage: invalid timestamp ${input.timestamp}`);
			timestamp = d.toISOString();
		} else timestamp = store.now();
		const members = store.attendeesOfChat(chat.id);
		let sender: ChatAttendee | undefined;
		if (input.senderId !== undefined) {
			sender = members.find((a) => a.id === input.senderId || a.provider_id === input.senderId);
			if (!sender) throw new Error(`injectMessage: sender ${input.senderId} is not a member of chat ${chat.id}`);
		} else sender = input.isSender ? members.find((a) => a.is_self === 1) : members.find((a) => a.is_self === 0);
		if (!sender) sender = members[0];
		const msg = store.buildMessage(chat, sender, {
			timestamp,
			text: input.text ?? (input.isEvent ? null : input.attachments?.length ? null : 'Hello from the sandbox'),
			isEvent: input.isEvent,
			eventType: input.isEvent ? input.eventType ?? 1 : input.eventType ?? 0,
		});
		if (msg.is_sender === 0) msg.seen = 0;
		for (const a of input.attachments ?? []) {
			const file: StoredFile = { fileName: a.fileName, mimeType: a.mimeType, bytes: Buffer.from(a.bytes) };
			store.addAttachment(msg, file);
		}
		store.storeMessage(msg);
		if (msg.is_sender === 0 && msg.is_event === 0) chat.unread_count += 1;
		return msg;
	}

	async function injectBigAttachment(input: BigAttachmentInput) {
		const file = await generatedFile({
			fileName: input.fileName ?? `big-${input.size}.bin`,
			mimeType: input.mimeType ?? 'application/octet-stream',
			size: input.size,
			seed: input.seed,
		});
		// Delivered once the file is attached, as Unipile delivers a message with its attachments.
		const deliver = store.onMessageStored;
		store.onMessageStored = undefined;
		let message: Message;
		try {
			message = injectMessage({ accountId: input.accountId, chatId: input.chatId, text: 'A big file' });
		} finally {
			store.onMessageStored = deliver;
		}
		const attachment = store.addAttachment(message, file);
		deliver?.(message);
		return { message, attachmentId: attachment.id, size: input.size, sha256: file.sha256! };
	}

	async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
		const method = req.method ?? 'GET';
		const raw = await readBody(req);
		const body = () => {
			if (raw.length === 0) return {} as Record<string, unknown>;
			try {
				return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
			} catch {
				throw malformed('control body is not JSON');
			}
		};
		if (path.startsWith('/_sandbox/v2/')) {
			const [status, answer] = v2.control(method, path, body);
			// an area's control may answer later (waiting for webhook deliveries)
			return sendJson(res, status, await answer);
		}
		if (path === '/_sandbox/health' && method === 'GET') return sendJson(res, 200, { ok: true, dsn, apiKey, v2ApiKey: v2.apiKey, chats: store.chatById.size, messages: store.messageById.size });
		if (path === '/_sandbox/messages' && method === 'POST') {
			const b = body() as Record<string, unknown> & { attachments?: Array<Record<string, unknown>> };
			const input: InjectMessageInput = { ...(b as InjectMessageInput) };
			input.attachments = (b.attachments ?? []).map((a) => ({
				fileName: String(a.fileName ?? 'file.bin'),
				mimeType: String(a.mimeType ?? 'application/octet-stream'),
				bytes: Buffer.from(String(a.base64 ?? ''), 'base64'),
			}));
			try {
				return sendJson(res, 201, injectMessage(input));
			} catch (e) {
				throw new ApiError(400, 'invalid_parameters', (e as Error).message);
			}
		}
		if (path === '/_sandbox/emails' && method === 'POST') {
			const b = body() as Record<string, unknown> & { attachments?: Array<Record<string, unknown>> };
			try {
				const attachments = (b.attachments ?? []).map((a) => ({ fileName: String(a.fileName ?? 'file.bin'), mimeType: String(a.mimeType ?? 'application/octet-stream'), bytes: Buffer.from(String(a.base64 ?? ''), 'base64') }));
				const email = store.mail.receive({ ...(b as unknown as ReceiveEmailInput), attachments });
				webhooks.emailReceived(email);
				return sendJson(res, 201, email);
			} catch (e) {
				throw new ApiError(400, 'invalid_parameters', (e as Error).message);
			}
		}
		if (path === '/_sandbox/big-attachments' && method === 'POST') {
			const b = body() as Partial<BigAttachmentInput>;
			if (typeof b.size !== 'number' || !Number.isSafeInteger(b.size) || b.size < 1) throw new ApiError(400, 'invalid_parameters', 'size: a positive number of bytes is required');
			try {
				const { message, attachmentId, size, sha256 } = await injectBigAttachment(b as BigAttachmentInput);
				return sendJson(res, 201, { message_id: message.id, attachment_id: attachmentId, size, sha256 });
			} catch (e) {
				throw new ApiError(400, 'invalid_parameters', (e as Error).message);
			}
		}
		if (path === '/_sandbox/faults' && method === 'POST') {
			const b = body() as Fault & { pathRegex?: string };
			const f: Fault = { ...b };
			if (typeof b.pathRegex === 'string') f.path = new RegExp(b.pathRegex);
			delete (f as { pathRegex?: string }).pathRegex;
			injectFault(f);
			return sendJson(res, 201, { ok: true, faults: faults.length });
		}
		if (path === '/_sandbox/faults' && method === 'DELETE') {
			faults = [];
			return sendJson(res, 200, { ok: true });
		}
		if (path === '/_sandbox/requests' && method === 'GET') return sendJson(res, 200, requests);
		if (path === '/_sandbox/requests' && method === 'DELETE') {
			requests.length = 0;
			return sendJson(res, 200, { ok: true });
		}
		if (path === '/_sandbox/webhooks' || path.startsWith('/_sandbox/webhooks/')) {
			const [status, answer] = await webhooks.control(method, path, body);
			return sendJson(res, status, answer);
		}
		if (path === '/_sandbox/reset' && method === 'POST') {
			reset();
			return sendJson(res, 200, { ok: true });
		}
		throw new ApiError(404, 'resource_not_found', `unknown control route ${method} ${path}`);
	}

	function reset(): void {
		webhooks.reset();
		store.reset();
		v2.reset();
		faults = [];
		requests.length = 0;
	}

	async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const rawPath = url.pathname;
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
		const query = new Query(url.searchParams);
		const isApi = rawPath === '/api/v1' || rawPath.startsWith('/api/v1/');
		const rest = isApi ? rawPath.slice('/api/v1'.length) : rawPath;
		let segments: string[] | undefined;
		let path: string;
		try {
			segments = rest.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
			path = '/' + segments.join('/');
		} catch {
			path = rest;
		}
		const entry: LoggedRequest = { method, path, rawPath, query: query.record(), headers, status: 0, remotePort: req.socket.remotePort };
		requests.push(entry);
		opts.onRequest?.(entry);
		const answer = (status: number, body: unknown, extra: Record<string, string> = {}) => {
			entry.status = status;
			sendJson(res, status, body, extra);
		};
		const fail = (e: ApiError) => answer(e.status, e.body(rawPath), e.headers);
		const contentType = headers['content-type'];
		let raw: Buffer = Buffer.alloc(0);
		let streamed: { parts?: MultipartPart[]; error?: string } | undefined;
		try {
			if (isMultipart(contentType)) streamed = await readMultipart(req, contentType);
			else raw = await readBody(req);
		} catch (e) {
			if (e instanceof ApiError) return fail(e);
			throw e;
		}
		// Pre-parse for the log (and reuse in handlers).
		let jsonBody: unknown;
		let jsonError: string | undefined;
		let parts: MultipartPart[] | undefined;
		let multipartError: string | undefined;
		if (raw.length > 0 && isJsonType(contentType)) {
			try {
				jsonBody = JSON.parse(raw.toString('utf8'));
				entry.json = jsonBody;
			} catch (e) {
				jsonError = (e as Error).message;
			}
		} else if (streamed) {
			parts = streamed.parts;
			multipartError = streamed.error;
			if (parts) entry.form = loggedForm(parts);
		}

		// Injected faults come first (they simulate the network / Unipile's edge).
		const fault = takeFault(method, path);
		const dropAfterHandling = fault?.dropAfterHandling === true;
		if (fault && !dropAfterHandling) {
			if (fault.delayMs) await sleep(fault.delayMs);
			if (fault.drop) {
				entry.status = 0;
				req.socket.destroy();
				return;
			}
			if (fault.status !== undefined) {
				const extra: Record<string, string> = {};
				if (fault.retryAfter !== undefined) extra['Retry-After'] = String(fault.retryAfter);
				const name = problemTypeForStatus(fault.status);
				const body = fault.body ?? { title: PROBLEM_TITLES[name] ?? name, detail: 'Injected by the Unipile sandbox.', instance: rawPath, type: `errors/${name}`, status: fault.status };
				return answer(fault.status, body, extra);
			}
		}

		// Auth.
		const key = headers['x-api-key'];
		if (key === undefined || key === '') return fail(new ApiError(401, 'missing_credentials', 'The X-API-KEY header is missing.'));
		if (key !== apiKey) return fail(new ApiError(401, 'invalid_credentials', 'The provided API key is invalid.'));

		if (!isApi || segments === undefined) return fail(new ApiError(404, 'resource_not_found', `Cannot ${method} ${rawPath}`));
		const match = matchRoute(method, segments);
		if (!match) return fail(new ApiError(404, 'resource_not_found', `Cannot ${method} ${rawPath}`));
		if ('allowed' in match) return fail(new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${rawPath}`, { Allow: match.allowed.join(', ') }));

		const ctx: RouteContext = {
			store,
			method,
			params: match.params,
			query: strictQuery ? query : Object.assign(Object.create(Query.prototype) as Query, query, { only: () => ctx.query }),
			dsn,
			headers,
			json: () => {
				if (!isJsonType(contentType)) throw new ApiError(415, 'unsupported_media_type', `expected application/json, got ${contentType ?? 'no content type'}`);
				if (raw.length === 0) throw malformed('empty JSON body');
				if (jsonError !== undefined) throw malformed(`invalid JSON: ${jsonError}`);
				if (typeof jsonBody !== 'object' || jsonBody === null || Array.isArray(jsonBody)) throw malformed('the JSON body must be an object');
				return jsonBody as Record<string, unknown>;
			},
			form: () => {
				if (!isMultipart(contentType)) throw new ApiError(415, 'unsupported_media_type', `expected multipart/form-data, got ${contentType ?? 'no content type'}`);
				if (multipartError !== undefined || !parts) throw malformed(`invalid multipart body: ${multipartError ?? 'unparsable'}`);
				return parts;
			},
		};
		let result: RouteResult;
		try {
			result = match.route.handler(ctx);
		} catch (e) {
			if (e instanceof ApiError) return fail(e);
			if (e instanceof MultipartError) return fail(malformed(e.message));
			throw e;
		}
		if (dropAfterHandling) {
			entry.status = result.status;
			req.socket.destroy();
			return;
		}
		if ('json' in result) return answer(result.status, result.json);
		entry.status = result.status;
		const length = 'stream' in result ? result.length : result.bytes.length;
		res.writeHead(result.status, { ...result.headers, 'Content-Length': String(length) });
		const cutAt = fault?.dropAfterBytes;
		const rate = fault?.bytesPerSecond;
		if ('bytes' in result && cutAt === undefined && rate === undefined) return void res.end(result.bytes);
		const body = 'stream' in result ? result.stream() : Readable.from([result.bytes]);
		let sent = 0;
		const startedAt = Date.now();
		for await (const whole of body as AsyncIterable<Buffer>) {
			// At a set rate, small slices, each sent once the rate allows it.
			const slices = rate === undefined ? [whole] : Array.from({ length: Math.ceil(whole.length / 16_384) }, (_, i) => whole.subarray(i * 16_384, (i + 1) * 16_384));
			for (const chunk of slices) {
				if (res.destroyed) break;
				if (rate !== undefined) {
					const due = startedAt + (sent / rate) * 1000;
					if (due > Date.now()) await sleep(due - Date.now());
					if (res.destroyed) break;
				}
				const piece = cutAt !== undefined && sent + chunk.length > cutAt ? chunk.subarray(0, cutAt - sent) : chunk;
				sent += piece.length;
				if (piece.length > 0 && !res.write(piece)) await drainedOrClosed(res);
				if (cutAt !== undefined && sent >= cutAt) {
					body.destroy();
					req.socket.destroy();
					return;
				}
			}
			if (res.destroyed) break;
		}
		if (res.destroyed) {
			body.destroy();
			return;
		}
		res.end();
	}

	const server = createServer((req, res) => {
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://sandbox.local');
		} catch {
			sendJson(res, 400, new ApiError(400, 'malformed_request', 'invalid URL').body());
			return;
		}
		const isV2 = url.pathname === '/v2' || url.pathname.startsWith('/v2/');
		const run = url.pathname.startsWith('/_sandbox/') ? handleControl(req, res, url.pathname) : isV2 ? v2.handle(req, res, url) : handleApi(req, res, url);
		run.catch((e: unknown) => {
			if (res.headersSent || res.destroyed) return;
			if (e instanceof ApiError) {
				sendJson(res, e.status, e.body(url.pathname), e.headers);
				return;
			}
			const last = requests[requests.length - 1];
			if (last && last.rawPath === url.pathname && last.status === 0) last.status = 500;
			if (isV2) return sendJson(res, 500, new V2Error(500, 'api/internal_error', (e as Error)?.stack ?? String(e)).body());
			sendJson(res, 500, new ApiError(500, 'unexpected_error', (e as Error)?.stack ?? String(e)).body(url.pathname));
		});
	});
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	dsn = `http://127.0.0.1:${port}`;
	v2.setBaseUrl(dsn);

	return {
		url: dsn,
		dsn,
		port,
		apiKey,
		store,
		requests,
		clearRequests: () => {
			requests.length = 0;
		},
		injectFault,
		clearFaults: () => {
			faults = [];
		},
		injectMessage,
		injectBigAttachment,
		webhooks,
		v2: {
			apiKey: v2.apiKey,
			get accounts() {
				return [...v2.store.accounts.values()].map((r) => r.account);
			},
			env: v2,
			injectMessage: (input) => v2.injectMessage(input),
			advanceClock: (ms) => v2.advanceClock(ms),
			clearCache: () => v2.clearCache(),
			get uploads() {
				return v2.store.uploads;
			},
		},
		reset,
		close: () =>
			new Promise<void>((resolve) => {
				webhooks.close();
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}

/** Re-exported helpers that tests may find handy. */
export { parseUtcDate };
export type { Attachment as SandboxAttachment };
