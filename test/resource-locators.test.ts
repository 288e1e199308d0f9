import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type ILoadOptionsFunctions, type INode, type INodeListSearchResult, type INodeType } from 'n8n-workflow';
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { additionalDataFor, loadPackage, nodeTypes, pollHarness, runNode } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

let sandbox: Sandbox;
let credentials: { dsn: string; apiKey: string };

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 250, messagesPerChat: 1 });
	credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
	await loadPackage();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

const picked = (value: string) => ({ __rl: true, mode: 'list', value });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const firstChat = () => sandbox.store.sortedChats()[0];

describe('Account and Chat pickers through the engine', () => {
	test.each([
		['picked from the list', picked],
		['given by ID', byId],
	])('Chat → Get with a chat %s: the ID lands in the path', async (_what, form) => {
		const chat = firstChat();
		const { items, error } = await runNode({ credentials, parameters: { resource: 'chat', operation: 'get', chatId: form(chat.id) } });
		expect(error).toBeUndefined();
		expect(sandbox.requests.map((r) => [r.method, r.path, r.query])).toEqual([['GET', `/chats/${chat.id}`, {}]]);
		expect(items[0].json.id).toBe(chat.id);
	});

	test('Chat → Get by provider ID with the account picked: account_id in the query', async () => {
		const chat = firstChat();
		const { error } = await runNode({
			credentials,
			parameters: { resource: 'chat', operation: 'get', chatId: byId(chat.provider_id), accountId: picked(chat.account_id) },
		});
		expect(error).toBeUndefined();
		expect(sandbox.requests.map((r) => [r.path, r.query])).toEqual([[`/chats/${chat.provider_id}`, { account_id: chat.account_id }]]);
	});

	test('an ID typed with spaces or slashes is trimmed and URL-encoded, as a plain string is', async () => {
		await runNode({ credentials, parameters: { resource: 'chat', operation: 'sync', chatId: byId('  ../accounts ') } });
		expect(sandbox.requests[0].rawPath).toBe('/api/v1/chats/..%2Faccounts/sync');
	});

	test('an ID from an expression inside the picker is resolved per item', async () => {
		const [a, b] = sandbox.store.sortedChats();
		const { error } = await runNode({
			credentials,
			parameters: { resource: 'chat', operation: 'get', chatId: byId('={{ $json.chat }}') },
			items: [{ chat: a.id }, { chat: b.id }],
		});
		expect(error).toBeUndefined();
		expect(sandbox.requests.map((r) => r.path)).toEqual([`/chats/${a.id}`, `/chats/${b.id}`]);
	});

	test('Message → Send: picked chat in the path, picked account in the multipart form', async () => {
		const chat = firstChat();
		const { error } = await runNode({
			credentials,
			parameters: {
				resource: 'message',
				operation: 'send',
				chatId: picked(chat.id),
				text: 'Hello',
				options: { accountId: picked(chat.account_id) },
			},
		});
		expect(error).toBeUndefined();
		expect(sandbox.requests[0].path).toBe(`/chats/${chat.id}/messages`);
		expect(sandbox.requests[0].form).toEqual([
			{ name: 'text', value: 'Hello' },
			{ name: 'account_id', value: chat.account_id },
		]);
	});

	test('Chat → Start: the picked account is the account_id form field', async () => {
		const contact = sandbox.store.sortedAttendees().find((a) => a.account_id === 'acc_linkedin_1' && !a.is_self)!;
		const { error } = await runNode({
			credentials,
			parameters: { resource: 'chat', operation: 'start', accountId: picked('acc_linkedin_1'), attendeesIds: contact.provider_id, text: 'Hi' },
		});
		expect(error).toBeUndefined();
		expect(sandbox.requests[0].form?.[0]).toEqual({ name: 'account_id', value: 'acc_linkedin_1' });
	});

	test('Message → Forward: the picked target chat is chat_id in the body', async () => {
		const [source, target] = sandbox.store.sortedChats().filter((c) => c.account_type === 'WHATSAPP');
		const message = sandbox.store.sortedMessages().find((m) => m.chat_id === source.id)!;
		const { error } = await runNode({
			credentials,
			parameters: { resource: 'message', operation: 'forward', messageId: message.id, chatId: picked(target.id) },
		});
		expect(error).toBeUndefined();
		expect(sandbox.requests[0].json).toEqual({ chat_id: target.id });
	});

	test('Message → Get Many: a picked chat selects the chat endpoint; an empty picker lists all messages with the account filter', async () => {
		const chat = firstChat();
		await runNode({ credentials, parameters: { resource: 'message', operation: 'getAll', chatId: picked(chat.id), limit: 1 } });
		await runNode({
			credentials,
			parameters: { resource: 'message', operation: 'getAll', chatId: picked(''), limit: 1, filters: { accountId: picked('acc_whatsapp_1') } },
		});
		expect(sandbox.requests.map((r) => [r.path, r.query])).toEqual([
			[`/chats/${chat.id}/messages`, { limit: '1' }],
			['/messages', { limit: '1', account_id: 'acc_whatsapp_1' }],
		]);
	});

	test('User → Get Profile, Account → Get, Attendee → Get Many: the picked account is sent bare', async () => {
		const contact = sandbox.store.sortedAttendees().find((a) => a.account_id === 'acc_whatsapp_1' && !a.is_self)!;
		await runNode({ credentials, parameters: { resource: 'user', operation: 'getProfile', identifier: contact.provider_id, accountId: picked('acc_whatsapp_1') } });
		await runNode({ credentials, parameters: { resource: 'account', operation: 'get', accountId: byId('acc_whatsapp_1') } });
		await runNode({ credentials, parameters: { resource: 'attendee', operation: 'getAll', limit: 1, filters: { accountId: picked('acc_whatsapp_1') } } });
		expect(sandbox.requests.map((r) => [r.path, r.query])).toEqual([
			[`/users/${contact.provider_id}`, { account_id: 'acc_whatsapp_1' }],
			['/accounts/acc_whatsapp_1', {}],
			['/chat_attendees', { limit: '1', account_id: 'acc_whatsapp_1' }],
		]);
	});

	test('Unipile Polling Trigger: a picked chat is the watched stream', async () => {
		const chat = firstChat();
		const trigger = pollHarness({ credentials, parameters: { chatId: picked(chat.id) } });
		const [items] = (await trigger.poll('manual'))!;
		expect(sandbox.requests.map((r) => r.path)).toEqual([`/chats/${chat.id}/messages`]);
		expect(items[0].json.chat_id).toBe(chat.id);
	});

	test('a required picker left empty: n8n refuses to run, nothing is sent', async () => {
		const { error } = await runNode({ credentials, parameters: { resource: 'chat', operation: 'get', chatId: picked('') } });
		expect(error?.message).toMatch(/"Chat ID"/);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('a required picker whose expression gives a blank: the node says which field is empty, nothing is sent', async () => {
		const { error } = await runNode({ credentials, parameters: { resource: 'chat', operation: 'get', chatId: byId('={{ " " }}') } });
		expect(error?.message).toBe('"Chat ID" is empty');
		expect(sandbox.requests).toHaveLength(0);
	});
});

/** The listSearch methods as the editor calls them: n8n-core's LoadOptionsContext, real HTTP, the node's credential. */
function listSearchContext(type: string, parameterName: string): ILoadOptionsFunctions {
	const node: INode = {
		id: 'n1',
		name: 'Node',
		type,
		typeVersion: 1,
		position: [0, 0],
		// The v1 credential, chosen in Authentication where the node has it.
		parameters: { authentication: 'unipileApi' },
		credentials: { unipileApi: { id: 'cred-1', name: 'Unipile account' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
	return new LoadOptionsContext(workflow, node, { ...additionalDataFor(credentials), currentNodeParameters: node.parameters } as IWorkflowExecuteAdditionalData, `parameters.${parameterName}`);
}

type SearchMethod = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

function method(type: string, name: string): SearchMethod {
	const nodeType = nodeTypes().getByNameAndVersion(type, 1) as INodeType;
	return nodeType.methods!.listSearch![name] as SearchMethod;
}

async function readAll(context: ILoadOptionsFunctions, search: SearchMethod, filter?: string) {
	const pages: INodeListSearchResult[] = [];
	let token: string | undefined;
	do {
		const page = await search.call(context, filter, token);
		pages.push(page);
		token = page.paginationToken;
	} while (token !== undefined);
	return pages;
}

describe('listSearch methods', () => {
	test('searchChats pages with Unipile cursors as paginationToken until the last chat, in API order', async () => {
		const pages = await readAll(listSearchContext('CUSTOM.unipile', 'chatId'), method('CUSTOM.unipile', 'searchChats'));
		const chats = sandbox.store.sortedChats();
		expect(pages.map((page) => page.results.length)).toEqual([100, 100, 50]);
		expect(pages.flatMap((page) => page.results.map((r) => r.value))).toEqual(chats.map((c) => c.id));
		const cursors = sandbox.requests.map((r) => r.query.cursor);
		expect(cursors[0]).toBeUndefined();
		expect(cursors.slice(1)).toEqual(pages.slice(0, -1).map((page) => page.paginationToken));
		expect(sandbox.requests.every((r) => r.path === '/chats' && r.query.limit === '100')).toBe(true);
	});

	test('searchChats names say the provider and who the chat is with', async () => {
		const page = await method('CUSTOM.unipile', 'searchChats').call(listSearchContext('CUSTOM.unipile', 'chatId'));
		const chat = firstChat();
		const label = { WHATSAPP: 'WhatsApp', LINKEDIN: 'LinkedIn', INSTAGRAM: 'Instagram', TELEGRAM: 'Telegram', MESSENGER: 'Messenger', TWITTER: 'X' }[
			chat.account_type as string
		];
		expect(page.results[0]).toEqual({ name: `${label} · ${chat.name}`, value: chat.id });
	});

	test('searchChats filters on name and ID (case-insensitive), reading on until enough match or the list ends', async () => {
		const chats = sandbox.store.sortedChats();
		const target = chats[chats.length - 1];
		const byIdPages = await readAll(listSearchContext('CUSTOM.unipile', 'chatId'), method('CUSTOM.unipile', 'searchChats'), target.id.toUpperCase());
		expect(byIdPages.flatMap((page) => page.results.map((r) => r.value))).toEqual([target.id]);
		expect(byIdPages).toHaveLength(1);

		const word = String(chats[0].name).split(' ')[0].toLowerCase();
		const expected = chats.filter((c) => `${c.name} ${c.id}`.toLowerCase().includes(word)).map((c) => c.id);
		const pages = await readAll(listSearchContext('CUSTOM.unipile', 'chatId'), method('CUSTOM.unipile', 'searchChats'), word);
		expect(pages.flatMap((page) => page.results.map((r) => r.value))).toEqual(expected);
	});

	test('searchAccounts: every account, "Provider · name", paged past 100 accounts', async () => {
		for (let i = 0; i < 130; i++) sandbox.store.createAccount('TELEGRAM', `Extra ${i}`);
		try {
			const pages = await readAll(listSearchContext('CUSTOM.unipile', 'accountId'), method('CUSTOM.unipile', 'searchAccounts'));
			const accounts = sandbox.store.sortedAccounts();
			expect(pages.length).toBe(Math.ceil(accounts.length / 100));
			expect(pages.flatMap((page) => page.results.map((r) => r.value))).toEqual(accounts.map((a) => a.id));
			expect(pages[0].results[0]).toEqual({ name: 'WhatsApp · +33 6 12 34 56 78', value: 'acc_whatsapp_1' });
			const linkedin = await method('CUSTOM.unipile', 'searchAccounts').call(listSearchContext('CUSTOM.unipile', 'accountId'), 'linkedin');
			expect(linkedin).toEqual({ results: [{ name: 'LinkedIn · Sandra Box', value: 'acc_linkedin_1' }] });
		} finally {
			sandbox.reset();
		}
	});

	test('the trigger has the same chat picker', async () => {
		const result = await method('CUSTOM.unipilePollingTrigger', 'searchChats').call(listSearchContext('CUSTOM.unipilePollingTrigger', 'chatId'));
		expect(result.results).toHaveLength(100);
		expect(result.paginationToken).toEqual(expect.any(String));
	});

	test('a wrong API key fails the search with the HTTP error (the editor shows it)', async () => {
		const saved = credentials;
		credentials = { ...saved, apiKey: 'wrong' };
		try {
			await expect(method('CUSTOM.unipile', 'searchChats').call(listSearchContext('CUSTOM.unipile', 'chatId'))).rejects.toThrow();
		} finally {
			credentials = saved;
		}
	});
});
