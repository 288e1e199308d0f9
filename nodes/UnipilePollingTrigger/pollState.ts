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
	/**
	 * Catching up on a backlog too big for one poll's time budget: the query stops `sliceMs` above the watermark,
	 * so the oldest messages come first, until the slice reaches past `backlogUntil` (the newest message a cut-short
	 * read saw). Absent when the whole stream fits in a poll.
	 */
	sliceMs?: number;
	backlogUntil?: string;
	/** The lowest `before` bound a read could not finish within its budget: widening stops short of it. */
	failedBefore?: string;
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
	const sliced = typeof state.sliceMs === 'number' && state.sliceMs >= MIN_SLICE_MS && typeof state.backlogUntil === 'string';
	if (!sliced && (state.sliceMs !== undefined || state.backlogUntil !== undefined)) {
		// A malformed slice only costs speed: read unbounded and let the budget narrow it again.
		const unsliced = { ...state };
		delete unsliced.sliceMs;
		delete unsliced.backlogUntil;
		delete unsliced.failedBefore;
		return unsliced as PollState;
	}
	return state as PollState;
}

/** The exclusive lower bound of the next query; undefined when there is no watermark yet (read from the top). */
export function queryAfter(state: PollState, windowMs: number): string | undefined {
	if (state.watermark === null) return undefined;
	return new Date(Date.parse(state.watermark) - windowMs).toISOString();
}

/** The narrowest slice: `after` and `before` are exclusive, so 2 ms above the watermark still holds one millisecond. */
export const MIN_SLICE_MS = 2;

/** The exclusive upper bound of the next query while catching up on a backlog; undefined when unbounded. */
export function queryBefore(state: PollState): string | undefined {
	if (state.watermark === null || state.sliceMs === undefined) return undefined;
	return new Date(Date.parse(state.watermark) + state.sliceMs).toISOString();
}

/**
 * A read the time budget cut short delivers nothing (Unipile pages newest-first, so the oldest messages were not
 * reached yet) and moves no watermark: the next poll reads a slice above the watermark about half as big as what
 * this read managed, so it completes and delivers the oldest messages first.
 */
export function narrowSlice(state: PollState, pages: MessagePage[]): PollState {
	if (state.watermark === null) return state;
	const watermarkMs = Date.parse(state.watermark);
	const above = pages
		.flatMap((page) => page.items.map(timeOf))
		.filter((ms) => Number.isFinite(ms) && ms > watermarkMs);
	const current = state.sliceMs ?? Infinity;
	let sliceMs: number;
	if (above.length > 0) {
		const low = Math.min(...above);
		const top = Math.max(...above);
		// Read `above.length` messages over [low, top]; half of that span holds about half as many.
		sliceMs = Math.min(Math.floor((top - low + 1) / 2), Math.floor(current / 2));
	} else {
		sliceMs = Number.isFinite(current) ? Math.floor(current / 2) : MIN_SLICE_MS;
	}
	const seenTop = above.length > 0 ? Math.max(...above) : watermarkMs;
	const untilMs = Math.max(seenTop, state.backlogUntil ? Date.parse(state.backlogUntil) : -Infinity);
	const failedMs = Math.min(
		Number.isFinite(current) ? watermarkMs + current : seenTop + 1,
		state.failedBefore ? Date.parse(state.failedBefore) : Infinity,
	);
	return {
		...state,
		sliceMs: Math.max(MIN_SLICE_MS, sliceMs),
		backlogUntil: new Date(untilMs).toISOString(),
		failedBefore: new Date(failedMs).toISOString(),
	};
}

/**
 * After a slice was read and delivered in full: read unbounded again once it covered the backlog, else widen it
 * by how much of the reading share it left unused (up to 4×, never narrower), so quiet hours are crossed fast.
 */
