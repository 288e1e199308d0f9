/**
 * The Unipile API v1 routes of the sandbox. Handlers are strict: unknown query parameters, unknown body fields,
 * wrong content types, malformed values and unknown ids are rejected the way Unipile does (problem+json).
 */
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { fileAnswer } from './files';
import {
	PROVIDERS,
	SandboxStore,
	type Account,
	type Chat,
	type ChatAttendee,
	type Message,
	type ProviderType,
	type StoredFile,
} from './data';
import { ApiError, invalid, isUtcMsDate, missing, notFound, paginate, type Query, type SortKey } from './http';
import type { MultipartFile, MultipartPart } from './multipart';
import { EMAIL_ROUTES } from './email';
import { CALENDAR_ROUTES } from './calendar';
import { LINKEDIN_ROUTES, linkedinMemberProfile } from './linkedin';
import { WEBHOOK_ROUTES } from './webhooks';
import { MESSAGING_EXTRA_ROUTES } from './messagingExtras';

export interface RouteContext {
	store: SandboxStore;
	method: string;
	params: Record<string, string>;
	query: Query;
	/** JSON body (415 when not application/json, 400 when malformed or not an object). */
	json(): Record<string, unknown>;
	/** Multipart parts (415 when not multipart/form-data, 400 when malformed). */
	form(): MultipartPart[];
	dsn: string;
	/** Request headers, lower-cased names. */
	headers: Record<string, string>;
}

export type RouteResult =
	| { status: number; json: unknown }
	| { status: number; bytes: Buffer; headers: Record<string, string> }
	/** A file generated on demand, streamed with its length. */
	| { status: number; stream: () => Readable; length: number; headers: Record<string, string> };


export interface Route {
	method: string;
	pattern: string[];
	handler: (ctx: RouteContext) => RouteResult;
}

const ok = (json: unknown, status = 200): RouteResult => ({ status, json });
const MAX_FILE = 15 * 1024 * 1024;
const ACCOUNT_TYPES = ['WHATSAPP', 'LINKEDIN', 'SLACK', 'TWITTER', 'MESSENGER', 'INSTAGRAM', 'TELEGRAM'] as const;

// ---------------------------------------------------------------------------------------------- lookups

function account(store: SandboxStore, id: string, field = 'account_id'): Account {
	const a = store.accountById.get(id);
	if (!a) throw notFound(`${field}: account ${JSON.stringify(id)} not found`);
	return a;
}

function chatById(store: SandboxStore, id: string): Chat {
	const c = store.chatById.get(id);
	if (!c) throw notFound(`chat ${JSON.stringify(id)} not found`);
	return c;
}

function messageById(store: SandboxStore, id: string): Message {
	const m = store.messageById.get(id);
	if (!m) throw notFound(`message ${JSON.stringify(id)} not found`);
	return m;
}

function attendeeById(store: SandboxStore, id: string): ChatAttendee {
	const a = store.attendeeById.get(id);
	if (!a) throw notFound(`attendee ${JSON.stringify(id)} not found`);
	return a;
}

function accountIds(store: SandboxStore, raw: string | undefined): string[] | undefined {
	if (raw === undefined) return undefined;
	const ids = raw.split(',').map((s) => s.trim());
	for (const id of ids) {
		if (!id) throw invalid(`account_id: empty id in ${JSON.stringify(raw)}`);
		account(store, id);
	}
	return ids;
}

const timeKey = (x: { timestamp: string | null; id: string }): SortKey => [x.timestamp ?? '', x.id];

function inRange(ts: string | null, before?: string, after?: string): boolean {
	if (ts === null) return before === undefined && after === undefined;
	if (before !== undefined && !(ts < before)) return false;
	if (after !== undefined && !(ts > after)) return false;
	return true;
}

function chatJson(store: SandboxStore, chat: Chat): unknown {
	return { ...chat, lastMessage: store.lastMessage(chat.id) };
}

// ---------------------------------------------------------------------------------------------- body helpers

function str(body: Record<string, unknown>, name: string, opts: { required?: boolean } = {}): string | undefined {
	const v = body[name];
	if (v === undefined || v === null) {
		if (opts.required) throw missing(`${name}: this field is required`);
		return undefined;
	}
	if (typeof v !== 'string') throw invalid(`${name}: must be a string, got ${Array.isArray(v) ? 'array' : typeof v}`);
	if (v === '' || v === '[object Object]') throw invalid(`${name}: invalid value ${JSON.stringify(v)}`);
	return v;
}

function onlyKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
	for (const k of Object.keys(body)) if (!allowed.includes(k)) throw invalid(`${k}: unknown field (allowed: ${allowed.join(', ')})`);
}

function validateProxy(v: unknown): void {
	if (v === undefined) return;
	if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('proxy: must be an object');
	const p = v as Record<string, unknown>;
	onlyKeys(p, ['protocol', 'host', 'port', 'username', 'password']);
	if (p.protocol !== undefined && !['https', 'http', 'socks5'].includes(p.protocol as string)) throw invalid('proxy.protocol: must be https, http or socks5');
	if (typeof p.host !== 'string' || !p.host) throw invalid('proxy.host: required string');
	if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw invalid('proxy.port: required integer 1-65535');
	for (const k of ['username', 'password']) if (p[k] !== undefined && typeof p[k] !== 'string') throw invalid(`proxy.${k}: must be a string`);
}

