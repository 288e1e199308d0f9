/**
 * The sandbox's v2 email routes (test/sandbox/v2/email.ts) over real HTTP: strict fields, paging per provider,
 * Gmail's date-only filters, 201 for a draft, the folder list newest first with `after` (what a v2 email poller
 * reads), and the control that delivers an email.
 */
import { startSandbox, type Sandbox } from './sandbox/server';

type Any = any;

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const account = (provider: string) => sandbox.v2.accounts.find((a: Any) => a.provider === provider && a.status === 'running')!;
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Any }> {
	const res = await fetch(`${sandbox.url}/v2${path}`, {
		method,
		headers: { 'X-API-KEY': sandbox.v2.apiKey, 'Cache-Control': 'no-store', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, json: await res.json() };
}

test('strict: an unknown body field, an address without email, a messaging account are 400 with a v2 error', async () => {
	const g = account('google').id;
	const unknown = await call('POST', `/${g}/emails/send`, { to: [{ email: 'a@example.com' }], plain_text: 'x', body: 'v1 name' });
	expect(unknown.status).toBe(400);
	expect(unknown.json).toEqual(expect.objectContaining({ object: 'Error', type: 'api/invalid_parameters', detail: expect.stringMatching(/^body: unknown body field/), req_id: expect.stringMatching(/^req_/) }));
	expect((await call('POST', `/${g}/emails/send`, { to: [{ identifier: 'a@example.com' }], plain_text: 'x' })).json.detail).toBe('identifier: unknown to[0] field (allowed: email, display_name)');
	expect((await call('POST', `/${g}/emails/send`, { to: [{ email: 'a@example.com' }] })).json.detail).toBe('html or plain_text: required');
	expect((await call('GET', `/${account('whatsapp').id}/emails`)).json.detail).toBe('This method is not available for whatsapp accounts.');
	expect((await call('GET', `/${g}/emails?role=inbox`)).json.detail).toMatch(/^role: unknown query parameter/);
});

test('paging: Gmail by cursor, Outlook and IMAP by offset (the other mode refused); lists newest first', async () => {
	const first = await call('GET', `/${account('google').id}/emails?limit=5`);
	expect(first.json.next_cursor).toEqual(expect.any(String));
	expect((await call('GET', `/${account('google').id}/emails?limit=5&offset=5`)).status).toBe(400);
	const dates = first.json.data.map((e: Any) => e.date);
	expect([...dates].sort().reverse()).toEqual(dates);
	for (const provider of ['outlook', 'imap']) {
		const page = await call('GET', `/${account(provider).id}/emails?limit=5&offset=5`);
		expect(page.json).toEqual({ data: expect.any(Array), total_count: 40 });
		expect((await call('GET', `/${account(provider).id}/emails?cursor=abc`)).status).toBe(400);
	}
});

test("Gmail reads after/before as dates (exclusive days); Outlook to the millisecond", async () => {
	const g = account('google').id;
	const all = (await call('GET', `/${g}/emails?limit=250`)).json.data as Any[];
	const pivot = all[10];
	const after = (await call('GET', `/${g}/emails?limit=250&after=${encodeURIComponent(pivot.date)}`)).json.data as Any[];
	expect(after.map((e) => e.id)).toEqual(all.filter((e) => e.date.slice(0, 10) > pivot.date.slice(0, 10)).map((e) => e.id));
	const o = account('outlook').id;
	const outlook = (await call('GET', `/${o}/emails?limit=250`)).json.data as Any[];
	const later = (await call('GET', `/${o}/emails?limit=250&after=${encodeURIComponent(outlook[10].date)}`)).json.data as Any[];
	expect(later.map((e) => e.id)).toEqual(outlook.slice(0, 10).map((e) => e.id));
});

test('a draft is created with 201; folders carry counts; Outlook moves to one folder only', async () => {
	const o = account('outlook').id;
	const draft = await call('POST', `/${o}/drafts`, { subject: 'Later' });
	expect(draft.status).toBe(201);
	expect(draft.json).toEqual(expect.objectContaining({ object: 'EmailDraft', subject: 'Later', to: [] }));
	const folders = (await call('GET', `/${o}/folders`)).json;
	expect(folders.total_count).toBe(7);
	expect(folders.data[0]).toEqual({ object: 'EmailFolder', id: 'AQMkADAwATM0MDAAInbox', name: 'Inbox', role: 'INBOX', is_system: true, total_count: expect.any(Number), unread_count: expect.any(Number) });
	const [email] = (await call('GET', `/${o}/emails?limit=1`)).json.data;
	const two = await call('POST', `/${o}/emails/${email.id}/modify`, { folders_ids: ['AQMkADAwATM0MDAAArchive', 'AQMkADAwATM0MDAAClients'] });
	expect(two.json).toEqual(expect.objectContaining({ status: 400, type: 'provider/invalid_parameters', detail: 'Outlook emails can be in a single folder only.' }));
});

test('what a v2 email poller reads: a delivered email comes first in its folder, newest first, and after the last one seen', async () => {
	const g = account('google').id;
	const [newest] = (await call('GET', `/${g}/folders/INBOX/emails?limit=1`)).json.data;
	const delivered = await fetch(`${sandbox.url}/_sandbox/v2/emails`, { method: 'POST', body: JSON.stringify({ accountId: g, subject: 'Fresh', from: 'lead@example.com', date: '2026-11-05T10:00:00.000Z' }) });
	expect(delivered.status).toBe(201);
	const email = (await delivered.json()) as Any;
	const listed = (await call('GET', `/${g}/folders/INBOX/emails?limit=5`)).json.data;
	expect(listed[0]).toEqual(expect.objectContaining({ id: email.id, subject: 'Fresh', from: [{ email: 'lead@example.com' }], is_unread: true, folders: ['INBOX'] }));
	const since = (await call('GET', `/${g}/folders/INBOX/emails?limit=250&after=${encodeURIComponent(newest.date)}`)).json.data;
	expect(since.map((e: Any) => e.id)).toContain(email.id);
});
