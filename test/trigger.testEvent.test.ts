/**
 * "Fetch Test Event" (the Polling Trigger in manual mode, through n8n-core's PollContext) gives the latest message a
 * real poll would start on: Include My Own Messages and Include Events apply as in a poll, on v1 and on v2; when no
 * recent message passes, n8n shows why instead of a sample. The state is never touched.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { pollHarness } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	// Enough chats that every account has some; the seeded messages are older than the ones each test injects.
	sandbox = await startSandbox({ chats: 30, messagesPerChat: 1 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearRequests();
});

const MINUTE = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
const text = (result: Awaited<ReturnType<ReturnType<typeof pollHarness>['poll']>>) => (result?.[0] ?? []).map((item) => String((item.json as IDataObject).text));

const v1 = (parameters: INodeParameters) => pollHarness({ credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey }, parameters });
const v2 = (parameters: INodeParameters) => pollHarness({ credentials: { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url }, parameters: { authentication: 'unipileApiV2', ...parameters } });
const v2Account = (provider: string) => sandbox.v2.accounts.find((a) => a.provider === provider && a.status === 'running')!.id;

describe('v1: the sample passes the trigger filters', () => {
	test('my own newest message is skipped (Include My Own Messages off), and given when it is on; state untouched', async () => {
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'from them', timestamp: ago(2) });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'mine', timestamp: ago(1), isSender: true });
		const off = v1({ accountIds: ['acc_whatsapp_1'] });
		expect(text(await off.poll('manual'))).toEqual(['from them']);
		expect(off.staticData()).toEqual({});
		expect(text(await v1({ accountIds: ['acc_whatsapp_1'], options: { includeOwnMessages: true } }).poll('manual'))).toEqual(['mine']);
	});

	test('an event is skipped unless Include Events is on', async () => {
		sandbox.injectMessage({ accountId: 'acc_telegram_1', text: 'hello', timestamp: ago(2) });
		sandbox.injectMessage({ accountId: 'acc_telegram_1', text: 'reaction', timestamp: ago(1), isEvent: true });
		expect(text(await v1({ accountIds: ['acc_telegram_1'] }).poll('manual'))).toEqual(['hello']);
		expect(text(await v1({ accountIds: ['acc_telegram_1'], options: { includeEvents: true } }).poll('manual'))).toEqual(['reaction']);
	});

	test('several accounts: the newest wanted message across them', async () => {
		sandbox.injectMessage({ accountId: 'acc_linkedin_1', text: 'linkedin', timestamp: ago(3) });
		sandbox.injectMessage({ accountId: 'acc_telegram_1', text: 'telegram mine', timestamp: ago(1), isSender: true });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'whatsapp, not watched', timestamp: ago(0.5) });
		expect(text(await v1({ accountIds: ['acc_telegram_1', 'acc_linkedin_1'] }).poll('manual'))).toEqual(['linkedin']);
	});

	test('no recent message passes: n8n shows why, not a sample', async () => {
		const empty = await startSandbox({ chats: 1, messagesPerChat: 0 });
		try {
			empty.injectMessage({ accountId: 'acc_whatsapp_1', text: 'mine', isSender: true });
			const harness = pollHarness({ credentials: { dsn: empty.url, apiKey: empty.apiKey }, parameters: { accountIds: ['acc_whatsapp_1'] } });
			await expect(harness.poll('manual')).rejects.toThrow("No recent message matched the trigger's filters");
			expect(harness.staticData()).toEqual({});
		} finally {
			await empty.close();
		}
	});
});

describe('v2: the sample passes the trigger filters', () => {
	test('my own newest message is skipped (Include My Own Messages off), and given when it is on; state untouched', async () => {
		const accountId = v2Account('whatsapp');
		const [chatA, chatB] = sandbox.v2.env.store.chatsOf(accountId);
		sandbox.v2.injectMessage({ accountId, chatId: chatA.chat.id, text: 'from them', timestamp: ago(2) });
		sandbox.v2.injectMessage({ accountId, chatId: chatB.chat.id, text: 'mine', timestamp: ago(1), isSender: true });
		const off = v2({ accountIds: [accountId] });
		expect(text(await off.poll('manual'))).toEqual(['from them']);
		expect(off.staticData()).toEqual({});
		expect(text(await v2({ accountIds: [accountId], options: { includeOwnMessages: true } }).poll('manual'))).toEqual(['mine']);
	});

	test('in one chat: the newest message that is not mine and not an event', async () => {
		const accountId = v2Account('telegram');
		const [chat] = sandbox.v2.env.store.chatsOf(accountId);
		sandbox.v2.injectMessage({ accountId, chatId: chat.chat.id, text: 'hello', timestamp: ago(3) });
		sandbox.v2.injectMessage({ accountId, chatId: chat.chat.id, text: 'reaction', timestamp: ago(2), isEvent: true });
		sandbox.v2.injectMessage({ accountId, chatId: chat.chat.id, text: 'mine', timestamp: ago(1), isSender: true });
		const chatId = { __rl: true, mode: 'id', value: chat.chat.id };
		expect(text(await v2({ accountIds: [accountId], chatId }).poll('manual'))).toEqual(['hello']);
		expect(text(await v2({ accountIds: [accountId], chatId, options: { includeEvents: true } }).poll('manual'))).toEqual(['reaction']);
	});

	test('no recent message passes: n8n shows why, not a sample', async () => {
		const empty = await startSandbox({ chats: 1, messagesPerChat: 0, v2: { chatsPerAccount: 1, messagesPerChat: 0 } });
		try {
			const accountId = empty.v2.accounts.find((a) => a.provider === 'telegram' && a.status === 'running')!.id;
			empty.v2.injectMessage({ accountId, text: 'mine', isSender: true });
			const harness = pollHarness({ credentials: { apiKey: empty.v2.apiKey, baseUrl: empty.url }, parameters: { authentication: 'unipileApiV2', accountIds: [accountId] } });
			await expect(harness.poll('manual')).rejects.toThrow("No recent message matched the trigger's filters");
			expect(harness.staticData()).toEqual({});
		} finally {
			await empty.close();
		}
	});
});
