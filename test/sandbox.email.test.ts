/**
 * The sandbox's mailboxes answer what the official SDK (unipile-node-sdk 1.9.3) expects: every email method through
 * the SDK client with validation set to 'error', every seeded email/folder/mail account through the SDK's own mail
 * validators, strict errors, Idempotency-Key as Unipile documents it, and a connection dropped after a send.
 */
import { UnipileClient } from 'unipile-node-sdk';
import { startSandbox, type Sandbox } from './sandbox/server';
import { expectValid, sdkModule } from './helpers/sdk-schemas';

const sdk = (file: string) => sdkModule(file);
const V = {
	account: sdk('accounts/account.types.js').AccountApiResponseValidator,
	mail: sdk('mails/mail.types.js').MailApiResponseValidator,
	mailList: sdk('mails/mails-list.types.js').MailListApiResponseValidator,
	folder: sdk('mails/folders/folders.types.js').FolderApiResponseValidator,
	folderList: sdk('mails/folders/folders.types.js').FolderListApiResponseValidator,
	sent: sdk('mails/mail.send.types.js').MailSentApiResponseValidator,
};


type Any = any;

let sandbox: Sandbox;
let client: UnipileClient;

async function raw(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Any; bytes: Buffer }> {
	const headers = new Headers(init.headers);
	headers.set('X-API-KEY', sandbox.apiKey);
	const res = await fetch(`${sandbox.url}${path}`, { ...init, headers });
	const bytes = Buffer.from(await res.arrayBuffer());
	const ct = res.headers.get('content-type') ?? '';
	return { status: res.status, headers: res.headers, body: ct.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined, bytes };
}

function expectProblem(r: { status: number; body: Any }, status: number, type: string, detailIncludes?: string): void {
	expect({ status: r.status, type: r.body?.type }).toEqual({ status, type: `errors/${type}` });
	if (detailIncludes) expect(String(r.body.detail)).toContain(detailIncludes);
}

function form(entries: Array<[string, string] | [string, Blob, string]>): FormData {
	const fd = new FormData();
	for (const e of entries) (e.length === 3 ? fd.append(e[0], e[1], e[2]) : fd.append(e[0], e[1]));
	return fd;
}

const MAIL_ACCOUNTS = ['acc_google_1', 'acc_outlook_1', 'acc_mail_1'];

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 10 });
	client = new UnipileClient(sandbox.url, sandbox.apiKey, { validateRequestPayload: true, validateRequestPayloadLevel: 'error' });
});

afterAll(async () => {
	await sandbox?.close();
});

describe('seeded mailboxes', () => {
	test('mail accounts, emails and folders validate against the SDK schemas', () => {
		const mail = sandbox.store.mail;
		for (const id of MAIL_ACCOUNTS) expectValid(V.account, sandbox.store.accountById.get(id), id);
		expect(MAIL_ACCOUNTS.map((id) => sandbox.store.accountById.get(id)!.type)).toEqual(['GOOGLE_OAUTH', 'OUTLOOK', 'MAIL']);
		for (const e of mail.emails.values()) {
			expectValid(V.mail, mail.json(e), `email ${e.id}`);
			expectValid(V.mail, mail.json(e, { includeHeaders: true }), `email ${e.id} with headers`);
			expectValid(V.mail, mail.json(e, { metaOnly: true }), `email ${e.id} meta`);
		}
		for (const f of mail.folders.values()) expectValid(V.folder, mail.folderJson(f), `folder ${f.id}`);
		const all = [...mail.emails.values()];
		expect(all.some((e) => e.attachments.length > 1)).toBe(true);
		expect(all.some((e) => e.in_reply_to)).toBe(true);
		expect(all.some((e) => e.read_date === null) && all.some((e) => e.read_date !== null)).toBe(true);
		expect(new Set(all.map((e) => e.role))).toEqual(new Set(['inbox', 'sent', 'drafts', 'spam', 'archive', 'all']));
		expect(all.some((e) => e.provider_id.startsWith('{'))).toBe(true);
	});

	test('messaging data is unchanged by the mailboxes (same seed, same chats)', async () => {
		const other = await startSandbox({ chats: 10 });
		try {
			expect(JSON.stringify(other.store.sortedChats())).toEqual(JSON.stringify(sandbox.store.sortedChats()));
			expect(sandbox.store.chats.every((c) => !MAIL_ACCOUNTS.includes(c.account_id))).toBe(true);
		} finally {
			await other.close();
		}
	});
});

