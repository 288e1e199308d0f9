/**
 * The Unipile sandbox answers exactly what the official SDK (unipile-node-sdk 1.9.3) expects: every GET the SDK
 * offers, with validation set to 'error', plus every seeded object through the SDK's own validators, plus the
 * strict error behaviour, fault injection and the request log.
 */
import { UnipileClient } from 'unipile-node-sdk';
import { startSandbox, type Sandbox } from './sandbox/server';
import type { Message } from './sandbox/data';
import { expectValid, sdkModule } from './helpers/sdk-schemas';

const sdk = (file: string) => sdkModule(file);
const legacy = sdk('validation.js');
const V = {
	account: sdk('accounts/account.types.js').AccountApiResponseValidator,
	accountList: sdk('accounts/accounts-list.schema.js').AccountListResponseValidator,
	chat: sdk('messaging/chats/chat.types.js').ChatResponseValidator,
	chatList: sdk('messaging/chats/chats-list.types.js').ChatListApiResponseValidator,
	message: sdk('messaging/messages/message.types.js').MessageResponseValidator,
	messageList: sdk('messaging/messages/message-list.types.js').MessageListApiResponseValidator,
	attendee: sdk('messaging/chat-attendees/chat-attendee.types.js').ChatAttendeeResponseValidator,
	attendeeList: sdk('messaging/chat-attendees/chat-attendees-list.types.js').ChatAttendeeListApiResponseValidator,
	attendeeByChatList: sdk('messaging/chat-attendees/chat-attendees-list.types.js').ChatAttendeeByChatListApiResponseValidator,
	userProfile: sdk('users/user-profile.types.js').UserProfileApiResponseValidator,
	ownProfile: sdk('users/account-owner-profile.js').AccountOwnerProfileApiResponseValidator,
	webhookList: sdk('webhooks/webhooks-list.types.js').WebhookListResponseValidator,
};


type Any = any;

let sandbox: Sandbox;
let client: UnipileClient;

async function raw(path: string, init: RequestInit & { key?: string | null } = {}): Promise<{ status: number; headers: Headers; body: Any; bytes: Buffer }> {
	const headers = new Headers(init.headers);
	if (init.key !== null) headers.set('X-API-KEY', init.key ?? sandbox.apiKey);
	const res = await fetch(`${sandbox.url}${path}`, { ...init, headers });
	const bytes = Buffer.from(await res.arrayBuffer());
	const ct = res.headers.get('content-type') ?? '';
	return { status: res.status, headers: res.headers, body: ct.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined, bytes };
}

function expectProblem(r: { status: number; headers: Headers; body: Any }, status: number, type: string, detailIncludes?: string): void {
	expect({ status: r.status, type: r.body?.type }).toEqual({ status, type: `errors/${type}` });
	expect(r.headers.get('content-type')).toContain('application/json');
	expect(r.body).toEqual(expect.objectContaining({ status, title: expect.any(String), type: `errors/${type}` }));
	if (detailIncludes) expect(String(r.body.detail)).toContain(detailIncludes);
}

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 60, messagesPerChat: 6 });
	client = new UnipileClient(sandbox.url, sandbox.apiKey, { validateRequestPayload: true, validateRequestPayloadLevel: 'error' });
});

afterAll(async () => {
	await sandbox?.close();
});