function validateSyncLimit(v: unknown): void {
	if (v === undefined) return;
	if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('sync_limit: must be an object {chats?, messages?}');
	const s = v as Record<string, unknown>;
	onlyKeys(s, ['chats', 'messages']);
	for (const k of ['chats', 'messages']) {
		const x = s[k];
		if (x === undefined) continue;
		if (typeof x === 'number' ? !(x >= 0 && Number.isFinite(x)) : !isUtcMsDate(x))
			throw invalid(`sync_limit.${k}: must be a number >= 0 or an ISO 8601 UTC datetime (YYYY-MM-DDTHH:MM:SS.sssZ)`);
	}
}

function validateDisabledFeatures(v: unknown): void {
	if (v === undefined) return;
	const allowed = ['linkedin_recruiter', 'linkedin_sales_navigator', 'linkedin_organizations_mailboxes'];
	if (!Array.isArray(v) || v.some((x) => !allowed.includes(x))) throw invalid(`disabled_features: must be an array of ${allowed.join(', ')}`);
}

function isHttpUrl(v: unknown): boolean {
	if (typeof v !== 'string') return false;
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------- accounts

const CONNECT_KEYS: Record<ProviderType, string[]> = {
	WHATSAPP: ['pairing_phone_number'],
	TELEGRAM: [],
	LINKEDIN: ['username', 'password', 'access_token', 'premium_token', 'user_agent', 'recruiter_contract_id'],
	INSTAGRAM: ['username', 'password', 'user_agent'],
	MESSENGER: ['username', 'password'],
	TWITTER: ['username', 'email', 'password'],
};

type ConnectOutcome = { kind: 'created'; name: string } | { kind: 'checkpoint'; checkpoint: Record<string, unknown>; name: string };

function validateConnectBody(body: Record<string, unknown>, expected?: ProviderType): { provider: ProviderType; outcome: ConnectOutcome } {
	const providerRaw = str(body, 'provider', { required: true }) as string;
	if (!PROVIDERS.includes(providerRaw as ProviderType)) throw invalid(`provider: must be one of ${PROVIDERS.join(', ')}, got ${JSON.stringify(providerRaw)}`);
	const provider = providerRaw as ProviderType;
	if (expected && provider !== expected) throw invalid(`provider: this account is a ${expected} account, got ${provider}`);
	onlyKeys(body, ['provider', 'proxy', 'sync_limit', 'disabled_features', ...CONNECT_KEYS[provider], ...(expected ? ['account_id'] : [])]);
	validateProxy(body.proxy);
	validateSyncLimit(body.sync_limit);
	validateDisabledFeatures(body.disabled_features);
	const password = () => {
		const p = str(body, 'password', { required: true }) as string;
		if (p === 'wrong-password') throw new ApiError(401, 'invalid_credentials', 'The provided credentials are invalid.');
		return p;
	};
	switch (provider) {
		case 'WHATSAPP': {
			const phone = str(body, 'pairing_phone_number');
			if (phone !== undefined) {
				if (!/^\+?\d[\d ]{5,18}$/.test(phone)) throw invalid(`pairing_phone_number: not a phone number: ${JSON.stringify(phone)}`);
				return { provider, outcome: { kind: 'checkpoint', name: phone, checkpoint: { type: 'PHONE_REGISTER', code: 'SBX4-7Q2K' } } };
			}
			return { provider, outcome: { kind: 'checkpoint', name: 'WhatsApp', checkpoint: { type: 'QRCODE', qrcode: `2@sandbox${Date.now().toString(36)},qrcode-data==` } } };
		}
		case 'TELEGRAM':
			return { provider, outcome: { kind: 'checkpoint', name: 'Telegram', checkpoint: { type: 'QRCODE', qrcode: `tg://login?token=sandbox${Date.now().toString(36)}` } } };
		case 'LINKEDIN': {
			const token = str(body, 'access_token');
			str(body, 'premium_token');
			str(body, 'user_agent');
			str(body, 'recruiter_contract_id');
			if (token !== undefined) {
				if (body.username !== undefined || body.password !== undefined) throw invalid('access_token: send either access_token or username/password, not both');
				return { provider, outcome: { kind: 'created', name: 'LinkedIn member' } };
			}
			if (body.username === undefined) throw missing('username: username/password or access_token is required');
			const username = str(body, 'username', { required: true }) as string;
			if (!/(^\S+@\S+$)|(^\+?(\d|\s)+$)/.test(username)) throw invalid('username: should be either an email address or a phone number');
			password();
			if (/2fa/i.test(username)) return { provider, outcome: { kind: 'checkpoint', name: username, checkpoint: { type: '2FA', source: 'APP' } } };
			if (/otp/i.test(username)) return { provider, outcome: { kind: 'checkpoint', name: username, checkpoint: { type: 'OTP' } } };
			return { provider, outcome: { kind: 'created', name: username.split('@')[0] } };
		}
		case 'INSTAGRAM':
		case 'MESSENGER':
		case 'TWITTER': {
			const username = str(body, 'username', { required: true }) as string;
			if (provider === 'TWITTER') {
				const email = str(body, 'email', { required: true }) as string;
				if (!/^\S+@\S+\.\S+$/.test(email)) throw invalid('email: not an email address');
			}
			if (provider === 'INSTAGRAM') str(body, 'user_agent');
			password();
			if (/2fa/i.test(username)) return { provider, outcome: { kind: 'checkpoint', name: username, checkpoint: { type: '2FA', source: 'SMS' } } };
			return { provider, outcome: { kind: 'created', name: username } };
		}
	}
	throw invalid('provider: unsupported');
}

function validateConnectQuery(q: Query): void {
	q.only(['country', 'ip']);
	const country = q.str('country');
	if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) throw invalid('country: must be an ISO 3166-1 alpha-2 code');
	const ip = q.str('ip');
	if (ip !== undefined && isIP(ip) !== 4) throw invalid('ip: must be an IPv4 address');
}

