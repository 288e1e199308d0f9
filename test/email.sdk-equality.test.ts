/**
 * For the email calls the official SDK offers (unipile-node-sdk 1.9.3 `client.email`), the SDK and Unipile Email send
 * the same request to the sandbox for the same inputs: method, path, query, JSON body, and multipart fields one by
 * one (files by field, name, size and bytes).
 */
import type { INodeParameters } from 'n8n-workflow';
import { nodeRequests } from './helpers/accountLookups';
import { UnipileClient } from 'unipile-node-sdk';
import { runNode } from './harness/engine';
import { makePdf, makePng } from './sandbox/files';
import { startSandbox, type Sandbox } from './sandbox/server';
import { comparable, itemWithFiles } from './helpers/requests';

type Any = any;

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ chats: 2, messagesPerChat: 1 });
});
afterAll(async () => await sandbox.close());

async function sdk(call: (client: UnipileClient) => Promise<unknown>) {
	sandbox.clearRequests();
	await call(new UnipileClient(sandbox.url, sandbox.apiKey)).catch(() => undefined);
	expect(nodeRequests(sandbox)).toHaveLength(1);
	return nodeRequests(sandbox)[0];
}

async function node(parameters: INodeParameters, items?: Any[]) {
	sandbox.clearRequests();
	const result = await runNode({ credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey }, parameters, nodeType: 'CUSTOM.unipileEmail', ...(items ? { items } : {}) });
	expect(result.error).toBeUndefined();
	expect(nodeRequests(sandbox)).toHaveLength(1);
	return nodeRequests(sandbox)[0];
}

const pdf = { fileName: 'offer.pdf', mimeType: 'application/pdf', bytes: makePdf('Offer') };
const png = { fileName: 'logo.png', mimeType: 'image/png', bytes: makePng(8, 8, [1, 2, 3]) };

describe('email.send', () => {
	test('every field, multipart field by field', async () => {
		const parent = sandbox.store.mail.ofAccount('acc_google_1').find((e) => e.role === 'inbox')!;
		const theirs = await sdk((c) =>
			c.email.send({
				account_id: 'acc_google_1',
				to: [{ display_name: 'Ada Lovelace', identifier: 'ada@example.com' }, { identifier: 'bob@example.com' }],
				cc: [{ identifier: 'grace@example.org' }],
				bcc: [{ display_name: 'Audit', identifier: 'audit@example.net' }],
				from: { display_name: 'Sandra' },
				subject: 'Offer',
				body: '<p>Hello</p>',
				attachments: [
					['offer.pdf', pdf.bytes],
					['logo.png', png.bytes],
				],
				custom_headers: [{ name: 'X-Campaign', value: 'q4' }],
				tracking_options: { opens: true, links: true, label: 'q4' },
			} as Any),
		);
		const ours = await node(
			{
				resource: 'email',
				operation: 'send',
				accountId: 'acc_google_1',
				to: 'Ada Lovelace <ada@example.com>, bob@example.com',
				cc: 'grace@example.org',
				bcc: 'Audit <audit@example.net>',
				fromName: 'Sandra',
				subject: 'Offer',
				body: '<p>Hello</p>',
				attachments: 'offer, logo',
				options: { customHeaders: { header: [{ name: 'X-Campaign', value: 'q4' }] }, trackingOptions: { opens: true, links: true, label: 'q4' } },
			},
			[itemWithFiles({ offer: pdf, logo: png })],
		);
		expect(comparable(ours)).toEqual(comparable(theirs));
		expect(theirs.status).toBe(201);

		const sdkReply = await sdk((c) => c.email.send({ account_id: 'acc_google_1', to: [{ identifier: 'ada@example.com' }], subject: 'Re: x', body: 'ok', reply_to: parent.id } as Any));
		sandbox.clearRequests();
		await runNode({
			credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey },
			nodeType: 'CUSTOM.unipileEmail',
			parameters: { resource: 'email', operation: 'reply', emailId: parent.id, to: 'ada@example.com', subject: 'Re: x', body: 'ok' },
		});
		expect(nodeRequests(sandbox).map((r) => r.method)).toEqual(['GET', 'POST']);
		expect(comparable(nodeRequests(sandbox)[1])).toEqual(comparable(sdkReply));
	});

	test('sending a draft', async () => {
		const drafts = sandbox.store.mail.ofAccount('acc_outlook_1').filter((e) => e.role === 'drafts');
		expect(drafts.length).toBeGreaterThan(0);
		const theirs = await sdk((c) => c.email.send({ account_id: 'acc_outlook_1', to: [{ identifier: 'ada@example.com' }], body: 'final', draft_id: drafts[0].id } as Any));
		const draft2 = await runNode({ credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey }, nodeType: 'CUSTOM.unipileEmail', parameters: { resource: 'draft', operation: 'create', accountId: 'acc_outlook_1', subject: 'd' } });
		const draftId = String(draft2.items[0].json.draft_id);
		const ours = await node({ resource: 'email', operation: 'send', accountId: 'acc_outlook_1', to: 'ada@example.com', body: 'final', options: { draftId } });
		expect(comparable(ours)).toEqual(comparable({ ...theirs, form: theirs.form!.map((f) => (f.name === 'draft_id' ? { name: 'draft_id', value: draftId } : f)) }));
	});
});

