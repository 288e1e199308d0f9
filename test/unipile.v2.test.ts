/**
 * The Unipile node on Unipile API v2 (Authentication → Unipile API V2, the V2 API credential): Chat, Message and User
 * operations run through n8n's engine against the sandbox's v2 environment, asserting the request Unipile receives
 * (method, path, query, JSON body field by field) and the items n8n outputs; pickers list v2 accounts and chats;
 * operations v2 lacks are refused before anything is sent with the v2 way to do it. The same parameters with
 * Authentication → v1 still run on v1 (every v1 test of the node does that).
 */
import { createHash } from 'node:crypto';
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type INode, type INodeListSearchResult, type INodeType, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { additionalDataFor, loadPackage, nodeTypes, runNode } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

type Any = any;

let sandbox: Sandbox;
let credentials: { apiKey: string; baseUrl: string };

beforeAll(async () => {
	sandbox = await startSandbox();
	credentials = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	await loadPackage();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.clearRequests();
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const account = (provider: string) => sandbox.v2.accounts.find((a: Any) => a.provider === provider && a.status === 'running')!;
const run = async (parameters: Record<string, unknown>, items?: Any) => await runNode({ credentials, parameters: { authentication: 'unipileApiV2', ...parameters } as Any, items });
const sent = () => sandbox.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, json: r.json }));

async function chatsOf(accountId: string): Promise<Any[]> {
	const res = await fetch(`${sandbox.url}/v2/${accountId}/chats?limit=250`, { headers: { 'X-API-KEY': sandbox.v2.apiKey, 'Cache-Control': 'no-store' } });
	return ((await res.json()) as Any).data;
}

