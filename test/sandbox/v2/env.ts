/**
 * The sandbox's Unipile API v2 environment, served beside v1 at `${sandbox.url}/v2/...` with its own API key.
 *
 * - Auth: `X-API-KEY` must be the v2 key (a v1 key → 401 with a v2 error body).
 * - Errors: `{object:'Error', type, status, title, detail, req_id}`; strict query and body fields (unknown → 400).
 * - Paging: account lists answer `{data, total_count?, next_cursor?}` and page by `cursor` (LinkedIn, Instagram;
 *   `next_cursor` absent on the last page) or by `offset` (WhatsApp, Telegram; an empty `data` ends, `total_count`
 *   given); the other mode's parameter → 400. `limit` 1…250 (default 20). Core lists answer `{object, data, has_more}`
 *   with string `offset`/`limit`.
 * - The 1-hour GET cache: `X-Cache: MISS|HIT` and `Age` on JSON GETs, per URL and key, on the sandbox clock;
 *   `Cache-Control: no-cache` (refetch) or `no-store` (refetch, keep nothing) bypass it, `max-age=N` bounds the age;
 *   a successful POST/PATCH/DELETE on an account drops that account's cached GETs (and the accounts list).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { Fault, LoggedRequest } from '../server';
import { fileAnswer } from '../files';
import { V2Store, PAGING, MESSAGING, type V2AccountRec, type V2ChatRec, type V2InjectMessageInput, type V2Provider } from './store';
import { bad, isIsoUtc, notFound, V2Error, V2Query, v2TypeForStatus } from './http';
import type { V2Message, V2User } from './schemas';

const JSON_TYPE = 'application/json; charset=utf-8';
/** The largest JSON body the v2 sandbox reads (a 100 MB file is ~134 MB of base64). */
export const V2_MAX_BODY = 160 * 1024 * 1024;
/** Decoded attachments bigger than this are measured and hashed, not kept. */
const KEEP_FILE_BYTES = 64 * 1024 * 1024;
/** Logged `attachments[].content` longer than this is replaced by a summary (the log must not hold 100 MB strings). */
const LOG_CONTENT_CHARS = 64 * 1024;
export const V2_LIMIT_MAX = 250;
export const V2_LIMIT_DEFAULT = 20;
export const V2_CACHE_TTL_MS = 3_600_000;
const PROVIDERS: V2Provider[] = ['mock', 'whatsapp', 'linkedin', 'google', 'outlook', 'imap', 'telegram', 'instagram'];
const STATUSES = ['running', 'errored', 'disconnected', 'degraded', 'partial'] as const;

export interface V2Options {
	apiKey?: string;
	seed?: number;
	chatsPerAccount?: number;
	messagesPerChat?: number;
}

export interface V2Host {
	requests: LoggedRequest[];
	takeFault(method: string, path: string): Fault | undefined;
	onRequest?: (r: LoggedRequest) => void;
}

interface CacheEntry {
	at: number;
	body: string;
	accountId?: string;
	core: boolean;
}

export type Result = { status: number; json: unknown } | { status: number; file: { key: string } };