function connectAccount(ctx: RouteContext): RouteResult {
	validateConnectQuery(ctx.query);
	const body = ctx.json();
	const { provider, outcome } = validateConnectBody(body);
	if (outcome.kind === 'created') {
		const acc = ctx.store.createAccount(provider, outcome.name);
		return ok({ object: 'AccountCreated', account_id: acc.id }, 201);
	}
	const id = ctx.store.reserveAccountId(provider);
	ctx.store.pendingCheckpoints.set(id, { accountId: id, provider, kind: 'create', username: outcome.name });
	return ok({ object: 'Checkpoint', account_id: id, checkpoint: outcome.checkpoint }, 202);
}

function reconnectAccount(ctx: RouteContext): RouteResult {
	validateConnectQuery(ctx.query);
	const acc = account(ctx.store, ctx.params.id, 'account_id');
	const body = ctx.json();
	if (body.account_id !== undefined && body.account_id !== acc.id) throw invalid('account_id: does not match the account in the path');
	const { provider, outcome } = validateConnectBody(body, acc.type as ProviderType);
	if (outcome.kind === 'created') {
		acc.sources.forEach((s) => (s.status = 'OK'));
		return ok({ object: 'AccountReconnected', account_id: acc.id }, 201);
	}
	ctx.store.pendingCheckpoints.set(acc.id, { accountId: acc.id, provider, kind: 'reconnect' });
	return ok({ object: 'Checkpoint', account_id: acc.id, checkpoint: outcome.checkpoint }, 202);
}

function solveCheckpoint(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const body = ctx.json();
	onlyKeys(body, ['provider', 'account_id', 'code']);
	const provider = str(body, 'provider', { required: true }) as string;
	if (!PROVIDERS.includes(provider as ProviderType)) throw invalid(`provider: must be one of ${PROVIDERS.join(', ')}`);
	const accountId = str(body, 'account_id', { required: true }) as string;
	const code = str(body, 'code', { required: true }) as string;
	const pending = ctx.store.pendingCheckpoints.get(accountId);
	if (!pending) {
		if (ctx.store.accountById.has(accountId)) throw new ApiError(400, 'invalid_parameters', 'account_id: no checkpoint is pending for this account');
		throw notFound(`account_id: account ${JSON.stringify(accountId)} not found`);
	}
	if (pending.provider !== provider) throw invalid(`provider: the pending checkpoint is for ${pending.provider}`);
	if (code === '000000') throw new ApiError(401, 'invalid_checkpoint_solution', 'The checkpoint solution is invalid.');
	ctx.store.pendingCheckpoints.delete(accountId);
	if (pending.kind === 'reconnect') {
		const acc = ctx.store.accountById.get(accountId);
		acc?.sources.forEach((s) => (s.status = 'OK'));
		return ok({ object: 'AccountReconnected', account_id: accountId }, 201);
	}
	const def = ctx.store.accountDef(pending.provider, accountId, pending.username ?? pending.provider);
	ctx.store.addAccount(def);
	return ok({ object: 'AccountCreated', account_id: accountId }, 201);
}

function hostedLink(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const body = ctx.json();
	onlyKeys(body, ['type', 'expiresOn', 'api_url', 'providers', 'reconnect_account', 'name', 'success_redirect_url', 'failure_redirect_url', 'notify_url', 'disabled_features', 'sync_limit', 'bypass_success_screen']);
	const type = str(body, 'type', { required: true });
	if (type !== 'create' && type !== 'reconnect') throw invalid('type: must be "create" or "reconnect"');
	if (body.expiresOn === undefined) throw missing('expiresOn: this field is required');
	if (!isUtcMsDate(body.expiresOn)) throw invalid('expiresOn: must be an ISO 8601 UTC datetime (YYYY-MM-DDTHH:MM:SS.sssZ)');
	if (body.api_url === undefined) throw missing('api_url: this field is required');
	if (!isHttpUrl(body.api_url)) throw invalid('api_url: must be an http(s) URL');
	for (const k of ['success_redirect_url', 'failure_redirect_url', 'notify_url']) if (body[k] !== undefined && !isHttpUrl(body[k])) throw invalid(`${k}: must be an http(s) URL`);
	str(body, 'name');
	validateDisabledFeatures(body.disabled_features);
	validateSyncLimit(body.sync_limit);
	if (type === 'create') {
		const p = body.providers;
		if (p === undefined) throw missing('providers: this field is required');
		const known = [...PROVIDERS, 'GOOGLE', 'OUTLOOK', 'MAIL'];
		const okProviders = p === '*' || p === '*:MESSAGING' || p === '*:MAILING' || (Array.isArray(p) && p.length > 0 && p.every((x) => known.includes(x)));
		if (!okProviders) throw invalid(`providers: must be "*", "*:MESSAGING", "*:MAILING" or a non-empty array of ${known.join(', ')}`);
		if (body.reconnect_account !== undefined) throw invalid('reconnect_account: only for type "reconnect"');
	} else {
		const id = str(body, 'reconnect_account', { required: true }) as string;
		account(ctx.store, id, 'reconnect_account');
		if (body.providers !== undefined) throw invalid('providers: not allowed for type "reconnect"');
	}
	const token = ctx.store.uid();
	return ok({ object: 'HostedAuthUrl', url: `https://account.unipile.com/${token}` }, 201);
}