describe('seeded data validates against the SDK schemas', () => {
	test('every account, chat, message and attendee', () => {
		const s = sandbox.store;
		const types = new Set<string>();
		for (const a of s.accountById.values()) {
			expectValid(V.account, a, `account ${a.id}`);
			types.add(a.type);
		}
		expect([...types].sort()).toEqual(['GOOGLE_OAUTH', 'INSTAGRAM', 'LINKEDIN', 'MAIL', 'MESSENGER', 'OUTLOOK', 'TELEGRAM', 'TWITTER', 'WHATSAPP']);
		expectValid(V.accountList, { object: 'AccountList', items: s.sortedAccounts(), cursor: null }, 'AccountList');
		expectValid(legacy.accountsValidator, { object: 'AccountList', items: s.sortedAccounts(), cursor: null }, 'legacy AccountList');
		for (const c of s.chatById.values()) {
			const single = { ...c, lastMessage: s.lastMessage(c.id) };
			expectValid(V.chat, single, `chat ${c.id}`);
			expectValid(legacy.getChatValidator, single, `legacy chat ${c.id}`);
		}
		const chatList = { object: 'ChatList', items: s.sortedChats(), cursor: null };
		expectValid(V.chatList, chatList, 'ChatList');
		expectValid(legacy.getChatsValidator, chatList, 'legacy ChatList');
		for (const m of s.messageById.values()) {
			expectValid(V.message, m, `message ${m.id}`);
			expectValid(legacy.getMessageValidator, m, `legacy message ${m.id}`);
		}
		const messageList = { object: 'MessageList', items: s.sortedMessages(), cursor: null };
		expectValid(V.messageList, messageList, 'MessageList');
		expectValid(legacy.getMessagesValidator, messageList, 'legacy MessageList');
		expectValid(legacy.getChatMessagesValidator, messageList, 'legacy chat MessageList');
		for (const a of s.attendeeById.values()) {
			expectValid(V.attendee, a, `attendee ${a.id}`);
			expectValid(legacy.getAttendeeValidator, a, `legacy attendee ${a.id}`);
		}
		const attendeeList = { object: 'ChatAttendeeList', items: s.sortedAttendees(), cursor: null };
		expectValid(V.attendeeList, attendeeList, 'ChatAttendeeList');
		expectValid(legacy.getAttendeesValidator, attendeeList, 'legacy ChatAttendeeList');
		expectValid(legacy.getChatAttendeesValidator, attendeeList, 'legacy chat ChatAttendeeList');
	});

	test('the data set has the variety the node must handle', () => {
		const msgs = [...sandbox.store.messageById.values()];
		const attTypes = new Set(msgs.flatMap((m) => m.attachments.map((a) => a.type)));
		expect([...attTypes].sort()).toEqual(['audio', 'file', 'img', 'linkedin_post', 'video']);
		expect(msgs.some((m) => m.is_event === 1 && m.event_type > 0)).toBe(true);
		expect(msgs.some((m) => m.reactions.length > 0)).toBe(true);
		expect(msgs.some((m) => m.quoted !== undefined)).toBe(true);
		expect(msgs.some((m) => m.is_sender === 1) && msgs.some((m) => m.is_sender === 0)).toBe(true);
		expect(msgs.some((m) => m.text === null)).toBe(true);
		const chats = [...sandbox.store.chatById.values()];
		expect(chats.some((c) => c.type === 1) && chats.some((c) => c.type === 0)).toBe(true);
		expect(chats.some((c) => c.unread_count > 0) && chats.some((c) => c.unread_count === 0)).toBe(true);
		for (const a of sandbox.store.accountById.values()) expect(sandbox.store.accountSelf(a.id)?.is_self).toBe(1);
		// array views in API order
		expect(sandbox.store.chats.map((c) => c.id)).toEqual(sandbox.store.sortedChats().map((c) => c.id));
		expect(sandbox.store.chats).toHaveLength(60);
		expect(sandbox.store.messages).toHaveLength(360);
		expect(sandbox.store.accounts.find((a) => a.type === 'WHATSAPP')?.id).toMatch(/^acc_whatsapp_/);
		expect(sandbox.store.attendees.length).toBe(sandbox.store.attendeeById.size);
	});

	test('deterministic from the seed, and large data sets start', async () => {
		const a = await startSandbox({ chats: 20, seed: 7 });
		const b = await startSandbox({ chats: 20, seed: 7 });
		try {
			expect(JSON.stringify(a.store.sortedMessages())).toEqual(JSON.stringify(b.store.sortedMessages()));
			expect(JSON.stringify(a.store.sortedChats())).toEqual(JSON.stringify(b.store.sortedChats()));
		} finally {
			await a.close();
			await b.close();
		}
		// Large data sets (the bench's 10,000 chats) start; how fast is for `npm run bench`, not an assertion.
		const big = await startSandbox({ chats: 10_000, messagesPerChat: 1 });
		try {
			expect(big.store.chatById.size).toBe(10_000);
		} finally {
			await big.close();
		}
	});
});

