/**
 * Messaging extras on the Unipile node, on both APIs, through n8n's engine against the sandbox: Message → Add
 * Reaction, Remove Reaction, Edit, Delete, Mark Read; Chat → Delete, Add Participants, Remove Participants. Each test
 * asserts the request Unipile receives (method, path, query, JSON body), the items n8n outputs and the state the
 * sandbox then shows; an operation one API lacks is refused before anything is sent; bad input is refused naming the
 * field; deletions are never sent twice; Continue On Fail keeps the other items.
 *
 * No SDK-equality here: the v1 SDK (unipile-node-sdk 1.9.3) has none of these methods (the first test checks that).
 * The v1 message shapes the sandbox then answers are checked with the SDK's own Message validator.
 */
import { UnipileClient } from 'unipile-node-sdk';
import { NodeHelpers, type INode, type INodeProperties } from 'n8n-workflow';
import { runNode, Unipile } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';
import type { Message } from './sandbox/data';
import type { V2ChatRec } from './sandbox/v2/store';
import { runUnipile } from './helpers/requests';
import { expectValid, sdkModule } from './helpers/sdk-schemas';

type Any = any;

let sandbox: Sandbox;
const MessageValidator = sdkModule('messaging/messages/message.types.js').MessageResponseValidator;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 8, messagesPerChat: 6 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.clearRequests();
});

const sent = () => sandbox.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, json: r.json }));
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

// ------------------------------------------------------------------------------------------------ editor

describe('in the editor', () => {
	const properties: INodeProperties[] = new Unipile().description.properties;
	const node = (parameters: Record<string, unknown>) => ({ name: 'Unipile', type: 'CUSTOM.unipile', typeVersion: 1, position: [0, 0], parameters }) as unknown as INode;
	const operationsShown = (authentication: string, resource: string) =>
		properties
			.filter((p) => p.name === 'operation' && NodeHelpers.displayParameter({ authentication, resource }, p, node({ authentication, resource }), null))
			.flatMap((p) => (p.options as Array<{ value: string }>).map((o) => o.value));
	const fieldsShown = (parameters: Record<string, unknown>) =>
		properties.filter((p) => !['authentication', 'resource', 'operation'].includes(p.name) && NodeHelpers.displayParameter(parameters as Any, p, node(parameters), null)).map((p) => p.name);

	test('v1 offers Add Reaction, Edit, Delete (message) and Delete (chat); v2 offers those and Mark Read, Remove Reaction, Add and Remove Participants', () => {
		expect(operationsShown('unipileApi', 'message')).toEqual(expect.arrayContaining(['addReaction', 'delete', 'edit']));
		expect(operationsShown('unipileApi', 'message')).not.toEqual(expect.arrayContaining(['markRead']));
		expect(operationsShown('unipileApi', 'message')).not.toContain('removeReaction');
		expect(operationsShown('unipileApi', 'chat')).toContain('delete');
		expect(operationsShown('unipileApi', 'chat').filter((o) => /Participants$/.test(o))).toEqual([]);
		expect(operationsShown('unipileApiV2', 'message')).toEqual(expect.arrayContaining(['addReaction', 'delete', 'edit', 'markRead', 'removeReaction']));
		expect(operationsShown('unipileApiV2', 'chat')).toEqual(expect.arrayContaining(['addParticipants', 'delete', 'removeParticipants']));
	});

	test('the fields of each operation: v2 adds the account and the message\'s chat; limits are said beside the fields', () => {
		expect(fieldsShown({ authentication: 'unipileApi', resource: 'message', operation: 'addReaction' })).toEqual(['messageId', 'reaction']);
		expect(fieldsShown({ authentication: 'unipileApiV2', resource: 'message', operation: 'addReaction' })).toEqual(['accountId', 'messageChatId', 'messageId', 'reaction']);
		expect(fieldsShown({ authentication: 'unipileApi', resource: 'message', operation: 'edit' })).toEqual(['messageId', 'text']);
		expect(fieldsShown({ authentication: 'unipileApi', resource: 'message', operation: 'delete' })).toEqual(['messageId', 'deleteLimitsNotice']);
		expect(fieldsShown({ authentication: 'unipileApiV2', resource: 'message', operation: 'markRead' })).toEqual(['accountId', 'messageChatId', 'messageId']);
		expect(fieldsShown({ authentication: 'unipileApiV2', resource: 'chat', operation: 'addParticipants' })).toEqual(['chatId', 'accountId', 'attendeesIds']);
		expect(fieldsShown({ authentication: 'unipileApi', resource: 'chat', operation: 'delete' })).toEqual(['chatId', 'deleteChatNotice']);
		const byName = (name: string, operation: string) => properties.find((p) => p.name === name && (p.displayOptions?.show?.operation as string[] | undefined)?.includes(operation))!;
		expect(byName('text', 'edit').hint).toMatch(/LinkedIn allows edits within 60 minutes/);
		expect(byName('reaction', 'addReaction').hint).toMatch(/not available on Recruiter and Sales Navigator/);
		expect(byName('deleteLimitsNotice', 'delete').displayName).toMatch(/LinkedIn allows it within 60 minutes of sending/);
	});
});