// ---------------------------------------------------------------------------------------------- chats

interface ChatFilters {
	account_id?: string[];
	account_type?: string;
	before?: string;
	after?: string;
	unread?: boolean;
}

function listChats(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'account_type', 'before', 'after', 'unread', 'limit', 'cursor']);
	const page = paginate<Chat, ChatFilters>(
		q,
		'chats',
		() => ({
			account_id: accountIds(ctx.store, q.str('account_id')),
			account_type: q.enumOf('account_type', ACCOUNT_TYPES),
			before: q.date('before'),
			after: q.date('after'),
			unread: q.bool('unread'),
		}),
		(f) =>
			ctx.store
				.sortedChats()
				.filter(
					(c) =>
						(!f.account_id || f.account_id.includes(c.account_id)) &&
						(!f.account_type || c.account_type === f.account_type) &&
						inRange(c.timestamp, f.before, f.after) &&
						(f.unread === undefined || (c.unread_count > 0) === f.unread),
				),
		timeKey,
	);
	return ok({ object: 'ChatList', items: page.items, cursor: page.cursor });
}

function getChat(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id']);
	const accountId = q.str('account_id');
	const byId = ctx.store.chatById.get(ctx.params.id);
	if (byId) {
		if (accountId !== undefined && byId.account_id !== accountId) {
			account(ctx.store, accountId);
			throw notFound(`chat ${JSON.stringify(ctx.params.id)} not found in account ${accountId}`);
		}
		return ok(chatJson(ctx.store, byId));
	}
	if (accountId !== undefined) {
		account(ctx.store, accountId);
		const byProvider = ctx.store.findChatByProviderId(accountId, ctx.params.id);
		if (byProvider) return ok(chatJson(ctx.store, byProvider));
		throw notFound(`chat ${JSON.stringify(ctx.params.id)} not found`);
	}
	for (const c of ctx.store.chatById.values())
		if (c.provider_id === ctx.params.id) throw missing('account_id: required when the chat is identified by its provider id');
	throw notFound(`chat ${JSON.stringify(ctx.params.id)} not found`);
}

/** Multipart form helper: strict field access. */
class Form {
	constructor(
		readonly parts: MultipartPart[],
		allowed: readonly string[],
		fileFields: readonly string[],
		maxFileBytes?: number,
	) {
		for (const p of parts) {
			if (!allowed.includes(p.name)) throw invalid(`${p.name}: unknown field (allowed: ${allowed.join(', ')})`);
			const isFileField = fileFields.includes(p.name);
			if (isFileField && p.kind !== 'file') throw invalid(`${p.name}: must be a file (got a text field${p.value === '[object Object]' ? ' "[object Object]"' : ''})`);
			if (!isFileField && p.kind === 'file') throw invalid(`${p.name}: must be a text field, not a file`);
			if (p.kind === 'field' && (p.value === '[object Object]' || p.value === 'undefined')) throw invalid(`${p.name}: invalid value ${JSON.stringify(p.value)}`);
			if (p.kind === 'file') {
				if (p.size === 0) throw invalid(`${p.name}: empty file ${JSON.stringify(p.fileName)}`);
				if (p.size > (maxFileBytes ?? MAX_FILE)) throw new ApiError(400, 'content_too_large', `${p.name}: file larger than ${Math.round((maxFileBytes ?? MAX_FILE) / 1024 / 1024)} MB`);
			}
		}
	}

	one(name: string): string | undefined {
		const all = this.parts.filter((p) => p.name === name);
		if (all.length > 1) throw invalid(`${name}: expected a single value, got ${all.length}`);
		const p = all[0];
		if (!p || p.kind !== 'field') return undefined;
		return p.value;
	}

	all(name: string): string[] {
		return this.parts.filter((p): p is Extract<MultipartPart, { kind: 'field' }> => p.name === name && p.kind === 'field').map((p) => p.value);
	}

	files(name: string): MultipartFile[] {
		return this.parts.filter((p): p is MultipartFile => p.name === name && p.kind === 'file');
	}

	file(name: string): MultipartFile | undefined {
		const all = this.files(name);
		if (all.length > 1) throw invalid(`${name}: expected a single file, got ${all.length}`);
		return all[0];
	}
}

