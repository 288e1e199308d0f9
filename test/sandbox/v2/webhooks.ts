/**
 * Unipile API v2 webhooks in the sandbox (a V2Area): `/v2/webhooks/endpoints/` as the v2 SDK types them
 * (REFERENCE-V2-ROUTES §3.1), and signed deliveries of v2's event envelope `{id, created_at, account_id, type, payload}`
 * (§3.3) to the endpoints subscribed to the event and account:
 * - `unipile-signature: t=<unix seconds>,v0=<hex HMAC-SHA256 of "<t>." + body with the endpoint's secret>` (§3.4),
 *   signed again on each attempt; `Content-Type: application/json`;
 * - a 2xx within `timeoutMs` (30 s) counts; anything else is retried up to 5 times with growing delays
 *   (`retryDelaysMs`; v2's schedule is not published, v1's was "five retries, incremental delay"), same event id.
 * `message.new` is delivered by itself for a message injected into v2 (`sandbox.v2.injectMessage`,
 * POST /_sandbox/v2/messages), with the v2 Message as payload.
 *
 * Controls (no auth): GET /_sandbox/v2/webhooks/endpoints (with secrets), GET|DELETE /_sandbox/v2/webhooks/deliveries,
 * POST /_sandbox/v2/webhooks/events `{type, accountId, payload?}` (emit any event type), POST
 * /_sandbox/v2/webhooks/config `{retryDelaysMs?, timeoutMs?}`, POST /_sandbox/v2/webhooks/tamper `{mode:
 * 'bad-signature'|'old-timestamp', times?}` (the next deliveries signed wrongly or 10 min in the past),
 * POST /_sandbox/v2/webhooks/idle (wait until nothing is in flight or waiting for a retry).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { V2Environment, V2Area, Ctx, Result } from './env';
import { fieldsOnly, str } from './env';
import { bad, notFound } from './http';
import type { V2Message } from './schemas';

/** `trigger_events`' enum in the v2 SDK (2.43.0, 40 values). */
export const V2_EVENT_TYPES = [
	'account.status.disconnected', 'account.status.running', 'account.status.errored', 'account.status.degraded', 'account.status.partial',
	'account.locked', 'account.unlocked', 'account.add', 'account.reconnect', 'account.remove',
	'account.initial_sync.running', 'account.initial_sync.failed', 'account.initial_sync.completed',
	'message.new', 'message.update', 'message.delete', 'message.receipt.read', 'message.receipt.delivery', 'message.reaction.new', 'message.reaction.delete', 'chat.delete', 'chat.update',
	'email.new', 'email.new.bounce', 'email.delete', 'email.draft.new', 'email.draft.delete', 'email.folder.create', 'email.folder.update', 'email.folder.delete',
	'calendar.create', 'calendar.update', 'calendar.delete', 'calendar.event.new', 'calendar.event.update', 'calendar.event.delete',
	'tracking.open', 'tracking.click', 'relation.new', 'follower.new',
] as const;

export interface StoredEndpoint {
	object: 'WebhookEndpoint';
	id: string;
	application_id: string;
	url: string;
	description: string | null;
	enabled: boolean;
	trigger_events: string[];
	account_ids: string[];
	account_targets: Array<{ object: 'WebhookEndpointAccountTarget'; id: string; account_name: string | null; account_provider: string; status: 'active' | 'deleted' }>;
	secret: string;
}

export interface V2Delivery {
	endpointId: string;
	eventId: string;
	type: string;
	url: string;
	/** 1 = first try, 2..6 = retries */
	attempt: number;
	/** the answer's status; 0 when none (network error, timeout) */
	status: number;
	ok: boolean;
	error?: string;
	/** when the event happened in the sandbox (ms since epoch): the latency reference */
	eventAt: number;
	sentAt: number;
	endedAt: number;
	headers: Record<string, string>;
	body: string;
	tampered?: 'bad-signature' | 'old-timestamp';
}

export interface V2WebhookOptions {
	retryDelaysMs?: number[];
	timeoutMs?: number;
}

const DEFAULT_RETRY_DELAYS = [2_000, 10_000, 30_000, 60_000, 300_000];
const areas = new WeakMap<V2Environment, V2Webhooks>();

/** The webhook area of a v2 environment (tests reach it through `sandbox.v2.env`). */
export function v2Webhooks(env: V2Environment): V2Webhooks {
	const area = areas.get(env);
	if (!area) throw new Error('no v2 webhook area attached to this environment');
	return area;
}

