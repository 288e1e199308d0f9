/**
 * Unipile webhooks in the sandbox: `POST/GET/DELETE /webhooks` as the SDK's schemas and the reference describe them,
 * and deliveries of the documented flat payloads to the registered URLs, with Unipile's delivery rules:
 * - only an HTTP 200 counts (within `timeoutMs`, 30 s at Unipile); anything else is retried 5 times with growing
 *   delays (`retryDelaysMs`, configurable so tests run fast);
 * - the registered `headers` are sent on every call, and no `Content-Type` unless one was registered.
 *
 * Control surface (no auth): GET /_sandbox/webhooks (raw, with `source`), GET|DELETE /_sandbox/webhooks/deliveries,
 * POST|DELETE /_sandbox/webhooks/failures (make a URL fail), POST /_sandbox/webhooks/config,
 * POST /_sandbox/webhooks/events (emit any documented event), POST /_sandbox/webhooks/idle (wait for deliveries).
 * New messages stored by the sandbox (POST /_sandbox/messages, sends through the API) are delivered as
 * `message_received` by themselves.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Account, ChatAttendee, Message, ProviderType, SandboxStore } from './data';
import type { Email } from './email';
import { ApiError, invalid, missing, notFound, paginate } from './http';
import type { Route, RouteContext, RouteResult } from './routes';

export type WebhookSource = 'messaging' | 'email' | 'email_tracking' | 'account_status' | 'users' | 'calendar_event';

/** Events a source accepts, the first being Unipile's default when `events` is omitted. */
export const SOURCE_EVENTS: Record<WebhookSource, readonly string[]> = {
	messaging: ['message_received', 'message_read', 'message_reaction', 'message_edited', 'message_deleted', 'message_delivered'],
	email: ['mail_received', 'mail_sent'],
	email_tracking: ['mail_opened', 'mail_link_clicked'],
	account_status: [],
	users: ['new_relation'],
	calendar_event: ['calendar_event_created', 'calendar_event_updated', 'calendar_event_deleted'],
};

const DATA_KEYS: Record<WebhookSource, readonly string[]> = {
	messaging: ['account_id', 'account_type', 'chat_id', 'timestamp', 'webhook_name', 'message_id', 'message', 'reaction', 'reaction_sender', 'sender', 'attendees', 'attachments'],
	email: ['email_id', 'account_id', 'webhook_name', 'date', 'from_attendee', 'to_attendees', 'cc_attendees', 'bcc_attendees', 'reply_to_attendees', 'subject', 'body', 'body_plain', 'message_id', 'provider_id', 'tracking_id', 'read_date', 'is_complete', 'in_reply_to', 'has_attachments', 'attachments', 'folders', 'role', 'origin'],
	email_tracking: ['event_id', 'tracking_id', 'type', 'date', 'email_id', 'account_id', 'ip', 'user_agent', 'url', 'label', 'custom_domain'],
	account_status: [],
	users: [],
	calendar_event: [],
};

export const ACCOUNT_STATUS_MESSAGES = ['OK', 'ERROR', 'STOPPED', 'CREDENTIALS', 'CONNECTING', 'DELETED', 'CREATION_SUCCESS', 'RECONNECTED', 'SYNC_SUCCESS'] as const;

export interface StoredWebhook {
	id: string;
	source: WebhookSource;
	request_url: string;
	name?: string;
	format: 'json' | 'form';
	/** undefined = every account, including future ones */
	account_ids?: string[];
	enabled: boolean;
	headers: Array<{ key: string; value: string }>;
	/** as registered; undefined = the source's default */
	events?: string[];
	data: Array<{ name: string; key: string }>;
	seq: number;
}

export interface Delivery {
	webhookId: string;
	event: string;
	url: string;
	/** 1 = first try, 2..6 = retries */
	attempt: number;
	/** answer's status; 0 when none (network error, timeout, dropped) */
	status: number;
	ok: boolean;
	error?: string;
	/** when the event happened in the sandbox (ms since epoch): the latency reference */
	eventAt: number;
	sentAt: number;
	endedAt: number;
	/** the headers sent, lower-cased */
	headers: Record<string, string>;
	body: string;
	/** the start of the answer's body (up to ANSWER_KEPT characters): who answered, when several could have */
	answer?: string;
	/** a failure simulated by the control surface (`refuse`: never sent; `lose-answer`: sent, answer ignored) */
	simulated?: 'refuse' | 'lose-answer';
}