function storeUploads(store: SandboxStore, msg: Message, form: Form): void {
	const add = (f: MultipartFile, field: string, opts: { voiceNote?: boolean; videoMessage?: boolean } = {}) => {
		const fileName = f.fileName || 'file';
		const file: StoredFile = { fileName, mimeType: SandboxStore.uploadMime(f.contentType, fileName, f.bytes), bytes: f.bytes, ...(f.kept ? {} : { size: f.size, sha256: f.sha256 }) };
		const att = store.addAttachment(msg, file, opts);
		store.recordUpload(field, file, msg.id, att.id);
	};
	for (const f of form.files('attachments')) add(f, 'attachments');
	const voice = form.file('voice_message');
	if (voice) add(voice, 'voice_message', { voiceNote: true });
	const video = form.file('video_message');
	if (video) add(video, 'video_message', { videoMessage: true });
}

const LINKEDIN_FIELDS = ['api', 'inmail', 'topic', 'applicant_id', 'invitation_id', 'signature', 'hiring_project_id', 'job_posting_id', 'email_address', 'visibility'].map((k) => `linkedin[${k}]`);

function startChat(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const form = new Form(ctx.form(), ['account_id', 'text', 'attendees_ids', 'subject', 'attachments', 'voice_message', 'video_message', ...LINKEDIN_FIELDS], ['attachments', 'voice_message', 'video_message'], ctx.store.maxFileBytes);
	const accountId = form.one('account_id');
	if (!accountId) throw missing('account_id: this field is required');
	const acc = account(ctx.store, accountId);
	const ids = form.all('attendees_ids');
	if (ids.length === 0) throw missing('attendees_ids: at least one attendee provider id is required');
	for (const id of ids) {
		if (!id.trim()) throw invalid('attendees_ids: empty id');
		if (/[,\s]/.test(id)) throw invalid(`attendees_ids: ${JSON.stringify(id)} is not a provider id (send one attendees_ids field per id)`);
	}
	const text = form.one('text');
	const subject = form.one('subject');
	const hasFiles = form.files('attachments').length > 0 || !!form.file('voice_message') || !!form.file('video_message');
	if ((text === undefined || text === '') && !hasFiles) throw missing('text: a text or an attachment is required');
	const li: Record<string, string> = {};
	for (const f of LINKEDIN_FIELDS) {
		const v = form.one(f);
		if (v !== undefined) li[f.slice(9, -1)] = v;
	}
	if (Object.keys(li).length > 0 && acc.type !== 'LINKEDIN') throw invalid(`linkedin[${Object.keys(li)[0]}]: LinkedIn options are only valid for LINKEDIN accounts`);
	if (li.api !== undefined && !['classic', 'recruiter', 'sales_navigator'].includes(li.api)) throw invalid('linkedin[api]: must be classic, recruiter or sales_navigator');
	if (li.inmail !== undefined && li.inmail !== 'true' && li.inmail !== 'false') throw invalid('linkedin[inmail]: must be true or false');
	if (li.topic !== undefined && !['service_request', 'request_demo', 'support', 'careers', 'other'].includes(li.topic)) throw invalid('linkedin[topic]: invalid topic');
	// Resolve attendees (provider ids). Unipile attendee ids are a classic mistake: refuse them.
	const contacts: ChatAttendee[] = [];
	for (const raw of ids) {
		let pid = raw;
		if (acc.type === 'WHATSAPP') {
			const digits = pid.replace(/@s\.whatsapp\.net$/, '');
			if (!/^\+?\d{6,15}$/.test(digits)) throw new ApiError(422, 'invalid_recipient', `attendees_ids: ${JSON.stringify(raw)} is not a WhatsApp phone number / provider id`);
			pid = `${digits.replace(/^\+/, '')}@s.whatsapp.net`;
		}
		const asAttendeeId = ctx.store.attendeeById.get(raw);
		if (asAttendeeId && asAttendeeId.provider_id !== raw)
			throw new ApiError(422, 'invalid_recipient', `attendees_ids: ${JSON.stringify(raw)} is a Unipile attendee id; send the attendee's provider_id`);
		const self = ctx.store.accountSelf(acc.id);
		if (self && self.provider_id === pid) throw new ApiError(422, 'invalid_recipient', 'attendees_ids: cannot start a chat with yourself');
		contacts.push(ctx.store.findAttendeeByProviderId(acc.id, pid) ?? ctx.store.newContact(acc, `Contact ${pid.split('@')[0].slice(-6)}`, pid));
	}
	const now = ctx.store.now();
	let chat: Chat | undefined;
	if (contacts.length === 1) chat = ctx.store.sortedChats().find((c) => c.account_id === acc.id && c.type === 0 && c.attendee_provider_id === contacts[0].provider_id);
	if (!chat) {
		chat = ctx.store.newChat(acc, contacts, now, subject, subject);
		if (li.inmail === 'true') chat.content_type = 'inmail';
		if (li.api === 'recruiter') chat.folder = ['INBOX_LINKEDIN_RECRUITER'];
		if (li.api === 'sales_navigator') chat.folder = ['INBOX_LINKEDIN_SALES_NAVIGATOR'];
	}
	const msg = ctx.store.buildMessage(chat, ctx.store.accountSelf(acc.id)!, { timestamp: now, text: text ?? null });
	storeUploads(ctx.store, msg, form);
	ctx.store.storeMessage(msg);
	return ok({ object: 'ChatStarted', chat_id: chat.id, message_id: msg.id }, 201);
}

