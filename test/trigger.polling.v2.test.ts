/**
 * The polling property test on Unipile API v2, with the same generator and assertions as v1's
 * (helpers/pollingProperty.ts): per watched account the trigger reads its chats newest activity first and each
 * active chat's messages after its floor. Every wanted message exactly once, oldest first within a poll, back-fills
 * inside the window delivered and outside it not, a failed poll changes nothing.
 */
import type { IDataObject } from 'n8n-workflow';
import { describePollingProperty, type PollWorld } from './helpers/pollingProperty';
import { startSandbox, type Sandbox } from './sandbox/server';

const SCENARIOS = Number(process.env.TRIGGER_SCENARIOS ?? 220);

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ chats: 2, messagesPerChat: 1, v2: { chatsPerAccount: 2, messagesPerChat: 2 } });
});
afterAll(async () => await sandbox.close());

interface AccountState {
	watermark: string | null;
	seen: Record<string, number>;
}

function accountStates(state: IDataObject): Record<string, AccountState> {
	return (state.accounts ?? {}) as Record<string, AccountState>;
}

/** v2: chats and messages per account, one watermark per account, message ids unique per chat. */
function v2World(): PollWorld {
	const store = sandbox.v2.env.store;
	const allMessages = () => [...store.chats.values()].flatMap((rec) => rec.messages);
	return {
		sandbox,
		credentials: { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url },
		parameters: { authentication: 'unipileApiV2' },
		chats: () =>
			[...store.chats.values()]
				.map((rec) => ({ id: rec.chat.id, account_id: rec.accountId }))
				.sort((a, b) => (`${a.account_id} ${a.id}` < `${b.account_id} ${b.id}` ? -1 : 1)),
		newestMs: () => Math.max(...allMessages().map((m) => Date.parse(m.timestamp))),
		messageCount: () => allMessages().length,
		inject(chat, input) {
			const m = sandbox.v2.injectMessage({ accountId: chat.account_id, chatId: chat.id, timestamp: input.timestamp, isSender: input.isSender, isEvent: input.isEvent, text: 'p' });
			return { key: `${m.chat_id} ${m.id}`, account_id: chat.account_id, chat_id: m.chat_id, timestamp: m.timestamp, is_sender: m.is_sender, is_event: m.is_event };
		},
		chatParameters: (chat) => ({ chatId: chat.id, accountIds: [chat.account_id] }),
		itemKey: (json) => `${String(json.chat_id)} ${String(json.id)}`,
		pagePath: /^\/v2\/[^/]+\/chats(\/[^/]+\/messages)?$/,
		watermark(state, accountId) {
			const states = accountStates(state);
			const marks = (accountId === undefined ? Object.values(states) : [states[accountId]])
				.map((s) => (typeof s?.watermark === 'string' ? Date.parse(s.watermark) : NaN))
				.filter(Number.isFinite);
			return marks.length > 0 ? Math.max(...marks) : undefined;
		},
		streamStates: (state) => Object.values(accountStates(state)),
	};
}

describePollingProperty('v2', v2World, SCENARIOS);