export interface UrlFailure {
	/** exact URL, or prefix when it ends with `*` */
	url: string;
	/** status recorded for the failed attempt (default 500; 0 = no answer) */
	status?: number;
	/** attempts to fail (default: every one) */
	times?: number;
	/** refuse (default): the receiver never sees the call. lose-answer: it does, but the answer is treated as failed */
	mode?: 'refuse' | 'lose-answer';
}

/**
 * Which revision of Unipile's payload pages deliveries follow. `documented` (default): the current pages and SDK
 * types: messaging without `is_sender`, `account_info` for LinkedIn and Instagram only, mail with `email_id`,
 * tracking typed by `type` (the SDK's key). `older`: earlier revisions the trigger must still read: messaging
 * without `account_info` and with the single attachment object of the old example, mail as `{object: 'Mail', id}`,
 * tracking named by `event`.
 */
export type PayloadShapes = 'documented' | 'older';

export interface WebhookOptions {
	/** delays before retries 1..5 (default 2 s, 10 s, 30 s, 1 min, 5 min; Unipile's own schedule is not published) */
	retryDelaysMs?: number[];
	/** how long an attempt may take before it counts as failed (default 30 s, as Unipile) */
	timeoutMs?: number;
	payloadShapes?: PayloadShapes;
	/** `GET /webhooks` lists `headers` as one `{key, value}` object (the first header) instead of an array */
	headersAsObject?: boolean;
}

const DEFAULT_RETRY_DELAYS = [2_000, 10_000, 30_000, 60_000, 300_000];
const ANSWER_KEPT = 200;

interface Pending {
	webhook: StoredWebhook;
	event: string;
	body: string;
	eventAt: number;
}

const hubs = new WeakMap<SandboxStore, WebhookHub>();

/** The hub serving a store (routes only see the store). */
export function webhookHub(store: SandboxStore): WebhookHub {
	const hub = hubs.get(store);
	if (!hub) throw new Error('no webhook hub attached to this sandbox store');
	return hub;
}

const ok = (json: unknown, status = 200): RouteResult => ({ status, json });

function attendeeShape(a: ChatAttendee | undefined): Record<string, string> {
	return {
		attendee_id: a?.id ?? '',
		attendee_name: a?.name ?? '',
		attendee_provider_id: a?.provider_id ?? '',
		attendee_profile_url: a?.profile_url ?? '',
	};
}

export class WebhookHub {
	webhooks = new Map<string, StoredWebhook>();
	deliveries: Delivery[] = [];
	failures: Array<UrlFailure & { remaining: number }> = [];
	retryDelaysMs: number[];
	timeoutMs: number;
	payloadShapes: PayloadShapes;
	headersAsObject: boolean;
	private seq = 0;
	private inFlight = 0;
	private timers = new Set<NodeJS.Timeout>();
	private requests = new Set<ClientRequest>();
	private waiters: Array<() => void> = [];
	private closed = false;

	constructor(
		readonly store: SandboxStore,
		opts: WebhookOptions = {},
	) {
		this.retryDelaysMs = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
		this.timeoutMs = opts.timeoutMs ?? 30_000;
		this.payloadShapes = opts.payloadShapes ?? 'documented';
		this.headersAsObject = opts.headersAsObject ?? false;
		this.defaults = { payloadShapes: this.payloadShapes, headersAsObject: this.headersAsObject };
		hubs.set(store, this);
	}

	private readonly defaults: { payloadShapes: PayloadShapes; headersAsObject: boolean };

	reset(): void {
		this.cancelAll();
		this.payloadShapes = this.defaults.payloadShapes;
		this.headersAsObject = this.defaults.headersAsObject;
		this.webhooks.clear();
		this.deliveries = [];
		this.failures = [];
	}

	close(): void {
		this.closed = true;
		this.cancelAll();
	}

