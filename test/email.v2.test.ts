/**
 * The Unipile Email node on Unipile API v2 (Authentication → Unipile API V2): every operation runs through n8n's
 * engine against the sandbox's v2 email routes (test/sandbox/v2/email.ts), asserting the request Unipile receives
 * (method, path, query, JSON body field by field) and the items n8n outputs. Sends are never sent twice: v2 does not
 * document an Idempotency-Key, so a send that failed after it may have reached Unipile is not resent and its error
 * says the email may have been sent. The same parameters with the v1 credential still go to v1 (email.node.test.ts).
 */
import { LoadOptionsContext } from 'n8n-core';
import { nodeRequests } from './helpers/accountLookups';
import { Workflow, type INode, type INodeProperties, type INodePropertyOptions, type INodeType, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
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
const run = async (parameters: Record<string, unknown>, extra: { items?: Any; continueOnFail?: boolean } = {}) =>
	await runNode({ credentials, parameters: { authentication: 'unipileApiV2', ...parameters } as Any, nodeType: 'CUSTOM.unipileEmail', ...extra });
const sent = () => nodeRequests(sandbox).map((r) => ({ method: r.method, path: r.path, query: r.query, json: r.json }));

async function mailbox(accountId: string): Promise<Any> {
	return await (await fetch(`${sandbox.url}/_sandbox/v2/mailboxes/${accountId}`)).json();
}
/** Every email of a list as the API gives it (no cache), newest first. */
async function listed(path: string): Promise<Any[]> {
	const out: Any[] = [];
	let token = '';
	for (;;) {
		const res = (await (await fetch(`${sandbox.url}/v2${path}${path.includes('?') ? '&' : '?'}limit=250${token}`, { headers: { 'X-API-KEY': sandbox.v2.apiKey, 'Cache-Control': 'no-store' } })).json()) as Any;
		out.push(...res.data);
		if (res.next_cursor) token = `&cursor=${res.next_cursor}`;
		else if (res.total_count !== undefined && out.length < res.total_count) token = `&offset=${out.length}`;
		else return out;
	}
}

describe('Email → Send and Reply on v2', () => {
	test('Send: addresses as people type them become {email, display_name}; plain body as plain_text; From Name, header and a file as base64; no Idempotency-Key', async () => {
		const acc = account('google');
		const pdf = Buffer.from('%PDF-1.4 quote');
		const { items, error } = await run(
			{
				resource: 'email',
				operation: 'send',
				accountId: byId(acc.id),
				to: 'Ada Lovelace <ada@example.com>, bob@example.com',
				cc: '"Hopper, Grace" <grace@example.org>',
				bcc: 'audit@example.com',
				subject: 'Quote',
				body: 'Hello Ada,\nthe quote is attached.',
				fromName: 'Sandra from Acme',
				attachments: 'quote',
				options: { customHeaders: { header: [{ name: 'X-Campaign', value: 'spring' }] } },
			},
			{ items: [{ json: {}, binaryFiles: { quote: { data: pdf.toString('base64'), fileName: 'quote.pdf', mimeType: 'application/pdf' } } }] },
		);
		expect(error).toBeUndefined();
		const [request] = nodeRequests(sandbox);
		expect(nodeRequests(sandbox)).toHaveLength(1);
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/v2/${acc.id}/emails/send`);
		expect(request.query).toEqual({});
		expect(request.headers['idempotency-key']).toBeUndefined();
		expect(request.json).toEqual({
			to: [{ email: 'ada@example.com', display_name: 'Ada Lovelace' }, { email: 'bob@example.com' }],
			cc: [{ email: 'grace@example.org', display_name: 'Hopper, Grace' }],
			bcc: [{ email: 'audit@example.com' }],
			subject: 'Quote',
			plain_text: 'Hello Ada,\nthe quote is attached.',
			from: { display_name: 'Sandra from Acme' },
			custom_headers: [{ name: 'X-Campaign', value: 'spring' }],
			attachments: [{ filename: 'quote.pdf', content_type: 'application/pdf', content: pdf.toString('base64') }],
		});
		expect(request.attachments).toEqual([expect.objectContaining({ filename: 'quote.pdf', size: pdf.length })]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({ object: 'EmailSent', id: expect.any(String), message_id: expect.stringMatching(/^<.+@gmail\.com>$/) });
		const box = await mailbox(acc.id);
		const stored = box.emails.find((e: Any) => e.id === items[0].json.id);
		expect(stored).toEqual(expect.objectContaining({ subject: 'Quote', folders: ['SENT'] }));
	});

	test('Send: an HTML body as html; tracking (opens, links → clicks, label) sends even a plain body as HTML', async () => {
		const acc = account('outlook');
		await run({ resource: 'email', operation: 'send', accountId: byId(acc.id), to: 'ada@example.com', subject: 'Hi', body: '<p>Hi <b>Ada</b></p>' });
		await run({ resource: 'email', operation: 'send', accountId: byId(acc.id), to: 'ada@example.com', subject: 'Tracked', body: 'Line 1\nLine <2>', options: { trackingOptions: { opens: true, links: false, label: 'spring' } } });
		expect(sent()).toEqual([
			{ method: 'POST', path: `/v2/${acc.id}/emails/send`, query: {}, json: { to: [{ email: 'ada@example.com' }], subject: 'Hi', html: '<p>Hi <b>Ada</b></p>' } },
			{ method: 'POST', path: `/v2/${acc.id}/emails/send`, query: {}, json: { to: [{ email: 'ada@example.com' }], subject: 'Tracked', html: 'Line 1<br>Line &lt;2&gt;', tracking_options: { opens: true, clicks: false, label: 'spring' } } },
		]);
	});

	test('Send: a malformed address, or no recipient, is refused before anything is sent', async () => {
		const acc = account('google');
		const bad = await run({ resource: 'email', operation: 'send', accountId: byId(acc.id), to: 'Ada <ada@>', subject: 'x', body: 'x' });
		expect(bad.error?.message).toBe('To: "Ada <ada@>" is not an email address');
		const none = await run({ resource: 'email', operation: 'send', accountId: byId(acc.id), to: '', subject: 'x', body: 'x' });
		expect(none.error?.message).toBe('No recipient: "To" is empty');
		expect(nodeRequests(sandbox)).toEqual([]);
	});

	test('Reply: in the thread by reply_to_message_id (the email id on Gmail, its Message-ID on IMAP), to its sender, "Re: " subject', async () => {
		for (const provider of ['google', 'imap']) {
			sandbox.clearRequests();
			const acc = account(provider);
			const received = (await listed(`/${acc.id}/emails`)).find((e) => e.from[0].email !== acc.name)!;
			sandbox.clearRequests();
			const { items, error } = await run({ resource: 'email', operation: 'reply', accountId: byId(acc.id), emailId: received.id, body: 'Thanks!' });
			expect(error).toBeUndefined();
			// The account is looked up once, first (the account-kind check); threading reuses its provider.
			expect(sandbox.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, json: r.json }))).toEqual([
				{ method: 'GET', path: `/v2/accounts/${acc.id}`, query: {}, json: undefined },
				{ method: 'GET', path: `/v2/${acc.id}/emails/${received.id}`, query: {}, json: undefined },
				{
					method: 'POST',
					path: `/v2/${acc.id}/emails/send`,
					query: {},
					json: { to: [received.from[0]], subject: `Re: ${received.subject}`, plain_text: 'Thanks!', reply_to_message_id: provider === 'imap' ? received.message_id : received.id },
				},
			]);
			const box = await mailbox(acc.id);
			expect(box.emails.find((e: Any) => e.id === items[0].json.id).thread_id).toBe(received.thread_id);
		}
	});
});

describe('no email sent twice on v2', () => {
	test('a 503 after the send reached Unipile: one POST, an error that says the email may have been sent', async () => {
		const acc = account('google');
		sandbox.injectFault({ method: 'POST', path: `/v2/${acc.id}/emails/send`, status: 503, times: 3 });
		const { error } = await run({ resource: 'email', operation: 'send', accountId: byId(acc.id), to: 'ada@example.com', subject: 'Once', body: 'x' });
		expect(nodeRequests(sandbox).filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(error?.message).toMatch(/the email may have been sent$/);
		expect(error?.description).toMatch(/^Unipile may have received the request before this error, so the email may have been sent\. It was not sent again/);
		expect(JSON.stringify(error)).not.toContain(sandbox.v2.apiKey);
	});

	test('the connection lost after Unipile sent it (a timeout): one POST, the email is in Sent once, the error says it may have been sent', async () => {
		const acc = account('outlook');
		sandbox.injectFault({ method: 'POST', path: `/v2/${acc.id}/emails/send`, dropAfterHandling: true, times: 3 });
		const { error } = await run({ resource: 'email', operation: 'send', accountId: byId(acc.id), to: 'ada@example.com', subject: 'Dropped', body: 'x' });
		expect(nodeRequests(sandbox).filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(error?.message).toMatch(/^Could not reach Unipile .* the email may have been sent$/);
		expect((await mailbox(acc.id)).emails.filter((e: Any) => e.subject === 'Dropped')).toHaveLength(1);
	});

	test('Draft → Send and Reply are never resent either', async () => {
		const acc = account('google');
		const created = await run({ resource: 'draft', operation: 'create', accountId: byId(acc.id), to: 'ada@example.com', subject: 'D', body: 'x' });
		const draftId = created.items[0].json.id as string;
		sandbox.injectFault({ method: 'POST', path: `/v2/${acc.id}/drafts/${draftId}/send`, status: 502, times: 3 });
		sandbox.clearRequests();
		const { error } = await run({ resource: 'draft', operation: 'send', accountId: byId(acc.id), draftId });
		expect(sent()).toEqual([{ method: 'POST', path: `/v2/${acc.id}/drafts/${draftId}/send`, query: {}, json: undefined }]);
		expect(error?.message).toMatch(/the email may have been sent$/);
	});

	test('Continue On Fail: a bad item gives its error item, the others are sent once each', async () => {
		const acc = account('imap');
		const { items } = await run(
			{ resource: 'email', operation: 'send', accountId: byId(acc.id), to: '={{ $json.to }}', subject: '={{ "To " + $json.to }}', body: 'x' },
			{ items: [{ json: { to: 'ada@example.com' } }, { json: { to: 'not an address' } }, { json: { to: 'bob@example.com' } }], continueOnFail: true },
		);
		expect(items.map((i) => (i.json.error ? 'error' : i.json.object))).toEqual(['EmailSent', 'error', 'EmailSent']);
		expect(items[1].json.error).toBe('To: "not an address" is not an email address');
		expect(sent().map((r) => (r.json as Any).to)).toEqual([[{ email: 'ada@example.com' }], [{ email: 'bob@example.com' }]]);
	});
});

describe('Email → Get, Get Many, Update, Delete, Get Attachment on v2', () => {
	test('Get: simplified (v2 addresses, unread, folder ids, text of the HTML), or whole without headers unless asked', async () => {
		const acc = account('google');
		const [email] = await listed(`/${acc.id}/emails`);
		sandbox.clearRequests();
		const simple = await run({ resource: 'email', operation: 'get', accountId: byId(acc.id), emailId: email.id });
		expect(sent()).toEqual([{ method: 'GET', path: `/v2/${acc.id}/emails/${email.id}`, query: {}, json: undefined }]);
		expect(simple.items[0].json).toEqual({
			id: email.id,
			account_id: acc.id,
			thread_id: email.thread_id,
			message_id: email.message_id,
			provider_id: email.id,
			date: email.date,
			from: `${email.from[0].display_name} <${email.from[0].email}>`,
			from_email: email.from[0].email,
			to: email.to.map((a: Any) => (a.display_name ? `${a.display_name} <${a.email}>` : a.email)),
			cc: [],
			subject: email.subject,
			text: expect.stringMatching(/^Hello,\n/),
			unread: email.is_unread,
			folders: email.folders,
			attachments: email.attachments.map((a: Any) => a.filename),
		});
		const whole = await run({ resource: 'email', operation: 'get', accountId: byId(acc.id), emailId: email.id, simplify: false });
		const { headers: _h, ...withoutHeaders } = email;
		expect(whole.items[0].json).toEqual(withoutHeaders);
		const headers = await run({ resource: 'email', operation: 'get', accountId: byId(acc.id), emailId: email.id, simplify: false, options: { includeHeaders: true } });
		expect(headers.items[0].json.headers).toEqual(email.headers);
		// Reads may come from Unipile's cache; Bypass Unipile Cache asks for the current state.
		sandbox.clearRequests();
		await run({ resource: 'email', operation: 'get', accountId: byId(acc.id), emailId: email.id, bypassCache: true });
		await run({ resource: 'folder', operation: 'getAll', accountId: byId(acc.id), bypassCache: true });
		expect(nodeRequests(sandbox).map((r) => r.headers['cache-control'])).toEqual(['no-cache', 'no-cache']);
	});

	test('Get Many: every page with Return All (Gmail by cursor, Outlook and IMAP by offset), newest first; Limit filled across pages', async () => {
		for (const provider of ['google', 'outlook', 'imap']) {
			sandbox.clearRequests();
			const acc = account(provider);
			const all = await listed(`/${acc.id}/emails`);
			sandbox.clearRequests();
			const { items, error } = await run({ resource: 'email', operation: 'getAll', accountId: byId(acc.id), returnAll: true, simplify: false });
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json.id)).toEqual(all.map((e) => e.id));
			expect(sent()).toEqual([{ method: 'GET', path: `/v2/${acc.id}/emails`, query: { limit: '250' }, json: undefined }]);
			sandbox.clearRequests();
			const limited = await run({ resource: 'email', operation: 'getAll', accountId: byId(acc.id), limit: 3 });
			expect(limited.items.map((i) => i.json.id)).toEqual(all.slice(0, 3).map((e) => e.id));
			expect(sent()[0].query).toEqual({ limit: '3' });
		}
	});

	test('Get Many: a folder by its id, its role (as v1 filtered) or its name: one folders call, then the folder route; v2 filters q, is_unread, has_attachment', async () => {
		const acc = account('outlook');
		const inbox = (await mailbox(acc.id)).folders.find((f: Any) => f.role === 'INBOX');
		const inInbox = await listed(`/${acc.id}/folders/${inbox.id}/emails`);
		for (const folder of [inbox.id, 'INBOX', 'inbox', 'Inbox']) {
			sandbox.clearRequests();
			const { items, error } = await run({ resource: 'email', operation: 'getAll', accountId: byId(acc.id), returnAll: true, filters: { folder } });
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json.id)).toEqual(inInbox.map((e) => e.id));
			expect(sent()).toEqual([
				{ method: 'GET', path: `/v2/${acc.id}/folders`, query: { limit: '250' }, json: undefined },
				{ method: 'GET', path: `/v2/${acc.id}/folders/${inbox.id}/emails`, query: { limit: '250' }, json: undefined },
			]);
		}
		sandbox.clearRequests();
		const filtered = await run({ resource: 'email', operation: 'getAll', accountId: byId(acc.id), returnAll: true, filters: { q: 'invoice', unread: false, hasAttachment: true, from: ' ada@example.com ', anyEmail: 'ada@example.com, bob@example.com' }, options: { metaOnly: true } });
		expect(filtered.error).toBeUndefined();
		expect(sent()[0]).toEqual({ method: 'GET', path: `/v2/${acc.id}/emails`, query: { limit: '250', q: 'invoice', is_unread: 'false', has_attachment: 'true', from: 'ada@example.com', any_email: 'ada@example.com,bob@example.com', meta_only: 'true' }, json: undefined });
		const none = await run({ resource: 'email', operation: 'getAll', accountId: byId(acc.id), returnAll: true, filters: { folder: 'Nope' } });
		expect(none.error?.message).toBe('Filters → Folder: the mailbox has no folder "Nope"');
		expect(none.error?.description).toContain('Inbox (AQMkADAwATM0MDAAInbox)');
	});

	test("Get Many on Gmail: After/Before at a time of day lose no email of that day (Gmail reads dates only): a day wider is asked, exactly what was meant kept", async () => {
		const acc = account('google');
		const all = await listed(`/${acc.id}/emails`);
		// Two emails of one day: after the earlier one's time, the later one must be listed.
		const byDay = new Map<string, Any[]>();
		for (const e of all) byDay.set(e.date.slice(0, 10), [...(byDay.get(e.date.slice(0, 10)) ?? []), e]);
		const sameDay = [...byDay.values()].find((list) => list.length >= 2)!;
		const [later, earlier] = sameDay;
		const after = earlier.date;
		const before = new Date(Date.parse(later.date) + 1).toISOString();
		sandbox.clearRequests();
		const { items, error } = await run({ resource: 'email', operation: 'getAll', accountId: byId(acc.id), returnAll: true, filters: { after, before } });
		expect(error).toBeUndefined();
		const expected = all.filter((e) => e.date > after && e.date < before);
		expect(expected.map((e) => e.id)).toContain(later.id);
		expect(items.map((i) => i.json.id)).toEqual(expected.map((e) => e.id));
		const day = Date.UTC(Number(after.slice(0, 4)), Number(after.slice(5, 7)) - 1, Number(after.slice(8, 10)));
		expect(sent()[0].query).toEqual({ limit: '250', after: new Date(day - 86_400_000).toISOString(), before: new Date(Date.UTC(Number(before.slice(0, 4)), Number(before.slice(5, 7)) - 1, Number(before.slice(8, 10))) + 2 * 86_400_000).toISOString() });
		// Asked as given, Gmail would have dropped the later email of that day.
		const raw = await listed(`/${acc.id}/emails?after=${encodeURIComponent(after)}`);
		expect(raw.map((e) => e.id)).not.toContain(later.id);
	});

	test('Update: Unread as POST unread/read; folders by name or id as POST modify {folders_ids} (one call each); Outlook refuses two folders in its words', async () => {
		const acc = account('google');
		const box = await mailbox(acc.id);
		const email = box.emails.find((e: Any) => e.folders.includes('INBOX'));
		const unread = await run({ resource: 'email', operation: 'update', accountId: byId(acc.id), emailId: email.id, updateFields: { unread: true } });
		expect(unread.items[0].json).toEqual({ object: 'EmailUnread' });
		sandbox.clearRequests();
		const moved = await run({ resource: 'email', operation: 'update', accountId: byId(acc.id), emailId: email.id, updateFields: { unread: false, folders: ['Clients', 'IMPORTANT'] } });
		expect(moved.error).toBeUndefined();
		expect(sent()).toEqual([
			{ method: 'GET', path: `/v2/${acc.id}/folders`, query: { limit: '250' }, json: undefined },
			{ method: 'POST', path: `/v2/${acc.id}/emails/${email.id}/read`, query: {}, json: undefined },
			{ method: 'POST', path: `/v2/${acc.id}/emails/${email.id}/modify`, query: {}, json: { folders_ids: ['Label_8412', 'IMPORTANT'] } },
		]);
		expect(moved.items[0].json).toEqual(expect.objectContaining({ id: email.id, folders: ['Label_8412', 'IMPORTANT'], is_unread: false }));
		const outlook = account('outlook');
		const other = (await mailbox(outlook.id)).emails[0];
		const two = await run({ resource: 'email', operation: 'update', accountId: byId(outlook.id), emailId: other.id, updateFields: { folders: ['Archive', 'Clients'] } });
		expect(two.error?.message).toBe('Invalid parameters: Outlook emails can be in a single folder only. [provider/invalid_parameters]');
		const nothing = await run({ resource: 'email', operation: 'update', accountId: byId(acc.id), emailId: email.id, updateFields: {} });
		expect(nothing.error?.message).toBe('Nothing to update: no field was chosen');
	});

	test('Delete moves to the trash; Get Attachment one file or all of them with their names and types', async () => {
		const acc = account('imap');
		const box = await mailbox(acc.id);
		const withFiles = box.emails.find((e: Any) => e.attachments.length >= 1);
		const one = await run({ resource: 'email', operation: 'getAttachment', accountId: byId(acc.id), emailId: withFiles.id, attachmentId: withFiles.attachments[0].id });
		expect(one.error).toBeUndefined();
		expect(one.items[0].binary!.data).toEqual(expect.objectContaining({ fileName: withFiles.attachments[0].filename, mimeType: withFiles.attachments[0].mimetype }));
		sandbox.clearRequests();
		const all = await run({ resource: 'email', operation: 'getAttachment', accountId: byId(acc.id), emailId: withFiles.id, downloadAll: true });
		expect(all.error).toBeUndefined();
		expect(sent().map((r) => r.path)).toEqual([`/v2/${acc.id}/emails/${withFiles.id}`, ...withFiles.attachments.map((a: Any) => `/v2/${acc.id}/emails/${withFiles.id}/attachments/${a.id}`)]);
		expect(Object.keys(all.items[0].binary ?? {})).toEqual(withFiles.attachments.map((_a: Any, i: number) => `data_${i}`));
		expect(all.items[0].json).toEqual(expect.objectContaining({ email_id: withFiles.id }));
		sandbox.clearRequests();
		const deleted = await run({ resource: 'email', operation: 'delete', accountId: byId(acc.id), emailId: withFiles.id });
		expect(sent()).toEqual([{ method: 'DELETE', path: `/v2/${acc.id}/emails/${withFiles.id}`, query: {}, json: undefined }]);
		expect(deleted.items[0].json).toEqual({ object: 'EmailTrashed' });
		expect((await mailbox(acc.id)).emails.find((e: Any) => e.id === withFiles.id).folders).toEqual(['Trash']);
	});

	test('an Email ID v2 does not know: Unipile\'s 404 in its words; no Account: refused before sending', async () => {
		const acc = account('google');
		const missing = await run({ resource: 'email', operation: 'get', accountId: byId(acc.id), emailId: 'nope' });
		expect(missing.error?.message).toBe('Resource not found: Email nope not found. [api/resource_not_found]');
		sandbox.clearRequests();
		const noAccount = await run({ resource: 'email', operation: 'get', accountId: byId(''), emailId: 'x' });
		expect(noAccount.error?.message).toMatch(/Account/);
		expect(nodeRequests(sandbox)).toEqual([]);
	});
});

describe('Folder and Draft on v2', () => {
	test('Folder → Get Many (every page) and Get', async () => {
		const acc = account('google');
		const many = await run({ resource: 'folder', operation: 'getAll', accountId: byId(acc.id) });
		expect(sent()).toEqual([{ method: 'GET', path: `/v2/${acc.id}/folders`, query: { limit: '250' }, json: undefined }]);
		expect(many.items.map((i) => i.json.id)).toEqual(['INBOX', 'SENT', 'DRAFT', 'TRASH', 'SPAM', 'IMPORTANT', 'Label_8412']);
		expect(many.items[0].json).toEqual(expect.objectContaining({ object: 'EmailFolder', name: 'INBOX', role: 'INBOX', total_count: expect.any(Number) }));
		sandbox.clearRequests();
		const one = await run({ resource: 'folder', operation: 'get', accountId: byId(acc.id), folderId: 'Label_8412' });
		expect(sent()).toEqual([{ method: 'GET', path: `/v2/${acc.id}/folders/Label_8412`, query: {}, json: undefined }]);
		expect(one.items[0].json).toEqual(expect.objectContaining({ id: 'Label_8412', name: 'Clients' }));
	});

	test('Draft: Create (201), Get Many, Get, Update, Send, Delete — the v2 lifecycle', async () => {
		const acc = account('outlook');
		const created = await run({ resource: 'draft', operation: 'create', accountId: byId(acc.id), to: 'Ada <ada@example.com>', subject: 'Draft 1', body: '' });
		expect(created.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'POST', path: `/v2/${acc.id}/drafts`, query: {}, json: { to: [{ email: 'ada@example.com', display_name: 'Ada' }], subject: 'Draft 1' } }]);
		expect(nodeRequests(sandbox)[0].status).toBe(201);
		const draftId = created.items[0].json.id as string;
		expect(created.items[0].json).toEqual(expect.objectContaining({ object: 'EmailDraft', id: draftId, subject: 'Draft 1' }));
		await run({ resource: 'draft', operation: 'create', accountId: byId(acc.id), to: 'bob@example.com', subject: 'Draft 2', body: 'b' });
		sandbox.clearRequests();
		const many = await run({ resource: 'draft', operation: 'getAll', accountId: byId(acc.id), returnAll: true, filters: { to: 'ada@example.com' } });
		expect(sent()).toEqual([{ method: 'GET', path: `/v2/${acc.id}/drafts`, query: { limit: '250', to: 'ada@example.com' }, json: undefined }]);
		expect(many.items.map((i) => i.json.id)).toEqual([draftId]);
		sandbox.clearRequests();
		const updated = await run({ resource: 'draft', operation: 'update', accountId: byId(acc.id), draftId, subject: 'Draft 1 (final)', body: '<p>Final</p>' });
		expect(sent()).toEqual([{ method: 'PATCH', path: `/v2/${acc.id}/drafts/${draftId}`, query: {}, json: { subject: 'Draft 1 (final)', html: '<p>Final</p>' } }]);
		expect(updated.items[0].json).toEqual(expect.objectContaining({ id: draftId, subject: 'Draft 1 (final)', to: [{ email: 'ada@example.com', display_name: 'Ada' }] }));
		const got = await run({ resource: 'draft', operation: 'get', accountId: byId(acc.id), draftId });
		expect(got.items[0].json).toEqual(updated.items[0].json);
		sandbox.clearRequests();
		const sentDraft = await run({ resource: 'draft', operation: 'send', accountId: byId(acc.id), draftId });
		expect(sent()).toEqual([{ method: 'POST', path: `/v2/${acc.id}/drafts/${draftId}/send`, query: {}, json: undefined }]);
		expect(sentDraft.items[0].json).toEqual({ object: 'EmailSent', id: expect.any(String), message_id: expect.any(String) });
		expect((await mailbox(acc.id)).emails.find((e: Any) => e.id === sentDraft.items[0].json.id).subject).toBe('Draft 1 (final)');
		const other = (await mailbox(acc.id)).drafts[0];
		sandbox.clearRequests();
		const deleted = await run({ resource: 'draft', operation: 'delete', accountId: byId(acc.id), draftId: other.id });
		expect(sent()).toEqual([{ method: 'DELETE', path: `/v2/${acc.id}/drafts/${other.id}`, query: {}, json: undefined }]);
		expect(deleted.items[0].json).toEqual({ object: 'EmailDraftDeleted' });
		expect((await mailbox(acc.id)).drafts).toEqual([]);
	});

	test('Email → Send with a Draft ID: the draft route (its fields written first when some are given)', async () => {
		const acc = account('google');
		const created = await run({ resource: 'draft', operation: 'create', accountId: byId(acc.id), to: 'ada@example.com', subject: 'Saved', body: 'x' });
		const draftId = created.items[0].json.id as string;
		sandbox.clearRequests();
		const png = Buffer.from('a small file');
		const { items, error } = await run(
			{ resource: 'email', operation: 'send', accountId: byId(acc.id), to: 'bob@example.com', body: 'New body', attachments: 'image', options: { draftId } },
			{ items: [{ json: {}, binaryFiles: { image: { data: png.toString('base64'), fileName: 'a.png', mimeType: 'image/png' } } }] },
		);
		expect(error).toBeUndefined();
		expect(sent()).toEqual([
			{ method: 'PATCH', path: `/v2/${acc.id}/drafts/${draftId}`, query: {}, json: { to: [{ email: 'bob@example.com' }], plain_text: 'New body', attachments: [{ filename: 'a.png', content_type: 'image/png', content: png.toString('base64') }] } },
			{ method: 'POST', path: `/v2/${acc.id}/drafts/${draftId}/send`, query: {}, json: undefined },
		]);
		const email = (await mailbox(acc.id)).emails.find((e: Any) => e.id === items[0].json.id);
		expect(email).toEqual(expect.objectContaining({ subject: 'Saved', to: [{ email: 'bob@example.com' }], attachments: [expect.objectContaining({ filename: 'a.png', file_size: png.length })] }));

	});
});

describe('the editor on v2', () => {
	const description = () => (nodeTypes().getByNameAndVersion('CUSTOM.unipileEmail', 1) as INodeType).description;

	test('Authentication defaults to v2; the draft lifecycle operations are offered on v2 only', () => {
		const properties = description().properties as INodeProperties[];
		expect(properties[0]).toEqual(expect.objectContaining({ name: 'authentication', default: 'unipileApiV2' }));
		const draftOps = properties.filter((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('draft'));
		const onV1 = draftOps.find((p) => (p.displayOptions?.hide?.authentication as string[] | undefined)?.includes('unipileApiV2'))!;
		const onV2 = draftOps.find((p) => (p.displayOptions?.show?.authentication as string[] | undefined)?.includes('unipileApiV2'))!;
		expect((onV1.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['create']);
		expect((onV2.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['create', 'delete', 'get', 'getAll', 'send', 'update']);
		expect(draftOps).toHaveLength(2);
	});

	test('the folder pickers list the chosen mailbox\'s folders by v2 id', async () => {
		const acc = account('outlook');
		const node: INode = { id: 'n1', name: 'Email', type: 'CUSTOM.unipileEmail', typeVersion: 1, position: [0, 0], parameters: { authentication: 'unipileApiV2', resource: 'email', operation: 'getAll', accountId: byId(acc.id) } as Any, credentials: { unipileV2Api: { id: 'c', name: 'Unipile v2' } } };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
		const context = new LoadOptionsContext(workflow, node, { ...additionalDataFor(credentials), currentNodeParameters: node.parameters } as IWorkflowExecuteAdditionalData, 'parameters.filters.folder');
		const methods = (nodeTypes().getByNameAndVersion('CUSTOM.unipileEmail', 1) as INodeType).methods!.loadOptions!;
		const folders = await methods.getFolders.call(context as Any);
		expect(folders[0]).toEqual({ name: 'Inbox', value: 'AQMkADAwATM0MDAAInbox', description: expect.stringMatching(/^inbox · \d+ emails$/) });
		expect(folders.map((f) => f.value)).toHaveLength(7);
		const names = await methods.getFolderNames.call(context as Any);
		expect(names).toEqual(folders);
	});
});