// ------------------------------------------------------------------------------------------------ v1

const v1 = (parameters: Record<string, unknown>, extra: Any = {}) => runUnipile(sandbox, { authentication: 'unipileApi', ...parameters } as Any, extra);
const ownMessage = (): Message => sandbox.store.sortedMessages().find((m) => m.is_sender === 1 && m.deleted === 0)!;
const theirMessage = (): Message => sandbox.store.sortedMessages().find((m) => m.is_sender === 0)!;
async function v1Message(id: string): Promise<Any> {
	const res = await fetch(`${sandbox.url}/api/v1/messages/${encodeURIComponent(id)}`, { headers: { 'X-API-KEY': sandbox.apiKey } });
	return { status: res.status, body: await res.json() };
}

describe('v1', () => {
	test('the v1 SDK has no method for reactions, edits, deletions or participants (so no SDK-equality)', () => {
		const client = new UnipileClient(sandbox.url, sandbox.apiKey) as Any;
		const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(client.messaging));
		expect(methods.filter((name) => /react|edit|delete|remove|participant|modify/i.test(name))).toEqual([]);
	});

	test('Message → Add Reaction: POST /messages/{id}/reaction {reaction}; the reaction shows on the message (SDK-valid)', async () => {
		const msg = theirMessage();
		const { items, error } = await v1({ resource: 'message', operation: 'addReaction', messageId: ` ${msg.id} `, reaction: ' 👍 ' });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'POST', path: `/messages/${msg.id}/reaction`, query: {}, json: { reaction: '👍' } }]);
		expect(sandbox.requests[0].headers['content-type']).toMatch(/^application\/json/);
		expect(items).toEqual([{ json: { object: 'MessageReactionAdded' }, pairedItem: { item: 0 } }]);
		const after = await v1Message(msg.id);
		expectValid(MessageValidator, after.body, 'the reacted message');
		expect(after.body.reactions).toContainEqual({ value: '👍', sender_id: expect.any(String), is_sender: true });
	});

	test('Message → Edit: PATCH /messages/{id} {text}; the text changes and edited is 1 (SDK-valid)', async () => {
		const msg = ownMessage();
		const { items, error } = await v1({ resource: 'message', operation: 'edit', messageId: msg.id, text: 'Corrected text' });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'PATCH', path: `/messages/${msg.id}`, query: {}, json: { text: 'Corrected text' } }]);
		expect(items.map((i) => i.json)).toEqual([{ object: 'MessageEdited', message_id: msg.id }]);
		const after = await v1Message(msg.id);
		expectValid(MessageValidator, after.body, 'the edited message');
		expect(after.body).toMatchObject({ text: 'Corrected text', edited: 1 });
	});

	test('Message → Delete: DELETE /messages/{id}; the message is gone', async () => {
		const msg = ownMessage();
		const { items, error } = await v1({ resource: 'message', operation: 'delete', messageId: msg.id });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'DELETE', path: `/messages/${msg.id}`, query: {}, json: undefined }]);
		expect(items.map((i) => i.json)).toEqual([{ object: 'MessageDeleted' }]);
		expect((await v1Message(msg.id)).status).toBe(404);
	});

	test('Message → Delete is never sent twice: a 503 after it may have reached Unipile → one DELETE, an error that says so', async () => {
		const msg = ownMessage();
		sandbox.injectFault({ method: 'DELETE', path: `/messages/${msg.id}`, status: 503, times: 3 });
		const { error } = await v1({ resource: 'message', operation: 'delete', messageId: msg.id });
		expect(sandbox.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
		expect(error?.message).toMatch(/the deletion of the message may have been sent$/);
		expect(error?.description).toMatch(/It was not sent again, to avoid sending it twice: check in Unipile or the provider's app/);
	});

	test('Chat → Delete: DELETE /chats/{id}; the chat and its messages are gone', async () => {
		const chat = sandbox.store.sortedChats()[0];
		const messages = sandbox.store.messagesOfChat(chat.id).map((m) => m.id);
		const { items, error } = await v1({ resource: 'chat', operation: 'delete', chatId: byId(chat.id) });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'DELETE', path: `/chats/${chat.id}`, query: {}, json: undefined }]);
		expect(items.map((i) => i.json)).toEqual([{ object: 'ChatDeleted' }]);
		expect(sandbox.store.chatById.has(chat.id)).toBe(false);
		expect(messages.some((id) => sandbox.store.messageById.has(id))).toBe(false);
	});

	test.each([
		['message', 'removeReaction', 'Message → Remove Reaction', { messageId: 'm1', reaction: '👍' }, /cannot remove a reaction/],
		['message', 'markRead', 'Message → Mark Read', { messageId: 'm1' }, /Chat → Update with Action "Set Read"/],
		['chat', 'addParticipants', 'Chat → Add Participants', { chatId: byId('c1'), attendeesIds: 'u1' }, /cannot change a group's participants/],
		['chat', 'removeParticipants', 'Chat → Remove Participants', { chatId: byId('c1'), attendeesIds: 'u1' }, /cannot change a group's participants/],
	])('%s → %s is v2 only: refused on v1 before anything is sent', async (resource, operation, title, parameters, why) => {
		const { error } = await v1({ resource, operation, ...parameters });
		expect(error?.message).toBe(`${title} is not available on Unipile API v1`);
		expect(error?.description).toMatch(why);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('bad input is refused before sending, naming the field: an empty reaction, an empty text', async () => {
		const msg = ownMessage();
		const reaction = await v1({ resource: 'message', operation: 'addReaction', messageId: msg.id, reaction: '  ' });
		expect(reaction.error?.message).toBe('"Reaction" is empty');
		const text = await v1({ resource: 'message', operation: 'edit', messageId: msg.id, text: '   ' });
		expect(text.error?.message).toBe('"Text" is empty');
		const id = await v1({ resource: 'message', operation: 'delete', messageId: ' ' });
		expect(id.error?.message).toBe('"Message ID" is empty');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('Continue On Fail: an unknown message is an error item, the next item is reacted to', async () => {
		const msg = theirMessage();
		const { items, error } = await v1(
			{ resource: 'message', operation: 'addReaction', messageId: '={{ $json.id }}', reaction: '🔥' },
			{ items: [{ id: 'no-such-message' }, { id: msg.id }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toEqual(expect.stringMatching(/not found/));
		expect(items[1].json).toEqual({ object: 'MessageReactionAdded' });
		expect(sent().map((r) => r.path)).toEqual(['/messages/no-such-message/reaction', `/messages/${msg.id}/reaction`]);
	});
});

// ------------------------------------------------------------------------------------------------ v2

const v2 = (parameters: Record<string, unknown>, extra: Any = {}) =>
	runNode({ credentials: { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url }, parameters: { authentication: 'unipileApiV2', ...parameters } as Any, ...extra });
const v2Account = (provider: string) => [...sandbox.v2.env.store.accounts.values()].find((a) => a.account.provider === provider && a.account.status === 'running')!;
const v2Chats = (accountId: string): V2ChatRec[] => [...sandbox.v2.env.store.chats.values()].filter((rec) => rec.accountId === accountId);
function v2Own(provider: string, sender: boolean) {
	const acc = v2Account(provider);
	const rec = v2Chats(acc.account.id).find((c) => c.messages.some((m) => m.is_sender === sender))!;
	const msg = rec.messages.find((m) => m.is_sender === sender)!;
	return { acc, rec, msg, base: { accountId: byId(acc.account.id), messageChatId: byId(rec.chat.id), messageId: msg.id } };
}

describe('v2', () => {
	test('Message → Add Reaction and Remove Reaction: POST and DELETE …/messages/{id}/reactions {reaction}; reactions_counter follows', async () => {
		const { acc, rec, msg, base } = v2Own('linkedin', false);
		const before = msg.reactions_counter.find((c) => c.reaction === '🔥')?.count ?? 0;
		const added = await v2({ resource: 'message', operation: 'addReaction', ...base, reaction: '🔥' });
		expect(added.error).toBeUndefined();
		expect(added.items.map((i) => i.json)).toEqual([{ object: 'MessageReactionAdded' }]);
		expect(msg.reactions_counter.find((c) => c.reaction === '🔥')?.count).toBe(before + 1);
		const removed = await v2({ resource: 'message', operation: 'removeReaction', ...base, reaction: '🔥' });
		expect(removed.error).toBeUndefined();
		expect(removed.items.map((i) => i.json)).toEqual([{ object: 'MessageReactionRemoved' }]);
		expect(msg.reactions_counter.find((c) => c.reaction === '🔥')?.count ?? 0).toBe(before);
		const path = `/v2/${acc.account.id}/chats/${rec.chat.id}/messages/${msg.id}/reactions`;
		expect(sent()).toEqual([
			{ method: 'POST', path, query: {}, json: { reaction: '🔥' } },
			{ method: 'DELETE', path, query: {}, json: { reaction: '🔥' } },
		]);
	});

	test('Message → Edit: POST …/modify {text}; the output is the message with is_edited and the new text', async () => {
		const { acc, rec, msg, base } = v2Own('whatsapp', true);
		const { items, error } = await v2({ resource: 'message', operation: 'edit', ...base, text: 'Fixed typo' });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'POST', path: `/v2/${acc.account.id}/chats/${rec.chat.id}/messages/${msg.id}/modify`, query: {}, json: { text: 'Fixed typo' } }]);
		expect(items[0].json).toEqual(expect.objectContaining({ object: 'Message', id: msg.id, text: 'Fixed typo', is_edited: true }));
	});

	test('Message → Mark Read: POST …/read without a body; the message is seen', async () => {
		const { acc, rec, msg, base } = v2Own('telegram', false);
		msg.is_seen = false;
		const { items, error } = await v2({ resource: 'message', operation: 'markRead', ...base });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'POST', path: `/v2/${acc.account.id}/chats/${rec.chat.id}/messages/${msg.id}/read`, query: {}, json: undefined }]);
		expect(items.map((i) => i.json)).toEqual([{ object: 'MessageRead' }]);
		expect(msg.is_seen).toBe(true);
	});

	test('Message → Edit: when v2 answers null (its type is Message | null), the item is v1\'s answer naming the message', async () => {
		const { msg, base } = v2Own('whatsapp', true);
		await fetch(`${sandbox.url}/_sandbox/v2/messaging/modify-answers-null`, { method: 'POST' });
		const { items, error } = await v2({ resource: 'message', operation: 'edit', ...base, text: 'Fixed again' });
		expect(error).toBeUndefined();
		expect(sandbox.requests.filter((r) => !r.path.startsWith('/_sandbox')).map((r) => r.status)).toEqual([200]);
		expect(items).toEqual([{ json: { object: 'MessageEdited', message_id: msg.id }, pairedItem: { item: 0 } }]);
		expect(msg).toMatchObject({ text: 'Fixed again', is_edited: true });
	});

	test('Message → Delete: DELETE …/messages/{id} answers 204; the item is v1\'s answer; the message leaves its chat; a 503 is not retried and says so', async () => {
		const { acc, rec, msg, base } = v2Own('whatsapp', true);
		const { items, error } = await v2({ resource: 'message', operation: 'delete', ...base });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'DELETE', path: `/v2/${acc.account.id}/chats/${rec.chat.id}/messages/${msg.id}`, query: {}, json: undefined }]);
		expect(sandbox.requests[0].status).toBe(204);
		expect(items).toEqual([{ json: { object: 'MessageDeleted' }, pairedItem: { item: 0 } }]);
		expect(rec.messages.some((m) => m.id === msg.id)).toBe(false);

		const other = v2Own('whatsapp', true);
		sandbox.clearRequests();
		sandbox.injectFault({ method: 'DELETE', path: /\/messages\//, status: 503, times: 3 });
		const failed = await v2({ resource: 'message', operation: 'delete', ...other.base });
		expect(sandbox.requests).toHaveLength(1);
		expect(failed.error?.message).toMatch(/the deletion of the message may have been sent$/);
	});

	test('Chat → Delete: DELETE /v2/{account}/chats/{id} answers 204; the item is v1\'s answer; the chat is gone', async () => {
		const acc = v2Account('linkedin');
		const rec = v2Chats(acc.account.id)[0];
		const { items, error } = await v2({ resource: 'chat', operation: 'delete', accountId: byId(acc.account.id), chatId: byId(rec.chat.id) });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'DELETE', path: `/v2/${acc.account.id}/chats/${rec.chat.id}`, query: {}, json: undefined }]);
		expect(sandbox.requests[0].status).toBe(204);
		expect(items).toEqual([{ json: { object: 'ChatDeleted' }, pairedItem: { item: 0 } }]);
		expect(v2Chats(acc.account.id).some((c) => c.chat.id === rec.chat.id)).toBe(false);
	});

	test('Chat → Add Participants and Remove Participants: one request per person, in order; the group changes', async () => {
		const acc = v2Account('whatsapp');
		const group = v2Chats(acc.account.id).find((c) => c.chat.is_group)!;
		const outsiders = v2Chats(acc.account.id)
			.filter((c) => !c.chat.is_group)
			.map((c) => c.members[0].id)
			.filter((id) => !group.members.some((m) => m.id === id))
			.slice(0, 2);
		expect(outsiders).toHaveLength(2);
		const where = { accountId: byId(acc.account.id), chatId: byId(group.chat.id) };
		const path = `/v2/${acc.account.id}/chats/${group.chat.id}/participants`;
		const added = await v2({ resource: 'chat', operation: 'addParticipants', ...where, attendeesIds: ` ${outsiders[0]} , ${outsiders[1]},` });
		expect(added.error).toBeUndefined();
		expect(sent()).toEqual(outsiders.map((id) => ({ method: 'POST', path, query: {}, json: { user_id: id } })));
		expect(added.items.map((i) => i.json)).toEqual([{ object: 'ParticipantAdded' }]);
		expect(group.members.map((m) => m.id)).toEqual(expect.arrayContaining(outsiders));

		sandbox.clearRequests();
		const removed = await v2({ resource: 'chat', operation: 'removeParticipants', ...where, attendeesIds: '={{ $json.ids }}' }, { items: [{ ids: outsiders }] });
		expect(removed.error).toBeUndefined();
		expect(sent()).toEqual(outsiders.map((id) => ({ method: 'DELETE', path: `${path}/${id}`, query: {}, json: undefined })));
		expect(removed.items.map((i) => i.json)).toEqual([{ object: 'ParticipantRemoved' }]);
		expect(group.members.some((m) => outsiders.includes(m.id))).toBe(false);
	});

	test('Remove Participants: a 503 on the first person stops there (not resent, the rest not sent) and says it may have been done', async () => {
		const acc = v2Account('whatsapp');
		const group = v2Chats(acc.account.id).find((c) => c.chat.is_group)!;
		const [first, second] = group.members.map((m) => m.id);
		sandbox.injectFault({ method: 'DELETE', path: /\/participants\//, status: 503, times: 3 });
		const { error } = await v2({ resource: 'chat', operation: 'removeParticipants', accountId: byId(acc.account.id), chatId: byId(group.chat.id), attendeesIds: `${first},${second}` });
		expect(sandbox.requests.map((r) => r.path)).toEqual([`/v2/${acc.account.id}/chats/${group.chat.id}/participants/${first}`]);
		expect(error?.message).toMatch(/the removal of the participant may have been sent$/);
	});

	test('bad input is refused before sending, naming the field: no participants, an empty reaction, an empty text, no chat', async () => {
		const { acc, base } = v2Own('linkedin', true);
		const group = v2Chats(acc.account.id).find((c) => c.chat.is_group) ?? v2Chats(acc.account.id)[0];
		const none = await v2({ resource: 'chat', operation: 'addParticipants', accountId: byId(acc.account.id), chatId: byId(group.chat.id), attendeesIds: ' , ' });
		expect(none.error?.message).toBe('"Participant IDs" is empty');
		// An expression that gives nothing for the item (an empty field typed in is n8n's own "required" issue).
		const reaction = await v2({ resource: 'message', operation: 'addReaction', ...base, reaction: '={{ $json.emoji }}' }, { items: [{ emoji: '' }] });
		expect(reaction.error?.message).toBe('"Reaction" is empty');
		const text = await v2({ resource: 'message', operation: 'edit', ...base, text: '   ' });
		expect(text.error?.message).toBe('"Text" is empty');
		const chat = await v2({ resource: 'message', operation: 'delete', ...base, messageChatId: byId('') });
		expect(chat.error?.message).toMatch(/"Message's Chat ID" is (empty|required)/);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('the sandbox takes exactly the bodies the v2 SDK types: {reaction} on both reaction routes, {text}, {user_id}, none elsewhere', async () => {
		const { acc, rec, msg } = v2Own('whatsapp', true);
		const call = async (method: string, path: string, body?: unknown) => {
			const res = await fetch(`${sandbox.url}/v2/${acc.account.id}/chats/${rec.chat.id}${path}`, {
				method,
				headers: { 'X-API-KEY': sandbox.v2.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return res.status;
		};
		const message = `/messages/${msg.id}`;
		expect(await call('DELETE', `${message}/reactions`)).toBe(400);
		expect(await call('DELETE', `${message}/reactions`, { reaction: '👍', emoji: '👍' })).toBe(400);
		expect(await call('POST', `${message}/modify`, { text: 'x', attachments: [] })).toBe(400);
		expect(await call('POST', '/participants', { user_ids: ['someone'] })).toBe(400);
		expect(await call('POST', `${message}/read`, {})).toBe(400);
		expect(await call('DELETE', message, { for_everyone: true })).toBe(400);
		expect(await call('DELETE', '', {})).toBe(400);
		expect(await call('DELETE', `${message}?for_everyone=true`)).toBe(400);
		expect(rec.messages.some((m) => m.id === msg.id)).toBe(true);
	});

	test('Continue On Fail: an unknown message is an error item, the next item is edited', async () => {
		const { msg, base } = v2Own('whatsapp', true);
		const { items, error } = await v2(
			{ resource: 'message', operation: 'edit', ...base, messageId: '={{ $json.id }}', text: 'New' },
			{ items: [{ id: 'missing' }, { id: msg.id }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toEqual(expect.stringMatching(/not found/i));
		expect(items[1].json).toEqual(expect.objectContaining({ id: msg.id, text: 'New', is_edited: true }));
	});
});