describe('reading and changing emails', () => {
	test('getAll with every filter the SDK takes, include_headers and meta_only', async () => {
		const folder = sandbox.store.mail.foldersOf('acc_mail_1')[0].provider_id;
		const theirs = await sdk((c) =>
			c.email.getAll(
				{ account_id: 'acc_mail_1', folder, from: 'ada@example.com', to: 'sandra@example.net', any_email: 'ada@example.com,bob@example.com', before: '2026-11-01T00:00:00.000Z', after: '2026-01-01T00:00:00.000Z', limit: 7 } as Any,
				{ extra_params: { include_headers: 'true', meta_only: 'true' } },
			),
		);
		const ours = await node({
			resource: 'email',
			operation: 'getAll',
			accountId: 'acc_mail_1',
			limit: 7,
			simplify: false,
			filters: { folder, from: 'ada@example.com', to: 'sandra@example.net', anyEmail: 'ada@example.com, bob@example.com', before: '2026-11-01T00:00:00.000Z', after: '2026-01-01T00:00:00.000Z' },
			options: { includeHeaders: true, metaOnly: true },
		});
		expect(comparable(ours)).toEqual(comparable(theirs));
	});

	test('getOne, delete, getEmailAttachment', async () => {
		const email = sandbox.store.mail.ofAccount('acc_google_1').find((e) => e.attachments.length > 0)!;
		expect(comparable(await node({ resource: 'email', operation: 'get', emailId: email.id, simplify: false }))).toEqual(comparable(await sdk((c) => c.email.getOne(email.id))));
		const attachmentId = email.attachments[0].id;
		expect(comparable(await node({ resource: 'email', operation: 'getAttachment', emailId: email.id, attachmentId }))).toEqual(
			comparable(await sdk((c) => c.email.getEmailAttachment({ email_id: email.id, attachment_id: attachmentId }))),
		);
		const [a, b] = sandbox.store.mail.ofAccount('acc_outlook_1').slice(-2);
		const theirs = await sdk((c) => c.email.delete(a.id));
		const ours = await node({ resource: 'email', operation: 'delete', emailId: b.id });
		expect(comparable(ours)).toEqual({ ...comparable(theirs), path: `/emails/${b.id}` });
	});

	test("update: same method, path and query; the body the SDK means (it sends it as \"[object Object]\" text)", async () => {
		const email = sandbox.store.mail.ofAccount('acc_google_1')[2];
		const input = { email_id: email.id, unread: true, folders: ['INBOX', 'Clients'] };
		const theirs = await sdk((c) => c.email.update(input));
		const ours = await node({ resource: 'email', operation: 'update', emailId: email.id, updateFields: { unread: true, folders: ['INBOX', 'Clients'] } });
		expect({ method: ours.method, path: ours.path, query: ours.query }).toEqual({ method: theirs.method, path: theirs.path, query: theirs.query });
		expect(theirs).toMatchObject({ status: 415, headers: expect.objectContaining({ 'content-type': 'text/plain;charset=UTF-8' }) });
		expect(ours).toMatchObject({ status: 200, json: { unread: true, folders: ['INBOX', 'Clients'] } });
	});

	test('getAllFolders, getOneFolder', async () => {
		expect(comparable(await node({ resource: 'folder', operation: 'getAll', accountId: 'acc_outlook_1' }))).toEqual(
			comparable(await sdk((c) => c.email.getAllFolders({ account_id: 'acc_outlook_1' }))),
		);
		const folder = sandbox.store.mail.foldersOf('acc_outlook_1')[2];
		expect(comparable(await node({ resource: 'folder', operation: 'get', folderId: folder.id }))).toEqual(comparable(await sdk((c) => c.email.getOneFolder(folder.id))));
	});
});
