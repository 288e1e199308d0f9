import {
	currentState,
	hasTimeFor,
	isWanted,
	narrowSlice,
	planPoll,
	pollDeadlines,
	queryAfter,
	queryBefore,
	seedState,
	streamKey,
	topScanComplete,
	type PollState,
	type UnipileMessage,
} from '../nodes/UnipilePollingTrigger/pollState';

const MINUTE = 60_000;
const WINDOW = 60 * MINUTE;
const T0 = Date.parse('2025-03-01T12:00:00.000Z');

function msg(id: string, minutes: number, extra: Partial<UnipileMessage> = {}): UnipileMessage {
	return { id, timestamp: new Date(T0 + minutes * MINUTE).toISOString(), account_id: 'acc-1', is_sender: 0, is_event: 0, ...extra };
}

const KEY = streamKey({});

describe('pollState', () => {
	test('streamKey ignores account order and tells chats from accounts', () => {
		expect(streamKey({ accountIds: ['b', 'a'] })).toBe(streamKey({ accountIds: ['a', 'b'] }));
		expect(streamKey({ chatId: 'c1' })).not.toBe(streamKey({ accountIds: ['c1'] }));
		expect(streamKey({})).toBe(streamKey({ accountIds: [] }));
	});

	test('seeding records the newest timestamp and only the ids inside the window', () => {
		const state = seedState(KEY, [msg('new', 0), msg('mid', -30), msg('edge', -60), msg('old', -90)], WINDOW);
		expect(state).toEqual({
			version: 1,
			key: KEY,
			watermark: new Date(T0).toISOString(),
			seen: { new: T0, mid: T0 - 30 * MINUTE },
			windowMs: WINDOW,
		});
	});

	test('seeding an empty stream leaves no watermark, and the next query reads from the top', () => {
		const state = seedState(KEY, [], WINDOW);
		expect(state.watermark).toBeNull();
		expect(queryAfter(state, WINDOW)).toBeUndefined();
	});

	test('the query starts one window below the watermark, in Unipile date format', () => {
		const state = seedState(KEY, [msg('a', 0)], WINDOW);
		expect(queryAfter(state, WINDOW)).toBe('2025-03-01T11:00:00.000Z');
	});

	test('a poll returns only unseen messages, oldest first, ties broken by id', () => {
		const state = seedState(KEY, [msg('a', 0)], WINDOW);
		const { fresh, next } = planPoll(state, [msg('z', 5), msg('y', 5), msg('x', 2), msg('a', 0), msg('y', 5)], WINDOW);
		expect(fresh.map((m) => m.id)).toEqual(['x', 'y', 'z']);
		expect(next.watermark).toBe(new Date(T0 + 5 * MINUTE).toISOString());
		expect(Object.keys(next.seen).sort()).toEqual(['a', 'x', 'y', 'z']);
	});

	test('a back-filled message older than the watermark but inside the window is new', () => {
		const state = seedState(KEY, [msg('a', 0)], WINDOW);
		const { fresh, next } = planPoll(state, [msg('a', 0), msg('late', -45)], WINDOW);
		expect(fresh.map((m) => m.id)).toEqual(['late']);
		expect(next.watermark).toBe(state.watermark);
	});

	test('a message at or below the query boundary is never taken as new (the server should not return it)', () => {
		const state = seedState(KEY, [msg('a', 0)], WINDOW);
		expect(planPoll(state, [msg('edge', -60), msg('older', -61)], WINDOW).fresh).toEqual([]);
	});

	test('pruning keeps exactly the ids the next query can return', () => {
		let state: PollState = seedState(KEY, [msg('a', 0)], WINDOW);
		({ next: state } = planPoll(state, [msg('b', 30)], WINDOW));
		({ next: state } = planPoll(state, [msg('b', 30), msg('c', 70)], WINDOW));
		// watermark = +70 min: the next query asks for > +10 min, so 'a' (0) goes and 'b' (30) stays.
		expect(state.seen).toEqual({ b: T0 + 30 * MINUTE, c: T0 + 70 * MINUTE });
		expect(queryAfter(state, WINDOW)).toBe(new Date(T0 + 10 * MINUTE).toISOString());
	});

	test('widening the window does not replay the older messages it now reaches', () => {
		const state = seedState(KEY, [msg('a', 0), msg('b', -30), msg('old', -90)], WINDOW);
		const wider = 3 * WINDOW;
		expect(queryAfter(state, wider)).toBe(new Date(T0 - 180 * MINUTE).toISOString());
		const first = planPoll(state, [msg('a', 0), msg('b', -30), msg('old', -90), msg('c', 1)], wider);
		expect(first.fresh.map((m) => m.id)).toEqual(['c']);
		expect(first.next.windowMs).toBe(wider);
		expect(Object.keys(first.next.seen).sort()).toEqual(['a', 'b', 'c', 'old']);
		const second = planPoll(first.next, [msg('a', 0), msg('b', -30), msg('old', -90), msg('c', 1), msg('late', -100)], wider);
		expect(second.fresh.map((m) => m.id)).toEqual(['late']);
	});

	test('narrowing the window keeps working from the smaller boundary', () => {
		const state = seedState(KEY, [msg('a', 0), msg('b', -30)], WINDOW);
		const { fresh, next } = planPoll(state, [msg('a', 0), msg('c', 1)], 10 * MINUTE);
		expect(fresh.map((m) => m.id)).toEqual(['c']);
		expect(Object.keys(next.seen).sort()).toEqual(['a', 'c']);
	});

	test('the watermark never moves backwards, and an empty poll changes nothing', () => {
		const state = seedState(KEY, [msg('a', 0)], WINDOW);
		const { fresh, next } = planPoll(state, [], WINDOW);
		expect(fresh).toEqual([]);
		expect(next).toEqual(state);
	});

	test('without a watermark, a poll takes the window below the newest message it read', () => {
		const state = seedState(KEY, [], WINDOW);
		const { fresh, next } = planPoll(state, [msg('n', 0), msg('m', -10), msg('ancient', -500)], WINDOW);
		expect(fresh.map((m) => m.id)).toEqual(['m', 'n']);
		expect(next.watermark).toBe(new Date(T0).toISOString());
	});

	test('planPoll does not touch the state it is given', () => {
		const state = seedState(KEY, [msg('a', 0)], WINDOW);
		const copy = JSON.parse(JSON.stringify(state));
		planPoll(state, [msg('b', 1)], WINDOW);
		expect(state).toEqual(copy);
	});

	test('messages without id or with an unreadable timestamp are ignored', () => {
		const state = seedState(KEY, [msg('a', 0)], WINDOW);
		const broken = [{ id: 'bad', timestamp: 'yesterday' }, { timestamp: msg('x', 1).timestamp }] as UnipileMessage[];
		expect(planPoll(state, broken, WINDOW).fresh).toEqual([]);
	});

	test('currentState rejects another stream, another version and broken data', () => {
		const state = seedState(KEY, [msg('a', 0)], WINDOW);
		expect(currentState(JSON.parse(JSON.stringify(state)), KEY)).toEqual(state);
		expect(currentState(state, streamKey({ chatId: 'c' }))).toBeUndefined();
		expect(currentState({ ...state, version: 2 }, KEY)).toBeUndefined();
		expect(currentState({ ...state, watermark: 'soon' }, KEY)).toBeUndefined();
		expect(currentState({ ...state, windowMs: undefined }, KEY)).toBeUndefined();
		expect(currentState({}, KEY)).toBeUndefined();
		expect(currentState(undefined, KEY)).toBeUndefined();
	});

	test('topScanComplete stops at the end of the list or once a page reaches past the window', () => {
		expect(topScanComplete([{ items: [msg('a', 0)], cursor: null }], WINDOW)).toBe(true);
		expect(topScanComplete([{ items: [msg('a', 0), msg('b', -59)], cursor: 'c' }], WINDOW)).toBe(false);
		expect(topScanComplete([{ items: [msg('a', 0)], cursor: 'c' }, { items: [msg('b', -60)], cursor: 'd' }], WINDOW)).toBe(true);
		expect(topScanComplete([{ items: [], cursor: 'c' }], WINDOW)).toBe(true);
	});

	test('isWanted: own messages and events only on request; several accounts filtered here', () => {
		const none = { includeOwnMessages: false, includeEvents: false };
		expect(isWanted(msg('a', 0), none)).toBe(true);
		expect(isWanted(msg('a', 0, { is_sender: 1 }), none)).toBe(false);
		expect(isWanted(msg('a', 0, { is_event: 1 }), none)).toBe(false);
		expect(isWanted(msg('a', 0, { is_sender: 1 }), { ...none, includeOwnMessages: true })).toBe(true);
		expect(isWanted(msg('a', 0, { is_event: true }), { ...none, includeEvents: true })).toBe(true);
		expect(isWanted(msg('a', 0, { account_id: 'acc-2' }), { ...none, accountIds: ['acc-1', 'acc-3'] })).toBe(false);
		expect(isWanted(msg('a', 0), { ...none, accountIds: ['acc-1', 'acc-3'] })).toBe(true);
	});

	describe('a backlog bigger than one poll', () => {
		const start = (): PollState => seedState(KEY, [msg('a', 0)], WINDOW);

		test('delivering only the oldest fresh messages moves the watermark past them alone', () => {
			const state = start();
			const plan = planPoll(state, [msg('d', 3), msg('b', 1), msg('c', 2)], WINDOW);
			expect(plan.fresh.map((m) => m.id)).toEqual(['b', 'c', 'd']);
			const part = plan.through(2);
			expect(part.watermark).toBe(msg('c', 2).timestamp);
			expect(Object.keys(part.seen).sort()).toEqual(['a', 'b', 'c']);
			// The next poll returns d again and it is the only fresh one.
			expect(planPoll(part, [msg('b', 1), msg('c', 2), msg('d', 3)], WINDOW).fresh.map((m) => m.id)).toEqual(['d']);
			expect(plan.through(0)).toEqual(state);
			expect(plan.through(3)).toEqual(plan.next);
		});

		test('a cut at a shared timestamp leaves the undelivered twin for the next poll', () => {
			const plan = planPoll(start(), [msg('b', 1), msg('c', 1)], WINDOW);
			const part = plan.through(1);
			expect(planPoll(part, [msg('b', 1), msg('c', 1)], WINDOW).fresh.map((m) => m.id)).toEqual(['c']);
		});

		test('a read cut short narrows the next query to an older slice, without moving the watermark', () => {
			const state = start();
			const pages = [{ items: [msg('z', 100), msg('y', 80)], cursor: 'next' }];
			const narrowed = narrowSlice(state, pages);
			expect(narrowed.watermark).toBe(state.watermark);
			expect(narrowed.seen).toEqual(state.seen);
			expect(narrowed.sliceMs).toBe(10 * MINUTE);
			expect(queryBefore(narrowed)).toBe(msg('x', 10).timestamp);
			expect(queryBefore(state)).toBeUndefined();
			// Failing again: half of what that read spanned, and at most half the slice that failed.
			expect(narrowSlice(narrowed, [{ items: [msg('x', 9.5), msg('w', 0.5)], cursor: 'next' }]).sliceMs).toBe(4.5 * MINUTE);
		});

		test('a completed slice widens, and reading goes unbounded once the slice passed the backlog', () => {
			const narrowed = narrowSlice(start(), [{ items: [msg('z', 100), msg('y', 80)], cursor: 'next' }]);
			const widened = planPoll(narrowed, [msg('b', 5)], WINDOW, 0.1).next;
			expect(widened.watermark).toBe(msg('b', 5).timestamp);
			expect(widened.sliceMs).toBe(40 * MINUTE);
			const far = { ...narrowed, sliceMs: 200 * MINUTE };
			expect(planPoll(far, [msg('b', 5)], WINDOW, 0.1).next.sliceMs).toBeUndefined();
		});

		test('widening stops short of a bound that failed: it bisects towards it', () => {
			const failed = narrowSlice(start(), [{ items: [msg('z', 100), msg('y', 80)], cursor: 'next' }]);
			const again = narrowSlice({ ...failed, sliceMs: 30 * MINUTE }, [{ items: [msg('x', 29), msg('w', 27)], cursor: 'next' }]);
			expect(again.failedBefore).toBe(msg('v', 30).timestamp);
			// Below the failed bound it widens 4× as usual: from a 1-minute slice to 4 minutes.
			expect(queryBefore(planPoll(again, [], WINDOW, 0.01).next)).toBe(msg('u', 4).timestamp);
			// From 10 minutes, 4× would pass minute 30, which failed: halfway between 10 and 30 instead.
			expect(queryBefore(planPoll({ ...again, sliceMs: 10 * MINUTE }, [], WINDOW, 0.01).next)).toBe(msg('u', 20).timestamp);
		});

		test('a malformed slice in saved state is dropped, the rest kept', () => {
			const state = { ...start(), sliceMs: 'x', backlogUntil: 3 };
			const current = currentState(state, KEY)!;
			expect(current.watermark).toBe(start().watermark);
			expect(current).not.toHaveProperty('sliceMs');
		});

		test('deadlines come from the budget; no budget means none', () => {
			expect(pollDeadlines(1000, 2000)).toEqual({ startedAt: 1000, readBy: 2000, deliverBy: 2600 });
			expect(pollDeadlines(1000, undefined).readBy).toBe(Infinity);
			expect(hasTimeFor(1500, 400, 2000)).toBe(true);
			expect(hasTimeFor(1700, 400, 2000)).toBe(false);
		});
	});
});
