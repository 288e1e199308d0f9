/**
 * Unipile Email through n8n's real engine against the sandbox: what Unipile receives, what the node outputs, and
 * what it refuses before anything is sent.
 */
import { LoadOptionsContext } from 'n8n-core';
import { nodeRequests } from './helpers/accountLookups';
import { Workflow, type ILoadOptionsFunctions, type INode, type INodeParameters, type INodePropertyOptions, type INodeType } from 'n8n-workflow';
import { additionalDataFor, loadPackage, nodeTypes, runNode, type RunOptions } from './harness/engine';
import { makePdf, makePng } from './sandbox/files';
import { startSandbox, type Sandbox } from './sandbox/server';
import { binaryBytes, itemWithFiles, sha256 } from './helpers/requests';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ chats: 4, messagesPerChat: 1 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.clearRequests();
	sandbox.clearFaults();
});

type Any = any;

const runEmail = (parameters: INodeParameters, extra: Omit<RunOptions, 'credentials' | 'parameters'> = {}) =>
	runNode({ credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey }, parameters, nodeType: 'CUSTOM.unipileEmail', ...extra });

const png = { fileName: 'chart.png', mimeType: 'image/png', bytes: makePng(20, 10, [10, 120, 200]) };
const pdf = { fileName: 'Devis n°7.pdf', mimeType: 'application/pdf', bytes: makePdf('Quote 7') };
const send = (parameters: Record<string, unknown>) => ({ resource: 'email', operation: 'send', accountId: 'acc_google_1', ...parameters });
const lastSent = () => sandbox.store.mail.emails.get(sandbox.store.mail.sends[sandbox.store.mail.sends.length - 1].emailId)!;