export interface Ctx {
	method: string;
	segs: string[];
	query: V2Query;
	body: () => Record<string, unknown>;
	entry: LoggedRequest;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	// 204 No Content (v2's calendar deletes, cancels and RSVPs): no body at all.
	if (status === 204) return void res.writeHead(204, headers).end();
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(text)), ...headers });
	res.end(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function fieldsOnly(body: Record<string, unknown>, allowed: readonly string[], where = 'body'): void {
	for (const k of Object.keys(body)) if (!allowed.includes(k)) throw bad(`${k}: unknown ${where} field (allowed: ${allowed.join(', ')})`);
}
export function str(body: Record<string, unknown>, name: string, required: boolean, allowEmpty = false): string | undefined {
	const v = body[name];
	if (v === undefined) {
		if (required) throw bad(`${name}: required`);
		return undefined;
	}
	if (typeof v !== 'string' || (!allowEmpty && v === '')) throw bad(`${name}: must be a${allowEmpty ? '' : ' non-empty'} string`);
	return v;
}
export function bool(body: Record<string, unknown>, name: string): boolean | undefined {
	const v = body[name];
	if (v === undefined) return undefined;
	if (typeof v !== 'boolean') throw bad(`${name}: must be a boolean`);
	return v;
}
export function obj(body: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
	const v = body[name];
	if (v === undefined) return undefined;
	if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${name}: must be an object`);
	return v as Record<string, unknown>;
}

export interface DecodedFile {
	filename: string;
	content_type: string;
	bytes?: Buffer;
	size: number;
	sha256: string;
	send_mode?: string;
}

/** `attachments: [{content (base64), content_type, filename, metadata?, send_mode?}]`, decoded; the log keeps a summary. */
export function decodeAttachments(body: Record<string, unknown>, entry: LoggedRequest, withSendMode: boolean): DecodedFile[] {
	const v = body.attachments;
	if (v === undefined) return [];
	if (!Array.isArray(v)) throw bad('attachments: must be an array');
	const out: DecodedFile[] = [];
	v.forEach((a, i) => {
		const at = `attachments[${i}]`;
		if (typeof a !== 'object' || a === null || Array.isArray(a)) throw bad(`${at}: must be an object`);
		const o = a as Record<string, unknown>;
		fieldsOnly(o, withSendMode ? ['content', 'content_type', 'filename', 'metadata', 'send_mode'] : ['content', 'content_type', 'filename', 'metadata'], `${at}`);
		if (typeof o.content !== 'string') throw bad(`${at}.content: required, a base64 string`);
		const filename = str(o, 'filename', true)!;
		const content_type = str(o, 'content_type', true)!;
		if (!/^[\w.+-]+\/[\w.+-]+$/.test(content_type)) throw bad(`${at}.content_type: not a MIME type: ${JSON.stringify(content_type)}`);
		if (o.metadata !== undefined) {
			const m = obj(o, 'metadata')!;
			fieldsOnly(m, ['duration'], `${at}.metadata`);
			if (m.duration !== undefined && (typeof m.duration !== 'number' || m.duration < 0)) throw bad(`${at}.metadata.duration: must be a number of seconds`);
		}
		let send_mode: string | undefined;
		if (o.send_mode !== undefined) {
			if (o.send_mode !== 'file' && o.send_mode !== 'native') throw bad(`${at}.send_mode: must be file or native`);
			send_mode = o.send_mode;
		}
		const content = o.content;
		if (content.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) throw bad(`${at}.content: not valid base64`);
		const bytes = Buffer.from(content, 'base64');
		if (bytes.length === 0) throw bad(`${at}.content: empty file`);
		const sha256 = createHash('sha256').update(bytes).digest('hex');
		out.push({ filename, content_type, bytes: bytes.length <= KEEP_FILE_BYTES ? bytes : undefined, size: bytes.length, sha256, send_mode });
	});
	entry.attachments = out.map((f) => ({ filename: f.filename, content_type: f.content_type, size: f.size, sha256: f.sha256, ...(f.send_mode ? { send_mode: f.send_mode } : {}) }));
	// The log keeps small contents as sent, big ones as a summary.
	if (entry.json && typeof entry.json === 'object') {
		const logged = { ...(entry.json as Record<string, unknown>) };
		logged.attachments = (v as Array<Record<string, unknown>>).map((a, i) =>
			typeof a.content === 'string' && a.content.length > LOG_CONTENT_CHARS ? { ...a, content: `[base64 of ${out[i].size} bytes, sha256 ${out[i].sha256}]` } : a,
		);
		entry.json = logged;
	}
	return out;
}

/** A family of v2 routes in its own file: answers the requests it knows, `undefined` for the others. */
export interface V2Area {
	route(ctx: Ctx): Result | undefined;
	reset?(): void;
	/** its `/_sandbox/v2/...` test controls: `[status, answer]`, or `undefined` when the path is not its own */
	control?(method: string, path: string, body: () => Record<string, unknown>): [number, unknown] | undefined;
}

export class V2Environment {
	readonly apiKey: string;
	readonly store: V2Store;
	private cache = new Map<string, CacheEntry>();
	private intents = new Map<string, { provider: V2Provider; accountId?: string }>();
	/** Route families kept in their own files (LinkedIn, email, webhooks…): asked in order before the built-in routes. */
	private readonly areas: V2Area[] = [];

	constructor(
		opts: V2Options,
		private readonly host: V2Host,
	) {
		this.apiKey = opts.apiKey ?? 'v2_sbx_sandbox-api-key';
		this.store = new V2Store({ seed: opts.seed, chatsPerAccount: opts.chatsPerAccount, messagesPerChat: opts.messagesPerChat });
	}

	setBaseUrl(url: string): void {
		this.store.baseUrl = url;
		// seeded attachment urls were built before the port was known
		for (const rec of this.store.chats.values()) for (const m of rec.messages) for (const a of m.attachments) if (a.url.startsWith('/v2/')) a.url = url + a.url;
	}

	/** Adds a route family; its `reset` runs with the environment's. */
	addArea(area: V2Area): void {
		this.areas.push(area);
	}

	reset(): void {
		for (const area of this.areas) area.reset?.();
		const base = this.store.baseUrl;
		this.store.reset();
		this.store.baseUrl = '';
		this.setBaseUrl(base);
		this.cache.clear();
		this.intents.clear();
	}

	clearCache(): void {
		this.cache.clear();
	}

	advanceClock(ms: number): void {
		this.store.clockOffsetMs += ms;
	}

	/** Told of each message injected (a v2 area delivers `message.new` webhooks for it). */
	readonly messageListeners: Array<(accountId: string, message: V2Message) => void> = [];

	injectMessage(input: V2InjectMessageInput): V2Message {
		const message = this.store.injectMessage(input);
		for (const listener of this.messageListeners) listener(input.accountId, message);
		return message;
	}

	// ------------------------------------------------------------------------------------------------ HTTP

	async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const rawPath = url.pathname;
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
		let segs: string[] = [];
		let path = rawPath;
		let decodeFailed = false;
		try {
			segs = rawPath.slice('/v2'.length).split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
			path = '/v2' + (segs.length ? '/' + segs.join('/') : '');
			if (rawPath.endsWith('/') && segs.length) path += '/';
		} catch {
			decodeFailed = true;
		}
		const query: Record<string, string | string[]> = {};
		for (const key of new Set(url.searchParams.keys())) {
			const all = url.searchParams.getAll(key);
			query[key] = all.length === 1 ? all[0] : all;
		}
		const entry: LoggedRequest = { method, path, rawPath, query, headers, status: 0, remotePort: req.socket.remotePort };
		this.host.requests.push(entry);
		this.host.onRequest?.(entry);
		const answer = (status: number, body: unknown, extra: Record<string, string> = {}) => {
			entry.status = status;
			sendJson(res, status, body, extra);
		};
		const fail = (e: V2Error) => answer(e.status, e.body(), e.headers);

		// Body (JSON only; big ones are fine up to V2_MAX_BODY).
		const chunks: Buffer[] = [];
		let size = 0;
		let tooBig = false;
		for await (const c of req) {
			size += (c as Buffer).length;
			if (size > V2_MAX_BODY) tooBig = true;
			else chunks.push(c as Buffer);
		}
		let jsonBody: unknown;
		let jsonError: string | undefined;
		const contentType = headers['content-type'];
		const isJson = !!contentType && /^application\/(.+\+)?json\s*(;|$)/i.test(contentType.trim());
		if (!tooBig && size > 0) {
			if (!isJson) jsonError = `expected application/json, got ${contentType ?? 'no content type'}`;
			else {
				try {
					jsonBody = JSON.parse(Buffer.concat(chunks).toString('utf8'));
					entry.json = jsonBody;
				} catch (e) {
					jsonError = `invalid JSON: ${(e as Error).message}`;
				}
			}
		}
		chunks.length = 0;

		// Injected faults (Unipile's edge) come first.
		const fault = this.host.takeFault(method, path);
		const dropAfterHandling = fault?.dropAfterHandling === true;
		if (fault && !dropAfterHandling) {
			if (fault.delayMs) await sleep(fault.delayMs);
			if (fault.drop) {
				req.socket.destroy();
				return;
			}
			if (fault.status !== undefined) {
				const extra: Record<string, string> = {};
				if (fault.retryAfter !== undefined) extra['Retry-After'] = String(fault.retryAfter);
				const e = new V2Error(fault.status, v2TypeForStatus(fault.status), 'Injected by the Unipile sandbox.');
				return answer(fault.status, fault.body ?? e.body(), extra);
			}
		}

		const key = headers['x-api-key'];
		if (key === undefined || key === '') return fail(new V2Error(401, 'api/missing_authorization', 'The X-API-KEY header is missing.'));
		if (key !== this.apiKey) return fail(new V2Error(401, 'api/invalid_authorization', 'The X-API-KEY is not a valid API key of this application.'));
		if (decodeFailed) return fail(notFound(`Cannot ${method} ${rawPath}`));
		if (tooBig) return fail(bad(`the request body is larger than ${V2_MAX_BODY} bytes`));

		// The GET cache.
		const cacheKey = `${key}\n${url.pathname}${url.search}`;
		const cc = (headers['cache-control'] ?? '').toLowerCase();
		const noCache = /(^|[,\s])no-cache($|[,\s])/.test(cc);
		const noStore = /(^|[,\s])no-store($|[,\s])/.test(cc);
		const maxAgeMatch = /max-age=(\d+)/.exec(cc);
		if (method === 'GET' && !noCache && !noStore) {
			const hit = this.cache.get(cacheKey);
			const age = hit ? this.store.clock() - hit.at : 0;
			if (hit && age >= 0 && age < V2_CACHE_TTL_MS && (!maxAgeMatch || age <= Number(maxAgeMatch[1]) * 1000)) {
				return answer(200, hit.body, { 'X-Cache': 'HIT', Age: String(Math.floor(age / 1000)) });
			}
		}

		const ctx: Ctx = {
			method,
			segs,
			query: new V2Query(url.searchParams),
			entry,
			body: () => {
				if (jsonError !== undefined) throw bad(jsonError);
				if (jsonBody === undefined) throw bad('a JSON body is required');
				if (typeof jsonBody !== 'object' || jsonBody === null || Array.isArray(jsonBody)) throw bad('the JSON body must be an object');
				return jsonBody as Record<string, unknown>;
			},
		};
		let result: Result;
		try {
			result = this.route(ctx);
		} catch (e) {
			if (e instanceof V2Error) return fail(e);
			throw e;
		}
		if (method !== 'GET' && result.status < 300) this.invalidate(segs, ctx);
		if (dropAfterHandling) {
			entry.status = result.status;
			req.socket.destroy();
			return;
		}
		if ('json' in result) {
			const text = JSON.stringify(result.json);
			if (method === 'GET' && result.status === 200 && !noStore) {
				const accountId = segs[0] === 'accounts' ? segs[1] : segs[0];
				this.cache.set(cacheKey, { at: this.store.clock(), body: text, accountId, core: segs[0] === 'accounts' && segs.length === 1 });
			}
			return answer(result.status, text, method === 'GET' ? { 'X-Cache': 'MISS' } : {});
		}
		const file = this.store.files.get(result.file.key)!;
		const disp = `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
		const out = fileAnswer(file, { 'Content-Type': file.mimeType, 'Content-Disposition': disp, 'X-Cache': 'MISS' });
		entry.status = out.status;
		if ('bytes' in out) {
			res.writeHead(out.status, { ...out.headers, 'Content-Length': String(out.bytes.length) });
			res.end(out.bytes);
		} else if ('stream' in out) {
			res.writeHead(out.status, { ...out.headers, 'Content-Length': String(out.length) });
			out.stream().pipe(res);
		}
	}

	private invalidate(segs: string[], ctx: Ctx): void {
		const ids = new Set<string>();
		if (segs[0] === 'accounts' && segs[1]) ids.add(segs[1]);
		else if (segs[0] === 'auth') {
			const b = ctx.entry.json as Record<string, unknown> | undefined;
			if (b && typeof b.account_id === 'string') ids.add(b.account_id);
		} else if (segs[0]) ids.add(segs[0]);
		const core = segs[0] === 'accounts' || segs[0] === 'auth';
		for (const [k, e] of this.cache) if ((e.accountId !== undefined && ids.has(e.accountId)) || (core && e.core)) this.cache.delete(k);
	}

	// ------------------------------------------------------------------------------------------------ routes

	private route(ctx: Ctx): Result {
		for (const area of this.areas) {
			const answer = area.route(ctx);
			if (answer) return answer;
		}
		const { method, segs } = ctx;
		const n = segs.length;
		if (segs[0] === 'accounts') {
			if (n === 1 && method === 'GET') return this.listAccounts(ctx);
			if (n === 2 && method === 'GET') return { status: 200, json: this.account(segs[1]).account };
			if (n === 2 && method === 'DELETE') {
				ctx.query.only([]);
				this.account(segs[1]);
				this.store.accounts.delete(segs[1]);
				for (const [k, rec] of this.store.chats) if (rec.accountId === segs[1]) this.store.chats.delete(k);
				return { status: 200, json: { success: true } };
			}
		}
		if (segs[0] === 'auth' && n === 2 && method === 'POST') {
			ctx.query.only([]);
			if (segs[1] === 'intent') return this.authIntent(ctx.body());
			if (segs[1] === 'link') return this.authLink(ctx.body());
			if (segs[1] === 'checkpoint') return this.checkpoint(ctx.body());
		}
		if (n >= 2 && segs[0] !== 'accounts' && segs[0] !== 'auth' && (segs[1] === 'chats' || segs[1] === 'users')) {
			const acc = this.methodsAccount(segs[0]);
			if (segs[1] === 'chats') {
				if (n === 2 && method === 'GET') return this.listChats(ctx, acc);
				if (n === 3 && segs[2] === 'send' && method === 'POST') return this.startChat(ctx, acc);
				if (n >= 3) {
					const chatFor = () => this.chat(acc, segs[2]);
					if (n === 3 && method === 'GET') return (ctx.query.only([]), { status: 200, json: this.store.view(chatFor()) });
					if (n === 3 && method === 'PATCH') return this.updateChat(ctx, chatFor());
					if (n === 4 && segs[3] === 'participants' && method === 'GET') return this.participants(ctx, acc, chatFor());
					if (n === 4 && segs[3] === 'messages' && method === 'GET') return this.listMessages(ctx, chatFor());
					if (n === 5 && segs[3] === 'messages' && segs[4] === 'send' && method === 'POST') return this.sendMessage(ctx, acc, chatFor());
					if (n === 5 && segs[3] === 'messages' && method === 'GET') return (ctx.query.only([]), { status: 200, json: this.message(chatFor(), segs[4]) });
					if (n === 6 && segs[3] === 'messages' && segs[5] === 'forward' && method === 'POST') return this.forward(ctx, acc, chatFor(), segs[4]);
					if (n === 7 && segs[3] === 'messages' && segs[5] === 'attachments' && method === 'GET') {
						ctx.query.only([]);
						const rec = chatFor();
						const msg = this.message(rec, segs[4]);
						if (!msg.attachments.some((a) => a.id === segs[6])) throw notFound(`Attachment ${segs[6]} not found in message ${msg.id}.`);
						return { status: 200, file: { key: `${acc.account.id} ${rec.chat.id} ${msg.id} ${segs[6]}` } };
					}
				}
			}
			if (segs[1] === 'users') {
				if (n === 3 && method === 'GET') return this.userProfile(ctx, acc, segs[2]);
				if (n === 4 && segs[3] === 'chat' && method === 'GET') return this.userChat(ctx, acc, segs[2]);
			}
		}
		throw notFound(`Cannot ${method} /v2/${segs.join('/')}`);
	}

	account(id: string): V2AccountRec {
		const acc = this.store.accounts.get(id);
		if (!acc) throw notFound(`Account ${id} not found.`);
		return acc;
	}

	/** An account the Methods API may call (exists, connected); `providers` limits which kinds (default: messaging). */
	methodsAccount(id: string, providers: readonly V2Provider[] = MESSAGING): V2AccountRec {
		const acc = this.account(id);
		if (acc.account.status === 'disconnected') throw new V2Error(401, 'provider/invalid_authorization', 'The provider cannot authenticate this account: it needs to be reconnected.');
		if (!providers.includes(acc.account.provider)) throw bad(`This method is not available for ${acc.account.provider} accounts.`);
		return acc;
	}

	private chat(acc: V2AccountRec, chatId: string): V2ChatRec {
		const rec = this.store.chats.get(this.store.chatKey(acc.account.id, chatId));
		if (!rec) throw notFound(`Chat ${chatId} not found.`);
		return rec;
	}

	private message(rec: V2ChatRec, id: string): V2Message {
		const m = rec.messages.find((x) => x.id === id);
		if (!m) throw notFound(`Message ${id} not found in chat ${rec.chat.id}.`);
		return m;
	}

	// --------------------------------------------------------------------------------------- paging

	/**
	 * One page of an account list, by cursor or offset as the provider pages. `items` is sorted newest first by `key`.
	 * A cursor carries the filters of its first page: sent alone it keeps them, sent with different filters → 400.
	 */
	page<T, F extends Record<string, string>>(ctx: Ctx, provider: V2Provider, scope: string, filters: F, select: (f: F) => T[], key: (t: T) => string): { data: T[]; total_count?: number; next_cursor?: string } {
		const q = ctx.query;
		const limit = q.int('limit', 1, V2_LIMIT_MAX) ?? V2_LIMIT_DEFAULT;
		const mode = PAGING[provider];
		if (mode === 'offset') {
			if (q.params.has('cursor')) throw bad(`cursor: ${provider} lists page by offset (use offset)`);
			const offset = q.int('offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
			const all = select(filters);
			return { data: all.slice(offset, offset + limit), total_count: all.length };
		}
		if (q.params.has('offset')) throw bad(`offset: ${provider} lists page by cursor (use cursor with the previous page's next_cursor)`);
		const raw = q.one('cursor');
		let f = filters;
		let after: string | undefined;
		if (raw !== undefined) {
			let c: { s: string; f: F; k: string };
			try {
				c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
				if (typeof c.s !== 'string' || typeof c.k !== 'string' || typeof c.f !== 'object' || c.f === null) throw new Error('shape');
			} catch {
				throw bad('cursor: invalid cursor');
			}
			if (c.s !== scope) throw bad('cursor: this cursor belongs to another list');
			if (Object.keys(filters).length > 0 && JSON.stringify(sortKeys(filters)) !== JSON.stringify(sortKeys(c.f)))
				throw bad('cursor: the filters differ from those of the first page (send the same filters, or the cursor alone)');
			f = c.f;
			after = c.k;
		}
		const all = select(f);
		const start = after === undefined ? 0 : all.findIndex((t) => key(t) < after!);
		const from = start === -1 ? all.length : start;
		const data = all.slice(from, from + limit);
		const out: { data: T[]; next_cursor?: string } = { data };
		if (from + limit < all.length && data.length > 0) out.next_cursor = Buffer.from(JSON.stringify({ s: scope, f: sortKeys(f), k: key(data[data.length - 1]) })).toString('base64url');
		return out;
	}

	// --------------------------------------------------------------------------------------- core

	private listAccounts(ctx: Ctx): Result {
		const q = ctx.query.only(['offset', 'limit', 'provider', 'status', 'search', 'account_scope_id']);
		const offset = q.int('offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
		const limit = q.int('limit', 1, V2_LIMIT_MAX) ?? V2_LIMIT_DEFAULT;
		const provider = q.enumOf('provider', PROVIDERS);
		const status = q.enumOf('status', STATUSES);
		const search = q.one('search')?.toLowerCase();
		const scope = q.one('account_scope_id');
		const all = [...this.store.accounts.values()]
			.map((r) => r.account)
			.filter((a) => (!provider || a.provider === provider) && (!status || a.status === status))
			.filter((a) => !search || (a.name ?? '').toLowerCase().includes(search) || a.id.toLowerCase().includes(search))
			.filter((a) => scope === undefined || (scope === 'none' ? !a.account_scope_id : a.account_scope_id === scope))
			.sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : a.id < b.id ? -1 : 1));
		return { status: 200, json: { object: 'Accounts', data: all.slice(offset, offset + limit), has_more: offset + limit < all.length } };
	}

	private authIntent(b: Record<string, unknown>): Result {
		fieldsOnly(b, ['provider', 'credentials', 'config', 'user_timezone', 'account_id']);
		const provider = str(b, 'provider', true) as V2Provider;
		if (!PROVIDERS.includes(provider)) throw bad(`provider: must be one of ${PROVIDERS.join(', ')}`);
		const credentials = obj(b, 'credentials');
		obj(b, 'config');
		str(b, 'user_timezone', false);
		const accountId = str(b, 'account_id', false);
		if (accountId !== undefined) {
			const acc = this.account(accountId);
			if (acc.account.provider !== provider) throw bad(`account_id: ${accountId} is a ${acc.account.provider} account, not ${provider}`);
			if (acc.account.status !== 'disconnected') throw bad(`account_id: ${accountId} must be a disconnected account to be reconnected`);
		}
		if (provider === 'google' || provider === 'outlook') {
			const state = randomBytes(8).toString('hex');
			return { status: 200, json: { object: 'OauthUrl', url: `${this.store.baseUrl}/_sandbox/v2/oauth/${provider}?state=${state}` } };
		}
		if (!credentials) throw bad('credentials: required');
		const intentId = `int_${randomBytes(10).toString('hex')}`;
		if (provider === 'whatsapp' || provider === 'telegram') {
			this.intents.set(intentId, { provider, accountId });
			return { status: 200, json: { object: 'AuthenticationQrCode', qrcode: `2@${randomBytes(24).toString('base64')}`, intent_id: intentId } };
		}
		if (provider === 'linkedin' && credentials.access_token === undefined) {
			if (typeof credentials.username !== 'string' || typeof credentials.password !== 'string') throw bad('credentials: {username, password} or {access_token, user_agent} is required for linkedin');
			this.intents.set(intentId, { provider, accountId });
			return { status: 200, json: { object: 'AuthenticationCheckpoint', checkpoint: { type: 'OTP' }, intent_id: intentId } };
		}
		return { status: 200, json: this.connected(provider, accountId).account };
	}

	private connected(provider: V2Provider, accountId?: string): V2AccountRec {
		if (accountId !== undefined) {
			const acc = this.account(accountId);
			acc.account.status = 'running';
			return acc;
		}
		return this.store.addAccount(provider);
	}

	/** `{intent_id, code}`: the sandbox's code is `123456`; a QR intent (WhatsApp, Telegram) completes with any code. */
	private checkpoint(b: Record<string, unknown>): Result {
		fieldsOnly(b, ['intent_id', 'code']);
		const intentId = str(b, 'intent_id', true)!;
		const code = str(b, 'code', true)!;
		const intent = this.intents.get(intentId);
		if (!intent) throw notFound(`Authentication intent ${intentId} not found or expired.`);
		if (intent.provider === 'linkedin' && code !== '123456') throw new V2Error(400, 'provider/invalid_parameters', 'The provider rejected the checkpoint code.');
		this.intents.delete(intentId);
		return { status: 200, json: this.connected(intent.provider, intent.accountId).account };
	}

	private authLink(b: Record<string, unknown>): Result {
		fieldsOnly(b, ['providers', 'expires_on', 'redirect_uri', 'state', 'domain', 'config', 'account_id']);
		const p = b.providers;
		if (p === undefined) throw bad('providers: required');
		if (typeof p === 'string') {
			if (!['*', '*:EMAILS', '*:MESSAGING', ...PROVIDERS].includes(p)) throw bad(`providers: unknown value ${JSON.stringify(p)}`);
		} else if (!Array.isArray(p) || p.length === 0 || p.some((x) => typeof x !== 'string' || !PROVIDERS.includes(x as V2Provider))) throw bad(`providers: "*" or a non-empty list of ${PROVIDERS.join(', ')}`);
		const expires = str(b, 'expires_on', true)!;
		if (!isIsoUtc(expires)) throw bad('expires_on: must be an ISO 8601 UTC datetime (YYYY-MM-DDTHH:MM:SS.sssZ)');
		const redirect = str(b, 'redirect_uri', true)!;
		if (!/^https?:\/\//.test(redirect)) throw bad('redirect_uri: must be an http(s) URL');
		str(b, 'state', false);
		str(b, 'domain', false);
		obj(b, 'config');
		const accountId = str(b, 'account_id', false);
		if (accountId !== undefined) this.account(accountId);
		return { status: 200, json: { object: 'HostedAuthLink', link: `${this.store.baseUrl}/_sandbox/v2/hosted/${randomBytes(12).toString('hex')}` } };
	}

	// --------------------------------------------------------------------------------------- chats

	private listChats(ctx: Ctx, acc: V2AccountRec): Result {
		const q = ctx.query.only(['offset', 'cursor', 'limit', 'type', 'before', 'after', 'is_archived', 'is_unread']);
		const filters: Record<string, string> = {};
		const type = q.enumOf('type', ['1to1', 'group', 'channel'] as const);
		if (type) filters.type = type;
		for (const d of ['before', 'after']) {
			const v = q.date(d);
			if (v) filters[d] = v;
		}
		for (const b of ['is_archived', 'is_unread']) {
			const v = q.bool(b);
			if (v !== undefined) filters[b] = String(v);
		}
		const page = this.page(
			ctx,
			acc.account.provider,
			`chats ${acc.account.id}`,
			filters,
			(f) =>
				this.store
					.chatsOf(acc.account.id)
					.map((r) => this.store.view(r))
					.filter((c) => !f.type || c.type === f.type)
					.filter((c) => !f.before || (c.created_at ?? '') < f.before)
					.filter((c) => !f.after || (c.created_at ?? '') > f.after)
					.filter((c) => f.is_archived === undefined || String(c.is_archived) === f.is_archived)
					.filter((c) => f.is_unread === undefined || String(c.unread_count !== 0) === f.is_unread),
			(c) => `${c.last_message_timestamp ?? c.created_at ?? ''} ${c.id}`,
		);
		return { status: 200, json: page };
	}

	private updateChat(ctx: Ctx, rec: V2ChatRec): Result {
		ctx.query.only([]);
		const b = ctx.body();
		fieldsOnly(b, ['name', 'pin_status', 'archive_status', 'label', 'muted_until', 'read_status']);
		if (Object.keys(b).length === 0) throw bad('nothing to update: give at least one of name, pin_status, archive_status, label, muted_until, read_status');
		const name = str(b, 'name', false);
		const pin = bool(b, 'pin_status');
		const archive = bool(b, 'archive_status');
		const label = str(b, 'label', false);
		const read = bool(b, 'read_status');
		const mu = b.muted_until;
		if (mu !== undefined && typeof mu !== 'boolean' && !isIsoUtc(mu)) throw bad('muted_until: true, false or an ISO 8601 UTC datetime (YYYY-MM-DDTHH:MM:SS.sssZ)');
		if (name !== undefined) rec.chat.name = name;
		if (pin !== undefined) rec.chat.is_pinned = pin;
		if (archive !== undefined) rec.chat.is_archived = archive;
		if (label !== undefined) rec.chat.label = label;
		if (mu !== undefined) rec.chat.muted_until = mu as string | boolean;
		if (read === true) {
			for (const m of rec.messages) if (!m.is_sender) m.is_seen = true;
			rec.unreadMark = false;
		} else if (read === false) rec.unreadMark = true;
		rec.chat.updated_at = this.store.now();
		return { status: 200, json: this.store.view(rec) };
	}

	private participants(ctx: Ctx, acc: V2AccountRec, rec: V2ChatRec): Result {
		ctx.query.only(['offset', 'cursor', 'limit']);
		if (!rec.chat.is_group) throw bad('Participants can only be listed for group chats; a 1to1 chat has its other participant in `user`.');
		const all = [acc.owner, ...rec.members].map((user, i) => ({ object: 'GroupParticipant' as const, is_self: i === 0, is_admin: rec.admins.has(user.id), user, k: String(999_999 - i).padStart(6, '0') }));
		const page = this.page(ctx, acc.account.provider, `participants ${acc.account.id} ${rec.chat.id}`, {}, () => all, (p) => p.k);
		return { status: 200, json: { ...page, data: page.data.map(({ k: _k, ...p }) => p) } };
	}

	private startChat(ctx: Ctx, acc: V2AccountRec): Result {
		ctx.query.only([]);
		const b = ctx.body();
		fieldsOnly(b, ['users_ids', 'text', 'name', 'attachments', 'specifics']);
		const ids = b.users_ids;
		let list: string[];
		if (typeof ids === 'string' && ids !== '') list = [ids];
		else if (Array.isArray(ids) && ids.length > 0 && ids.every((x) => typeof x === 'string' && x !== '')) list = ids as string[];
		else throw bad('users_ids: required, a user id (1to1) or a non-empty array of user ids (group)');
		const text = str(b, 'text', true, true)!;
		const name = str(b, 'name', false);
		obj(b, 'specifics');
		const files = decodeAttachments(b, ctx.entry, true);
		const group = Array.isArray(ids);
		const users = list.map((id) => acc.users.get(id) ?? this.store.newUser(acc.account.provider, id));
		let rec: V2ChatRec | undefined;
		if (!group) for (const r of this.store.chatsOf(acc.account.id)) if (r.chat.is_1to1 && r.chat.user_id === list[0]) rec = r;
		rec ??= this.store.addChat(acc, users, { group, name });
		const ids2 = this.post(acc, rec, text, files);
		return { status: 200, json: { object: 'ChatStarted', chat_id: rec.chat.id, message_id: ids2 } };
	}

	/** Stores what was sent: WhatsApp sends each file as its own message (text on the first), others one message. */
	private post(acc: V2AccountRec, rec: V2ChatRec, text: string, files: DecodedFile[], quoted?: V2Message): string | string[] | null {
		if (text === '' && files.length === 0) return null;
		const toStore = (f: DecodedFile) => ({ filename: f.filename, content_type: f.content_type, bytes: f.bytes, size: f.size, sha256: f.sha256 });
		const sent: V2Message[] = [];
		if (acc.account.provider === 'whatsapp' && files.length > 1) {
			files.forEach((f, i) => sent.push(this.store.addMessage(rec, { sender: acc.owner, text: i === 0 ? text : undefined, files: [toStore(f)], quoted: i === 0 ? quoted : undefined })));
		} else sent.push(this.store.addMessage(rec, { sender: acc.owner, text, files: files.map(toStore), quoted }));
		for (const m of sent)
			for (const a of m.attachments) {
				const f = this.store.files.get(`${acc.account.id} ${rec.chat.id} ${m.id} ${a.id}`)!;
				this.store.uploads.push({ accountId: acc.account.id, chatId: rec.chat.id, messageId: m.id, attachmentId: a.id, filename: f.fileName, content_type: f.mimeType, size: f.size!, sha256: f.sha256! });
			}
		return sent.length === 1 ? sent[0].id : sent.map((m) => m.id);
	}

	// --------------------------------------------------------------------------------------- messages

	private listMessages(ctx: Ctx, rec: V2ChatRec): Result {
		const q = ctx.query.only(['offset', 'cursor', 'limit', 'before', 'after', 'user_id']);
		const filters: Record<string, string> = {};
		for (const d of ['before', 'after']) {
			const v = q.date(d);
			if (v) filters[d] = v;
		}
		const user = q.one('user_id');
		if (user) filters.user_id = user;
		const key = (m: V2Message) => `${m.timestamp} ${m.id.padStart(40, '0')}`;
		const page = this.page(
			ctx,
			rec.chat.provider,
			`messages ${rec.accountId} ${rec.chat.id}`,
			filters,
			(f) =>
				rec.messages
					.filter((m) => (!f.before || m.timestamp < f.before) && (!f.after || m.timestamp > f.after) && (!f.user_id || m.sender_id === f.user_id))
					.sort((a, b) => (key(a) < key(b) ? 1 : -1)),
			key,
		);
		return { status: 200, json: page };
	}

	private sendMessage(ctx: Ctx, acc: V2AccountRec, rec: V2ChatRec): Result {
		ctx.query.only([]);
		const b = ctx.body();
		fieldsOnly(b, ['text', 'quote_id', 'attachments', 'specifics']);
		const text = str(b, 'text', true, true)!;
		const quoteId = str(b, 'quote_id', false);
		obj(b, 'specifics');
		const files = decodeAttachments(b, ctx.entry, true);
		if (text === '' && files.length === 0) throw bad('text: must not be empty when no attachment is sent');
		if (rec.chat.is_readonly) throw new V2Error(400, 'provider/invalid_parameters', 'This chat is read-only.');
		const quoted = quoteId !== undefined ? this.message(rec, quoteId) : undefined;
		return { status: 200, json: { object: 'MessageSent', message_id: this.post(acc, rec, text, files, quoted) } };
	}

	private forward(ctx: Ctx, acc: V2AccountRec, rec: V2ChatRec, messageId: string): Result {
		ctx.query.only([]);
		const b = ctx.body();
		fieldsOnly(b, ['chat_id', 'text']);
		const target = this.chat(acc, str(b, 'chat_id', true)!);
		const text = str(b, 'text', false, true);
		const source = this.message(rec, messageId);
		const m = this.store.addMessage(target, { sender: acc.owner, text, forwarded: source });
		// the forwarded files stay downloadable from the new message
		for (let i = 0; i < source.attachments.length; i++) {
			const f = this.store.files.get(`${acc.account.id} ${rec.chat.id} ${source.id} ${source.attachments[i].id}`);
			if (f) this.store.files.set(`${acc.account.id} ${target.chat.id} ${m.id} ${source.attachments[i].id}`, f);
		}
		return { status: 200, json: { object: 'MessageForwarded', message_id: m.id, chat_id: target.chat.id } };
	}

	// --------------------------------------------------------------------------------------- users

	private findUser(acc: V2AccountRec, id: string): V2User | undefined {
		if (id === 'me' || id === acc.owner.id) return acc.owner;
		return acc.users.get(id) ?? [...acc.users.values()].find((u) => u.public_identifier !== undefined && u.public_identifier === id);
	}

	private userProfile(ctx: Ctx, acc: V2AccountRec, id: string): Result {
		const q = ctx.query.only(['variant', 'with_sections', 'with_sections[]']);
		q.enumOf('variant', ['linkedin_classic', 'linkedin_recruiter', 'linkedin_sales_navigator'] as const);
		const sections = [...q.all('with_sections'), ...q.all('with_sections[]')];
		for (const s of sections) if (!/^linkedin_[a-z_]+$/.test(s)) throw bad(`with_sections: unknown section ${JSON.stringify(s)}`);
		if ((q.params.has('variant') || sections.length > 0) && acc.account.provider !== 'linkedin') throw bad('variant and with_sections apply to LinkedIn accounts only');
		const u = this.findUser(acc, id);
		if (!u) throw notFound(`User ${id} not found.`);
		const { object: _o, specifics: _s, ...rest } = u;
		const self = u === acc.owner;
		const specifics = acc.account.provider === 'linkedin' ? { network_distance: self ? 'SELF' : 'FIRST_DEGREE', is_premium: false } : {};
		return { status: 200, json: { object: 'UserProfile', ...rest, specifics } };
	}

	private userChat(ctx: Ctx, acc: V2AccountRec, id: string): Result {
		ctx.query.only([]);
		const u = this.findUser(acc, id);
		const data = u ? this.store.chatsOf(acc.account.id).filter((r) => r.chat.is_1to1 && r.chat.user_id === u.id).map((r) => ({ chat_id: r.chat.id, has_history: r.messages.length > 0 })) : [];
		return { status: 200, json: { object: 'ChatLookup', data } };
	}

	// ------------------------------------------------------------------------------------------------ control

	/** `/_sandbox/v2/...`: POST messages {accountId, chatId?, text?, isSender?, senderId?, timestamp?, attachments?: [{filename, content_type, base64}]}, POST clock {advanceMs}, DELETE cache, GET uploads. */
	control(method: string, path: string, body: () => Record<string, unknown>): [number, unknown] {
		for (const area of this.areas) {
			const answer = area.control?.(method, path, body);
			if (answer) return answer;
		}
		if (path === '/_sandbox/v2/messages' && method === 'POST') {
			const b = body();
			const attachments = Array.isArray(b.attachments)
				? (b.attachments as Array<Record<string, unknown>>).map((a) => ({ filename: String(a.filename ?? 'file.bin'), content_type: String(a.content_type ?? 'application/octet-stream'), bytes: Buffer.from(String(a.base64 ?? ''), 'base64') }))
				: undefined;
			try {
				return [201, this.injectMessage({ ...(b as unknown as V2InjectMessageInput), attachments })];
			} catch (e) {
				return [400, new V2Error(400, 'api/invalid_parameters', (e as Error).message).body()];
			}
		}
		if (path === '/_sandbox/v2/clock' && method === 'POST') {
			const ms = Number(body().advanceMs);
			if (!Number.isFinite(ms)) return [400, new V2Error(400, 'api/invalid_parameters', 'advanceMs: a number').body()];
			this.advanceClock(ms);
			return [200, { ok: true, now: new Date(this.store.clock()).toISOString() }];
		}
		if (path === '/_sandbox/v2/cache' && method === 'DELETE') {
			this.clearCache();
			return [200, { ok: true }];
		}
		if (path === '/_sandbox/v2/uploads' && method === 'GET') return [200, this.store.uploads];
		if (path === '/_sandbox/v2/accounts' && method === 'GET') return [200, [...this.store.accounts.values()].map((r) => r.account)];
		return [404, new V2Error(404, 'api/resource_not_found', `unknown control route ${method} ${path}`).body()];
	}
}

function sortKeys<T extends Record<string, string>>(o: T): T {
	return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))) as T;
}
