/**
 * Watch → New Messages on Unipile API v2. v2 has no list of messages across chats or accounts, so each watched
 * account is read on its own: its chats newest activity first (`GET /v2/{account_id}/chats`, each with
 * `last_message_timestamp`) down to the first chat whose last message is at or below the account's floor (its
 * watermark minus the Lookback Window), then the messages of each of those chats after the floor
 * (`GET …/chats/{chat_id}/messages?after=`, exclusive, newest first). Every read bypasses Unipile's 1-hour GET cache.
 *
 * Each account keeps the v1 poller's state (pollState.ts) under its own key: the same rules (watermark from data only,
 * `seen` for the window, slices for a backlog bigger than a poll) apply per account. Message ids are unique per chat
 * only on v2, so a message is known as `chat_id message_id`.
 *
 * Why every chat active inside the window is read again, not only chats whose last message is new: a message Unipile
 * back-fills with an older timestamp does not change its chat's `last_message_timestamp` when the chat has a newer
 * one. Reading the window again is what delivers it; a quiet account (no message inside the window) costs one request.
 */
import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';
import { downloadMessageAttachments } from '../shared/binary';
import { unipileV2Pages, type UnipileV2Page } from '../shared/pager';
import { V2_NO_CACHE } from '../shared/v2';
import {
	hasTimeFor,
	isWanted,
	narrowSlice,
	planPoll,
	queryAfter,
	queryBefore,
	readShareUsed,
	seedState,
	topScanComplete,
	type MessagePage,
	type PollDeadlines,
	type PollPlan,
	type PollState,
	type UnipileMessage,
} from './pollState';

/** Below every provider's ceiling ("a ceiling, not a guarantee"): pages may come back shorter. */
const PAGE_SIZE = 100;
/** Mailboxes are watched with Watch → New Emails; every other provider has chats. */
const EMAIL_PROVIDERS = new Set(['google', 'outlook', 'imap']);
/** Accounts whose chats can be read; disconnected or errored ones answer 401 until reconnected. */
const READABLE_STATUSES = new Set(['running', 'degraded', 'partial']);

export interface V2Stream {
	/** What the saved state belongs to: when it changes, every account is seeded again. */
	key: string;
	/** The accounts chosen; empty means every messaging account of the application. */
	accountIds: string[];
	/** Watch one chat of the one chosen account. */
	chatId?: string;
}

export interface V2PollState {
	version: 1;
	api: 'v2';
	key: string;
	accounts: Record<string, PollState>;
	/** The first account a poll had no time left for: the next poll reads from it, so none waits for ever. */
	startWith?: string;
	/** Watch → New Emails: each mailbox's provider (Gmail reads dates only), learnt once from the account list. */
	providers?: Record<string, string>;
}

export interface V2Options {
	includeOwnMessages?: boolean;
	includeEvents?: boolean;
	downloadAttachments?: boolean;
	binaryPropertyPrefix?: string;
}

/** A v2 message as the poller's rules see it: `id` unique across the account's chats. */
interface Polled extends UnipileMessage {
	accountId: string;
	message: IDataObject;
}

export function v2StreamKey(accountIds: string[], chatId?: string): string {
	return chatId ? `v2:chat:${accountIds[0] ?? ''} ${chatId}` : `v2:accounts:${[...accountIds].sort().join(',')}`;
}

export function currentV2State(saved: unknown, key: string): V2PollState | undefined {
	if (typeof saved !== 'object' || saved === null) return undefined;
	const state = saved as Partial<V2PollState>;
	if (state.version !== 1 || state.api !== 'v2' || state.key !== key) return undefined;
	if (typeof state.accounts !== 'object' || state.accounts === null) return undefined;
	return state as V2PollState;
}

/** "Fetch Test Event" reads at most this many of an account's latest chats, and this many messages of each. */
const SAMPLE_CHATS = 10;
const SAMPLE_MESSAGES = 50;

function timeOf(value: unknown): number {
	return typeof value === 'string' ? Date.parse(value) : NaN;
}

function polled(accountId: string, message: IDataObject): Polled | undefined {
	const timestamp = message.timestamp;
	if (typeof message.id !== 'string' && typeof message.id !== 'number') return undefined;
	if (typeof message.chat_id !== 'string' || !Number.isFinite(timeOf(timestamp))) return undefined;
	return {
		id: `${message.chat_id} ${String(message.id)}`,
		timestamp: new Date(timeOf(timestamp)).toISOString(),
		account_id: accountId,
		is_sender: message.is_sender as boolean | undefined,
		is_event: message.is_event as boolean | undefined,
		accountId,
		message,
	};
}

/** Whether another request as long as the last one still ends by the reading deadline. */
export class ReadClock {
	private last = Date.now();
	constructor(private readonly readBy: number) {}
	more(): boolean {
		const now = Date.now();
		const step = now - this.last;
		this.last = now;
		return hasTimeFor(now, step, this.readBy);
	}
}