describe('Email → Send', () => {
	test('multipart as Unipile takes it: JSON recipient parts, files with their names and types, options, an Idempotency-Key', async () => {
		const result = await runEmail(
			send({
				to: 'Ada Lovelace <ada@example.com>, bob@example.com',
				cc: '"Hopper, Grace" <grace@example.org>',
				bcc: 'audit@example.net',
				fromName: 'Sandra from Acme',
				subject: 'Your quote',
				body: '<p>Hello Ada, the quote is attached.</p>',
				attachments: 'quote, chart',
				options: {
					customHeaders: { header: [{ name: 'X-Campaign', value: 'q4' }, { name: 'List-Unsubscribe', value: '<mailto:unsub@example.com>' }] },
					trackingOptions: { opens: true, links: false, label: 'q4-quotes' },
				},
			}),
			{ items: [itemWithFiles({ quote: pdf, chart: png })] },
		);
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sandbox)).toHaveLength(1);
		const request = nodeRequests(sandbox)[0];
		expect(request).toMatchObject({ method: 'POST', path: '/emails', query: {}, status: 201 });
		expect(request.headers['idempotency-key']).toMatch(/^n8n-[0-9a-f]{48}$/);
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		const fields = Object.fromEntries(request.form!.filter((f) => 'value' in f).map((f: Any) => [f.name, f.value]));
		expect(fields).toEqual({
			account_id: 'acc_google_1',
			to: JSON.stringify([{ display_name: 'Ada Lovelace', identifier: 'ada@example.com' }, { identifier: 'bob@example.com' }]),
			cc: JSON.stringify([{ display_name: 'Hopper, Grace', identifier: 'grace@example.org' }]),
			bcc: JSON.stringify([{ identifier: 'audit@example.net' }]),
			from: JSON.stringify({ display_name: 'Sandra from Acme' }),
			subject: 'Your quote',
			body: '<p>Hello Ada, the quote is attached.</p>',
			custom_headers: JSON.stringify([{ name: 'X-Campaign', value: 'q4' }, { name: 'List-Unsubscribe', value: '<mailto:unsub@example.com>' }]),
			tracking_options: JSON.stringify({ opens: true, links: false, label: 'q4-quotes' }),
		});
		expect(request.form!.filter((f) => 'fileName' in f)).toEqual([
			{ name: 'attachments', fileName: pdf.fileName, mimeType: pdf.mimeType, size: pdf.bytes.length, sha256: sha256(pdf.bytes) },
			{ name: 'attachments', fileName: png.fileName, mimeType: png.mimeType, size: png.bytes.length, sha256: sha256(png.bytes) },
		]);
		expect(result.items.map((item) => item.json)).toEqual([{ object: 'EmailSent', tracking_id: expect.any(String) }]);
		const email = lastSent();
		expect(email).toMatchObject({ role: 'sent', subject: 'Your quote', from_attendee: { display_name: 'Sandra from Acme', identifier: 'sandra.box@example.com' } });
		for (const [index, file] of [pdf, png].entries()) {
			expect(sandbox.store.mail.files.get(`${email.id}/${email.attachments[index].id}`)!.bytes.equals(file.bytes)).toBe(true);
		}
	});

	test('addresses mapped as an array of strings and objects; each item has its own Idempotency-Key', async () => {
		const result = await runEmail(send({ to: '={{ $json.recipients }}', subject: 'Hi', body: '={{ $json.text }}' }), {
			items: [
				{ recipients: ['Ada <ada@example.com>', { display_name: 'Bob', identifier: 'bob@example.com' }], text: 'one' },
				{ recipients: [{ identifier: 'eve@example.com' }], text: 'two' },
			],
		});
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sandbox).map((r) => r.form!.find((f) => f.name === 'to'))).toEqual([
			{ name: 'to', value: JSON.stringify([{ display_name: 'Ada', identifier: 'ada@example.com' }, { display_name: 'Bob', identifier: 'bob@example.com' }]) },
			{ name: 'to', value: JSON.stringify([{ identifier: 'eve@example.com' }]) },
		]);
		const keys = nodeRequests(sandbox).map((r) => r.headers['idempotency-key']);
		expect(new Set(keys).size).toBe(2);
		expect(result.items).toHaveLength(2);
	});

	test('a connection dropped after Unipile accepted the send: retried with the same key, one email, the item succeeds', async () => {
		const before = sandbox.store.mail.sends.length;
		sandbox.injectFault({ method: 'POST', path: '/emails', dropAfterHandling: true });
		const result = await runEmail(send({ to: 'ada@example.com', subject: 'Once', body: 'only once' }));
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sandbox).map((r) => [r.method, r.path, r.status])).toEqual([
			['POST', '/emails', 201],
			['POST', '/emails', 201],
		]);
		expect(nodeRequests(sandbox)[0].headers['idempotency-key']).toBe(nodeRequests(sandbox)[1].headers['idempotency-key']);
		expect(sandbox.store.mail.sends.length).toBe(before + 1);
		expect(result.items[0].json).toEqual({ object: 'EmailSent', tracking_id: lastSent().tracking_id });
	});

	test('a 503 on send is retried with the same key; without it (Draft → Create) a POST is not resent', async () => {
		const before = sandbox.store.mail.sends.length;
		sandbox.injectFault({ method: 'POST', path: '/emails', status: 503 });
		const sent = await runEmail(send({ to: 'ada@example.com', subject: 'After 503', body: 'x' }));
		expect(sent.error).toBeUndefined();
		expect(nodeRequests(sandbox).map((r) => r.status)).toEqual([503, 201]);
		expect(sandbox.store.mail.sends.length).toBe(before + 1);

		sandbox.clearRequests();
		sandbox.injectFault({ method: 'POST', path: '/drafts', status: 503 });
		const draft = await runEmail({ resource: 'draft', operation: 'create', accountId: 'acc_google_1', subject: 'Later', body: 'x' });
		expect(draft.error?.message).toContain('Service unavailable');
		expect(nodeRequests(sandbox).map((r) => r.status)).toEqual([503]);
	});
});