function sendMessage(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const chat = chatById(ctx.store, ctx.params.id);
	const form = new Form(ctx.form(), ['text', 'account_id', 'thread_id', 'quote_id', 'typing_duration', 'attachments', 'voice_message', 'video_message'], ['attachments', 'voice_message', 'video_message'], ctx.store.maxFileBytes);
	const accountId = form.one('account_id');
	if (accountId !== undefined && accountId !== chat.account_id) {
		account(ctx.store, accountId);
		throw invalid(`account_id: chat ${chat.id} does not belong to account ${accountId}`);
	}
	const text = form.one('text');
	const hasFiles = form.files('attachments').length > 0 || !!form.file('voice_message') || !!form.file('video_message');
	if ((text === undefined || text === '') && !hasFiles) throw missing('text: a text or an attachment is required');
	const typing = form.one('typing_duration');
	if (typing !== undefined && !/^\d{1,6}$/.test(typing)) throw invalid('typing_duration: must be an integer number of milliseconds');
	const threadId = form.one('thread_id');
	const quoteId = form.one('quote_id');
	let quoted: Message | undefined;
	if (quoteId !== undefined) {
		quoted = ctx.store.messagesOfChat(chat.id).find((m) => m.id === quoteId || m.provider_id === quoteId);
		if (!quoted) throw invalid(`quote_id: message ${JSON.stringify(quoteId)} not found in this chat`);
	}
	const msg = ctx.store.buildMessage(chat, ctx.store.accountSelf(chat.account_id)!, { timestamp: ctx.store.now(), text: text ?? null });
	if (quoted) msg.quoted = { provider_id: quoted.provider_id, sender_id: quoted.sender_id, text: quoted.text, attachments: quoted.attachments.map((a) => ({ ...a })) };
	if (threadId !== undefined) msg.thread_id = threadId;
	storeUploads(ctx.store, msg, form);
	ctx.store.storeMessage(msg);
	return ok({ object: 'MessageSent', message_id: msg.id }, 201);
}

function patchChat(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const chat = chatById(ctx.store, ctx.params.id);
	const body = ctx.json();
	onlyKeys(body, ['action', 'value']);
	const action = str(body, 'action', { required: true }) as string;
	const actions = ['setReadStatus', 'setMuteStatus', 'setArchiveStatus', 'setPinnedStatus'];
	if (!actions.includes(action)) throw invalid(`action: must be one of ${actions.join(', ')}`);
	if (body.value === undefined) throw missing('value: this field is required');
	if (typeof body.value !== 'boolean') throw invalid('value: must be a boolean');
	const value = body.value;
	switch (action) {
		case 'setReadStatus':
			if (value) {
				chat.unread_count = 0;
				for (const m of ctx.store.messagesOfChat(chat.id)) m.seen = 1;
			} else if (chat.unread_count === 0) chat.unread_count = 1;
			break;
		case 'setMuteStatus':
			chat.muted_until = value ? -1 : null;
			break;
		case 'setArchiveStatus':
			chat.archived = value ? 1 : 0;
			break;
		case 'setPinnedStatus':
			chat.pinned = value ? 1 : 0;
			break;
	}
	return ok({ object: 'ChatPatched' });
}

interface MessageFilters {
	account_id?: string;
	sender_id?: string;
	before?: string;
	after?: string;
}

function messageFilter(f: MessageFilters): (m: Message) => boolean {
	return (m) =>
		(!f.account_id || m.account_id === f.account_id) &&
		(!f.sender_id || m.sender_id === f.sender_id || m.sender_attendee_id === f.sender_id) &&
		inRange(m.timestamp, f.before, f.after);
}

function chatMessages(ctx: RouteContext): RouteResult {
	const chat = chatById(ctx.store, ctx.params.id);
	const q = ctx.query.only(['sender_id', 'before', 'after', 'limit', 'cursor']);
	const page = paginate<Message, MessageFilters>(
		q,
		`chat_messages/${chat.id}`,
		() => ({ sender_id: q.str('sender_id'), before: q.date('before'), after: q.date('after') }),
		(f) => ctx.store.messagesOfChat(chat.id).filter(messageFilter(f)),
		timeKey,
	);
	return ok({ object: 'MessageList', items: page.items, cursor: page.cursor });
}

function chatAttendeesOfChat(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const chat = chatById(ctx.store, ctx.params.id);
	return ok({ object: 'ChatAttendeeList', items: ctx.store.attendeesOfChat(chat.id) });
}

function chatSync(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const chat = chatById(ctx.store, ctx.params.id);
	return ok({ object: 'ChatHistorySync', chat_id: chat.id, status: 'SYNC_STARTED' });
}

// ---------------------------------------------------------------------------------------------- messages

function listMessages(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'sender_id', 'before', 'after', 'limit', 'cursor']);
	const page = paginate<Message, MessageFilters>(
		q,
		'messages',
		() => {
			const accountId = q.str('account_id');
			if (accountId !== undefined) account(ctx.store, accountId);
			return { account_id: accountId, sender_id: q.str('sender_id'), before: q.date('before'), after: q.date('after') };
		},
		(f) => ctx.store.sortedMessages().filter(messageFilter(f)),
		timeKey,
	);
	return ok({ object: 'MessageList', items: page.items, cursor: page.cursor });
}

