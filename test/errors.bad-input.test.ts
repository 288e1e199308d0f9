import type { INodeParameters } from 'n8n-workflow';
import { runNode, type RunOptions } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

const photo = { json: {}, binaryFiles: { photo: { data: Buffer.from('png-bytes').toString('base64'), fileName: 'p.png', mimeType: 'image/png' } } };

interface BadInput {
	what: string;
	parameters: INodeParameters;
	message: string | RegExp;
	/** Part of the error's description (the fix). */
	fix?: string | RegExp;
	credentials?: { dsn?: string; apiKey?: string };
	items?: RunOptions['items'];
}

const chatGet = { resource: 'chat', operation: 'get' };
const chatGetAll = { resource: 'chat', operation: 'getAll' };
const send = { resource: 'message', operation: 'send', chatId: 'chat-1', text: 'hi' };
const start = { resource: 'chat', operation: 'start', accountId: 'acc_whatsapp_1', attendeesIds: '33611111111@s.whatsapp.net', text: 'hi' };

const table: BadInput[] = [
	// ids: empty (n8n itself refuses to run), blank, or an expression that gives nothing (our check)
	{ what: 'Chat ID empty (n8n refuses to run)', parameters: { ...chatGet, chatId: '' }, message: 'Parameter "Chat ID" is required' },
	{ what: 'Chat ID as a blank from an expression', parameters: { ...chatGet, chatId: '={{ " " }}' }, message: '"Chat ID" is empty', fix: 'Enter a value for "Chat ID"' },
	{ what: 'Chat ID blank', parameters: { ...chatGet, chatId: '   ' }, message: '"Chat ID" is empty' },
	{ what: 'Chat ID from a missing field', parameters: { ...chatGet, chatId: '={{ $json.chat_id }}' }, message: '"Chat ID" is empty', fix: 'input item 0' },
	{ what: 'update: Chat ID empty', parameters: { resource: 'chat', operation: 'update', chatId: ' ', action: 'setReadStatus', value: true }, message: '"Chat ID" is empty' },
	{ what: 'attendees of chat: Chat ID empty', parameters: { resource: 'chat', operation: 'getAttendees', chatId: ' ' }, message: '"Chat ID" is empty' },
	{ what: 'sync: Chat ID empty', parameters: { resource: 'chat', operation: 'sync', chatId: ' ' }, message: '"Chat ID" is empty' },
	{ what: 'send: Chat ID empty', parameters: { ...send, chatId: ' ' }, message: '"Chat ID" is empty' },
	{ what: 'forward: Message ID empty', parameters: { resource: 'message', operation: 'forward', messageId: ' ', chatId: 'c' }, message: '"Message ID" is empty' },
	{ what: 'forward: target Chat ID empty', parameters: { resource: 'message', operation: 'forward', messageId: 'm', chatId: ' ' }, message: /"(Target )?Chat ID" is empty/ },
	{ what: 'get message: Message ID blank', parameters: { resource: 'message', operation: 'get', messageId: '\t' }, message: '"Message ID" is empty' },
	{ what: 'attachment: Attachment ID empty', parameters: { resource: 'message', operation: 'getAttachment', messageId: 'm', attachmentId: ' ' }, message: '"Attachment ID" is empty' },
	{ what: 'attendee: ID empty', parameters: { resource: 'attendee', operation: 'get', attendeeId: '' }, message: 'Parameter "Attendee ID" is required' },
	{ what: 'attendee picture: ID empty', parameters: { resource: 'attendee', operation: 'getPicture', attendeeId: ' ' }, message: '"Attendee or Chat ID" is empty' },
	{ what: 'profile: identifier empty', parameters: { resource: 'user', operation: 'getProfile', identifier: ' ', accountId: 'acc_linkedin_1' }, message: /"(Identifier|User Identifier)" is empty/ },
	{ what: 'profile: account empty', parameters: { resource: 'user', operation: 'getProfile', identifier: 'john', accountId: ' ' }, message: '"Account ID" is empty' },
	{ what: 'account: ID empty', parameters: { resource: 'account', operation: 'get', accountId: ' ' }, message: '"Account ID" is empty' },
	{ what: 'delete account: ID blank', parameters: { resource: 'account', operation: 'delete', accountId: '  ' }, message: '"Account ID" is empty' },
	{ what: 'checkpoint: code empty', parameters: { resource: 'account', operation: 'solveCheckpoint', provider: 'LINKEDIN', accountId: 'acc_linkedin_1', code: ' ' }, message: /"(Code|Verification Code)" is empty/ },
	// limits
	{ what: 'Limit 0', parameters: { ...chatGetAll, limit: 0 }, message: '"Limit" must be a whole number from 1 to 250, not 0', fix: 'Return All' },
	{ what: 'Limit 251', parameters: { ...chatGetAll, limit: 251 }, message: 'from 1 to 250, not 251' },
	{ what: 'Limit 2.5', parameters: { resource: 'message', operation: 'getAll', limit: 2.5 }, message: 'from 1 to 250, not 2.5' },
	{ what: 'Limit from an expression that is not a number', parameters: { resource: 'attendee', operation: 'getAll', limit: '={{ "ten" }}' }, message: 'from 1 to 250, not "ten"' },
	// dates
	{ what: 'Before not a date', parameters: { ...chatGetAll, filters: { before: 'yesterday' } }, message: '"Before" is not a valid date: "yesterday"', fix: 'ISO 8601' },
	{ what: 'After impossible date', parameters: { resource: 'message', operation: 'getAll', filters: { after: '2026-13-45T00:00:00Z' } }, message: '"After" is not a valid date' },
	{ what: 'attendee chats: Before not a date', parameters: { resource: 'attendee', operation: 'getChats', attendeeId: 'a', filters: { before: 'soon' } }, message: '"Before" is not a valid date' },
	{ what: 'hosted link: Expires On not a date', parameters: { resource: 'account', operation: 'createHostedAuthLink', type: 'create', providers: ['*'], expiresOn: 'tomorrow-ish' }, message: /Expires On/ },
	// what to send
	{ what: 'start: no attendee at all', parameters: { ...start, attendeesIds: ' ' }, message: '"Attendee IDs" is empty' },
	{ what: 'start: only separators', parameters: { ...start, attendeesIds: ' , ,' }, message: '"Attendee IDs" holds no ID', fix: 'at least one provider ID' },
	{ what: 'start: an empty array from an expression', parameters: { ...start, attendeesIds: '={{ [] }}' }, message: '"Attendee IDs" is empty' },
	{ what: 'start: Account ID empty', parameters: { ...start, accountId: ' ' }, message: '"Account ID" is empty' },
	{ what: 'start: no text and no file', parameters: { ...start, text: '' }, message: 'Nothing to send: "Text" is empty and no file is attached' },
	{ what: 'send: no text and no file', parameters: { ...send, text: '   ' }, message: 'Nothing to send', fix: 'Attachments' },
	{ what: 'send: attachment from a binary field that does not exist', parameters: { ...send, options: { attachments: 'photo, invoice' } }, items: [photo], message: 'no binary field "invoice"', fix: 'Available: photo' },
	{ what: 'send: voice message from a missing binary field', parameters: { ...send, options: { voiceMessage: 'voice' } }, message: 'no binary field "voice"' },
	// credentials
	{ what: 'DSN empty', parameters: { ...chatGetAll, limit: 1 }, credentials: { dsn: '' }, message: 'The DSN of the Unipile API credential is not valid', fix: 'api1.unipile.com:13111' },
	{ what: 'DSN with a path and query', parameters: { ...chatGetAll, limit: 1 }, credentials: { dsn: 'api1.unipile.com:13111/api/v1/chats?x=1' }, message: 'The DSN of the Unipile API credential is not valid' },
	{ what: 'DSN with spaces', parameters: { ...chatGetAll, limit: 1 }, credentials: { dsn: 'my unipile dsn' }, message: 'The DSN of the Unipile API credential is not valid' },
	{ what: 'API key empty', parameters: { ...chatGetAll, limit: 1 }, credentials: { apiKey: '' }, message: 'The API Key of the Unipile API credential is empty', fix: 'Access Tokens' },
	{ what: 'API key blank', parameters: { ...chatGetAll, limit: 1 }, credentials: { apiKey: '  \n' }, message: 'The API Key of the Unipile API credential is empty' },
];

test(`the table holds at least 30 bad inputs (${table.length})`, () => {
	expect(table.length).toBeGreaterThanOrEqual(30);
});

test.each(table.map((entry) => [entry.what, entry] as const))('%s: clear error, nothing sent', async (_what, entry) => {
	const { error, items } = await runNode({
		credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey, ...entry.credentials },
		parameters: entry.parameters,
		items: entry.items,
	});
	expect(items).toHaveLength(0);
	expect(error).toBeDefined();
	if (typeof entry.message === 'string') expect(error!.message).toContain(entry.message);
	else expect(error!.message).toMatch(entry.message);
	if (entry.fix) {
		if (typeof entry.fix === 'string') expect(error!.description).toContain(entry.fix);
		else expect(error!.description).toMatch(entry.fix);
	}
	expect(sandbox.requests).toEqual([]);
});