const b62 = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);

export class V2Webhooks implements V2Area {
	endpoints = new Map<string, StoredEndpoint>();
	deliveries: V2Delivery[] = [];
	retryDelaysMs: number[];
	timeoutMs: number;
	private tamper: { mode: 'bad-signature' | 'old-timestamp'; remaining: number } | undefined;
	private inFlight = 0;
	private timers = new Set<NodeJS.Timeout>();
	private requests = new Set<ClientRequest>();
	private waiters: Array<() => void> = [];
	private readonly defaults: { retryDelaysMs: number[]; timeoutMs: number };

	constructor(
		private readonly env: V2Environment,
		opts: V2WebhookOptions = {},
	) {
		this.retryDelaysMs = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
		this.timeoutMs = opts.timeoutMs ?? 30_000;
		this.defaults = { retryDelaysMs: this.retryDelaysMs, timeoutMs: this.timeoutMs };
		areas.set(env, this);
		env.messageListeners.push((accountId, message) => this.messageNew(accountId, message));
	}

	reset(): void {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const r of this.requests) r.destroy();
		this.requests.clear();
		this.inFlight = 0;
		this.endpoints.clear();
		this.deliveries = [];
		this.tamper = undefined;
		this.retryDelaysMs = this.defaults.retryDelaysMs;
		this.timeoutMs = this.defaults.timeoutMs;
		this.settle();
	}

	// ------------------------------------------------------------------------------------------ routes

	route(ctx: Ctx): Result | undefined {
		const { method, segs } = ctx;
		if (segs[0] !== 'webhooks' || segs[1] !== 'endpoints') return undefined;
		if (segs.length === 2 && method === 'GET') return this.list(ctx);
		if (segs.length === 2 && method === 'POST') {
			ctx.query.only([]);
			return { status: 200, json: this.create(ctx.body()) };
		}
		if (segs.length === 3) {
			ctx.query.only([]);
			const endpoint = this.endpoints.get(segs[2]);
			if (!endpoint) throw notFound(`Webhook endpoint ${segs[2]} not found.`);
			if (method === 'GET') return { status: 200, json: { ...endpoint } };
			if (method === 'DELETE') {
				this.endpoints.delete(endpoint.id);
				return { status: 200, json: { success: true } };
			}
			if (method === 'PATCH') return { status: 200, json: this.update(endpoint, ctx.body()) };
		}
		return undefined;
	}

	private list(ctx: Ctx): Result {
		ctx.query.only(['offset', 'limit']);
		const offsetText = ctx.query.one('offset') ?? '0';
		const limitText = ctx.query.one('limit') ?? '20';
		if (!/^\d+$/.test(offsetText)) throw bad('offset: must be a non-negative integer');
		if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 250) throw bad('limit: must be an integer from 1 to 250');
		const all = [...this.endpoints.values()];
		const offset = Number(offsetText);
		const data = all.slice(offset, offset + Number(limitText)).map((e) => ({ ...e }));
		return { status: 200, json: { object: 'WebhookEndpoints', data, has_more: offset + data.length < all.length } };
	}

	private accountIds(body: Record<string, unknown>): string[] | undefined {
		if (body.account_ids === undefined) return undefined;
		const ids = body.account_ids;
		if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id === '')) throw bad('account_ids: must be an array of account ids');
		for (const id of ids as string[]) if (!this.env.store.accounts.has(id)) throw bad(`account_ids: account ${JSON.stringify(id)} not found`);
		return [...new Set(ids as string[])];
	}

	private events(body: Record<string, unknown>, required: boolean): string[] | undefined {
		const events = body.trigger_events;
		if (events === undefined) {
			if (required) throw bad('trigger_events: required');
			return undefined;
		}
		if (!Array.isArray(events) || events.length === 0) throw bad('trigger_events: must be a non-empty array of event types');
		for (const e of events) if (typeof e !== 'string' || !(V2_EVENT_TYPES as readonly string[]).includes(e)) throw bad(`trigger_events: ${JSON.stringify(e)} is not an event type`);
		return [...new Set(events as string[])];
	}

	private url(body: Record<string, unknown>, required: boolean): string | undefined {
		const url = str(body, 'url', required);
		if (url === undefined) return undefined;
		if (!/^https?:\/\//i.test(url)) throw bad('url: must be an HTTP or HTTPS URL');
		try {
			new URL(url);
		} catch {
			throw bad(`url: invalid URL ${JSON.stringify(url)}`);
		}
		return url;
	}

	private targets(ids: string[]): StoredEndpoint['account_targets'] {
		return ids.map((id) => {
			const account = this.env.store.accounts.get(id)?.account;
			return { object: 'WebhookEndpointAccountTarget', id, account_name: account?.name ?? null, account_provider: account?.provider ?? 'unknown', status: account ? 'active' : 'deleted' };
		});
	}

	create(body: Record<string, unknown>): StoredEndpoint {
		fieldsOnly(body, ['trigger_events', 'url', 'account_ids', 'description']);
		const events = this.events(body, true)!;
		const url = this.url(body, true)!;
		const accountIds = this.accountIds(body) ?? [];
		const description = str(body, 'description', false, true) ?? null;
		const endpoint: StoredEndpoint = {
			object: 'WebhookEndpoint',
			id: `we_${b62(24)}`,
			application_id: 'app_sandbox',
			url,
			description,
			enabled: true,
			trigger_events: events,
			account_ids: accountIds,
			account_targets: this.targets(accountIds),
			secret: `whsec_${randomBytes(32).toString('base64url')}`,
		};
		this.endpoints.set(endpoint.id, endpoint);
		return { ...endpoint };
	}

	private update(endpoint: StoredEndpoint, body: Record<string, unknown>): StoredEndpoint {
		fieldsOnly(body, ['trigger_events', 'account_ids', 'url', 'description', 'enabled']);
		const events = this.events(body, false);
		const url = this.url(body, false);
		const accountIds = this.accountIds(body);
		if (events) endpoint.trigger_events = events;
		if (url) endpoint.url = url;
		if (accountIds) {
			endpoint.account_ids = accountIds;
			endpoint.account_targets = this.targets(accountIds);
		}
		if (body.description !== undefined) endpoint.description = str(body, 'description', false, true) ?? null;
		if (body.enabled !== undefined) {
			if (typeof body.enabled !== 'boolean') throw bad('enabled: must be a boolean');
			endpoint.enabled = body.enabled;
		}
		return { ...endpoint };
	}

	// ------------------------------------------------------------------------------------------ deliveries

	/** Delivers one event to every enabled endpoint subscribed to its type and account; returns the event and how many. */
	emit(type: string, accountId: string, payload: Record<string, unknown>): { event: Record<string, unknown>; deliveries: number } {
		const eventAt = Date.now();
		const event = { id: `evt_${b62(24)}`, created_at: new Date(eventAt).toISOString(), account_id: accountId, type, payload };
		const body = JSON.stringify(event);
		const targets = [...this.endpoints.values()].filter((e) => e.enabled && e.trigger_events.includes(type) && (e.account_ids.length === 0 || e.account_ids.includes(accountId)));
		for (const endpoint of targets) this.attempt(endpoint, event.id, type, body, eventAt, 1);
		return { event, deliveries: targets.length };
	}

	/** `message.new` with the v2 Message as payload (the docs' handler reads `event.payload` as the message). */
	messageNew(accountId: string, message: V2Message): number {
		return this.emit('message.new', accountId, { ...message }).deliveries;
	}

	private signed(secret: string, body: string): { header: string; tampered?: V2Delivery['tampered'] } {
		let t = Math.floor(Date.now() / 1000);
		let key = secret;
		const tamper = this.tamper;
		if (tamper && tamper.remaining > 0) {
			tamper.remaining--;
			if (tamper.remaining === 0) this.tamper = undefined;
			if (tamper.mode === 'old-timestamp') t -= 600;
			else key = `${secret}-forged`;
		}
		const v0 = createHmac('sha256', key).update(`${t}.${body}`).digest('hex');
		return { header: `t=${t},v0=${v0}`, tampered: tamper?.mode };
	}

	private attempt(endpoint: StoredEndpoint, eventId: string, type: string, body: string, eventAt: number, attempt: number): void {
		const { header, tampered } = this.signed(endpoint.secret, body);
		const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'unipile-signature': header };
		const sentAt = Date.now();
		this.inFlight++;
		let done = false;
		const finish = (status: number, error?: string) => {
			if (done) return;
			done = true;
			this.requests.delete(req);
			this.inFlight--;
			const ok = status >= 200 && status < 300;
			const d: V2Delivery = { endpointId: endpoint.id, eventId, type, url: endpoint.url, attempt, status, ok, eventAt, sentAt, endedAt: Date.now(), headers, body };
			if (error !== undefined) d.error = error;
			if (tampered) d.tampered = tampered;
			this.deliveries.push(d);
			if (!ok) this.retryLater(endpoint, eventId, type, body, eventAt, attempt);
			this.settle();
		};
		const url = new URL(endpoint.url);
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const req = send(url, { method: 'POST', headers, timeout: this.timeoutMs, agent: false }, (res) => {
			res.resume();
			res.on('end', () => finish(res.statusCode ?? 0));
			res.on('error', (e) => finish(res.statusCode ?? 0, e.message));
		});
		this.requests.add(req);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
		req.on('error', (e) => finish(0, e.message));
		req.end(body);
	}

	private retryLater(endpoint: StoredEndpoint, eventId: string, type: string, body: string, eventAt: number, attempt: number): void {
		if (attempt > 5 || attempt > this.retryDelaysMs.length) return;
		const t = setTimeout(() => {
			this.timers.delete(t);
			// An endpoint deleted meanwhile gets nothing more.
			const current = this.endpoints.get(endpoint.id);
			if (current) this.attempt(current, eventId, type, body, eventAt, attempt + 1);
			this.settle();
		}, this.retryDelaysMs[attempt - 1]);
		t.unref();
		this.timers.add(t);
	}

	busy(): number {
		return this.inFlight + this.timers.size;
	}

	/** Resolves once no delivery is in flight or waiting for a retry. */
	idle(): Promise<void> {
		if (this.busy() === 0) return Promise.resolve();
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	private settle(): void {
		if (this.busy() > 0) return;
		const waiters = this.waiters;
		this.waiters = [];
		for (const w of waiters) w();
	}

	/** The next `times` deliveries signed wrongly (`bad-signature`) or 10 minutes in the past (`old-timestamp`). */
	tamperNext(mode: 'bad-signature' | 'old-timestamp', times = 1): void {
		this.tamper = { mode, remaining: times };
	}

	// ------------------------------------------------------------------------------------------ controls

	control(method: string, path: string, body: () => Record<string, unknown>): [number, unknown] | undefined {
		if (!path.startsWith('/_sandbox/v2/webhooks/')) return undefined;
		const what = path.slice('/_sandbox/v2/webhooks/'.length);
		if (what === 'endpoints' && method === 'GET') return [200, [...this.endpoints.values()]];
		if (what === 'deliveries' && method === 'GET') return [200, this.deliveries];
		if (what === 'deliveries' && method === 'DELETE') {
			this.deliveries = [];
			return [200, { ok: true }];
		}
		if (what === 'events' && method === 'POST') {
			const b = body();
			const type = String(b.type ?? '');
			if (!(V2_EVENT_TYPES as readonly string[]).includes(type)) return [400, bad(`type: ${JSON.stringify(type)} is not an event type`).body()];
			const accountId = String(b.accountId ?? '');
			if (!this.env.store.accounts.has(accountId)) return [400, bad(`accountId: account ${JSON.stringify(accountId)} not found`).body()];
			const payload = typeof b.payload === 'object' && b.payload !== null && !Array.isArray(b.payload) ? (b.payload as Record<string, unknown>) : { timestamp: new Date().toISOString() };
			return [201, this.emit(type, accountId, payload)];
		}
		if (what === 'config' && method === 'POST') {
			const b = body();
			if (b.retryDelaysMs !== undefined) {
				if (!Array.isArray(b.retryDelaysMs) || b.retryDelaysMs.some((d) => typeof d !== 'number' || d < 0)) return [400, bad('retryDelaysMs: array of milliseconds').body()];
				this.retryDelaysMs = b.retryDelaysMs as number[];
			}
			if (b.timeoutMs !== undefined) {
				if (typeof b.timeoutMs !== 'number' || b.timeoutMs <= 0) return [400, bad('timeoutMs: positive number').body()];
				this.timeoutMs = b.timeoutMs;
			}
			return [200, { retryDelaysMs: this.retryDelaysMs, timeoutMs: this.timeoutMs }];
		}
		// answered once nothing is in flight or waiting for a retry (the server awaits the answer)
		if (what === 'idle' && method === 'POST') return [200, this.idle().then(() => ({ ok: true, deliveries: this.deliveries.length }))];
		if (what === 'tamper' && method === 'POST') {
			const b = body();
			if (b.mode !== 'bad-signature' && b.mode !== 'old-timestamp') return [400, bad('mode: bad-signature or old-timestamp').body()];
			this.tamperNext(b.mode, typeof b.times === 'number' && b.times > 0 ? b.times : 1);
			return [200, { ok: true }];
		}
		return undefined;
	}
}