describe('every SDK email method validates', () => {
	test('getAll: paging, filters, include_headers and meta_only (kept in the cursor)', async () => {
		const mail = sandbox.store.mail;
		const expected = mail.ofAccount('acc_google_1').map((e) => e.id);
		const first: Any = await client.email.getAll({ account_id: 'acc_google_1' });
		expect(first.items.map((e: Any) => e.id)).toEqual(expected);
		expect(first.cursor).toBeNull();
		const paged: string[] = [];
		let cursor: string | undefined;
		do {
			const page: Any = await client.email.getAll({ account_id: 'acc_google_1', limit: 4, cursor });
			paged.push(...page.items.map((e: Any) => e.id));
			cursor = page.cursor ?? undefined;
		} while (cursor);
		expect(paged).toEqual(expected);

		const inbox = mail.foldersOf('acc_outlook_1').find((f) => f.role === 'inbox')!;
		const byFolder: Any = await client.email.getAll({ account_id: 'acc_outlook_1', folder: inbox.provider_id });
		expect(byFolder.items.length).toBeGreaterThan(0);
		expect(byFolder.items.every((e: Any) => e.folderIds.includes(inbox.id))).toBe(true);
		const sent: Any = await client.email.getAll({ account_id: 'acc_mail_1', role: 'sent' });
		expect(sent.items.every((e: Any) => e.role === 'sent')).toBe(true);
		const ada: Any = await client.email.getAll({ account_id: 'acc_google_1', from: 'ADA@example.com' });
		expect(ada.items.length).toBeGreaterThan(0);
		expect(ada.items.every((e: Any) => e.from_attendee.identifier === 'ada@example.com')).toBe(true);
		const toAda: Any = await client.email.getAll({ account_id: 'acc_google_1', to: 'ada@example.com' });
		expect(toAda.items.every((e: Any) => e.to_attendees.some((a: Any) => a.identifier === 'ada@example.com'))).toBe(true);
		const any: Any = await client.email.getAll({ account_id: 'acc_google_1', any_email: 'ada@example.com,alan@example.net' });
		expect(any.items.length).toBeGreaterThan(ada.items.length);
		const pivot = mail.ofAccount('acc_google_1')[5].date;
		const after: Any = await client.email.getAll({ account_id: 'acc_google_1', after: pivot });
		expect(after.items).toHaveLength(5);
		const before: Any = await client.email.getAll({ account_id: 'acc_google_1', before: pivot });
		expect(before.items.every((e: Any) => e.date < pivot)).toBe(true);

		const meta: Any = await client.email.getAll({ account_id: 'acc_google_1', limit: 2 }, { extra_params: { meta_only: 'true', include_headers: 'true' } });
		expect(meta.items.every((e: Any) => e.kind === '1_meta' && e.body === '' && Array.isArray(e.headers))).toBe(true);
		const meta2: Any = await client.email.getAll({ cursor: meta.cursor });
		expect(meta2.items.every((e: Any) => e.kind === '1_meta' && Array.isArray(e.headers))).toBe(true);
		expect(meta2.items[0].id).toBe(expected[2]);
		const full: Any = await client.email.getAll({ account_id: 'acc_google_1', limit: 1 });
		expect(full.items[0]).toMatchObject({ kind: '2_full' });
		expect(full.items[0].headers).toBeUndefined();
	});

	test('getOne (by id and by provider id), update, delete, attachments byte-identical', async () => {
		const mail = sandbox.store.mail;
		const withFiles = [...mail.emails.values()].filter((e) => e.attachments.length > 0);
		for (const e of withFiles) {
			const got: Any = await client.email.getOne(e.id);
			expect(got).toEqual(mail.json(e));
			for (const a of e.attachments) {
				const blob: Any = await client.email.getEmailAttachment({ email_id: e.id, attachment_id: a.id });
				expect(Buffer.from(await blob.arrayBuffer()).equals(mail.files.get(`${e.id}/${a.id}`)!.bytes)).toBe(true);
				expect(blob.type).toBe(a.mime);
			}
		}
		const imap = mail.ofAccount('acc_mail_1')[0];
		const byProvider: Any = await client.email.getOne.byProviderId(imap.provider_id, 'acc_mail_1');
		expect(byProvider.id).toBe(imap.id);
		expectProblem(await raw(`/api/v1/emails/${encodeURIComponent(imap.provider_id)}`), 400, 'missing_parameters', 'account_id');
		const headers: Any = await client.email.getOne(imap.id, { extra_params: { include_headers: 'true' } });
		expect(headers.headers).toEqual(expect.arrayContaining([{ name: 'Message-ID', value: imap.message_id }]));

		const unread = mail.ofAccount('acc_google_1').find((e) => e.read_date === null)!;
		// SDK 1.9.3's update hands fetch a plain object with no content type: "[object Object]" goes out as text/plain.
		sandbox.clearRequests();
		await expect(client.email.update({ email_id: unread.id, unread: false })).rejects.toThrow();
		expect(sandbox.requests[0]).toMatchObject({ method: 'PUT', status: 415, headers: expect.objectContaining({ 'content-type': 'text/plain;charset=UTF-8' }) });
		const put = (id: string, body: unknown) => raw(`/api/v1/emails/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const updated = await put(unread.id, { unread: false });
		expect(updated.body).toEqual({ object: 'EmailUpdated' });
		expectValid(sdk('mails/mail.update.types.js').MailUpdatedApiResponseValidator, updated.body, 'EmailUpdated');
		expect(mail.emails.get(unread.id)!.read_date).not.toBeNull();
		expect((await put(unread.id, { folders: ['Clients', 'INBOX'] })).status).toBe(200);
		expect(mail.emails.get(unread.id)!.folders).toEqual(['Clients', 'INBOX']);
		const outlook = mail.ofAccount('acc_outlook_1')[0];
		expectProblem(await raw(`/api/v1/emails/${outlook.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ folders: ['Archive', 'Leads'] }) }), 400, 'invalid_parameters', 'one folder');
		expectProblem(await raw(`/api/v1/emails/${outlook.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ folders: ['Nope'] }) }), 422, 'invalid_folder', 'Nope');
		expectProblem(await raw(`/api/v1/emails/${outlook.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unread: 'yes' }) }), 400, 'invalid_parameters', 'unread');
		expect((await put(outlook.id, { folders: ['Archive'] })).status).toBe(200);
		expect(mail.emails.get(outlook.id)).toMatchObject({ folders: ['Archive'], role: 'archive' });

		const victim = mail.ofAccount('acc_outlook_1')[1];
		expect(await client.email.delete(victim.id)).toEqual({ object: 'EmailDeleted' });
		expect(mail.emails.has(victim.id)).toBe(false);
		expectProblem(await raw(`/api/v1/emails/${victim.id}`), 404, 'resource_not_found');
	});

	test('folders: getAllFolders, getOneFolder (by id and by provider id)', async () => {
		const mail = sandbox.store.mail;
		const list: Any = await client.email.getAllFolders({ account_id: 'acc_outlook_1' });
		expect(list.items.map((f: Any) => f.name)).toEqual(['Inbox', 'Sent Items', 'Drafts', 'Deleted Items', 'Junk Email', 'Archive', 'Leads']);
		const everything: Any = await client.email.getAllFolders();
		expect(everything.items).toHaveLength(mail.folders.size);
		for (const f of list.items) {
			const one: Any = await client.email.getOneFolder(f.id);
			expect(one).toEqual(f);
		}
		const gmailInbox = mail.foldersOf('acc_google_1')[0];
		const byProvider: Any = await client.email.getOneFolder.byProviderId(gmailInbox.provider_id, 'acc_google_1');
		expect(byProvider.id).toBe(gmailInbox.id);
		expectProblem(await raw('/api/v1/folders?account_id=acc_whatsapp_1'), 400, 'invalid_parameters', 'not a mail account');
	});

	test('send: stored with files byte-identical, a reply joins the thread', async () => {
		const mail = sandbox.store.mail;
		const parent = mail.ofAccount('acc_google_1').find((e) => e.role === 'inbox')!;
		const pdf = Buffer.from('%PDF-1.4\nfake but byte-exact \u00e9\n', 'utf8');
		const sent: Any = await client.email.send({
			account_id: 'acc_google_1',
			to: [{ display_name: 'Ada Lovelace', identifier: 'ada@example.com' }],
			cc: [{ identifier: 'bob@example.com' }],
			subject: 'Re: hello',
			body: '<p>Hi Ada</p>',
			reply_to: parent.id,
			attachments: [['quote.pdf', pdf]],
			custom_headers: [{ name: 'X-Campaign', value: 'q4' }],
			tracking_options: { opens: true, links: true, label: 'q4' },
		} as Any);
		expectValid(V.sent, sent, 'EmailSent');
		const email = [...mail.emails.values()].find((e) => e.tracking_id === sent.tracking_id)!;
		expect(email).toMatchObject({
			role: 'sent',
			subject: 'Re: hello',
			body_plain: 'Hi Ada',
			thread_id: parent.thread_id,
			in_reply_to: { id: parent.id, message_id: parent.message_id },
			to_attendees: [{ display_name: 'Ada Lovelace', identifier: 'ada@example.com', identifier_type: 'EMAIL_ADDRESS' }],
			cc_attendees: [{ identifier: 'bob@example.com', identifier_type: 'EMAIL_ADDRESS' }],
			origin: 'unipile',
		});
		expect(mail.headers.get(email.id)).toEqual(expect.arrayContaining([{ name: 'X-Campaign', value: 'q4' }]));
		const dl = await raw(`/api/v1/emails/${email.id}/attachments/${email.attachments[0].id}`);
		expect(dl.bytes.equals(pdf)).toBe(true);
		expect(dl.headers.get('content-type')).toBe('application/pdf');
		expect(mail.sends[mail.sends.length - 1]).toMatchObject({ emailId: email.id, trackingOptions: { opens: true, links: true, label: 'q4' }, replyTo: parent.id });
		expectValid(V.mail, (await raw(`/api/v1/emails/${email.id}`)).body, 'sent email');
	});

	test('send and draft errors are strict', async () => {
		const ok: Array<[string, string]> = [['account_id', 'acc_google_1'], ['body', 'hi'], ['to', JSON.stringify([{ identifier: 'ada@example.com' }])]];
		const post = (entries: Array<[string, string]>, headers: Record<string, string> = {}) => raw('/api/v1/emails', { method: 'POST', body: form(entries), headers });
		const without = (name: string) => ok.filter(([k]) => k !== name);
		expectProblem(await post(without('account_id')), 400, 'missing_parameters', 'account_id');
		expectProblem(await post(without('body')), 400, 'missing_parameters', 'body');
		expectProblem(await post(without('to')), 400, 'missing_parameters', 'to');
		expectProblem(await post([...without('to'), ['to', 'ada@example.com']]), 400, 'invalid_parameters', 'to');
		expectProblem(await post([...without('to'), ['to', JSON.stringify([{ identifier: 'not an address' }])]]), 400, 'invalid_parameters', 'to[0].identifier');
		expectProblem(await post([...without('to'), ['to', JSON.stringify([{ identifier: 'x@rejected.example' }])]]), 422, 'recipient_rejected');
		expectProblem(await post([...ok, ['reply_to', 'nope']]), 422, 'parent_mail_not_found');
		expectProblem(await post([...ok, ['from', JSON.stringify({ identifier: 'ceo@example.com' })]]), 422, 'send_as_denied');
		expectProblem(await post([...ok, ['custom_headers', JSON.stringify([{ name: 'Subject', value: 'x' }])]]), 422, 'invalid_headers', 'Subject');
		expectProblem(await post([...ok, ['tracking_options', JSON.stringify({ opens: 'yes' })]]), 400, 'invalid_parameters', 'opens');
		expectProblem(await post([...ok, ['bogus', '1']]), 400, 'invalid_parameters', 'bogus');
		expectProblem(await post([...ok, ['attachments', '[object Object]']]), 400, 'invalid_parameters', 'attachments');
		expectProblem(await post([['account_id', 'acc_whatsapp_1'], ...without('account_id')]), 400, 'invalid_parameters', 'not a mail account');
		expectProblem(await raw('/api/v1/emails', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 415, 'unsupported_media_type');
		expectProblem(await post(ok, { 'Idempotency-Key': 'k'.repeat(256) }), 400, 'invalid_parameters', 'Idempotency-Key');
		expectProblem(await raw('/api/v1/emails?account_id=acc_google_1&bogus=1'), 400, 'invalid_parameters', 'bogus');
		expectProblem(await raw('/api/v1/emails'), 400, 'missing_parameters', 'account_id');
		expectProblem(await raw('/api/v1/emails?account_id=acc_google_1&folder=NOPE'), 422, 'invalid_folder');
		expectProblem(await raw('/api/v1/emails?account_id=acc_google_1&role=box'), 400, 'invalid_parameters', 'role');

		const draft = await raw('/api/v1/drafts', { method: 'POST', body: form([['account_id', 'acc_outlook_1'], ['subject', 'Later'], ['body', '<p>draft</p>'], ['to', JSON.stringify([{ identifier: 'ada@example.com' }])]]) });
		expect(draft.status).toBe(201);
		expect(draft.body).toEqual({ object: 'DraftCreated', draft_id: expect.any(String) });
		expect(sandbox.store.mail.emails.get(draft.body.draft_id)).toMatchObject({ role: 'drafts', subject: 'Later' });
		expectProblem(await raw('/api/v1/drafts', { method: 'POST', body: form([['account_id', 'acc_outlook_1'], ['draft_id', 'x']]) }), 400, 'invalid_parameters', 'draft_id');
		const fromDraft = await raw('/api/v1/emails', { method: 'POST', body: form([['account_id', 'acc_outlook_1'], ['body', '<p>final</p>'], ['draft_id', draft.body.draft_id]]) });
		expect(fromDraft.status).toBe(201);
		expect(sandbox.store.mail.emails.has(draft.body.draft_id)).toBe(false);
	});
});