describe('Email → Send refuses bad input before sending', () => {
	const cases: Array<{ what: string; parameters: Record<string, unknown>; message: string; fix?: string; items?: RunOptions['items'] }> = [
		{ what: 'a malformed address', parameters: { to: 'ada@example.com, bob@', body: 'x' }, message: 'To: "bob@" is not an email address', fix: 'Ada Lovelace <ada@example.com>' },
		{ what: 'a malformed Cc', parameters: { to: 'ada@example.com', cc: 'Grace Hopper', body: 'x' }, message: 'Cc: "Grace Hopper" is not an email address' },
		{ what: 'no recipient from an expression', parameters: { to: '={{ $json.nobody }}', body: 'x' }, message: 'No recipient: "To" is empty' },
		{ what: 'an empty body', parameters: { to: 'ada@example.com', body: '  ' }, message: '"Body" is empty' },
		{ what: 'an empty body from an expression', parameters: { to: 'ada@example.com', body: '={{ $json.nothing }}' }, message: '"Body" is empty' },
		{
			what: 'a header Unipile refuses',
			parameters: { to: 'ada@example.com', body: 'x', options: { customHeaders: { header: [{ name: 'Subject', value: 'x' }] } } },
			message: 'Custom Headers: "Subject" is not a header Unipile lets you set',
			fix: 'X-',
		},
		{ what: 'a missing binary field', parameters: { to: 'ada@example.com', body: 'x', attachments: 'invoice' }, message: 'the input item has no binary field "invoice"', fix: 'Available: quote' , items: [itemWithFiles({ quote: pdf })] },
	];
	test.each(cases)('$what', async ({ parameters, message, fix, items }) => {
		const result = await runEmail(send(parameters), items ? { items } : {});
		expect(result.error?.message).toContain(message);
		if (fix) expect(String(result.error?.description)).toContain(fix);
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('Continue On Fail: the bad item gets its error, the good one is sent', async () => {
		const result = await runEmail(send({ to: '={{ $json.to }}', body: 'x', subject: 'cof' }), {
			items: [{ to: 'not-an-address' }, { to: 'ada@example.com' }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error ?? item.json.object)).toEqual(['To: "not-an-address" is not an email address', 'EmailSent']);
		expect(nodeRequests(sandbox)).toHaveLength(1);
	});

	test("Unipile's mail errors read as advice", async () => {
		const rejected = await runEmail(send({ to: 'x@rejected.example', body: 'x' }));
		expect(rejected.error?.message).toContain('[errors/recipient_rejected]');
		expect(String(rejected.error?.description)).toMatch(/recipient/i);
		const denied = await runEmail({ resource: 'email', operation: 'reply', emailId: 'does-not-exist', body: 'x' });
		expect(denied.error?.message).toContain('resource_not_found');
	});
});

describe('Email → Reply', () => {
	test("answers the sender with Re: <subject>, in the email's thread and account", async () => {
		const original = sandbox.store.mail.ofAccount('acc_outlook_1').find((e) => e.role === 'inbox' && e.from_attendee.identifier !== 'noreply@example.com')!;
		const result = await runEmail({ resource: 'email', operation: 'reply', emailId: original.id, body: '<p>Thanks!</p>' });
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sandbox).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /emails/${original.id}`, 'POST /emails']);
		const fields = Object.fromEntries(nodeRequests(sandbox)[1].form!.filter((f) => 'value' in f).map((f: Any) => [f.name, f.value]));
		const sender = original.from_attendee;
		expect(fields).toEqual({
			account_id: 'acc_outlook_1',
			reply_to: original.id,
			to: JSON.stringify([sender.display_name ? { display_name: sender.display_name, identifier: sender.identifier } : { identifier: sender.identifier }]),
			subject: `Re: ${original.subject}`,
			body: '<p>Thanks!</p>',
		});
		expect(lastSent()).toMatchObject({ thread_id: original.thread_id, in_reply_to: { id: original.id, message_id: original.message_id } });
	});

	test('recipients and subject can be overridden; an existing Re: is not doubled', async () => {
		const original = sandbox.store.mail.ofAccount('acc_mail_1').find((e) => e.subject.startsWith('Re:'))!;
		await runEmail({ resource: 'email', operation: 'reply', emailId: original.id, body: 'x', to: 'team@example.com' });
		const fields = Object.fromEntries(nodeRequests(sandbox)[1].form!.filter((f) => 'value' in f).map((f: Any) => [f.name, f.value]));
		expect(fields.to).toBe(JSON.stringify([{ identifier: 'team@example.com' }]));
		expect(fields.subject).toBe(original.subject);
		sandbox.clearRequests();
		await runEmail({ resource: 'email', operation: 'reply', emailId: original.id, body: 'x', subject: 'Other' });
		expect(nodeRequests(sandbox)[1].form!.find((f) => f.name === 'subject')).toEqual({ name: 'subject', value: 'Other' });
	});
});

describe('Email → Get Many, Get', () => {
	test('filters in the query; Return All follows the cursor keeping them; Simplify', async () => {
		const mail = sandbox.store.mail;
		const inbox = mail.foldersOf('acc_google_1').find((f) => f.role === 'inbox')!;
		const { items, error } = await runEmail({
			resource: 'email',
			operation: 'getAll',
			accountId: 'acc_google_1',
			returnAll: true,
			filters: { folder: inbox.provider_id, after: '2026-01-01T00:00:00.000Z', anyEmail: 'ada@example.com, alan@example.net ' },
		});
		expect(error).toBeUndefined();
		expect(nodeRequests(sandbox)[0].query).toEqual({ account_id: 'acc_google_1', limit: '250', folder: inbox.provider_id, after: '2026-01-01T00:00:00.000Z', any_email: 'ada@example.com,alan@example.net' });
		const expected = mail
			.ofAccount('acc_google_1')
			.filter((e) => e.folderIds.includes(inbox.id) && ['ada@example.com', 'alan@example.net'].some((a) => [e.from_attendee.identifier, ...e.to_attendees.map((t) => t.identifier)].includes(a)));
		expect(items.map((item) => item.json.id)).toEqual(expected.map((e) => e.id));
		expect(Object.keys(items[0].json).sort()).toEqual(['account_id', 'attachments', 'cc', 'date', 'folders', 'from', 'from_email', 'id', 'message_id', 'provider_id', 'subject', 'text', 'thread_id', 'to', 'unread'].sort());
		const first = expected[0];
		expect(items[0].json).toMatchObject({ subject: first.subject, text: first.body_plain, date: first.date, thread_id: first.thread_id, from_email: first.from_attendee.identifier });

		sandbox.clearRequests();
		const paged = await runEmail({ resource: 'email', operation: 'getAll', accountId: 'acc_google_1', returnAll: true, simplify: false, filters: { from: 'ada@example.com' } });
		expect(paged.items.every((item) => item.json.object === 'Email' && item.json.kind === '2_full')).toBe(true);
		expect(paged.items.map((item) => item.json.id)).toEqual(mail.ofAccount('acc_google_1').filter((e) => e.from_attendee.identifier === 'ada@example.com').map((e) => e.id));
	});

	test('Limit, Include Headers and Meta Only', async () => {
		const { items } = await runEmail({ resource: 'email', operation: 'getAll', accountId: 'acc_mail_1', limit: 3, simplify: false, options: { includeHeaders: true, metaOnly: true } });
		expect(nodeRequests(sandbox)[0].query).toEqual({ account_id: 'acc_mail_1', limit: '3', include_headers: 'true', meta_only: 'true' });
		expect(items).toHaveLength(3);
		expect(items.every((item) => item.json.body === '' && Array.isArray(item.json.headers))).toBe(true);
	});

	test('Get: one email, full or simplified', async () => {
		const email = sandbox.store.mail.ofAccount('acc_outlook_1').find((e) => e.attachments.length > 0)!;
		const full = await runEmail({ resource: 'email', operation: 'get', emailId: email.id, simplify: false, options: { includeHeaders: true } });
		expect(nodeRequests(sandbox)[0]).toMatchObject({ path: `/emails/${email.id}`, query: { include_headers: 'true' } });
		expect(full.items[0].json).toEqual(sandbox.store.mail.json(email, { includeHeaders: true }));
		const simple = await runEmail({ resource: 'email', operation: 'get', emailId: email.id });
		expect(simple.items[0].json.attachments).toEqual(email.attachments.map((a) => a.name));
	});
});

describe('Email → Update, Delete, Get Attachment', () => {
	test('Update sends JSON {unread, folders}; nothing to update is refused', async () => {
		const email = sandbox.store.mail.ofAccount('acc_google_1').find((e) => e.read_date === null)!;
		const result = await runEmail({ resource: 'email', operation: 'update', emailId: email.id, updateFields: { unread: false, folders: ['Clients'] } });
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sandbox)[0]).toMatchObject({ method: 'PUT', path: `/emails/${email.id}`, query: {}, json: { unread: false, folders: ['Clients'] }, status: 200 });
		expect(result.items[0].json).toEqual({ object: 'EmailUpdated' });
		expect(sandbox.store.mail.emails.get(email.id)).toMatchObject({ folders: ['Clients'], read_date: expect.any(String) });
		sandbox.clearRequests();
		const empty = await runEmail({ resource: 'email', operation: 'update', emailId: email.id, updateFields: {} });
		expect(empty.error?.message).toContain('Nothing to update');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('Delete', async () => {
		const email = sandbox.store.mail.ofAccount('acc_mail_1')[3];
		const result = await runEmail({ resource: 'email', operation: 'delete', emailId: email.id });
		expect(nodeRequests(sandbox)[0]).toMatchObject({ method: 'DELETE', path: `/emails/${email.id}`, status: 200 });
		expect(result.items[0].json).toEqual({ object: 'EmailDeleted' });
	});

	test('Get Attachment: one file or all of them, byte-identical with their names and types', async () => {
		const email = [...sandbox.store.mail.emails.values()].find((e) => e.attachments.length > 1)!;
		const one = await runEmail({ resource: 'email', operation: 'getAttachment', emailId: email.id, attachmentId: email.attachments[1].id });
		const file = sandbox.store.mail.files.get(`${email.id}/${email.attachments[1].id}`)!;
		expect(one.items[0].binary!.data).toMatchObject({ fileName: file.fileName, mimeType: file.mimeType });
		expect(binaryBytes(one.items[0].binary!.data).equals(file.bytes)).toBe(true);
		const all = await runEmail({ resource: 'email', operation: 'getAttachment', emailId: email.id, downloadAll: true, binaryPropertyName: 'file' });
		expect(Object.keys(all.items[0].binary!)).toEqual(email.attachments.map((_, i) => `file_${i}`));
		for (const [i, a] of email.attachments.entries()) {
			const stored = sandbox.store.mail.files.get(`${email.id}/${a.id}`)!;
			expect(all.items[0].binary![`file_${i}`]).toMatchObject({ fileName: stored.fileName, mimeType: stored.mimeType });
			expect(binaryBytes(all.items[0].binary![`file_${i}`]).equals(stored.bytes)).toBe(true);
		}
	});
});

describe('Folder, Draft', () => {
	test('Folder → Get Many and Get', async () => {
		const list = await runEmail({ resource: 'folder', operation: 'getAll', accountId: 'acc_outlook_1' });
		expect(nodeRequests(sandbox)[0]).toMatchObject({ method: 'GET', path: '/folders', query: { account_id: 'acc_outlook_1' } });
		expect(list.items.map((item) => item.json.name)).toEqual(['Inbox', 'Sent Items', 'Drafts', 'Deleted Items', 'Junk Email', 'Archive', 'Leads']);
		const one = await runEmail({ resource: 'folder', operation: 'get', folderId: String(list.items[0].json.id) });
		expect(one.items[0].json).toEqual(list.items[0].json);
	});

	test('Draft → Create, then Email → Send with its Draft ID', async () => {
		const draft = await runEmail({ resource: 'draft', operation: 'create', accountId: 'acc_outlook_1', to: 'ada@example.com', subject: 'Proposal', body: '<p>v1</p>' });
		expect(draft.error).toBeUndefined();
		expect(nodeRequests(sandbox)[0].headers['idempotency-key']).toBeUndefined();
		const draftId = String(draft.items[0].json.draft_id);
		expect(sandbox.store.mail.emails.get(draftId)).toMatchObject({ role: 'drafts', subject: 'Proposal' });
		const sent = await runEmail({ resource: 'email', operation: 'send', accountId: 'acc_outlook_1', to: '', body: '<p>v2</p>', options: { draftId } });
		expect(sent.error?.message).toBeUndefined();
		expect(sandbox.store.mail.emails.has(draftId)).toBe(false);
	});
});

describe('Account → Create Hosted Auth Link (Unipile node) offers mailboxes', () => {
	test('GOOGLE, OUTLOOK and MAIL are options and reach Unipile as chosen', async () => {
		const { Unipile } = await import('./harness/engine');
		const providers = (new Unipile().description.properties as Any[]).find((p) => p.name === 'providers');
		expect(providers.options.map((o: Any) => o.value)).toEqual(expect.arrayContaining(['*', 'GOOGLE', 'OUTLOOK', 'MAIL', 'WHATSAPP']));
		const result = await runNode({
			credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey },
			parameters: { resource: 'account', operation: 'createHostedAuthLink', providers: ['GOOGLE', 'OUTLOOK', 'MAIL'], expiresOn: '2030-01-01T00:00:00.000Z' },
		});
		expect(result.error).toBeUndefined();
		expect(nodeRequests(sandbox)[0]).toMatchObject({ path: '/hosted/accounts/link', json: expect.objectContaining({ providers: ['GOOGLE', 'OUTLOOK', 'MAIL'] }), status: 201 });
	});
});

describe('folder pickers, as the editor calls them (LoadOptionsContext, real HTTP)', () => {
	async function loadOptions(method: string, currentNodeParameters: INodeParameters) {
		await loadPackage();
		const node: INode = { id: 'n1', name: 'Node', type: 'CUSTOM.unipileEmail', typeVersion: 1, position: [0, 0], parameters: { authentication: 'unipileApi' }, credentials: { unipileApi: { id: 'cred-1', name: 'Unipile account' } } };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
		const additionalData = { ...additionalDataFor({ dsn: sandbox.url, apiKey: sandbox.apiKey }), currentNodeParameters: { authentication: 'unipileApi', ...currentNodeParameters } };
		const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.filters.folder');
		const nodeType = nodeTypes().getByNameAndVersion('CUSTOM.unipileEmail', 1) as INodeType;
		return await (nodeType.methods!.loadOptions![method] as (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>).call(context);
	}

	test("Get Many's folder: the chosen mailbox's folders by provider ID; nothing before a mailbox is chosen", async () => {
		const options = await loadOptions('getFolders', { resource: 'email', operation: 'getAll', accountId: { __rl: true, mode: 'id', value: 'acc_outlook_1' } });
		expect(options.map((o) => o.value)).toEqual(sandbox.store.mail.foldersOf('acc_outlook_1').map((f) => f.provider_id));
		expect(options[0]).toMatchObject({ name: 'Inbox', description: expect.stringMatching(/^inbox · \d+ emails$/) });
		expect(nodeRequests(sandbox).map((r) => r.query)).toEqual([{ account_id: 'acc_outlook_1' }]);
		expect(await loadOptions('getFolders', { resource: 'email', operation: 'getAll' })).toEqual([]);
	});

	test("Update's folders: every mailbox's folder names, once each", async () => {
		const names = (await loadOptions('getFolderNames', {})).map((o) => o.value);
		expect(names).toEqual([...new Set([...sandbox.store.mail.folders.values()].map((f) => f.name))].sort((a, b) => a.localeCompare(b)));
	});
});

describe('Idempotency-Key per run of the node', () => {
	test('the node running twice in one execution (two branches into it) sends two emails, not a replay or a conflict', async () => {
		const { runWorkflow } = await import('./harness/engine');
		const credentials = { unipileApi: { id: 'cred-1', name: 'Unipile account' } };
		const source = (name: string, to: string): INode => ({ id: name, name, type: 'test.itemSource', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify([{ to }]) } });
		const nodes: INode[] = [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			source('Branch A', 'ada@example.com'),
			source('Branch B', 'bob@example.com'),
			{ id: 'send', name: 'Send', type: 'CUSTOM.unipileEmail', typeVersion: 1, position: [400, 0], credentials, parameters: { authentication: 'unipileApi', resource: 'email', operation: 'send', accountId: 'acc_mail_1', to: '={{ $json.to }}', subject: 'Same item index', body: 'x' } },
		];
		const connections = {
			Start: { main: [[{ node: 'Branch A', type: 'main' as const, index: 0 }, { node: 'Branch B', type: 'main' as const, index: 0 }]] },
			'Branch A': { main: [[{ node: 'Send', type: 'main' as const, index: 0 }]] },
			'Branch B': { main: [[{ node: 'Send', type: 'main' as const, index: 0 }]] },
		};
		const run = await runWorkflow({ credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey }, nodes, connections });
		if (run instanceof Error) throw run;
		expect(run.data.resultData.error).toBeUndefined();
		expect(run.data.resultData.runData.Send).toHaveLength(2);
		const sends = nodeRequests(sandbox).filter((r) => r.method === 'POST' && r.path === '/emails');
		expect(sends.map((r) => r.status)).toEqual([201, 201]);
		expect(new Set(sends.map((r) => r.headers['idempotency-key'])).size).toBe(2);
	});
});

describe("n8n's Retry On Fail", () => {
	test('the node fails after its own retries, n8n runs it again: the same key, the original result, one email', async () => {
		const { runWorkflow } = await import('./harness/engine');
		const before = sandbox.store.mail.sends.length;
		sandbox.injectFault({ method: 'POST', path: '/emails', dropAfterHandling: true, times: 4 });
		const nodes: INode[] = [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'send',
				name: 'Send',
				type: 'CUSTOM.unipileEmail',
				typeVersion: 1,
				position: [200, 0],
				credentials: { unipileApi: { id: 'cred-1', name: 'Unipile account' } },
				retryOnFail: true,
				maxTries: 2,
				waitBetweenTries: 0,
				parameters: { authentication: 'unipileApi', resource: 'email', operation: 'send', accountId: 'acc_outlook_1', to: 'ada@example.com', subject: 'Retry On Fail', body: 'x' },
			},
		];
		const run = await runWorkflow({ credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey }, nodes, connections: { Start: { main: [[{ node: 'Send', type: 'main', index: 0 }]] } } });
		if (run instanceof Error) throw run;
		expect(run.data.resultData.error).toBeUndefined();
		const posts = nodeRequests(sandbox).filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(5);
		expect(new Set(posts.map((r) => r.headers['idempotency-key'])).size).toBe(1);
		expect(sandbox.store.mail.sends.length).toBe(before + 1);
		expect(run.data.resultData.runData.Send[0].data!.main[0]![0].json).toEqual({ object: 'EmailSent', tracking_id: sandbox.store.mail.emails.get(sandbox.store.mail.sends[before].emailId)!.tracking_id });
	}, 30_000);
});