function widenSlice(next: PollState, previous: PollState, readShareUsed: number): PollState {
	if (previous.sliceMs === undefined || previous.backlogUntil === undefined || previous.watermark === null) return next;
	const reachedMs = Date.parse(previous.watermark) + previous.sliceMs;
	if (reachedMs > Date.parse(previous.backlogUntil)) return next;
	const factor = Math.min(4, Math.max(1, 0.7 / Math.max(readShareUsed, 0.01)));
	const nextMs = next.watermark === null ? Date.parse(previous.watermark) : Date.parse(next.watermark);
	let beforeMs = nextMs + Math.floor(previous.sliceMs * factor);
	let failedBefore = previous.failedBefore;
	if (failedBefore !== undefined) {
		// Bisect between the bound that just worked and the one that did not, rather than jump past it again.
		const failedMs = Date.parse(failedBefore);
		if (failedMs - reachedMs <= MIN_SLICE_MS) failedBefore = undefined;
		else if (beforeMs >= failedMs) beforeMs = reachedMs + Math.floor((failedMs - reachedMs) / 2);
	}
	const widened: PollState = { ...next, sliceMs: Math.max(MIN_SLICE_MS, beforeMs - nextMs), backlogUntil: previous.backlogUntil };
	if (failedBefore !== undefined) widened.failedBefore = failedBefore;
	return widened;
}

function keepSlice(next: PollState, previous: PollState): PollState {
	if (previous.sliceMs === undefined || previous.backlogUntil === undefined) return next;
	const kept: PollState = { ...next, sliceMs: previous.sliceMs, backlogUntil: previous.backlogUntil };
	if (previous.failedBefore !== undefined) kept.failedBefore = previous.failedBefore;
	return kept;
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

export interface PollPlan {
	/** Messages never seen before, oldest first. */
	fresh: UnipileMessage[];
	/** The state to save once every fresh message is delivered. */
	next: PollState;
	/**
	 * The state to save when only the oldest `count` fresh messages were delivered (the budget ran out): the
	 * watermark moves only past them, and the rest stay unseen, so the next poll delivers them.
	 */
	through(count: number): PollState;
}

/**
 * One poll's outcome from everything its query returned (the complete answer to that query): the messages
 * never seen before (oldest first) and the state to save once they, or the oldest of them, are delivered.
 */
export function planPoll(
	state: PollState,
	messages: UnipileMessage[],
	windowMs: number,
	/** The part of the poll's reading share this read used (0 when the poll has no budget). */
	readShareUsed = 0,
): PollPlan {
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
	const next = widenSlice(nextState(state.key, watermarkMs, seen, windowMs), state, readShareUsed);
	function through(count: number): PollState {
		if (count >= fresh.length) return next;
		const undelivered = new Set(fresh.slice(Math.max(0, count)).map((m) => m.id));
		const partSeen = { ...state.seen };
		// Everything else this complete answer held is handled: older than the cut, or already seen.
		for (const message of unique) if (!undelivered.has(message.id)) partSeen[message.id] = timeOf(message);
		const lastMs = count > 0 ? timeOf(fresh[count - 1]) : undefined;
		const partMs =
			previousMs === undefined ? lastMs : lastMs === undefined ? previousMs : Math.max(previousMs, lastMs);
		return keepSlice(nextState(state.key, partMs, partSeen, windowMs), state);
	}
	return { fresh, next, through };
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

/**
 * Shares of the poll's time budget (n8n 2.41's `getPollBudgetMs`; a poll that overruns it is not committed):
 * reading stops by half of it, so a cut-short read still leaves room; downloads and hand-over stop by 80 %.
 */
export const READ_SHARE = 0.5;
export const DELIVER_SHARE = 0.8;

export interface PollDeadlines {
	startedAt: number;
	readBy: number;
	deliverBy: number;
}

/** Absolute deadlines (ms since epoch) from the poll's start and budget; no budget (older n8n) means none. */
export function pollDeadlines(startMs: number, budgetMs: number | undefined): PollDeadlines {
	if (typeof budgetMs !== 'number' || !Number.isFinite(budgetMs) || budgetMs <= 0) {
		return { startedAt: startMs, readBy: Infinity, deliverBy: Infinity };
	}
	return { startedAt: startMs, readBy: startMs + budgetMs * READ_SHARE, deliverBy: startMs + budgetMs * DELIVER_SHARE };
}

/** The part of the reading share used by `nowMs` (0 without a budget). */
export function readShareUsed(deadlines: PollDeadlines, nowMs: number): number {
	if (!Number.isFinite(deadlines.readBy)) return 0;
	return (nowMs - deadlines.startedAt) / Math.max(1, deadlines.readBy - deadlines.startedAt);
}

/** Whether one more step as long as the last one still ends by the deadline. */
export function hasTimeFor(nowMs: number, lastStepMs: number, deadlineMs: number): boolean {
	return nowMs + Math.max(0, lastStepMs) <= deadlineMs;
}