describe('Idempotency-Key', () => {
	test('a replay returns the original result and sends nothing; another request with the key is a conflict', async () => {
		const mail = sandbox.store.mail;
		const entries: Array<[string, string]> = [['account_id', 'acc_mail_1'], ['body', 'once'], ['to', JSON.stringify([{ identifier: 'ada@example.com' }])]];
		const before = mail.sends.length;
		const first = await raw('/api/v1/emails', { method: 'POST', body: form(entries), headers: { 'Idempotency-Key': 'exec-1:node:0' } });
		const again = await raw('/api/v1/emails', { method: 'POST', body: form(entries), headers: { 'Idempotency-Key': 'exec-1:node:0' } });
		expect(first.status).toBe(201);
		expect(again.status).toBe(201);
		expect(again.body).toEqual(first.body);
		expect(mail.sends.length).toBe(before + 1);
		const other = await raw('/api/v1/emails', { method: 'POST', body: form([...entries.slice(0, 1), ['body', 'twice'], entries[2]]), headers: { 'Idempotency-Key': 'exec-1:node:0' } });
		expectProblem(other, 409, 'idempotency_conflict');
		const noKey = await raw('/api/v1/emails', { method: 'POST', body: form(entries) });
		expect(noKey.body.tracking_id).not.toBe(first.body.tracking_id);
		expect(mail.sends.length).toBe(before + 2);
	});

	test('a connection dropped after the send was accepted: the retry with the key gets the original answer', async () => {
		const mail = sandbox.store.mail;
		const entries: Array<[string, string]> = [['account_id', 'acc_google_1'], ['body', 'dropped'], ['to', JSON.stringify([{ identifier: 'ada@example.com' }])]];
		sandbox.clearRequests();
		sandbox.injectFault({ method: 'POST', path: '/emails', dropAfterHandling: true });
		const before = mail.sends.length;
		await expect(raw('/api/v1/emails', { method: 'POST', body: form(entries), headers: { 'Idempotency-Key': 'exec-2:node:0' } })).rejects.toThrow();
		expect(mail.sends.length).toBe(before + 1);
		expect(sandbox.requests[0].status).toBe(201);
		const retry = await raw('/api/v1/emails', { method: 'POST', body: form(entries), headers: { 'Idempotency-Key': 'exec-2:node:0' } });
		expect(retry.status).toBe(201);
		expect(retry.body.tracking_id).toBe(mail.emails.get(mail.sends[before].emailId)!.tracking_id);
		expect(mail.sends.length).toBe(before + 1);
	});
});

describe('control surface', () => {
	test('POST /_sandbox/emails delivers an email (with files) to a mailbox', async () => {
		const res = await fetch(`${sandbox.url}/_sandbox/emails`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ accountId: 'acc_outlook_1', from: 'Ada <ada@example.com>', subject: 'via HTTP', attachments: [{ fileName: 'a.txt', mimeType: 'text/plain', base64: Buffer.from('hi').toString('base64') }] }),
		});
		const email = (await res.json()) as Any;
		expect(res.status).toBe(201);
		expect(email).toMatchObject({ object: 'Email', account_id: 'acc_outlook_1', subject: 'via HTTP', role: 'inbox', read_date: null, from_attendee: { display_name: 'Ada', identifier: 'ada@example.com' } });
		expect((await raw(`/api/v1/emails/${email.id}/attachments/${email.attachments[0].id}`)).bytes.toString()).toBe('hi');
		const bad = await fetch(`${sandbox.url}/_sandbox/emails`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: 'acc_whatsapp_1', from: 'x@example.com' }) });
		expect(bad.status).toBe(400);
	});
});