function getMessage(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	return ok(messageById(ctx.store, ctx.params.id));
}

function forwardMessage(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const original = messageById(ctx.store, ctx.params.id);
	const body = ctx.json();
	onlyKeys(body, ['chat_id']);
	const chatId = str(body, 'chat_id', { required: true }) as string;
	const target = chatById(ctx.store, chatId);
	if (target.account_id !== original.account_id) throw invalid('chat_id: the target chat belongs to another account');
	const msg = ctx.store.buildMessage(target, ctx.store.accountSelf(target.account_id)!, { timestamp: ctx.store.now(), text: original.text });
	for (const a of original.attachments) {
		const file = ctx.store.attachments.get(`${original.id}/${a.id}`);
		if (file) ctx.store.addAttachment(msg, file, { voiceNote: a.voice_note === true });
		else msg.attachments.push({ ...a, id: ctx.store.uid() });
	}
	ctx.store.storeMessage(msg);
	return ok({ object: 'MessageForwarded', message_id: msg.id }, 201);
}

export function contentDisposition(fileName: string): string {
	const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	if (ascii === fileName) return `attachment; filename="${fileName}"`;
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

function getAttachment(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const msg = messageById(ctx.store, ctx.params.id);
	const att = msg.attachments.find((a) => a.id === ctx.params.attachment_id);
	if (!att) throw notFound(`attachment ${JSON.stringify(ctx.params.attachment_id)} not found in message ${msg.id}`);
	const file = ctx.store.attachments.get(`${msg.id}/${att.id}`);
	if (!file || att.unavailable) throw notFound(`attachment ${att.id} has no downloadable content`);
	return fileAnswer(file, { 'Content-Type': file.mimeType, 'Content-Disposition': contentDisposition(file.fileName) });
}

// ---------------------------------------------------------------------------------------------- attendees

function listAttendees(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'limit', 'cursor']);
	const page = paginate<ChatAttendee, { account_id?: string }>(
		q,
		'chat_attendees',
		() => {
			const accountId = q.str('account_id');
			if (accountId !== undefined) account(ctx.store, accountId);
			return { account_id: accountId };
		},
		(f) => ctx.store.sortedAttendees().filter((a) => !f.account_id || a.account_id === f.account_id),
		(a) => ['', a.id],
	);
	return ok({ object: 'ChatAttendeeList', items: page.items, cursor: page.cursor });
}

function getAttendee(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	return ok(attendeeById(ctx.store, ctx.params.id));
}

function attendeeChats(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'before', 'after', 'limit', 'cursor']);
	// The attendee's Unipile ID, or (with account_id) their provider ID: *unconfirmed* that Unipile takes the latter here.
	const byProvider = q.str('account_id') === undefined || ctx.store.attendeeById.has(ctx.params.id) ? undefined : ctx.store.findAttendeeByProviderId(q.str('account_id')!, ctx.params.id);
	const attendee = byProvider ?? attendeeById(ctx.store, ctx.params.id);
	const page = paginate<Chat, ChatFilters>(
		q,
		`attendee_chats/${attendee.id}`,
		() => {
			const accountId = q.str('account_id');
			if (accountId !== undefined) account(ctx.store, accountId);
			return { account_id: accountId ? [accountId] : undefined, before: q.date('before'), after: q.date('after') };
		},
		(f) =>
			ctx.store
				.sortedChats()
				.filter((c) => (ctx.store.chatAttendees.get(c.id) ?? []).includes(attendee.id) && (!f.account_id || f.account_id.includes(c.account_id)) && inRange(c.timestamp, f.before, f.after)),
		timeKey,
	);
	return ok({ object: 'ChatList', items: page.items, cursor: page.cursor });
}

function attendeeMessages(ctx: RouteContext): RouteResult {
	const attendee = attendeeById(ctx.store, ctx.params.id);
	const q = ctx.query.only(['account_id', 'before', 'after', 'limit', 'cursor']);
	const page = paginate<Message, MessageFilters>(
		q,
		`attendee_messages/${attendee.id}`,
		() => {
			const accountId = q.str('account_id');
			if (accountId !== undefined) account(ctx.store, accountId);
			return { account_id: accountId, before: q.date('before'), after: q.date('after') };
		},
		(f) => ctx.store.sortedMessages().filter((m) => m.sender_attendee_id === attendee.id && messageFilter(f)(m)),
		timeKey,
	);
	return ok({ object: 'MessageList', items: page.items, cursor: page.cursor });
}

function attendeePicture(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const id = ctx.params.id;
	if (!ctx.store.attendeeById.has(id) && !ctx.store.chatById.has(id)) throw notFound(`attendee ${JSON.stringify(id)} not found`);
	const pic = ctx.store.picture(id);
	if (!pic) throw notFound(`no picture for ${JSON.stringify(id)}`);
	return { status: 200, bytes: pic.bytes, headers: { 'Content-Type': pic.mimeType } };
}

// ---------------------------------------------------------------------------------------------- users

const LINKEDIN_SECTIONS = ['experience', 'education', 'languages', 'skills', 'certifications', 'about', '*'];

