/**
 * A backlog bigger than one poll: after a long outage, 50,000 new messages wait. n8n 2.41 gives each poll a time
 * budget (PollContext's getPollBudgetMs, from N8N_SCHEDULER_POLL_TIMEOUT) and does not commit a poll that overruns
 * it. Through the real PollContext with a budget set, and a sandbox that answers slowly so the budget bites in a
 * short test: every message is emitted exactly once, oldest first across polls, and no poll overruns its budget.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { pollHarness } from './harness/engine';
import { startSandbox, type Message, type Sandbox } from './sandbox/server';

const BACKLOG = Number(process.env.TRIGGER_BACKLOG ?? 50_000);
const BUDGET_MS = 2_000;

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ chats: 6, messagesPerChat: 2 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
});

function trigger(parameters: Record<string, unknown>) {
	return pollHarness({
		credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey },
		parameters: parameters as never,
		pollBudgetMs: BUDGET_MS,
	});
}

const byAge = (a: Pick<Message, 'timestamp' | 'id'>, b: Pick<Message, 'timestamp' | 'id'>) =>
	Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Polls until one emits nothing after everything expected came out; returns every emitted message in order. */
async function drain(harness: ReturnType<typeof trigger>, expected: number, maxPolls: number) {
	const emitted: INodeExecutionData[] = [];
	const perPoll: number[] = [];
	for (let poll = 0; poll < maxPolls; poll++) {
		const result = await harness.poll();
		const items = result?.[0] ?? [];
		perPoll.push(items.length);
		emitted.push(...items);
		if (items.length === 0 && emitted.length >= expected) break;
	}
	return { emitted, perPoll };
}

function expectExactlyOnceOldestFirst(emitted: INodeExecutionData[], expected: Message[]) {
	const ids = emitted.map((item) => String(item.json.id));
	expect(new Set(ids).size).toBe(ids.length);
	expect(ids.length).toBe(expected.length);
	expect(ids).toEqual([...expected].sort(byAge).map((m) => m.id));
}

describe('Unipile Polling Trigger: a backlog bigger than one poll', () => {
	test(`${BACKLOG} messages after an outage: each exactly once, oldest first, no poll over its budget`, async () => {
		// Five minutes of lookback is to this 2 s budget roughly what n8n's default 60 minutes is to its 45 s.
		const harness = trigger({ options: { lookbackMinutes: 5 } });
		expect(await harness.poll()).toBeNull();

		// Mostly a second apart, bursts sharing one millisecond, three quiet hours every 1,500 messages.
		let clock = Math.max(...sandbox.store.messages.map((m) => Date.parse(m.timestamp))) + 1000;
		const chats = sandbox.store.sortedChats();
		const backlog: Message[] = [];
		for (let i = 0; i < BACKLOG; i++) {
			if (i % 7 !== 0) clock += i % 1500 === 1 ? 3 * 3_600_000 : 1 + (i % 1900);
			backlog.push(sandbox.injectMessage({ chatId: chats[i % chats.length].id, timestamp: new Date(clock).toISOString(), text: `b${i}` }));
		}
		sandbox.injectFault({ method: 'GET', path: '/messages', delayMs: 40, times: 1_000_000 });
		sandbox.clearRequests();

		const { emitted, perPoll } = await drain(harness, BACKLOG, 400);
		expectExactlyOnceOldestFirst(emitted, backlog);
		const overBudget = harness.durations.filter((ms) => ms > BUDGET_MS);
		expect(overBudget).toEqual([]);
		// The budget really bit: no single poll could read it all.
		expect(Math.max(...perPoll)).toBeLessThan(BACKLOG);
		const pages = sandbox.requests.filter((r) => r.path === '/messages').length;
		// eslint-disable-next-line no-console
		console.log(
			`backlog ${BACKLOG}: ${perPoll.length} polls (${perPoll.filter((n) => n > 0).length} emitting, ` +
				`largest ${Math.max(...perPoll)}), ${pages} pages, longest poll ${Math.max(...harness.durations)} ms of ${BUDGET_MS} ms`,
		);
		// Caught up: the trigger reads unbounded again, and the next message comes out alone.
		expect(harness.staticData().sliceMs).toBeUndefined();
		const late = sandbox.injectMessage({ chatId: chats[0].id, timestamp: new Date(clock + 1000).toISOString(), text: 'after' });
		expect((await harness.poll())?.[0].map((item) => item.json.id)).toEqual([late.id]);
		expect(await harness.poll()).toBeNull();
		expect(harness.durations.filter((ms) => ms > BUDGET_MS)).toEqual([]);
	}, 300_000);

	test('slow attachment downloads: each poll delivers the oldest messages it could fetch files for, the rest next time', async () => {
		const harness = trigger({ options: { downloadAttachments: true } });
		expect(await harness.poll()).toBeNull();
		const chat = sandbox.store.sortedChats()[0];
		let clock = Math.max(...sandbox.store.messages.map((m) => Date.parse(m.timestamp))) + 1000;
		const sent: Message[] = [];
		for (let i = 0; i < 12; i++) {
			if (i % 3 !== 0) clock += 500;
			const bytes = Buffer.from(`file ${i}`);
			sent.push(sandbox.injectMessage({ chatId: chat.id, timestamp: new Date(clock).toISOString(), attachments: [{ fileName: `f${i}.txt`, mimeType: 'text/plain', bytes }] }));
		}
		// 300 ms a file: twelve files are more than 80 % of a 2 s budget.
		sandbox.injectFault({ method: 'GET', path: /\/attachments\//, delayMs: 300, times: 1_000 });

		const { emitted, perPoll } = await drain(harness, sent.length, 20);
		expectExactlyOnceOldestFirst(emitted, sent);
		expect(perPoll.filter((n) => n > 0).length).toBeGreaterThan(1);
		expect(emitted.map((item) => item.binary?.attachment_0?.fileName)).toEqual([...sent].sort(byAge).map((m) => `f${sent.indexOf(m)}.txt`));
		expect(harness.durations.filter((ms) => ms > BUDGET_MS)).toEqual([]);
	}, 60_000);
});
