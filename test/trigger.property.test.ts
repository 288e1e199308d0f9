/**
 * Randomized property test of the Unipile Polling Trigger on Unipile API v1 (the generator and its assertions are in
 * helpers/pollingProperty.ts, shared with the v2 run in trigger.polling.v2.test.ts): every wanted message is emitted
 * exactly once, oldest first within a poll, and a failed poll leaves the saved state as it was.
 */
import { describePollingProperty, type PollWorld } from './helpers/pollingProperty';
import { startSandbox, type Sandbox } from './sandbox/server';

const SCENARIOS = Number(process.env.TRIGGER_SCENARIOS ?? 220);

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ chats: 6, messagesPerChat: 2 });
});
afterAll(async () => await sandbox.close());

/** v1: one list of every message (`GET /messages`), one watermark for the stream. */
function v1World(): PollWorld {
	return {
		sandbox,
		credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey },
		parameters: {},
		chats: () => sandbox.store.sortedChats().map((c) => ({ id: c.id, account_id: c.account_id })),
		newestMs: () => Math.max(...sandbox.store.messages.map((m) => Date.parse(m.timestamp))),
		messageCount: () => sandbox.store.messages.length,
		inject(chat, input) {
			const m = sandbox.injectMessage({ chatId: chat.id, timestamp: input.timestamp, isSender: input.isSender, isEvent: input.isEvent, text: 'p' });
			return { key: m.id, account_id: m.account_id, chat_id: m.chat_id, timestamp: m.timestamp, is_sender: m.is_sender === 1, is_event: m.is_event === 1 };
		},
		chatParameters: (chat) => ({ chatId: chat.id }),
		itemKey: (json) => String(json.id),
		pagePath: /messages$/,
		watermark(state) {
			return typeof state.watermark === 'string' ? Date.parse(state.watermark) : undefined;
		},
		streamStates: (state) => [{ watermark: state.watermark, seen: state.seen as Record<string, number> }],
	};
}

describePollingProperty('v1', v1World, SCENARIOS);