interface AccountRead {
	messages: Polled[];
	/** false when the reading deadline came first: nothing of this account is delivered this poll */
	complete: boolean;
}

function pagesOf(this: IPollFunctions, path: string, qs: IDataObject): AsyncGenerator<UnipileV2Page> {
	return unipileV2Pages.call(this, { path, qs: { ...qs, limit: String(PAGE_SIZE) }, headers: V2_NO_CACHE });
}

/** One chat's messages after `after` (and before `before`), every page; incomplete when the deadline comes first. */
async function readChat(
	this: IPollFunctions,
	accountId: string,
	chatId: string,
	query: IDataObject,
	clock: ReadClock,
	into: Polled[],
): Promise<boolean> {
	const path = `/${encodeURIComponent(accountId)}/chats/${encodeURIComponent(chatId)}/messages`;
	for await (const page of pagesOf.call(this, path, query)) {
		for (const message of page.items) {
			const entry = polled(accountId, message);
			if (entry) into.push(entry);
		}
		if (page.next === null) return true;
		if (!clock.more()) return false;
	}
	return true;
}

/** One chat from the top, newest first, until the window below its newest message is read (no watermark yet). */
async function readChatFromTop(this: IPollFunctions, accountId: string, chatId: string, windowMs: number, clock: ReadClock): Promise<AccountRead> {
	const path = `/${encodeURIComponent(accountId)}/chats/${encodeURIComponent(chatId)}/messages`;
	const pages: MessagePage[] = [];
	const messages: Polled[] = [];
	for await (const page of pagesOf.call(this, path, {})) {
		const items = page.items.map((message) => polled(accountId, message)).filter((m): m is Polled => m !== undefined);
		messages.push(...items);
		pages.push({ items, cursor: page.next === null ? null : 'more' });
		if (page.next === null || topScanComplete(pages, windowMs)) return { messages, complete: true };
		if (!clock.more()) return { messages, complete: false };
	}
	return { messages, complete: true };
}

/**
 * What one account holds above its floor. Without a watermark (a new account, or one that never had a message) the
 * floor is the newest chat's last message minus the window, as v1 reads its list from the top.
 */
async function readAccount(
	this: IPollFunctions,
	accountId: string,
	state: PollState | undefined,
	windowMs: number,
	chatId: string | undefined,
	clock: ReadClock,
): Promise<AccountRead> {
	const after = state ? queryAfter(state, windowMs) : undefined;
	const before = state ? queryBefore(state) : undefined;
	const query: IDataObject = after ? (before ? { after, before } : { after }) : {};
	if (chatId !== undefined) {
		if (!after) return await readChatFromTop.call(this, accountId, chatId, windowMs, clock);
		const messages: Polled[] = [];
		return { messages, complete: await readChat.call(this, accountId, chatId, query, clock, messages) };
	}

	let floorMs = after ? Date.parse(after) : undefined;
	// The newest chat activity the scan saw: messages newer than it arrived after the scan, maybe in chats it had
	// already passed; counting them would move the watermark past those (see below).
	let scanTopMs = -Infinity;
	const active: string[] = [];
	let scanned = false;
	for await (const page of pagesOf.call(this, `/${encodeURIComponent(accountId)}/chats`, {})) {
		for (const chat of page.items) {
			const last = timeOf(chat.last_message_timestamp);
			// Sorted by last activity; a chat without a message sorts by its creation.
			const activity = Number.isFinite(last) ? last : timeOf(chat.created_at);
			if (floorMs === undefined && Number.isFinite(last)) floorMs = last - windowMs;
			if (Number.isFinite(last)) scanTopMs = Math.max(scanTopMs, last);
			if (floorMs !== undefined && Number.isFinite(activity) && activity <= floorMs) {
				scanned = true;
				break;
			}
			if (Number.isFinite(last) && (typeof chat.id === 'string' || typeof chat.id === 'number')) active.push(String(chat.id));
		}
		if (scanned || page.next === null) break;
		if (!clock.more()) return { messages: [], complete: false };
	}
	if (floorMs === undefined) return { messages: [], complete: true };
	const chatQuery = after ? query : { after: new Date(floorMs).toISOString() };
	const messages: Polled[] = [];
	// A message that arrived while this account was read is left for the next poll, which finds its chat above the
	// floor: were it counted, a chat read later could move the watermark past one the scan had already passed.
	const seenByScan = (read: Polled[]) => read.filter((m) => Date.parse(m.timestamp) <= scanTopMs);
	for (const chat of [...new Set(active)]) {
		if (!clock.more()) return { messages: seenByScan(messages), complete: false };
		if (!(await readChat.call(this, accountId, chat, chatQuery, clock, messages))) return { messages: seenByScan(messages), complete: false };
	}
	return { messages: seenByScan(messages), complete: true };
}

