import type { IDataObject } from 'n8n-workflow';
import { pollHarness } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

const MINUTE = 60_000;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 6, messagesPerChat: 2 });
});
afterAll(async () => await sandbox.close());

test('the saved state holds only the ids inside the window, however long the trigger runs', async () => {
	const lookbackMinutes = 5;
	const harness = pollHarness({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, parameters: { options: { lookbackMinutes } } });
	expect(await harness.poll()).toBeNull();
	const chats = sandbox.store.sortedChats();
	let clock = Math.max(...sandbox.store.messages.map((m) => Date.parse(m.timestamp))) + MINUTE;
	const timestamps: number[] = [];
	let emitted = 0;
	let largestState = 0;
	// 6 hours of traffic, one poll a minute, 0–40 messages a minute: thousands of messages in all.
	for (let minute = 0; minute < 360; minute++) {
		const count = (minute * 7919) % 41;
		for (let i = 0; i < count; i++) {
			clock += Math.floor(MINUTE / (count + 1));
			sandbox.injectMessage({ chatId: chats[(minute + i) % chats.length].id, timestamp: new Date(clock).toISOString() });
			timestamps.push(clock);
		}
		clock += 1000;
		emitted += (await harness.poll())?.[0].length ?? 0;
		largestState = Math.max(largestState, JSON.stringify(harness.staticData()).length);
	}
	expect(emitted).toBe(timestamps.length);
	expect(timestamps.length).toBeGreaterThan(5_000);

	const state = harness.staticData();
	const watermark = Date.parse(String(state.watermark));
	const seen = state.seen as IDataObject;
	const inWindow = timestamps.filter((t) => t > watermark - lookbackMinutes * MINUTE).length;
	expect(Object.keys(seen)).toHaveLength(inWindow);
	for (const ms of Object.values(seen)) expect(Number(ms)).toBeGreaterThan(watermark - lookbackMinutes * MINUTE);
	// Bounded by one window of traffic (at most 40 messages a minute here), about 40 bytes an id, not by the history.
	const idsPerWindowAtMost = 40 * (lookbackMinutes + 1);
	expect(largestState).toBeLessThan(200 + idsPerWindowAtMost * 50);
	process.stdout.write(`state size: ${timestamps.length} messages over 6 h, seen ${Object.keys(seen).length} ids, largest state ${largestState} bytes\n`);
}, 60_000);