	private cancelAll(): void {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const r of this.requests) r.destroy();
		this.requests.clear();
		this.inFlight = 0;
		this.settle();
	}

	/** Resolves once no delivery is in flight or waiting for a retry. */
	idle(): Promise<void> {
		if (this.busy() === 0) return Promise.resolve();
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	busy(): number {
		return this.inFlight + this.timers.size;
	}

	private settle(): void {
		if (this.busy() > 0) return;
		const waiters = this.waiters;
		this.waiters = [];
		for (const w of waiters) w();
	}

	// ------------------------------------------------------------------ API

	create(body: Record<string, unknown>): string {
		const allowed = ['request_url', 'source', 'name', 'format', 'account_ids', 'enabled', 'headers', 'events', 'data'];
		for (const k of Object.keys(body)) if (!allowed.includes(k)) throw invalid(`${k}: unknown field (allowed: ${allowed.join(', ')})`);
		const url = body.request_url;
		if (url === undefined || url === null) throw missing('request_url: this field is required');
		if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw invalid('request_url: must be an http(s) URL');
		try {
			new URL(url);
		} catch {
			throw invalid(`request_url: invalid URL ${JSON.stringify(url)}`);
		}
		const source = body.source;
		if (source === undefined || source === null) throw missing('source: this field is required');
		if (typeof source !== 'string' || !(source in SOURCE_EVENTS)) throw invalid(`source: must be one of ${Object.keys(SOURCE_EVENTS).join(', ')}`);
		const src = source as WebhookSource;
		if (body.name !== undefined && typeof body.name !== 'string') throw invalid('name: must be a string');
		if (body.format !== undefined && body.format !== 'json' && body.format !== 'form') throw invalid('format: must be json or form');
		if (body.enabled !== undefined && typeof body.enabled !== 'boolean') throw invalid('enabled: must be a boolean');
		let accountIds: string[] | undefined;
		if (body.account_ids !== undefined) {
			if (!Array.isArray(body.account_ids) || body.account_ids.some((id) => typeof id !== 'string' || id === '')) throw invalid('account_ids: must be an array of account ids');
			for (const id of body.account_ids as string[]) if (!this.store.accountById.has(id)) throw invalid(`account_ids: account ${JSON.stringify(id)} not found`);
			accountIds = [...(body.account_ids as string[])];
		}
		const headers: Array<{ key: string; value: string }> = [];
		if (body.headers !== undefined) {
			if (!Array.isArray(body.headers)) throw invalid('headers: must be an array of {key, value}');
			for (const [i, h] of (body.headers as unknown[]).entries()) {
				const o = h as Record<string, unknown>;
				if (typeof o !== 'object' || o === null || Array.isArray(o)) throw invalid(`headers[${i}]: must be an object {key, value}`);
				for (const k of Object.keys(o)) if (k !== 'key' && k !== 'value') throw invalid(`headers[${i}].${k}: unknown field (allowed: key, value)`);
				if (typeof o.key !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(o.key)) throw invalid(`headers[${i}].key: must be a header name`);
				if (typeof o.value !== 'string' || /[\r\n]/.test(o.value)) throw invalid(`headers[${i}].value: must be a string without line breaks`);
				headers.push({ key: o.key, value: o.value });
			}
		}
		let events: string[] | undefined;
		if (body.events !== undefined) {
			if (src === 'account_status') throw invalid('events: account_status webhooks take no events (they receive every status change)');
			if (!Array.isArray(body.events) || body.events.length === 0) throw invalid('events: must be a non-empty array');
			for (const e of body.events as unknown[]) {
				if (typeof e !== 'string' || !SOURCE_EVENTS[src].includes(e)) throw invalid(`events: ${JSON.stringify(e)} is not an event of source ${src} (allowed: ${SOURCE_EVENTS[src].join(', ')})`);
			}
			events = [...new Set(body.events as string[])];
		}
		const data: Array<{ name: string; key: string }> = [];
		if (body.data !== undefined) {
			if (!Array.isArray(body.data)) throw invalid('data: must be an array of {name, key}');
			for (const [i, d] of (body.data as unknown[]).entries()) {
				const o = d as Record<string, unknown>;
				if (typeof o !== 'object' || o === null || typeof o.name !== 'string' || typeof o.key !== 'string') throw invalid(`data[${i}]: must be {name, key}`);
				if (!DATA_KEYS[src].includes(o.key)) throw invalid(`data[${i}].key: ${JSON.stringify(o.key)} is not a key of source ${src}`);
				data.push({ name: o.name, key: o.key });
			}
		}
		const id = randomBytes(16).toString('base64url').slice(0, 22);
		this.webhooks.set(id, {
			id,
			source: src,
			request_url: url,
			name: body.name as string | undefined,
			format: (body.format as 'json' | 'form' | undefined) ?? 'json',
			account_ids: accountIds,
			enabled: (body.enabled as boolean | undefined) ?? true,
			headers,
			events,
			data,
			seq: ++this.seq,
		});
		return id;
	}

	/** A webhook as `GET /webhooks` lists it (SDK `WebhookAutoSchema`: no `source`). */
	listed(w: StoredWebhook): Record<string, unknown> {
		const accounts = (w.account_ids ?? []).map((id) => {
			const a = this.store.accountById.get(id);
			return a ? { id, name: a.name, type: a.type } : { id };
		});
		const out: Record<string, unknown> = {
			object: 'Webhook',
			id: w.id,
			type: 'AUTO',
			account_ids: accounts,
			enabled: w.enabled,
			request_url: w.request_url,
			format: w.format,
			headers: this.headersAsObject ? { ...(w.headers[0] ?? { key: '', value: '' }) } : w.headers.map((h) => ({ ...h })),
			data: w.data.map((d) => ({ ...d })),
		};
		if (w.name !== undefined) out.name = w.name;
		if (w.events !== undefined) out.events = [...w.events];
		return out;
	}

	sorted(): StoredWebhook[] {
		return [...this.webhooks.values()].sort((a, b) => b.seq - a.seq);
	}

	// ------------------------------------------------------------------ events

	private subscribers(source: WebhookSource, event: string | undefined, accountId: string): StoredWebhook[] {
		return this.sorted()
			.reverse()
			.filter(
				(w) =>
					w.enabled &&
					w.source === source &&
					(event === undefined || (w.events ?? SOURCE_EVENTS[source].slice(0, 1)).includes(event)) &&
					(w.account_ids === undefined || w.account_ids.includes(accountId)),
			);
	}

	/** Delivers `build(webhook)` to every webhook of `source` subscribed to `event` for `accountId`; returns how many. */
	emit(source: WebhookSource, event: string | undefined, accountId: string, build: (w: StoredWebhook) => Record<string, unknown>): number {
		if (this.closed) return 0;
		const eventAt = Date.now();
		const targets = this.subscribers(source, event, accountId);
		for (const w of targets) {
			const payload = this.shaped(w, build(w));
			this.attempt({ webhook: w, event: event ?? source, body: this.encode(w, payload), eventAt }, 1);
		}
		return targets.length;
	}

	/** Applies the webhook's `data` renames: only listed keys are kept, under their new names (*unconfirmed*). */
	private shaped(w: StoredWebhook, payload: Record<string, unknown>): Record<string, unknown> {
		if (w.data.length === 0) return payload;
		const out: Record<string, unknown> = {};
		for (const d of w.data) if (d.key in payload) out[d.name] = payload[d.key];
		return out;
	}

	private encode(w: StoredWebhook, payload: Record<string, unknown>): string {
		if (w.format === 'json') return JSON.stringify(payload);
		const form = new URLSearchParams();
		for (const [k, v] of Object.entries(payload)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
		return form.toString();
	}

	private failureFor(url: string): (UrlFailure & { remaining: number }) | undefined {
		const f = this.failures.find((x) => x.remaining > 0 && (x.url.endsWith('*') ? url.startsWith(x.url.slice(0, -1)) : x.url === url));
		if (f) {
			f.remaining--;
			this.failures = this.failures.filter((x) => x.remaining > 0);
		}
		return f;
	}

	private attempt(p: Pending, attempt: number): void {
		const { webhook: w } = p;
		const headers: Record<string, string> = {};
		for (const h of w.headers) headers[h.key.toLowerCase()] = h.value;
		if (w.format === 'form' && headers['content-type'] === undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
		headers['content-length'] = String(Buffer.byteLength(p.body));
		const sentAt = Date.now();
		const record = (status: number, error?: string, simulated?: Delivery['simulated'], answer?: string) => {
			const d: Delivery = { webhookId: w.id, event: p.event, url: w.request_url, attempt, status, ok: status === 200 && !simulated, eventAt: p.eventAt, sentAt, endedAt: Date.now(), headers, body: p.body };
			if (error !== undefined) d.error = error;
			if (answer) d.answer = answer;
			if (simulated) d.simulated = simulated;
			this.deliveries.push(d);
			if (!d.ok) this.retryLater(p, attempt);
		};
		const failure = this.failureFor(w.request_url);
		if (failure && (failure.mode ?? 'refuse') === 'refuse') {
			record(failure.status ?? 500, 'failure injected by the sandbox', 'refuse');
			return;
		}
		this.inFlight++;
		let done = false;
		let answer = '';
		const finish = (status: number, error?: string) => {
			if (done) return;
			done = true;
			this.requests.delete(req);
			this.inFlight--;
			if (!this.closed) record(failure ? failure.status ?? 500 : status, failure ? 'answer lost (injected by the sandbox)' : error, failure ? 'lose-answer' : undefined, answer);
			this.settle();
		};
		const url = new URL(w.request_url);
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const req = send(url, { method: 'POST', headers, timeout: this.timeoutMs, agent: false }, (res) => {
			res.on('data', (chunk: Buffer) => {
				if (answer.length < ANSWER_KEPT) answer += chunk.toString('utf8', 0, ANSWER_KEPT - answer.length);
			});
			res.on('end', () => finish(res.statusCode ?? 0));
			res.on('error', (e) => finish(res.statusCode ?? 0, e.message));
		});
		this.requests.add(req);
		req.on('timeout', () => {
			req.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
		});
		req.on('error', (e) => finish(0, e.message));
		req.end(p.body);
	}

	private retryLater(p: Pending, attempt: number): void {
		if (this.closed || attempt > this.retryDelaysMs.length || attempt > 5) return;
		const t = setTimeout(() => {
			this.timers.delete(t);
			if (this.webhooks.has(p.webhook.id)) this.attempt(p, attempt + 1);
			this.settle();
		}, this.retryDelaysMs[attempt - 1]);
		this.timers.add(t);
	}

	// ------------------------------------------------------------------ documented payloads

	private account(accountId: string): Account {
		const a = this.store.accountById.get(accountId);
		if (!a) throw notFound(`account ${JSON.stringify(accountId)} not found`);
		return a;
	}

	/**
	 * A messaging event about `msg`, with the fields Unipile's "New messages" page documents and nothing more:
	 * no `is_sender` (whether the account sent it is asked of `GET /messages/{id}`), `account_info` only for
	 * LinkedIn and Instagram accounts.
	 */
	messageEvent(event: string, msg: Message, extra: { reaction?: string; reactionSenderId?: string; attachmentsAsObject?: boolean } = {}): number {
		const chat = this.store.chatById.get(msg.chat_id);
		const acc = this.store.accountById.get(msg.account_id);
		if (!chat || !acc) return 0;
		const members = this.store.attendeesOfChat(chat.id);
		const sender = this.store.attendeeById.get(msg.sender_attendee_id) ?? members.find((a) => a.provider_id === msg.sender_id);
		const self = this.store.accountSelf(acc.id);
		const older = this.payloadShapes === 'older';
		return this.emit('messaging', event, acc.id, (w) => {
			const payload: Record<string, unknown> = { account_id: acc.id, account_type: acc.type };
			if (!older && (acc.type === 'LINKEDIN' || acc.type === 'INSTAGRAM')) {
				payload.account_info = { type: acc.type, feature: 'classic', user_id: self?.provider_id ?? '' };
			}
			Object.assign(payload, {
				event,
				chat_id: chat.id,
				timestamp: event === 'message_received' ? msg.timestamp : new Date().toISOString(),
				webhook_name: w.name ?? '',
				message_id: msg.id,
				message: msg.text,
				sender: attendeeShape(sender),
				attendees: members.filter((a) => a.is_self === 0).map(attendeeShape),
				attachments: extra.attachmentsAsObject || older ? attachmentAsDocObject(msg) : msg.attachments.map((a) => ({ ...a })),
			});
			if (event === 'message_reaction') {
				payload.reaction = extra.reaction ?? '👍';
				const rs = extra.reactionSenderId !== undefined ? members.find((a) => a.id === extra.reactionSenderId || a.provider_id === extra.reactionSenderId) : members.find((a) => a.is_self === 0);
				payload.reaction_sender = attendeeShape(rs);
			}
			return payload;
		});
	}

	accountStatus(accountId: string, message: string): number {
		const acc = this.account(accountId);
		if (!(ACCOUNT_STATUS_MESSAGES as readonly string[]).includes(message)) throw invalid(`message: must be one of ${ACCOUNT_STATUS_MESSAGES.join(', ')}`);
		const status = message === 'CREDENTIALS' || message === 'ERROR' || message === 'STOPPED' || message === 'CONNECTING' ? message : 'OK';
		for (const s of acc.sources) s.status = status;
		return this.emit('account_status', undefined, acc.id, () => ({ AccountStatus: { account_id: acc.id, account_type: acc.type, message } }));
	}

	newRelation(accountId: string, person: { name?: string; providerId?: string; publicIdentifier?: string } = {}): { count: number; payload: Record<string, unknown> } {
		const acc = this.account(accountId);
		if (acc.type !== 'LINKEDIN') throw invalid(`account_id: new_relation is a LinkedIn event, account ${acc.id} is ${acc.type}`);
		const name = person.name ?? 'Nora Relation';
		const publicIdentifier = person.publicIdentifier ?? name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
		const base = {
			event: 'new_relation',
			account_id: acc.id,
			account_type: 'LINKEDIN' as ProviderType,
			user_full_name: name,
			user_provider_id: person.providerId ?? `ACoAA${randomBytes(12).toString('hex').slice(0, 20)}`,
			user_public_identifier: publicIdentifier,
			user_profile_url: `https://www.linkedin.com/in/${publicIdentifier}`,
			user_picture_url: `https://media.licdn.com/dms/image/${publicIdentifier}.jpg`,
		};
		const count = this.emit('users', 'new_relation', acc.id, (w) => ({ ...base, webhook_name: w.name ?? '' }));
		return { count, payload: base };
	}

	mailEvent(event: 'mail_received' | 'mail_sent', accountId: string, email: Record<string, unknown> = {}): { count: number; payload: Record<string, unknown> } {
		const now = new Date().toISOString();
		const id = typeof email.email_id === 'string' ? email.email_id : randomBytes(16).toString('base64url').slice(0, 22);
		const base: Record<string, unknown> = {
			email_id: id,
			account_id: accountId,
			event,
			date: now,
			from_attendee: { display_name: 'Mia Mail', identifier: 'mia@example.com', identifier_type: 'EMAIL_ADDRESS' },
			to_attendees: [{ display_name: 'Sandra Box', identifier: 'sandra@example.com', identifier_type: 'EMAIL_ADDRESS' }],
			cc_attendees: [],
			bcc_attendees: [],
			reply_to_attendees: [],
			provider_id: `<${id}@mail.example.com>`,
			message_id: `<${id}@mail.example.com>`,
			has_attachments: false,
			subject: 'Hello from the sandbox',
			body: '<p>Hello from the sandbox</p>',
			body_plain: 'Hello from the sandbox',
			attachments: [],
			folders: [event === 'mail_sent' ? 'SENT' : 'INBOX'],
			role: event === 'mail_sent' ? 'sent' : 'inbox',
			read_date: null,
			is_complete: true,
			origin: event === 'mail_sent' ? 'unipile' : 'external',
			...email,
		};
		if (this.payloadShapes === 'older') {
			const { email_id: emailId, ...rest } = base;
			const older = { object: 'Mail', id: emailId, ...rest };
			return { count: this.emit('email', event, accountId, () => older), payload: older };
		}
		const count = this.emit('email', event, accountId, (w) => ({ ...base, webhook_name: w.name ?? '' }));
		return { count, payload: base };
	}

	/** `mail_received` for an email the sandbox's mailbox just received (POST /_sandbox/emails), in the documented shape. */
	emailReceived(email: Email): number {
		const { id, object: _object, type: _type, folderIds: _folderIds, thread_id: _thread, ...rest } = email;
		return this.mailEvent('mail_received', email.account_id, { ...rest, email_id: id, is_complete: true }).count;
	}

	trackingEvent(event: 'mail_opened' | 'mail_link_clicked', accountId: string, fields: Record<string, unknown> = {}): { count: number; payload: Record<string, unknown> } {
		// The SDK's keys for tracking payloads name the event `type`; the "Tracking email" page's example says `event`.
		const base: Record<string, unknown> = {
			[this.payloadShapes === 'older' ? 'event' : 'type']: event,
			event_id: randomBytes(16).toString('base64url').slice(0, 22),
			tracking_id: 'trk_sandbox',
			date: new Date().toISOString(),
			email_id: 'mail_sandbox',
			account_id: accountId,
			ip: '203.0.113.7',
			user_agent: 'Mozilla/5.0 (sandbox)',
			label: '',
			custom_domain: '',
			...(event === 'mail_link_clicked' ? { url: 'https://example.com/offer' } : {}),
			...fields,
		};
		const count = this.emit('email_tracking', event, accountId, () => base);
		return { count, payload: base };
	}

	/** A calendar webhook payload (Unipile's "Calendar webhook" page), for an event of a calendar of `accountId`. */
	calendarEvent(event: 'calendar_event_created' | 'calendar_event_updated' | 'calendar_event_deleted', accountId: string, fields: Record<string, unknown> = {}): { count: number; payload: Record<string, unknown> } {
		const acc = this.store.accountById.get(accountId);
		const owner = acc?.name && acc.name.includes('@') ? acc.name : 'sandra@example.com';
		const now = new Date();
		const start = new Date(now.getTime() + 24 * 3600_000);
		start.setUTCMinutes(0, 0, 0);
		const end = new Date(start.getTime() + 3600_000);
		const base: Record<string, unknown> = {
			event,
			account_id: accountId,
			id: randomBytes(13).toString('hex').slice(0, 26),
			master_event_id: '',
			calendar_id: owner,
			created_at: now.toISOString(),
			updated_at: now.toISOString(),
			title: 'Meeting with customer',
			is_cancelled: event === 'calendar_event_deleted',
			is_all_day: false,
			is_attendees_list_hidden: false,
			attendees: [],
			start: { date_time: start.toISOString(), time_zone: 'UTC' },
			end: { date_time: end.toISOString(), time_zone: 'UTC' },
			organizer: { email: owner, display_name: '' },
			visibility: 'private',
			transparency: 'opaque',
			event_type: 'default',
			color: '#039BE5',
			...fields,
		};
		const count = this.emit('calendar_event', event, accountId, (w) => ({ ...base, webhook_name: w.name ?? '' }));
		return { count, payload: base };
	}

	// ------------------------------------------------------------------ control surface

	/** Handles /_sandbox/webhooks…; answers [status, body]. */
	async control(method: string, path: string, body: () => Record<string, unknown>): Promise<[number, unknown]> {
		if (path === '/_sandbox/webhooks' && method === 'GET') return [200, this.sorted().reverse()];
		if (path === '/_sandbox/webhooks/deliveries' && method === 'GET') return [200, this.deliveries];
		if (path === '/_sandbox/webhooks/deliveries' && method === 'DELETE') {
			this.deliveries = [];
			return [200, { ok: true }];
		}
		if (path === '/_sandbox/webhooks/failures' && method === 'POST') {
			const b = body() as unknown as UrlFailure;
			if (typeof b.url !== 'string' || b.url === '') throw invalid('url: required (exact URL, or a prefix ending with *)');
			this.failures.push({ ...b, remaining: b.times ?? Number.POSITIVE_INFINITY });
			return [201, { ok: true }];
		}
		if (path === '/_sandbox/webhooks/failures' && method === 'DELETE') {
			this.failures = [];
			return [200, { ok: true }];
		}
		if (path === '/_sandbox/webhooks/config' && method === 'POST') {
			const b = body();
			if (b.retryDelaysMs !== undefined) {
				if (!Array.isArray(b.retryDelaysMs) || b.retryDelaysMs.some((d) => typeof d !== 'number' || d < 0)) throw invalid('retryDelaysMs: array of milliseconds');
				this.retryDelaysMs = b.retryDelaysMs as number[];
			}
			if (b.timeoutMs !== undefined) {
				if (typeof b.timeoutMs !== 'number' || b.timeoutMs <= 0) throw invalid('timeoutMs: positive number');
				this.timeoutMs = b.timeoutMs;
			}
			if (b.payloadShapes !== undefined) {
				if (b.payloadShapes !== 'documented' && b.payloadShapes !== 'older') throw invalid('payloadShapes: documented or older');
				this.payloadShapes = b.payloadShapes;
			}
			if (b.headersAsObject !== undefined) {
				if (typeof b.headersAsObject !== 'boolean') throw invalid('headersAsObject: boolean');
				this.headersAsObject = b.headersAsObject;
			}
			return [200, { retryDelaysMs: this.retryDelaysMs, timeoutMs: this.timeoutMs, payloadShapes: this.payloadShapes, headersAsObject: this.headersAsObject }];
		}
		if (path === '/_sandbox/webhooks/idle' && method === 'POST') {
			await this.idle();
			return [200, { ok: true, deliveries: this.deliveries.length }];
		}
		if (path === '/_sandbox/webhooks/events' && method === 'POST') return [201, this.controlEvent(body())];
		throw new ApiError(404, 'resource_not_found', `unknown control route ${method} ${path}`);
	}

	/** Emits one documented event from a control request `{event, messageId | accountId, …}`. */
	controlEvent(b: Record<string, unknown>): { event: string; deliveries: number; payload?: Record<string, unknown> } {
		const event = String(b.event ?? '');
		const str = (k: string) => (typeof b[k] === 'string' && b[k] !== '' ? (b[k] as string) : undefined);
		if (SOURCE_EVENTS.messaging.includes(event)) {
			const id = str('messageId');
			const msg = id !== undefined ? this.store.messageById.get(id) : undefined;
			if (!msg) throw invalid(`messageId: message ${JSON.stringify(id)} not found`);
			if (event === 'message_edited' && typeof b.text === 'string') {
				msg.text = b.text;
				msg.edited = 1;
			}
			if (event === 'message_deleted') msg.deleted = 1;
			if (event === 'message_read') msg.seen = 1;
			return { event, deliveries: this.messageEvent(event, msg, { reaction: str('reaction'), reactionSenderId: str('reactionSenderId'), attachmentsAsObject: b.attachmentsAsObject === true }) };
		}
		const accountId = str('accountId');
		if (accountId === undefined) throw missing('accountId: required for this event');
		if (event === 'account_status') return { event, deliveries: this.accountStatus(accountId, String(b.message ?? '')) };
		if (event === 'new_relation') {
			const r = this.newRelation(accountId, { name: str('name'), providerId: str('providerId'), publicIdentifier: str('publicIdentifier') });
			return { event, deliveries: r.count, payload: r.payload };
		}
		if (event === 'mail_received' || event === 'mail_sent') {
			const r = this.mailEvent(event, accountId, (b.email as Record<string, unknown> | undefined) ?? {});
			return { event, deliveries: r.count, payload: r.payload };
		}
		if (event === 'mail_opened' || event === 'mail_link_clicked') {
			const r = this.trackingEvent(event, accountId, (b.fields as Record<string, unknown> | undefined) ?? {});
			return { event, deliveries: r.count, payload: r.payload };
		}
		if (event === 'calendar_event_created' || event === 'calendar_event_updated' || event === 'calendar_event_deleted') {
			const r = this.calendarEvent(event, accountId, (b.fields as Record<string, unknown> | undefined) ?? {});
			return { event, deliveries: r.count, payload: r.payload };
		}
		throw invalid(`event: unknown event ${JSON.stringify(event)}`);
	}
}

/** The doc example's shape: one attachment object with stringified values (*unconfirmed*, accepted by the node). */
function attachmentAsDocObject(msg: Message): Record<string, string> | [] {
	const a = msg.attachments[0];
	if (!a) return [];
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
	return out;
}

// ---------------------------------------------------------------------------------------------- routes

function listWebhooks(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['limit', 'cursor']);
	const hub = webhookHub(ctx.store);
	const page = paginate(
		q,
		'webhooks',
		() => ({}),
		() => hub.sorted(),
		(w) => ['', String(w.seq).padStart(10, '0')],
	);
	return ok({ object: 'WebhookList', items: page.items.map((w) => hub.listed(w)), cursor: page.cursor });
}

function createWebhook(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const id = webhookHub(ctx.store).create(ctx.json());
	return ok({ object: 'WebhookCreated', webhook_id: id }, 201);
}

function deleteWebhook(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const hub = webhookHub(ctx.store);
	if (!hub.webhooks.delete(ctx.params.id)) throw notFound(`webhook ${JSON.stringify(ctx.params.id)} not found`);
	return ok({ object: 'WebhookDeleted' });
}

const route = (method: string, path: string, handler: Route['handler']): Route => ({ method, pattern: path.split('/').filter(Boolean), handler });

export const WEBHOOK_ROUTES: Route[] = [route('GET', '/webhooks', listWebhooks), route('POST', '/webhooks', createWebhook), route('DELETE', '/webhooks/:id', deleteWebhook)];
