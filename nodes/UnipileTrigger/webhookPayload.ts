import { createHash } from 'node:crypto';
import { sourceOf } from './webhookEvents';

export type Payload = Record<string, unknown>;

export type Verdict =
	| { kind: 'refuse'; status: 400; message: string }
	| { kind: 'ignore'; reason: string }
	/** `askOwnership`: the payload does not say whether the account sent this message; Unipile must be asked */
	| { kind: 'accept'; event: string; accountId?: string; askOwnership?: true };

const isObject = (v: unknown): v is Payload => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The body of a delivery as an object: n8n parses JSON only for a JSON content type, so a body it left unparsed is
 * read from the raw bytes. Anything that is not a JSON object (an empty body included) gives undefined.
 */
export function payloadOf(parsed: unknown, raw: Buffer | string | undefined): Payload | undefined {
	if (isObject(parsed) && Object.keys(parsed).length > 0) return parsed;
	if (raw !== undefined && raw.length > 0) {
		try {
			const value: unknown = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : raw);
			return isObject(value) ? value : undefined;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

/**
 * Unipile's event name of a payload: `event`; for email tracking, `type` (the name the SDK gives that key);
 * `account_status` for `{AccountStatus: {...}}`.
 */
export function eventOf(payload: Payload): string | undefined {
	if (isObject(payload.AccountStatus)) return 'account_status';
	if (typeof payload.event === 'string' && payload.event !== '') return payload.event;
	if (typeof payload.type === 'string' && sourceOf(payload.type) === 'email_tracking') return payload.type;
	return undefined;
}

export function accountIdOf(payload: Payload): string | undefined {
	const holder = isObject(payload.AccountStatus) ? payload.AccountStatus : payload;
	return typeof holder.account_id === 'string' ? holder.account_id : undefined;
}

/** An account_status payload's status (`OK`, `CREDENTIALS`…). */
export function accountStatusOf(payload: Payload): string | undefined {
	const status = isObject(payload.AccountStatus) ? payload.AccountStatus.message : undefined;
	return typeof status === 'string' ? status : undefined;
}

export type Ownership = 'own' | 'other' | 'unknown';

/**
 * Whether the connected account sent a message, from what the payload says: an `is_sender` flag when one is there
 * (not documented for webhooks: only taken when present); else `account_info.user_id` (documented for LinkedIn and
 * Instagram) compared with the sender's provider id. Anything else is unknown, never "not own".
 */
export function ownershipOf(payload: Payload): Ownership {
	const flag = payload.is_sender;
	if (flag === true || flag === 1 || flag === 'true' || flag === '1') return 'own';
	if (flag === false || flag === 0 || flag === 'false' || flag === '0') return 'other';
	const info = isObject(payload.account_info) ? payload.account_info : undefined;
	const sender = isObject(payload.sender) ? payload.sender : undefined;
	const own = typeof info?.user_id === 'string' && info.user_id !== '' ? info.user_id : undefined;
	const from = typeof sender?.attendee_provider_id === 'string' && sender.attendee_provider_id !== '' ? sender.attendee_provider_id : undefined;
	if (own === undefined || from === undefined) return 'unknown';
	return own === from ? 'own' : 'other';
}

export interface Chosen {
	events: readonly string[];
	accountIds: readonly string[];
	includeOwnMessages: boolean;
	/** account statuses that start the workflow; empty: every status */
	accountStatuses?: readonly string[];
}

/** Decides what a delivery starts, given the events, accounts and statuses chosen in the node. */
export function judge(payload: Payload | undefined, chosen: Chosen): Verdict {
	if (payload === undefined) return { kind: 'refuse', status: 400, message: 'The body must be a JSON object' };
	const event = eventOf(payload);
	if (event === undefined || sourceOf(event) === undefined) return { kind: 'ignore', reason: 'not a Unipile event' };
	if (!chosen.events.includes(event)) return { kind: 'ignore', reason: `event ${event} not chosen` };
	const accountId = accountIdOf(payload);
	if (chosen.accountIds.length > 0 && (accountId === undefined || !chosen.accountIds.includes(accountId))) return { kind: 'ignore', reason: 'account not chosen' };
	if (event === 'account_status' && chosen.accountStatuses && chosen.accountStatuses.length > 0) {
		const status = accountStatusOf(payload);
		if (status === undefined || !chosen.accountStatuses.includes(status)) return { kind: 'ignore', reason: `account status ${status ?? '(none)'} not chosen` };
	}
	if (event === 'message_received' && !chosen.includeOwnMessages) {
		const ownership = ownershipOf(payload);
		if (ownership === 'own') return { kind: 'ignore', reason: 'own message' };
		if (ownership === 'unknown') return { kind: 'accept', event, accountId, askOwnership: true };
	}
	return { kind: 'accept', event, accountId };
}

export interface AttachmentRef {
	/** undefined when the entry names no file to download */
	id?: string;
	fileName?: string;
	mimeType?: string;
	unavailable: boolean;
}

/**
 * A messaging payload's attachments, in order (binary fields are numbered by position): an array, or the single
 * object of the documentation's example, whose values are strings (*unconfirmed*).
 */
export function attachmentsOf(payload: Payload): AttachmentRef[] {
	const raw = payload.attachments;
	const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : [];
	return list.filter(isObject).map((a) => ({
		id: typeof a.id === 'string' && a.id !== '' ? a.id : typeof a.attachment_id === 'string' && a.attachment_id !== '' ? a.attachment_id : undefined,
		fileName: typeof a.file_name === 'string' ? a.file_name : typeof a.name === 'string' ? a.name : undefined,
		mimeType: typeof a.mimetype === 'string' ? a.mimetype : typeof a.mime === 'string' ? a.mime : undefined,
		unavailable: a.unavailable === true || a.unavailable === 1 || a.unavailable === 'true' || a.unavailable === '1',
	}));
}

/**
 * What identifies one delivery, so a resend can be recognised: the documented ids (`message_id`, `email_id`,
 * `event_id`, a calendar event's `id` and `updated_at`, a new relation's `user_provider_id`) with the event and what tells two events on one item apart.
 * Undefined when the payload carries no id (account status): such deliveries are never dropped.
 */
export function deliveryKey(payload: Payload): string | undefined {
	const event = eventOf(payload);
	if (event === undefined || event === 'account_status') return undefined;
	const parts: unknown[] = [event, payload.account_id];
	if (typeof payload.event_id === 'string') parts.push(payload.event_id);
	else if (typeof payload.email_id === 'string' || (event.startsWith('mail_') && typeof payload.id === 'string')) parts.push(payload.email_id ?? payload.id);
	else if (event.startsWith('calendar_event_') && typeof payload.id === 'string') parts.push(payload.id, payload.updated_at);
	else if (typeof payload.message_id === 'string') {
		parts.push(payload.message_id);
		if (event !== 'message_received') parts.push(payload.timestamp, payload.reaction, (payload.reaction_sender as Payload | undefined)?.attendee_id, payload.message);
	} else if (event === 'new_relation' && typeof payload.user_provider_id === 'string') parts.push(payload.user_provider_id);
	else return undefined;
	return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

/** How many delivery keys a trigger remembers to drop resends. */
export const RECENT_DELIVERIES = 200;

/** True when `key` is new; remembers it (oldest forgotten first). */
export function rememberDelivery(recent: string[], key: string, max = RECENT_DELIVERIES): boolean {
	if (recent.includes(key)) return false;
	recent.push(key);
	if (recent.length > max) recent.splice(0, recent.length - max);
	return true;
}