function getProfile(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'linkedin_api', 'linkedin_sections', 'notify']);
	const acc = account(ctx.store, q.required('account_id'));
	const api = q.enumOf('linkedin_api', ['classic', 'recruiter', 'sales_navigator']);
	const rawSections = q.str('linkedin_sections');
	q.bool('notify');
	const sections = rawSections === undefined ? [] : rawSections.split(',').map((s) => s.trim());
	for (const s of sections) if (!LINKEDIN_SECTIONS.includes(s)) throw invalid(`linkedin_sections: unknown section ${JSON.stringify(s)} (allowed: ${LINKEDIN_SECTIONS.join(', ')})`);
	if ((api !== undefined || sections.length > 0) && acc.type !== 'LINKEDIN') throw invalid('linkedin_api/linkedin_sections: only valid for LINKEDIN accounts');
	const attendee = ctx.store.findAttendeeByIdentifier(acc.id, ctx.params.identifier);
	const member = attendee ? undefined : linkedinMemberProfile(ctx.store, acc, ctx.params.identifier, sections);
	if (member) return ok(member);
	if (!attendee) throw notFound(`user ${JSON.stringify(ctx.params.identifier)} not found`);
	return ok(ctx.store.userProfile(acc, attendee, sections));
}

function getOwnProfile(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id']);
	const acc = account(ctx.store, q.required('account_id'));
	return ok(ctx.store.ownProfile(acc));
}

// ---------------------------------------------------------------------------------------------- table

const r = (method: string, path: string, handler: (ctx: RouteContext) => RouteResult): Route => ({ method, pattern: path.split('/').filter(Boolean), handler });

export const ROUTES: Route[] = [
	...LINKEDIN_ROUTES,
	r('GET', '/accounts', (ctx) => {
		const q = ctx.query.only(['limit', 'cursor']);
		const page = paginate(q, 'accounts', () => ({}), () => ctx.store.sortedAccounts(), (a) => ctx.store.accountKey(a));
		return ok({ object: 'AccountList', items: page.items, cursor: page.cursor });
	}),
	r('POST', '/accounts', connectAccount),
	r('POST', '/accounts/checkpoint', solveCheckpoint),
	r('GET', '/accounts/:id', (ctx) => {
		ctx.query.only([]);
		return ok(account(ctx.store, ctx.params.id, 'id'));
	}),
	r('POST', '/accounts/:id', reconnectAccount),
	r('DELETE', '/accounts/:id', (ctx) => {
		ctx.query.only([]);
		const acc = account(ctx.store, ctx.params.id, 'id');
		ctx.store.deleteAccount(acc.id);
		return ok({ object: 'AccountDeleted' });
	}),
	r('GET', '/accounts/:id/sync', (ctx) => {
		const q = ctx.query.only(['linkedin_product', 'before', 'after']);
		const acc = account(ctx.store, ctx.params.id, 'id');
		q.enumOf('linkedin_product', ['classic', 'recruiter', 'sales_navigator']);
		for (const k of ['before', 'after']) {
			const v = q.one(k);
			if (v !== undefined && !/^\d{1,15}$/.test(v)) throw invalid(`${k}: must be a unix timestamp in milliseconds`);
		}
		return ok({ object: 'AccountResync', status: 'SYNC_STARTED', account_id: acc.id });
	}),
	r('POST', '/hosted/accounts/link', hostedLink),
	r('GET', '/chats', listChats),
	r('POST', '/chats', startChat),
	r('GET', '/chats/:id', getChat),
	r('PATCH', '/chats/:id', patchChat),
	r('GET', '/chats/:id/messages', chatMessages),
	r('POST', '/chats/:id/messages', sendMessage),
	r('GET', '/chats/:id/attendees', chatAttendeesOfChat),
	r('GET', '/chats/:id/sync', chatSync),
	r('GET', '/messages', listMessages),
	r('GET', '/messages/:id', getMessage),
	r('POST', '/messages/:id/forward', forwardMessage),
	r('GET', '/messages/:id/attachments/:attachment_id', getAttachment),
	r('GET', '/chat_attendees', listAttendees),
	r('GET', '/chat_attendees/:id', getAttendee),
	r('GET', '/chat_attendees/:id/chats', attendeeChats),
	r('GET', '/chat_attendees/:id/messages', attendeeMessages),
	r('GET', '/chat_attendees/:id/picture', attendeePicture),
	r('GET', '/users/me', getOwnProfile),
	r('GET', '/users/:identifier', getProfile),
	...WEBHOOK_ROUTES,
	...EMAIL_ROUTES,
	...CALENDAR_ROUTES,
	...MESSAGING_EXTRA_ROUTES,
];

/** Finds the route for decoded path segments: {route, params} | 'method' (path exists, other method) | undefined. */
export function matchRoute(method: string, segments: string[]): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
	const allowed: string[] = [];
	for (const route of ROUTES) {
		if (route.pattern.length !== segments.length) continue;
		const params: Record<string, string> = {};
		let matched = true;
		for (let i = 0; i < segments.length; i++) {
			const p = route.pattern[i];
			if (p.startsWith(':')) {
				if (!segments[i]) {
					matched = false;
					break;
				}
				params[p.slice(1)] = segments[i];
			} else if (p !== segments[i]) {
				matched = false;
				break;
			}
		}
		if (!matched) continue;
		if (route.method === method) return { route, params };
		allowed.push(route.method);
	}
	return allowed.length ? { allowed } : undefined;
}