/**
 * Every account of the application that can be read now (Core list, paged by offset): its mailboxes (Google, Outlook,
 * IMAP) for Watch → New Emails, its messaging accounts otherwise.
 */
export async function readableAccounts(this: IPollFunctions, mailboxes: boolean): Promise<Array<{ id: string; provider: string }>> {
	const accounts: Array<{ id: string; provider: string }> = [];
	for (const account of await v2Accounts.call(this)) {
		const provider = String(account.provider ?? '').toLowerCase();
		if (EMAIL_PROVIDERS.has(provider) !== mailboxes || !READABLE_STATUSES.has(String(account.status ?? '').toLowerCase())) continue;
		if (typeof account.id === 'string' && account.id !== '') accounts.push({ id: account.id, provider });
	}
	return accounts;
}

/** The application's accounts on v2 (Core list, every page, current state). */
export async function v2Accounts(this: IPollFunctions): Promise<IDataObject[]> {
	const accounts: IDataObject[] = [];
	for await (const page of unipileV2Pages.call(this, { path: '/accounts/', qs: { limit: String(PAGE_SIZE) }, headers: V2_NO_CACHE })) accounts.push(...page.items);
	return accounts;
}

async function watchedAccounts(this: IPollFunctions, stream: V2Stream): Promise<string[]> {
	if (stream.chatId !== undefined && stream.accountIds.length !== 1) {
		throw new NodeOperationError(this.getNode(), 'Watching one chat on Unipile API v2 needs its account', {
			description: `A v2 chat belongs to one account: choose exactly that account in "Account Names or IDs" (${stream.accountIds.length} chosen), or clear "Chat" to watch whole accounts.`,
		});
	}
	return stream.accountIds.length > 0 ? stream.accountIds : (await readableAccounts.call(this, false)).map((account) => account.id);
}

function attachmentPathOf(accountId: string, message: IDataObject): (attachmentId: string) => string {
	const base = `/${encodeURIComponent(accountId)}/chats/${encodeURIComponent(String(message.chat_id))}/messages/${encodeURIComponent(String(message.id))}`;
	return (attachmentId) => `${base}/attachments/${encodeURIComponent(attachmentId)}`;
}

/** The item n8n gets: the v2 Message, with the account it came from (v2 messages do not say it). */
async function toV2Item(this: IPollFunctions, entry: { accountId: string; message: IDataObject }, options: V2Options): Promise<INodeExecutionData> {
	const item: INodeExecutionData = { json: { ...entry.message, account_id: entry.accountId } };
	if (options.downloadAttachments) {
		const prefix = options.binaryPropertyPrefix?.trim() || 'attachment_';
		const { binary } = await downloadMessageAttachments.call(this, entry.message, {
			propertyName: (index) => `${prefix}${index}`,
			skipMissing: true,
			attachmentPath: attachmentPathOf(entry.accountId, entry.message),
		});
		if (Object.keys(binary).length > 0) item.binary = binary;
	}
	return item;
}

/** "Fetch Test Event": the latest message of the watched accounts (or chat) that a real poll would deliver; state stays as it was. */
export async function latestV2Message(this: IPollFunctions, stream: V2Stream, options: V2Options): Promise<INodeExecutionData> {
	// The filters a real poll applies (own messages, events): the sample is a message the trigger would start on.
	const filter = { includeOwnMessages: options.includeOwnMessages === true, includeEvents: options.includeEvents === true };
	let newest: Polled | undefined;
	const consider = (entry: Polled | undefined) => {
		if (entry && (!newest || Date.parse(entry.timestamp) > Date.parse(newest.timestamp))) newest = entry;
	};
	for (const accountId of await watchedAccounts.call(this, stream)) {
		// The chat chosen, or the account's most recent chats (newest first), read until none can hold a newer wanted message.
		let chats: Array<{ id: string; last: number }> = stream.chatId === undefined ? [] : [{ id: stream.chatId, last: Infinity }];
		if (stream.chatId === undefined) {
			for await (const page of pagesOf.call(this, `/${encodeURIComponent(accountId)}/chats`, {})) {
				chats = page.items
					.map((chat) => ({ id: String(chat.id), last: timeOf(chat.last_message_timestamp) }))
					.filter((chat) => Number.isFinite(chat.last))
					.sort((a, b) => b.last - a.last)
					.slice(0, SAMPLE_CHATS);
				break;
			}
		}
		for (const chat of chats) {
			if (newest && chat.last <= Date.parse(newest.timestamp)) break;
			const path = `/${encodeURIComponent(accountId)}/chats/${encodeURIComponent(chat.id)}/messages`;
			for await (const page of unipileV2Pages.call(this, { path, qs: { limit: String(SAMPLE_MESSAGES) }, headers: V2_NO_CACHE })) {
				consider(page.items.map((m) => polled(accountId, m)).find((m) => m !== undefined && isWanted(m, filter)));
				break;
			}
		}
	}
	if (!newest) throw noSample(this, options);
	return await toV2Item.call(this, newest, options);
}