describe('every SDK GET validates', () => {
	test('accounts: getAll (paged), getOne for every provider, resync', async () => {
		const all = await client.account.getAll();
		expect(all.items.map((a: Any) => a.id)).toEqual(sandbox.store.sortedAccounts().map((a) => a.id));
		expect(all.cursor).toBeNull();
		const ids: string[] = [];
		let cursor: string | undefined;
		do {
			const page: Any = await client.account.getAll({ limit: 2, cursor });
			ids.push(...page.items.map((a: Any) => a.id));
			cursor = page.cursor ?? undefined;
		} while (cursor);
		expect(ids).toEqual(all.items.map((a: Any) => a.id));
		for (const a of sandbox.store.accountById.values()) {
			const one: Any = await client.account.getOne(a.id);
			expect(one).toEqual(a);
		}
		const resync: Any = await client.account.resyncLinkedinAccount({ account_id: 'acc_linkedin_1', linkedin_product: 'classic' } as Any);
		expect(resync.object).toBe('AccountResync');
	});

	test('chats: getAllChats with paging and filters', async () => {
		const store = sandbox.store;
		const first: Any = await client.messaging.getAllChats();
		expect(first.items.map((c: Any) => c.id)).toEqual(store.sortedChats().map((c) => c.id));
		const paged: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const page: Any = await client.messaging.getAllChats({ limit: 7, cursor });
			paged.push(...page.items.map((c: Any) => c.id));
			cursor = page.cursor ?? undefined;
			pages++;
		} while (cursor);
		expect(pages).toBe(Math.ceil(store.chatById.size / 7));
		expect(paged).toEqual(store.sortedChats().map((c) => c.id));

		const wa: Any = await client.messaging.getAllChats({ account_id: 'acc_whatsapp_1,acc_linkedin_1' });
		expect(wa.items.length).toBeGreaterThan(0);
		expect(wa.items.every((c: Any) => ['acc_whatsapp_1', 'acc_linkedin_1'].includes(c.account_id))).toBe(true);
		const tg: Any = await client.messaging.getAllChats({ account_type: 'TELEGRAM' });
		expect(tg.items.length).toBeGreaterThan(0);
		expect(tg.items.every((c: Any) => c.account_type === 'TELEGRAM')).toBe(true);
		const unread: Any = await client.messaging.getAllChats({ unread: true });
		const read: Any = await client.messaging.getAllChats({ unread: false });
		expect(unread.items.every((c: Any) => c.unread_count > 0)).toBe(true);
		expect(read.items.every((c: Any) => c.unread_count === 0)).toBe(true);
		expect(unread.items.length + read.items.length).toBe(store.chatById.size);
		const pivot = store.sortedChats()[10].timestamp as string;
		const before: Any = await client.messaging.getAllChats({ before: pivot });
		const after: Any = await client.messaging.getAllChats({ after: pivot });
		expect(before.items.every((c: Any) => c.timestamp < pivot)).toBe(true);
		expect(after.items.every((c: Any) => c.timestamp > pivot)).toBe(true);
		expect(after.items.length).toBe(10);
		// filters travel inside the cursor
		const f1: Any = await client.messaging.getAllChats({ account_type: 'LINKEDIN', limit: 2 });
		const f2: Any = await client.messaging.getAllChats({ cursor: f1.cursor });
		expect(f2.items.every((c: Any) => c.account_type === 'LINKEDIN')).toBe(true);
		expect(f2.items.length).toBe(2);
	});

	test('chats: getChat (by id and by provider id), messages, attendees', async () => {
		const store = sandbox.store;
		for (const chat of store.sortedChats()) {
			const one: Any = await client.messaging.getChat(chat.id);
			expect(one.id).toBe(chat.id);
			expect(one.lastMessage?.id).toBe(store.lastMessage(chat.id)?.id);
			const msgs: Any = await client.messaging.getAllMessagesFromChat({ chat_id: chat.id });
			expect(msgs.items.map((m: Any) => m.id)).toEqual(store.messagesOfChat(chat.id).map((m) => m.id));
			const att: Any = await client.messaging.getAllAttendeesFromChat(chat.id);
			expect(att.items.length).toBeGreaterThanOrEqual(2);
			expect(att.items.filter((a: Any) => a.is_self === 1)).toHaveLength(1);
		}
		const li = store.chatsOfAccount('acc_linkedin_1')[0];
		const byProvider: Any = await client.messaging.getChat(encodeURIComponent(li.provider_id), { extra_params: { account_id: li.account_id } });
		expect(byProvider.id).toBe(li.id);
		const chat = store.sortedChats()[0];
		const paged: string[] = [];
		let cursor: string | undefined;
		do {
			const page: Any = await client.messaging.getAllMessagesFromChat({ chat_id: chat.id, limit: 2, cursor });
			paged.push(...page.items.map((m: Any) => m.id));
			cursor = page.cursor ?? undefined;
		} while (cursor);
		expect(paged).toEqual(store.messagesOfChat(chat.id).map((m) => m.id));
		const sender = store.messagesOfChat(chat.id)[0].sender_id;
		const bySender: Any = await client.messaging.getAllMessagesFromChat({ chat_id: chat.id, sender_id: sender });
		expect(bySender.items.length).toBeGreaterThan(0);
		expect(bySender.items.every((m: Any) => m.sender_id === sender)).toBe(true);
	});

	test('messages: getMessage for every kind, getAllMessages (paged, filtered), attachments byte-identical', async () => {
		const store = sandbox.store;
		const msgs = [...store.messageById.values()];
		const pick = (pred: (m: Message) => boolean) => msgs.filter(pred).slice(0, 3);
		const interesting = [
			...pick((m) => m.attachments.some((a) => a.type === 'img')),
			...pick((m) => m.attachments.some((a) => a.type === 'video')),
			...pick((m) => m.attachments.some((a) => a.type === 'audio')),
			...pick((m) => m.attachments.some((a) => a.type === 'file')),
			...pick((m) => m.attachments.some((a) => a.type === 'linkedin_post')),
			...pick((m) => m.is_event === 1),
			...pick((m) => m.reactions.length > 0),
			...pick((m) => m.quoted !== undefined),
			...pick((m) => m.is_sender === 1),
			...pick((m) => m.is_sender === 0),
		];
		for (const m of interesting) {
			const got: Any = await client.messaging.getMessage(m.id);
			expect(got).toEqual(JSON.parse(JSON.stringify(m)));
		}
		for (const m of msgs) {
			for (const a of m.attachments) {
				const file = store.attachments.get(`${m.id}/${a.id}`);
				if (!file) continue;
				const blob: Any = await client.messaging.getMessageAttachment({ message_id: m.id, attachment_id: a.id });
				expect(Buffer.from(await blob.arrayBuffer()).equals(file.bytes)).toBe(true);
				expect(blob.type).toBe(a.mimetype);
			}
		}
		const all: string[] = [];
		let cursor: string | undefined;
		do {
			const page: Any = await client.messaging.getAllMessages({ limit: 250, cursor });
			all.push(...page.items.map((m: Any) => m.id));
			cursor = page.cursor ?? undefined;
		} while (cursor);
		expect(all).toEqual(store.sortedMessages().map((m) => m.id));
		const ig: Any = await client.messaging.getAllMessages({ account_id: 'acc_instagram_1', limit: 5 });
		expect(ig.items).toHaveLength(5);
		expect(ig.items.every((m: Any) => m.account_id === 'acc_instagram_1')).toBe(true);
		const pivot = store.sortedMessages()[20].timestamp;
		const newer: Any = await client.messaging.getAllMessages({ after: pivot });
		expect(newer.items.map((m: Any) => m.id)).toEqual(store.sortedMessages().slice(0, 20).map((m) => m.id));
	});

	test('attendees: getAllAttendees (paged), getAttendee, chats and messages of an attendee, picture', async () => {
		const store = sandbox.store;
		const ids: string[] = [];
		let cursor: string | undefined;
		do {
			const page: Any = await client.messaging.getAllAttendees({ limit: 50, cursor });
			ids.push(...page.items.map((a: Any) => a.id));
			cursor = page.cursor ?? undefined;
		} while (cursor);
		expect(ids).toEqual(store.sortedAttendees().map((a) => a.id));
		const waOnly: Any = await client.messaging.getAllAttendees({ account_id: 'acc_whatsapp_1' });
		expect(waOnly.items.every((a: Any) => a.account_id === 'acc_whatsapp_1')).toBe(true);
		const group = store.sortedChats().find((c) => c.type === 1)!;
		for (const attendee of store.attendeesOfChat(group.id)) {
			const one: Any = await client.messaging.getAttendee(attendee.id);
			expect(one).toEqual(attendee);
			const chats: Any = await client.messaging.getAllChatsFromAttendee({ attendee_id: attendee.id });
			expect(chats.items.map((c: Any) => c.id)).toContain(group.id);
			const messages: Any = await client.messaging.getAllMessagesFromAttendee({ attendee_id: attendee.id });
			expect(messages.items.every((m: Any) => m.sender_attendee_id === attendee.id)).toBe(true);
		}
		const withPicture = store.attendeesOfChat(group.id).find((a) => a.picture_url)!;
		const pic = await raw(`/api/v1/chat_attendees/${withPicture.id}/picture`);
		expect(pic.status).toBe(200);
		expect(pic.headers.get('content-type')).toBe('image/png');
		expect(pic.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
		const groupPic = await raw(`/api/v1/chat_attendees/${group.id}/picture`);
		expect(groupPic.status).toBe(200);
	});

	test('users: getProfile in each provider shape, getOwnProfile, webhooks', async () => {
		const store = sandbox.store;
		for (const accountId of ['acc_linkedin_1', 'acc_whatsapp_1', 'acc_instagram_1', 'acc_telegram_1', 'acc_twitter_1']) {
			const contact = store.attendeesOfChat(store.chatsOfAccount(accountId)[0].id).find((a) => a.is_self === 0)!;
			const profile: Any = await client.users.getProfile({ account_id: accountId, identifier: contact.provider_id, ...(accountId === 'acc_linkedin_1' ? { linkedin_sections: '*' } : {}) } as Any);
			expect(profile.provider).toBe(store.accountById.get(accountId)!.type);
		}
		const li = store.attendeesOfChat(store.chatsOfAccount('acc_linkedin_1')[0].id).find((a) => a.is_self === 0)!;
		const handle = li.profile_url!.split('/in/')[1];
		const byHandle: Any = await client.users.getProfile({ account_id: 'acc_linkedin_1', identifier: handle, linkedin_sections: ['experience', 'skills'] } as Any);
		expect(byHandle.provider_id).toBe(li.provider_id);
		expect(byHandle.work_experience).toHaveLength(1);
		for (const accountId of ['acc_linkedin_1', 'acc_telegram_1', 'acc_twitter_1']) {
			const me: Any = await client.users.getOwnProfile(accountId);
			expect(me.object).toBe('AccountOwnerProfile');
		}
		const hooks: Any = await client.webhook.getAll();
		expect(hooks).toEqual({ object: 'WebhookList', items: [], cursor: null });
	});
});

