/**
 * The trigger's memory between polls, as pure functions (no I/O) so every rule can be tested on its own.
 *
 * The watermark is the newest message timestamp ever returned; it moves only from data, never from the clock,
 * so a slow poll, a clock skew or a paused workflow cannot skip a message. Each poll asks for everything after
 * `watermark − window` and drops what `seen` already holds; `seen` keeps exactly the ids the next query can return.
 */

export interface UnipileMessage {
	id: string;
	timestamp: string;
	account_id?: string;
	is_sender?: number | boolean;
	is_event?: number | boolean;
	[key: string]: unknown;
}

export interface PollState {
	version: 1;
	/** What shapes the query (accounts, chat): when it changes, the state describes another stream. */
	key: string;
	/** Newest message timestamp seen (ISO, ms, UTC), or null while the stream has never held a message. */
	watermark: string | null;
	/** Ids already handled whose timestamp is inside the window, with their timestamp in ms. */
	seen: Record<string, number>;
	/** The window `seen` was kept for: if the user widens it, the newly covered older messages are not new. */
	windowMs: number;
}

export interface MessagePage {
	items: UnipileMessage[];
	cursor: string | null;
}

export function streamKey(query: { chatId?: string; accountIds?: string[] }): string {
	if (query.chatId) return `chat:${query.chatId}`;
	return `accounts:${[...(query.accountIds ?? [])].sort().join(',')}`;
}

function timeOf(message: UnipileMessage): number {
	return Date.parse(message.timestamp);
}

/** The saved state if it belongs to this stream; undefined means the trigger must seed again. */
export function currentState(saved: unknown, key: string): PollState | undefined {
	if (typeof saved !== 'object' || saved === null) return undefined;
	const state = saved as Partial<PollState>;
	if (state.version !== 1 || state.key !== key) return undefined;
	if (typeof state.seen !== 'object' || state.seen === null) return undefined;
	if (typeof state.windowMs !== 'number' || !(state.windowMs > 0)) return undefined;
	if (state.watermark !== null && (typeof state.watermark !== 'string' || !Number.isFinite(Date.parse(state.watermark)))) {
		return undefined;
	}
	return state as PollState;
}

/** The exclusive lower bound of the next query; undefined when there is no watermark yet (read from the top). */
export function queryAfter(state: PollState, windowMs: number): string | undefined {
	if (state.watermark === null) return undefined;
	return new Date(Date.parse(state.watermark) - windowMs).toISOString();
}

/**
 * Reading newest-first from the top (no `after`): enough once a page reaches past the window of the newest
 * message read so far, or the list ends.
 */
export function topScanComplete(pages: MessagePage[], windowMs: number): boolean {
	const last = pages[pages.length - 1];
	if (!last || last.cursor === null || last.items.length === 0) return true;
	const times = pages.flatMap((page) => page.items.map(timeOf)).filter(Number.isFinite);
	if (times.length === 0) return false;
	const newest = Math.max(...times);
	const oldestOnLastPage = Math.min(...last.items.map(timeOf).filter(Number.isFinite));
	return oldestOnLastPage <= newest - windowMs;
}

function uniqueById(messages: UnipileMessage[]): UnipileMessage[] {
	const byId = new Map<string, UnipileMessage>();
	for (const message of messages) {
		if (typeof message?.id !== 'string' || !Number.isFinite(timeOf(message))) continue;
		if (!byId.has(message.id)) byId.set(message.id, message);
	}
	return [...byId.values()];
}

function oldestFirst(a: UnipileMessage, b: UnipileMessage): number {
	return timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function nextState(key: string, watermarkMs: number | undefined, seen: Record<string, number>, windowMs: number): PollState {
	if (watermarkMs === undefined) return { version: 1, key, watermark: null, seen: {}, windowMs };
	const kept: Record<string, number> = {};
	// Same boundary as the next query's `after`: every id the next query can return is still here.
	for (const [id, ms] of Object.entries(seen)) if (ms > watermarkMs - windowMs) kept[id] = ms;
	return { version: 1, key, watermark: new Date(watermarkMs).toISOString(), seen: kept, windowMs };
}

function newest(messages: UnipileMessage[]): number | undefined {
	return messages.length === 0 ? undefined : Math.max(...messages.map(timeOf));
}

/** First activation (or a changed stream): everything already there counts as seen. */
export function seedState(key: string, messages: UnipileMessage[], windowMs: number): PollState {
	const unique = uniqueById(messages);
	const seen: Record<string, number> = {};
	for (const message of unique) seen[message.id] = timeOf(message);
	return nextState(key, newest(unique), seen, windowMs);
}

/**
 * One poll's outcome from everything its query returned: the messages never seen before (oldest first)
 * and the state to save once they are delivered.
 */
export function planPoll(
	state: PollState,
	messages: UnipileMessage[],
	windowMs: number,
): { fresh: UnipileMessage[]; next: PollState } {
	const unique = uniqueById(messages);
	const previousMs = state.watermark === null ? undefined : Date.parse(state.watermark);
	const returnedMs = newest(unique);
	const watermarkMs =
		previousMs === undefined ? returnedMs : returnedMs === undefined ? previousMs : Math.max(previousMs, returnedMs);
	// Without a watermark the query read from the top: only the window below the newest message counts as new.
	// A window widened since the last poll reaches back over messages that were already there: not new either.
	const lowerBound =
		previousMs !== undefined ? previousMs - Math.min(windowMs, state.windowMs) : (returnedMs ?? 0) - windowMs;
	const fresh = unique.filter((m) => timeOf(m) > lowerBound && !(m.id in state.seen)).sort(oldestFirst);
	const seen = { ...state.seen };
	for (const message of unique) seen[message.id] = timeOf(message);
	return { fresh, next: nextState(state.key, watermarkMs, seen, windowMs) };
}

export interface MessageFilter {
	includeOwnMessages: boolean;
	includeEvents: boolean;
	/** Several watched accounts are filtered here, not by the server, so an idle poll stays one request. */
	accountIds?: string[];
}

function flag(value: unknown): boolean {
	return value === 1 || value === true || value === '1' || value === 'true';
}

export function isWanted(message: UnipileMessage, filter: MessageFilter): boolean {
	if (!filter.includeOwnMessages && flag(message.is_sender)) return false;
	if (!filter.includeEvents && flag(message.is_event)) return false;
	if (filter.accountIds && filter.accountIds.length > 0 && !filter.accountIds.includes(String(message.account_id))) {
		return false;
	}
	return true;
}