/** No recent message passes the filters: n8n shows this instead of a sample. */
export function noSample(context: IPollFunctions, options: Pick<V2Options, 'includeOwnMessages' | 'includeEvents'>): NodeOperationError {
	const skipped = [options.includeOwnMessages === true ? '' : 'your own messages', options.includeEvents === true ? '' : 'events (reactions, group changes)'].filter((what) => what !== '');
	return new NodeOperationError(context.getNode(), 'No recent message matched the trigger\'s filters', {
		description: `The test event is the latest message the trigger would start on${skipped.length > 0 ? ` (it skips ${skipped.join(' and ')})` : ''}. Receive a message in one of the watched accounts (or the chosen chat), or widen the filters in Options, then fetch the test event again.`,
	});
}

function oldestFirst(a: Polled, b: Polled): number {
	return Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * One poll on v2. Nothing is written to `staticData` before every read (and file) is in hand, as on v1. The first poll
 * (or one after the watched accounts or chat changed) seeds every account; an account that appears later (newly
 * connected) is seeded on its own, so its history is not taken for new messages.
 */
export async function pollV2Messages(
	this: IPollFunctions,
	staticData: IDataObject,
	stream: V2Stream,
	options: V2Options,
	windowMs: number,
	deadlines: PollDeadlines,
): Promise<INodeExecutionData[][] | null> {
	const saved = currentV2State(staticData, stream.key);
	const accountIds = await watchedAccounts.call(this, stream);
	const next: Record<string, PollState> = {};
	// An account not listed now (disconnected, errored) keeps its state: when it comes back, it goes on from there.
	if (saved) Object.assign(next, saved.accounts);
	const plans = new Map<string, PollPlan>();
	const seedClock = new ReadClock(Infinity);
	const clock = new ReadClock(deadlines.readBy);
	const first = saved?.startWith === undefined ? -1 : accountIds.indexOf(saved.startWith);
	const inTurn = first > 0 ? [...accountIds.slice(first), ...accountIds.slice(0, first)] : accountIds;
	let startWith: string | undefined;
	for (const accountId of inTurn) {
		// Past the reading share, the accounts not reached keep their state (and a new one stays unseeded) until the next poll.
		if (startWith === undefined && !clock.more()) startWith = accountId;
		if (startWith !== undefined) continue;
		const state = saved?.accounts[accountId];
		const accountKey = `${stream.key} ${accountId}`;
		if (state === undefined || state.key !== accountKey) {
			// An account's seed reads its whole window whatever the budget: a partial seed would later replay what it missed.
			const { messages } = await readAccount.call(this, accountId, undefined, windowMs, stream.chatId, seedClock);
			next[accountId] = seedState(accountKey, messages, windowMs);
			continue;
		}
		const read = await readAccount.call(this, accountId, state, windowMs, stream.chatId, state.watermark === null ? seedClock : clock);
		if (!read.complete) {
			// A backlog bigger than one poll: this account delivers nothing yet, and reads a smaller, older slice next time.
			next[accountId] = narrowSlice(state, [{ items: read.messages, cursor: null }]);
			continue;
		}
		plans.set(accountId, planPoll(state, read.messages, windowMs, readShareUsed(deadlines, Date.now())));
	}

	const items: INodeExecutionData[] = [];
	const delivered = new Map<string, number>();
	if (saved) {
		const filter = { includeOwnMessages: options.includeOwnMessages === true, includeEvents: options.includeEvents === true };
		// Oldest first across accounts; each account's part of it stays a prefix of its own plan.
		const fresh = [...plans.values()].flatMap((plan) => plan.fresh as Polled[]).sort(oldestFirst);
		let lastItemMs = 0;
		for (const entry of fresh) {
			if (isWanted(entry, filter)) {
				if (items.length > 0 && !hasTimeFor(Date.now(), lastItemMs, deadlines.deliverBy)) break;
				const started = Date.now();
				items.push(await toV2Item.call(this, entry, options));
				lastItemMs = Date.now() - started;
			}
			delivered.set(entry.accountId, (delivered.get(entry.accountId) ?? 0) + 1);
		}
	}
	for (const [accountId, plan] of plans) next[accountId] = plan.through(delivered.get(accountId) ?? 0);

	const state: V2PollState = { version: 1, api: 'v2', key: stream.key, accounts: next };
	if (startWith !== undefined) state.startWith = startWith;
	for (const key of Object.keys(staticData)) delete staticData[key];
	Object.assign(staticData, state);
	return items.length > 0 ? [items] : null;
}