describe('SDK writes validate and take effect', () => {
	afterAll(() => sandbox.reset());

	test('startNewChat and sendMessage store messages and attachments byte-identically', async () => {
		const png = sandbox.store.picture(sandbox.store.sortedAttendees()[0].id)!.bytes;
		const pdf = Buffer.from('%PDF-1.4\n% sandbox upload\n', 'latin1');
		const started: Any = await client.messaging.startNewChat({
			account_id: 'acc_whatsapp_1',
			text: 'New chat ✨',
			attendees_ids: ['33700000001@s.whatsapp.net'],
			attachments: [['pic.png', png]],
		});
		expect(started.object).toBe('ChatStarted');
		const chat: Any = await client.messaging.getChat(started.chat_id);
		expect(chat.attendee_provider_id).toBe('33700000001@s.whatsapp.net');
		const first: Any = await client.messaging.getMessage(started.message_id);
		expect(first.text).toBe('New chat ✨');
		expect(first.is_sender).toBe(1);
		expect(first.attachments[0]).toEqual(expect.objectContaining({ type: 'img', mimetype: 'image/png', file_size: png.length, size: { width: 32, height: 32 } }));

		const sent: Any = await client.messaging.sendMessage({ chat_id: started.chat_id, text: 'with a file', attachments: [['invoice.pdf', pdf]] });
		expect(sent.object).toBe('MessageSent');
		const msg: Any = await client.messaging.getMessage(sent.message_id);
		expect(msg.attachments[0]).toEqual(expect.objectContaining({ type: 'file', file_name: 'invoice.pdf', mimetype: 'application/pdf', file_size: pdf.length }));
		const back = await raw(`/api/v1/messages/${sent.message_id}/attachments/${msg.attachments[0].id}`);
		expect(back.bytes.equals(pdf)).toBe(true);
		expect(back.headers.get('content-disposition')).toBe('attachment; filename="invoice.pdf"');
		const log = sandbox.requests.filter((r) => r.method === 'POST' && r.path === `/chats/${started.chat_id}/messages`);
		expect(log[0].form).toEqual(expect.arrayContaining([{ name: 'text', value: 'with a file' }, expect.objectContaining({ name: 'attachments', fileName: 'invoice.pdf', size: pdf.length })]));
		// the new chat is now the newest
		const list: Any = await client.messaging.getAllChats({ limit: 1 });
		expect(list.items[0].id).toBe(started.chat_id);

		const group: Any = await client.messaging.startNewChat({
			account_id: 'acc_linkedin_1',
			text: 'Hello both',
			attendees_ids: ['ACoAAnewperson1', 'ACoAAnewperson2'],
			subject: 'Intro',
			options: { linkedin: { api: 'classic', inmail: true } },
		});
		const g: Any = await client.messaging.getChat(group.chat_id);
		expect(g).toEqual(expect.objectContaining({ type: 1, subject: 'Intro', content_type: 'inmail' }));
	});

	test('setChatStatus, account.delete', async () => {
		const chat = sandbox.store.sortedChats().find((c) => c.unread_count > 0)!;
		const patched: Any = await client.messaging.setChatStatus({ chat_id: chat.id, action: 'setReadStatus', value: true });
		expect(patched).toEqual({ object: 'ChatPatched' });
		expect(sandbox.store.chatById.get(chat.id)!.unread_count).toBe(0);
		const del: Any = await client.account.delete('acc_whatsapp_2');
		expect(del).toEqual({ object: 'AccountDeleted' });
		expect(sandbox.store.accountById.has('acc_whatsapp_2')).toBe(false);
		expect((await raw('/api/v1/accounts/acc_whatsapp_2')).status).toBe(404);
		expect([...sandbox.store.chatById.values()].some((c) => c.account_id === 'acc_whatsapp_2')).toBe(false);
	});

	test('connect / reconnect / checkpoint / hosted auth link', async () => {
		const wa: Any = await client.account.connectWhatsapp();
		expect(wa.account_id).toMatch(/^acc_whatsapp_/);
		const tg: Any = await client.account.connectTelegram();
		expect(tg.code).toEqual(expect.any(String));
		const created: Any = await client.account.connectLinkedin({ username: 'jane@example.com', password: 'secret' } as Any);
		expect(created.object).toBe('AccountCreated');
		const cookie: Any = await client.account.connectLinkedinWithCookie({ access_token: 'AQEDAT...' } as Any);
		expect(cookie.object).toBe('AccountCreated');
		const twofa: Any = await client.account.connectLinkedin({ username: 'jane+2fa@example.com', password: 'secret' } as Any);
		expect(twofa).toEqual({ object: 'Checkpoint', account_id: expect.any(String), checkpoint: { type: '2FA', source: 'APP' } });
		await expect(client.account.solveCodeCheckpoint({ provider: 'LINKEDIN', account_id: twofa.account_id, code: '000000' })).rejects.toThrow();
		const solved: Any = await client.account.solveCodeCheckpoint({ provider: 'LINKEDIN', account_id: twofa.account_id, code: '123456' });
		expect(solved).toEqual({ object: 'AccountCreated', account_id: twofa.account_id });
		expect((await client.account.getOne(twofa.account_id) as Any).type).toBe('LINKEDIN');
		expect(((await client.account.connectInstagram({ username: 'ig_user', password: 'x' } as Any)) as Any).object).toBe('AccountCreated');
		expect(((await client.account.connectMessenger({ username: 'fb_user', password: 'x' } as Any)) as Any).object).toBe('AccountCreated');
		expect(((await client.account.connectTwitter({ username: 'x_user', email: 'x@example.com', password: 'x' } as Any)) as Any).object).toBe('AccountCreated');
		expect(((await client.account.reconnectLinkedin({ account_id: 'acc_linkedin_1', username: 'sandra@example.com', password: 'x' } as Any)) as Any).object).toBe('AccountReconnected');
		expect(((await client.account.reconnectInstagram({ account_id: 'acc_instagram_1', username: 'sandra.box', password: 'x' } as Any)) as Any).object).toBe('AccountReconnected');
		expect(((await client.account.reconnectWhatsapp('acc_whatsapp_1')) as Any).account_id).toBe('acc_whatsapp_1');
		const pairing = await raw('/api/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'WHATSAPP', pairing_phone_number: '+33612345670' }) });
		expect(pairing.body.checkpoint).toEqual({ type: 'PHONE_REGISTER', code: expect.any(String) });
		const link: Any = await client.account.createHostedAuthLink({ type: 'create', expiresOn: '2030-01-01T00:00:00.000Z', api_url: sandbox.url, providers: '*' } as Any);
		expect(link).toEqual({ object: 'HostedAuthUrl', url: expect.stringMatching(/^https:\/\//) });
		const bad = await raw('/api/v1/hosted/accounts/link', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'create', expiresOn: 'tomorrow', api_url: sandbox.url, providers: '*' }) });
		expectProblem(bad, 400, 'invalid_parameters', 'expiresOn');
		const noProvider = await raw('/api/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'LINKEDIN' }) });
		expectProblem(noProvider, 400, 'missing_parameters');
	});
});

describe('strict errors', () => {
	test('paging and date parameters', async () => {
		for (const limit of ['0', '251', '1.5', 'abc', '']) expectProblem(await raw(`/api/v1/chats?limit=${limit}`), 400, 'invalid_parameters', 'limit');
		expect((await raw('/api/v1/chats?limit=250')).status).toBe(200);
		expect((await raw('/api/v1/chats?limit=1')).body.items).toHaveLength(1);
		for (const d of ['2025-01-02', '2025-01-02T03:04:05', '2025-01-02T03:04:05.000+01:00', '2025-02-30T00:00:00.000Z', 'yesterday'])
			expectProblem(await raw(`/api/v1/messages?after=${encodeURIComponent(d)}`), 400, 'invalid_parameters', 'after');
		expect((await raw('/api/v1/messages?after=2025-01-02T03:04:05Z')).status).toBe(200);
		expectProblem(await raw('/api/v1/chats?cursor=not-a-cursor'), 400, 'invalid_parameters', 'cursor');
		const msgCursor = (await raw('/api/v1/messages?limit=1')).body.cursor;
		expectProblem(await raw(`/api/v1/chats?cursor=${encodeURIComponent(msgCursor)}`), 400, 'invalid_parameters', 'cursor');
		expectProblem(await raw('/api/v1/chats?unread=yes'), 400, 'invalid_parameters', 'unread');
		expectProblem(await raw('/api/v1/chats?account_type=EMAIL'), 400, 'invalid_parameters', 'account_type');
		expectProblem(await raw('/api/v1/chats?bogus=1'), 400, 'invalid_parameters', 'bogus');
		expectProblem(await raw('/api/v1/users/someone'), 400, 'missing_parameters', 'account_id');
	});

	test('auth, unknown ids, unknown routes, wrong methods', async () => {
		expectProblem(await raw('/api/v1/chats', { key: null }), 401, 'missing_credentials');
		expectProblem(await raw('/api/v1/chats', { key: 'nope' }), 401, 'invalid_credentials');
		expectProblem(await raw('/api/v1/chats/doesnotexist'), 404, 'resource_not_found');
		expectProblem(await raw('/api/v1/messages/doesnotexist'), 404, 'resource_not_found');
		expectProblem(await raw('/api/v1/chat_attendees/doesnotexist'), 404, 'resource_not_found');
		expectProblem(await raw('/api/v1/accounts/doesnotexist'), 404, 'resource_not_found');
		expectProblem(await raw('/api/v1/chats?account_id=doesnotexist'), 404, 'resource_not_found', 'account_id');
		expectProblem(await raw('/api/v1/nothing-here'), 404, 'resource_not_found');
		expectProblem(await raw('/api/v2/chats'), 404, 'resource_not_found');
		const wrong = await raw('/api/v1/chats', { method: 'DELETE' });
		expectProblem(wrong, 405, 'method_not_allowed');
		expect(wrong.headers.get('allow')).toBe('GET, POST');
		const li = sandbox.store.chatsOfAccount('acc_linkedin_1')[0];
		expectProblem(await raw(`/api/v1/chats/${encodeURIComponent(li.provider_id)}`), 400, 'missing_parameters', 'account_id');
	});

	test('request bodies: JSON vs multipart, malformed, missing fields, [object Object]', async () => {
		const chat = sandbox.store.sortedChats()[0];
		const json = { 'content-type': 'application/json' };
		expectProblem(await raw('/api/v1/chats', { method: 'POST', headers: json, body: JSON.stringify({ account_id: 'acc_whatsapp_1', text: 'x', attendees_ids: ['33611111111'] }) }), 415, 'unsupported_media_type');
		expectProblem(await raw(`/api/v1/chats/${chat.id}/messages`, { method: 'POST', body: '[object Object]' }), 415, 'unsupported_media_type');
		expectProblem(await raw(`/api/v1/chats/${chat.id}/messages`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: 'garbage' }), 400, 'malformed_request');
		expectProblem(
			await raw(`/api/v1/chats/${chat.id}/messages`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello\r\n' }),
			400,
			'malformed_request',
		);
		const form = (entries: Array<[string, string | Blob, string?]>) => {
			const fd = new FormData();
			for (const [k, v, name] of entries) (typeof v === 'string' ? fd.append(k, v) : fd.append(k, v, name));
			return fd;
		};
		expectProblem(await raw('/api/v1/chats', { method: 'POST', body: form([['text', 'x'], ['attendees_ids', '33611111111']]) }), 400, 'missing_parameters', 'account_id');
		expectProblem(await raw('/api/v1/chats', { method: 'POST', body: form([['account_id', 'acc_whatsapp_1'], ['text', 'x']]) }), 400, 'missing_parameters', 'attendees_ids');
		expectProblem(await raw('/api/v1/chats', { method: 'POST', body: form([['account_id', 'acc_whatsapp_1'], ['attendees_ids', '33611111111']]) }), 400, 'missing_parameters', 'text');
		expectProblem(await raw('/api/v1/chats', { method: 'POST', body: form([['account_id', 'acc_whatsapp_1'], ['text', 'x'], ['attendees_ids', '33611111111,33622222222']]) }), 400, 'invalid_parameters', 'attendees_ids');
		expectProblem(await raw(`/api/v1/chats/${chat.id}/messages`, { method: 'POST', body: form([['text', '[object Object]']]) }), 400, 'invalid_parameters', 'text');
		expectProblem(await raw(`/api/v1/chats/${chat.id}/messages`, { method: 'POST', body: form([['text', 'x'], ['attachments', '[object Object]']]) }), 400, 'invalid_parameters', 'attachments');
		expectProblem(await raw(`/api/v1/chats/${chat.id}/messages`, { method: 'POST', body: form([['text', 'x'], ['attachments', new Blob([]), 'empty.txt']]) }), 400, 'invalid_parameters', 'attachments');
		expectProblem(await raw(`/api/v1/chats/${chat.id}/messages`, { method: 'POST', body: form([['text', 'x'], ['unknown_field', 'y']]) }), 400, 'invalid_parameters', 'unknown_field');
		expectProblem(await raw(`/api/v1/chats/${chat.id}`, { method: 'PATCH', headers: json, body: '{"action":' }), 400, 'malformed_request');
		expectProblem(await raw(`/api/v1/chats/${chat.id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ action: 'setReadStatus', value: 'true' }) }), 400, 'invalid_parameters', 'value');
		expectProblem(await raw(`/api/v1/chats/${chat.id}`, { method: 'PATCH', body: 'action=setReadStatus' }), 415, 'unsupported_media_type');
		const attendeeId = sandbox.store.attendeesOfChat(chat.id).find((a) => a.is_self === 0)!.id;
		expectProblem(await raw('/api/v1/chats', { method: 'POST', body: form([['account_id', chat.account_id], ['text', 'x'], ['attendees_ids', attendeeId]]) }), 422, 'invalid_recipient');
	});
});

describe('faults and the request log', () => {
	beforeEach(() => {
		sandbox.clearFaults();
		sandbox.clearRequests();
	});

	test('429 with Retry-After, 503, 504, then normal answers', async () => {
		sandbox.injectFault({ path: '/chats', status: 429, retryAfter: 3 });
		sandbox.injectFault({ method: 'GET', path: /^\/messages/, status: 503, times: 2 });
		sandbox.injectFault({ path: '/accounts', status: 504 });
		const limited = await raw('/api/v1/chats?limit=1');
		expectProblem(limited, 429, 'too_many_requests');
		expect(limited.headers.get('retry-after')).toBe('3');
		expect((await raw('/api/v1/chats?limit=1')).status).toBe(200);
		expectProblem(await raw('/api/v1/messages?limit=1'), 503, 'service_unavailable');
		expectProblem(await raw('/api/v1/messages?limit=1'), 503, 'service_unavailable');
		expect((await raw('/api/v1/messages?limit=1')).status).toBe(200);
		expectProblem(await raw('/api/v1/accounts'), 504, 'request_timeout');
		await expect(client.messaging.getAllChats()).resolves.toBeDefined();
		expect(sandbox.requests.map((r) => r.status)).toEqual([429, 200, 503, 503, 200, 504, 200]);
	});

	test('drop and delay', async () => {
		sandbox.injectFault({ path: '/chats', drop: true });
		await expect(fetch(`${sandbox.url}/api/v1/chats`, { headers: { 'X-API-KEY': sandbox.apiKey } })).rejects.toThrow();
		expect(sandbox.requests[0].status).toBe(0);
		sandbox.injectFault({ path: '/chats', delayMs: 300 });
		const t = Date.now();
		expect((await raw('/api/v1/chats?limit=1')).status).toBe(200);
		expect(Date.now() - t).toBeGreaterThanOrEqual(280);
		sandbox.injectFault({ path: '/chats', delayMs: 50, status: 500 });
		expectProblem(await raw('/api/v1/chats'), 500, 'unexpected_error');
	});

	test('the log records method, paths, query, headers, body and status', async () => {
		const li = sandbox.store.chatsOfAccount('acc_linkedin_1')[0];
		await raw(`/api/v1/chats/${encodeURIComponent(li.provider_id)}?account_id=acc_linkedin_1`);
		await raw(`/api/v1/chats/${li.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'setMuteStatus', value: true }) });
		await raw('/api/v1/chats?limit=0', { key: 'wrong' });
		const [get, patch, denied] = sandbox.requests;
		expect(get).toEqual(
			expect.objectContaining({ method: 'GET', path: `/chats/${li.provider_id}`, rawPath: `/api/v1/chats/${encodeURIComponent(li.provider_id)}`, query: { account_id: 'acc_linkedin_1' }, status: 200 }),
		);
		expect(get.headers['x-api-key']).toBe(sandbox.apiKey);
		expect(patch).toEqual(expect.objectContaining({ method: 'PATCH', json: { action: 'setMuteStatus', value: true }, status: 200 }));
		expect(sandbox.store.chatById.get(li.id)!.muted_until).toBe(-1);
		expect(denied.status).toBe(401);
	});

	test('HTTP control surface', async () => {
		const post = (path: string, body: unknown) => fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		expect((await post('/_sandbox/faults', { path: '/webhooks', status: 429, retryAfter: 1 })).status).toBe(201);
		expect((await raw('/api/v1/webhooks')).status).toBe(429);
		const injected = await (await post('/_sandbox/messages', { accountId: 'acc_telegram_1', text: 'via HTTP', attachments: [{ fileName: 'a.txt', mimeType: 'text/plain', base64: Buffer.from('hi').toString('base64') }] })).json();
		expect(injected).toEqual(expect.objectContaining({ object: 'Message', account_id: 'acc_telegram_1', text: 'via HTTP', is_sender: 0 }));
		const dl = await raw(`/api/v1/messages/${injected.id}/attachments/${injected.attachments[0].id}`);
		expect(dl.bytes.toString()).toBe('hi');
		const log = await (await fetch(`${sandbox.url}/_sandbox/requests`)).json();
		expect(log.map((r: Any) => r.path)).toEqual(['/webhooks', `/messages/${injected.id}/attachments/${injected.attachments[0].id}`]);
		expect((await fetch(`${sandbox.url}/_sandbox/requests`, { method: 'DELETE' })).status).toBe(200);
		expect(sandbox.requests).toHaveLength(0);
		expect((await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
	});
});

describe('injectMessage and keyset paging', () => {
	afterAll(() => sandbox.reset());

	test('new messages at the head do not shift later pages; back-filled and burst timestamps', async () => {
		const expected = sandbox.store.sortedMessages().map((m) => m.id);
		const page1: Any = await client.messaging.getAllMessages({ limit: 10 });
		const fresh = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'brand new' });
		const page2: Any = await client.messaging.getAllMessages({ limit: 10, cursor: page1.cursor });
		expect([...page1.items, ...page2.items].map((m: Any) => m.id)).toEqual(expected.slice(0, 20));
		const head: Any = await client.messaging.getAllMessages({ limit: 1 });
		expect(head.items[0].id).toBe(fresh.id);
		expect(fresh.timestamp > sandbox.store.sortedMessages()[1].timestamp).toBe(true);
		expect(sandbox.store.chatById.get(fresh.chat_id)!.timestamp).toBe(fresh.timestamp);

		const ts = '2026-10-15T12:00:00.000Z';
		const burst = [1, 2, 3].map((i) => sandbox.injectMessage({ chatId: fresh.chat_id, text: `burst ${i}`, timestamp: ts }));
		const around: Any = await client.messaging.getAllMessagesFromChat({ chat_id: fresh.chat_id, after: '2026-10-15T11:59:59.999Z', before: '2026-10-15T12:00:00.001Z' });
		expect(around.items.map((m: Any) => m.id)).toEqual(burst.map((m) => m.id).sort().reverse());
		const back = sandbox.injectMessage({ chatId: fresh.chat_id, text: 'late', timestamp: '2020-01-01T00:00:00.000Z', isSender: true });
		const chatMsgs = sandbox.store.messagesOfChat(fresh.chat_id);
		expect(chatMsgs[chatMsgs.length - 1].id).toBe(back.id);
		expect(sandbox.store.chatById.get(fresh.chat_id)!.timestamp).toBe(fresh.timestamp);
		const fromNew = sandbox.injectMessage({ accountId: 'acc_instagram_1', newChat: { name: 'New Person' }, text: 'hi, we never talked' });
		const newChat: Any = await client.messaging.getChat(fromNew.chat_id);
		expect(newChat.name).toBe('New Person');
		const ev = sandbox.injectMessage({ chatId: fresh.chat_id, isEvent: true, eventType: 3 });
		expect(((await client.messaging.getMessage(ev.id)) as Any).is_event).toBe(1);
	});
});