describe('Chat on v2', () => {
	test('Get Many: one account\'s chats, every page with Return All, Unread filter as is_unread; Limit is filled across pages', async () => {
		for (const provider of ['linkedin', 'whatsapp']) {
			const acc = account(provider);
			const all = await chatsOf(acc.id);
			sandbox.clearRequests();
			const { items, error } = await run({ resource: 'chat', operation: 'getAll', accountId: byId(acc.id), returnAll: true });
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json.id)).toEqual(all.map((c) => c.id));
			expect(sandbox.requests.every((r) => r.path === `/v2/${acc.id}/chats` && r.query.limit === '250')).toBe(true);
		}
		const acc = account('linkedin');
		sandbox.clearRequests();
		const { items } = await run({ resource: 'chat', operation: 'getAll', accountId: byId(acc.id), limit: 2, filters: { unread: true, after: '2020-01-01T00:00:00Z' } });
		expect(items.length).toBeLessThanOrEqual(2);
		expect(sent()[0]).toEqual({ method: 'GET', path: `/v2/${acc.id}/chats`, query: { limit: '2', is_unread: 'true', after: '2020-01-01T00:00:00.000Z' }, json: undefined });
	});

	test('Get, Update (one named field), Get Attendees of a group', async () => {
		const acc = account('whatsapp');
		const chats = await chatsOf(acc.id);
		const [chat] = chats;
		sandbox.clearRequests();
		const got = await run({ resource: 'chat', operation: 'get', accountId: byId(acc.id), chatId: byId(chat.id) });
		expect(got.items.map((i) => i.json.id)).toEqual([chat.id]);
		const updated = await run({ resource: 'chat', operation: 'update', accountId: byId(acc.id), chatId: byId(chat.id), action: 'setReadStatus', value: false });
		expect(updated.error).toBeUndefined();
		expect(updated.items[0].json).toEqual(expect.objectContaining({ object: 'Chat', id: chat.id }));
		const muted = await run({ resource: 'chat', operation: 'update', accountId: byId(acc.id), chatId: byId(chat.id), action: 'setMuteStatus', value: true });
		expect(muted.error).toBeUndefined();
		expect(sent()).toEqual([
			{ method: 'GET', path: `/v2/${acc.id}/chats/${chat.id}`, query: {}, json: undefined },
			{ method: 'PATCH', path: `/v2/${acc.id}/chats/${chat.id}`, query: {}, json: { read_status: false } },
			{ method: 'PATCH', path: `/v2/${acc.id}/chats/${chat.id}`, query: {}, json: { muted_until: true } },
		]);
		// Reads may come from Unipile's cache; Bypass Unipile Cache asks for the current state.
		sandbox.clearRequests();
		await run({ resource: 'chat', operation: 'get', accountId: byId(acc.id), chatId: byId(chat.id), bypassCache: true });
		expect(sandbox.requests.map((r) => r.headers['cache-control'])).toEqual(['no-cache']);
		const group = chats.find((c) => c.type === 'group');
		if (group) {
			const members = await run({ resource: 'chat', operation: 'getAttendees', accountId: byId(acc.id), chatId: byId(group.id) });
			expect(members.error).toBeUndefined();
			expect(members.items.every((i) => i.json.object === 'GroupParticipant')).toBe(true);
		}
	});

	test('Start: one person is a 1to1 chat (users_ids a string), several a group; files go as base64; the subject is the name', async () => {
		const acc = account('linkedin');
		const pdf = Buffer.from('%PDF-1.4 deck');
		const { items, error } = await run(
			{ resource: 'chat', operation: 'start', accountId: byId(acc.id), attendeesIds: 'ACoAAPeople1', text: 'Hello', options: { subject: 'Intro', attachments: 'deck' }, linkedin: { api: 'classic', inmail: true } },
			[{ json: {}, binaryFiles: { deck: { data: pdf.toString('base64'), fileName: 'deck.pdf', mimeType: 'application/pdf' } } }],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual(expect.objectContaining({ object: 'ChatStarted', chat_id: expect.any(String) }));
		const [start] = sandbox.requests;
		expect([start.method, start.path]).toEqual(['POST', `/v2/${acc.id}/chats/send`]);
		expect(start.json).toEqual({
			users_ids: 'ACoAAPeople1',
			text: 'Hello',
			name: 'Intro',
			attachments: [expect.objectContaining({ filename: 'deck.pdf', content_type: 'application/pdf' })],
			specifics: { linkedin: { classic: { inmail: true } } },
		});
		expect(start.attachments).toEqual([expect.objectContaining({ size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') })]);

		sandbox.clearRequests();
		const group = await run({ resource: 'chat', operation: 'start', accountId: byId(acc.id), attendeesIds: 'ACoAAPeople1, ACoAAPeople2', text: 'Hi both' });
		expect(group.error).toBeUndefined();
		expect(sandbox.requests[0].json).toEqual({ users_ids: ['ACoAAPeople1', 'ACoAAPeople2'], text: 'Hi both' });
	});

	test('Sync History on v2 is refused before anything is sent, with the v2 way', async () => {
		const acc = account('whatsapp');
		const { error } = await run({ resource: 'chat', operation: 'sync', accountId: byId(acc.id), chatId: byId('x') });
		expect(error?.message).toBe('chat → sync is not available on Unipile API v2');
		expect(error?.description).toMatch(/Message → Get Many/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Message on v2', () => {
	test('Send with a file, Get it back (its chat given), Get Many of the chat with a sender filter, Forward it', async () => {
		const acc = account('whatsapp');
		const [chat, other] = await chatsOf(acc.id);
		sandbox.clearRequests();
		const png = Buffer.from('\x89PNG sandbox');
		const send = await run(
			{ resource: 'message', operation: 'send', accountId: byId(acc.id), chatId: byId(chat.id), text: 'Here it is', options: { attachments: 'image', quoteId: '' } },
			[{ json: {}, binaryFiles: { image: { data: png.toString('base64'), fileName: 'photo.png', mimeType: 'image/png' } } }],
		);
		expect(send.error).toBeUndefined();
		expect(send.items[0].json).toEqual(expect.objectContaining({ object: 'MessageSent' }));
		expect(sandbox.requests[0]).toEqual(expect.objectContaining({ method: 'POST', path: `/v2/${acc.id}/chats/${chat.id}/messages/send` }));
		expect(sandbox.requests[0].json).toEqual({ text: 'Here it is', attachments: [expect.objectContaining({ filename: 'photo.png', content_type: 'image/png' })] });
		const messageId = [send.items[0].json.message_id].flat()[0] as string;

		sandbox.clearRequests();
		const got = await run({ resource: 'message', operation: 'get', accountId: byId(acc.id), messageChatId: byId(chat.id), messageId });
		expect(got.items.map((i) => i.json.id)).toEqual([messageId]);
		const list = await run({ resource: 'message', operation: 'getAll', accountId: byId(acc.id), chatId: byId(chat.id), limit: 5, filters: { senderId: 'someone' } });
		expect(list.error).toBeUndefined();
		const forward = await run({ resource: 'message', operation: 'forward', accountId: byId(acc.id), messageChatId: byId(chat.id), messageId, chatId: byId(other.id) });
		expect(forward.items[0].json).toEqual(expect.objectContaining({ object: 'MessageForwarded', chat_id: other.id }));
		expect(sent()).toEqual([
			{ method: 'GET', path: `/v2/${acc.id}/chats/${chat.id}/messages/${messageId}`, query: {}, json: undefined },
			{ method: 'GET', path: `/v2/${acc.id}/chats/${chat.id}/messages`, query: { limit: '5', user_id: 'someone' }, json: undefined },
			{ method: 'POST', path: `/v2/${acc.id}/chats/${chat.id}/messages/${messageId}/forward`, query: {}, json: { chat_id: other.id } },
		]);
	});

	test('Get Attachment: one file, or every file of the message, as binary with its name and type', async () => {
		const acc = account('telegram');
		const [chat] = await chatsOf(acc.id);
		const files = [
			{ filename: 'a.txt', content_type: 'text/plain', bytes: Buffer.from('first file') },
			{ filename: 'b.pdf', content_type: 'application/pdf', bytes: Buffer.from('%PDF second') },
		];
		const message = sandbox.v2.injectMessage({ accountId: acc.id, chatId: chat.id, text: 'files', attachments: files });
		const one = await run({ resource: 'message', operation: 'getAttachment', accountId: byId(acc.id), messageChatId: byId(chat.id), messageId: message.id, attachmentId: message.attachments[1].id });
		expect(one.error).toBeUndefined();
		expect(one.items[0].binary!.data).toEqual(expect.objectContaining({ fileName: 'b.pdf', mimeType: 'application/pdf' }));
		expect(Buffer.from(one.items[0].binary!.data.data, 'base64').toString()).toBe('%PDF second');
		sandbox.clearRequests();
		const all = await run({ resource: 'message', operation: 'getAttachment', accountId: byId(acc.id), messageChatId: byId(chat.id), messageId: message.id, downloadAll: true });
		expect(all.error).toBeUndefined();
		expect(Object.keys(all.items[0].binary ?? {})).toEqual(['data_0', 'data_1']);
		expect(Buffer.from(all.items[0].binary!.data_0.data, 'base64').toString()).toBe('first file');
		expect(sandbox.requests.map((r) => r.path)).toEqual([
			`/v2/${acc.id}/chats/${chat.id}/messages/${message.id}`,
			`/v2/${acc.id}/chats/${chat.id}/messages/${message.id}/attachments/${message.attachments[0].id}`,
			`/v2/${acc.id}/chats/${chat.id}/messages/${message.id}/attachments/${message.attachments[1].id}`,
		]);
	});

	test("Get Many needs a chat on v2: without one, the error names the field; nothing is sent", async () => {
		const acc = account('whatsapp');
		const { error } = await run({ resource: 'message', operation: 'getAll', accountId: byId(acc.id), chatId: byId(' ') });
		expect(error?.message).toMatch(/"Chat (ID)?" is empty/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('User and Attendee on v2', () => {
	test('Get Profile: variant and sections as v2 names them', async () => {
		const acc = account('linkedin');
		const { items, error } = await run({ resource: 'user', operation: 'getProfile', accountId: byId(acc.id), identifier: 'me', options: { linkedinApi: 'sales_navigator', linkedinSections: ['experience', 'skills'] } });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual(expect.objectContaining({ object: 'UserProfile' }));
		const [request] = sandbox.requests;
		expect(request.path).toBe(`/v2/${acc.id}/users/me`);
		expect(request.query.variant).toBe('linkedin_sales_navigator');
		expect([request.query.with_sections ?? request.query['with_sections[]']].flat().join(',')).toBe('linkedin_experience,linkedin_skills');
	});

	test('Attendee operations on v2 are refused with where people are on v2', async () => {
		const { error } = await run({ resource: 'attendee', operation: 'get', attendeeId: 'x' });
		expect(error?.message).toBe('attendee is not available on Unipile API v2');
		expect(error?.description).toMatch(/User → Get Profile/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('pickers on v2', () => {
	function pickerContext(parameters: Record<string, unknown>, parameterName: string): LoadOptionsContext {
		const node: INode = { id: 'n1', name: 'Unipile', type: 'CUSTOM.unipile', typeVersion: 1, position: [0, 0], parameters: parameters as Any, credentials: { unipileV2Api: { id: 'c', name: 'Unipile v2' } } };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
		return new LoadOptionsContext(workflow, node, { ...additionalDataFor(credentials), currentNodeParameters: node.parameters } as IWorkflowExecuteAdditionalData, `parameters.${parameterName}`);
	}
	const search = (name: string) => (nodeTypes().getByNameAndVersion('CUSTOM.unipile', 1) as INodeType).methods!.listSearch![name] as (this: LoadOptionsContext, filter?: string, token?: string) => Promise<INodeListSearchResult>;

	test('accounts from the Core list, chats of the account chosen; a chat list without an account asks for it', async () => {
		const accounts = await search('searchAccounts').call(pickerContext({ authentication: 'unipileApiV2', resource: 'chat', operation: 'get' }, 'accountId'));
		expect(accounts.results.map((r) => r.value).sort()).toEqual(sandbox.v2.accounts.map((a: Any) => a.id).sort());
		expect(accounts.results.find((r) => r.value === account('whatsapp').id)!.name).toMatch(/^WhatsApp · /);
		const acc = account('linkedin');
		const chats = await search('searchChats').call(pickerContext({ authentication: 'unipileApiV2', resource: 'chat', operation: 'get', accountId: byId(acc.id) }, 'chatId'));
		expect(chats.results.map((r) => r.value)).toEqual((await chatsOf(acc.id)).slice(0, chats.results.length).map((c) => c.id));
		await expect(search('searchChats').call(pickerContext({ authentication: 'unipileApiV2', resource: 'chat', operation: 'get' }, 'chatId'))).rejects.toThrow('Choose the Account first');
	});
});
