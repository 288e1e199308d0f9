/**
 * The sandbox's Unipile API v2 environment: every route's answers validate against schemas written from the v2 SDK
 * types (test/sandbox/v2/schemas.ts); paging by cursor and by offset walks to the end with its filters; v2 errors;
 * keys across environments; 429 with Retry-After; the 1-hour GET cache; base64 attachments arrive byte-identical.
 */
import { createHash } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { startSandbox, type Sandbox } from './sandbox/server';
import * as S from './sandbox/v2/schemas';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
let sandbox: Sandbox;

const compiled = new Map<TSchema, ReturnType<typeof TypeCompiler.Compile>>();
function expectSchema(schema: TSchema, value: unknown): void {
	let c = compiled.get(schema);
	if (!c) compiled.set(schema, (c = TypeCompiler.Compile(schema)));
	const errors = [...c.Errors(value)].slice(0, 5).map((e) => `${e.path}: ${e.message}`);
	expect(errors).toEqual([]);
}

async function v2(path: string, init: RequestInit & { key?: string | null; json?: unknown } = {}): Promise<{ status: number; headers: Headers; body: Any; bytes: Buffer }> {
	const headers = new Headers(init.headers);
	if (init.key !== null) headers.set('X-API-KEY', init.key ?? sandbox.v2.apiKey);
	let body = init.body;
	if (init.json !== undefined) {
		headers.set('Content-Type', 'application/json');
		body = JSON.stringify(init.json);
	}
	const res = await fetch(`${sandbox.url}${path}`, { ...init, headers, body });
	const bytes = Buffer.from(await res.arrayBuffer());
	const ct = res.headers.get('content-type') ?? '';
	return { status: res.status, headers: res.headers, body: ct.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined, bytes };
}

function expectError(r: { status: number; body: Any }, status: number, type: string): void {
	expect({ status: r.status, type: r.body?.type }).toEqual({ status, type });
	expectSchema(S.ErrorBody, r.body);
	expect(r.body.status).toBe(status);
}

const acc = (provider: string, status = 'running') => sandbox.v2.accounts.find((a) => a.provider === provider && a.status === status)!;
const nc = { 'Cache-Control': 'no-cache' };

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox?.close();
});
beforeEach(() => {
	sandbox.reset();
});

describe('accounts (Core API)', () => {
	test('list: {object, data, has_more} with string offset/limit, filters, sorted by name', async () => {
		const all: Any[] = [];
		let offset = 0;
		for (;;) {
			const r = await v2(`/v2/accounts/?offset=${offset}&limit=3`);
			expect(r.status).toBe(200);
			expectSchema(S.Accounts, r.body);
			all.push(...r.body.data);
			if (!r.body.has_more) break;
			offset += 3;
		}
		expect(all.map((a) => a.id).sort()).toEqual(sandbox.v2.accounts.map((a) => a.id).sort());
		const names = all.map((a) => a.name);
		expect(names).toEqual([...names].sort());
		expect(all.every((a) => /^acc_/.test(a.id))).toBe(true);
		const li = await v2('/v2/accounts/?provider=linkedin&status=running');
		expect(li.body.data.map((a: Any) => a.id)).toEqual([acc('linkedin').id]);
		const search = await v2(`/v2/accounts/?search=${acc('telegram').id}`);
		expect(search.body.data).toHaveLength(1);
		expectError(await v2('/v2/accounts/?cursor=abc'), 400, 'api/invalid_parameters');
		expectError(await v2('/v2/accounts/?limit=251'), 400, 'api/invalid_parameters');
		expectError(await v2('/v2/accounts/?provider=WHATSAPP'), 400, 'api/invalid_parameters');
	});

	test('get and delete; unknown ids → 404', async () => {
		const id = acc('instagram').id;
		const g = await v2(`/v2/accounts/${id}`);
		expectSchema(S.Account, g.body);
		expect(g.body).toEqual(expect.objectContaining({ id, provider: 'instagram', status: 'running', object: 'Account' }));
		const d = await v2(`/v2/accounts/${id}`, { method: 'DELETE' });
		expectSchema(S.AccountRemoved, d.body);
		expectError(await v2(`/v2/accounts/${id}`, { headers: nc }), 404, 'api/resource_not_found');
		expectError(await v2('/v2/accounts/acc_nope', { method: 'DELETE' }), 404, 'api/resource_not_found');
	});

	test('auth intent → checkpoint → Account; QR and OAuth answers; hosted link; reconnect', async () => {
		const i = await v2('/v2/auth/intent', { method: 'POST', json: { provider: 'linkedin', credentials: { username: 'a@b.c', password: 'pw' } } });
		expect(i.status).toBe(200);
		expectSchema(S.AuthenticationCheckpoint, i.body);
		expectError(await v2('/v2/auth/checkpoint', { method: 'POST', json: { intent_id: i.body.intent_id, code: '000000' } }), 400, 'provider/invalid_parameters');
		const c = await v2('/v2/auth/checkpoint', { method: 'POST', json: { intent_id: i.body.intent_id, code: '123456' } });
		expectSchema(S.Account, c.body);
		expect(sandbox.v2.accounts.map((a) => a.id)).toContain(c.body.id);
		const wa = await v2('/v2/auth/intent', { method: 'POST', json: { provider: 'whatsapp', credentials: {} } });
		expect(wa.body).toEqual({ object: 'AuthenticationQrCode', qrcode: expect.any(String), intent_id: expect.any(String) });
		const g = await v2('/v2/auth/intent', { method: 'POST', json: { provider: 'google', credentials: {} } });
		expect(g.body).toEqual({ object: 'OauthUrl', url: expect.any(String) });
		const ig = await v2('/v2/auth/intent', { method: 'POST', json: { provider: 'instagram', credentials: { username: 'x', password: 'y' } } });
		expectSchema(S.Account, ig.body);
		// reconnect: the disconnected LinkedIn account, by access token
		const off = acc('linkedin', 'disconnected').id;
		const re = await v2('/v2/auth/intent', { method: 'POST', json: { provider: 'linkedin', account_id: off, credentials: { access_token: 'li_at', user_agent: 'UA' } } });
		expect(re.body).toEqual(expect.objectContaining({ id: off, status: 'running' }));
		expectError(await v2('/v2/auth/intent', { method: 'POST', json: { provider: 'linkedin', account_id: off, credentials: { access_token: 'x' } } }), 400, 'api/invalid_parameters');
		expectError(await v2('/v2/auth/intent', { method: 'POST', json: { provider: 'LINKEDIN', credentials: {} } }), 400, 'api/invalid_parameters');
		expectError(await v2('/v2/auth/intent', { method: 'POST', json: { provider: 'instagram', credentials: {}, name: 'x' } }), 400, 'api/invalid_parameters');
		const link = await v2('/v2/auth/link', { method: 'POST', json: { providers: ['whatsapp', 'linkedin'], expires_on: '2030-01-01T00:00:00.000Z', redirect_uri: 'https://example.com/done', state: 's1' } });
		expectSchema(S.HostedAuthLink, link.body);
		expectError(await v2('/v2/auth/link', { method: 'POST', json: { providers: '*', expires_on: '2030-01-01', redirect_uri: 'https://x.y' } }), 400, 'api/invalid_parameters');
		expectError(await v2('/v2/auth/link', { method: 'POST', json: { providers: '*', expires_on: '2030-01-01T00:00:00.000Z', redirect_uri: 'https://x.y', notify_url: 'https://x.y' } }), 400, 'api/invalid_parameters');
	});
});

describe('chats and messages (Methods API)', () => {
	async function walk(path: string, mode: 'cursor' | 'offset', limit: number, filters = ''): Promise<{ items: Any[]; pages: number }> {
		const items: Any[] = [];
		let pages = 0;
		let cursor: string | undefined;
		let offset = 0;
		for (;;) {
			const paging = mode === 'cursor' ? (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '') : `&offset=${offset}`;
			const r = await v2(`${path}?limit=${limit}${filters}${paging}`);
			expect(r.status).toBe(200);
			pages++;
			if (mode === 'offset') {
				expect(r.body.next_cursor).toBeUndefined();
				expect(typeof r.body.total_count).toBe('number');
				if (r.body.data.length === 0) break;
				items.push(...r.body.data);
				offset += limit;
			} else {
				items.push(...r.body.data);
				if (r.body.next_cursor === undefined) break;
				cursor = r.body.next_cursor;
			}
			expect(pages).toBeLessThan(100);
		}
		return { items, pages };
	}

	test.each([
		['linkedin', 'cursor'],
		['instagram', 'cursor'],
		['whatsapp', 'offset'],
		['telegram', 'offset'],
	] as const)('%s chats page by %s to the end, every filter kept; every chat validates', async (provider, mode) => {
		const id = acc(provider).id;
		const r = await v2(`/v2/${id}/chats?limit=250`);
		expectSchema(S.ChatList, r.body);
		const everything = r.body.data;
		expect(everything.length).toBeGreaterThan(10);
		const times = everything.map((c: Any) => c.last_message_timestamp);
		expect(times).toEqual([...times].sort().reverse());
		const { items, pages } = await walk(`/v2/${id}/chats`, mode, 4);
		expect(pages).toBeGreaterThan(3);
		expect(items.map((c) => c.id)).toEqual(everything.map((c: Any) => c.id));
		const groups = await walk(`/v2/${id}/chats`, mode, 2, '&type=group&is_archived=false');
		expect(groups.items.length).toBeGreaterThan(1);
		expect(groups.items.every((c) => c.type === 'group' && c.is_group && !c.is_archived)).toBe(true);
		expect(groups.items.map((c) => c.id)).toEqual(everything.filter((c: Any) => c.type === 'group' && !c.is_archived).map((c: Any) => c.id));
		// the other mode's parameter is refused
		expectError(await v2(`/v2/${id}/chats?${mode === 'cursor' ? 'offset=0' : 'cursor=abc'}`), 400, 'api/invalid_parameters');
		expectError(await v2(`/v2/${id}/chats?limit=251`), 400, 'api/invalid_parameters');
		expectError(await v2(`/v2/${id}/chats?unread=true`), 400, 'api/invalid_parameters');
		expectError(await v2(`/v2/${id}/chats?after=2026-01-01`), 400, 'api/invalid_parameters');
	});

	test('a cursor keeps its filters: alone it continues them, with other filters it is refused', async () => {
		const id = acc('linkedin').id;
		const first = await v2(`/v2/${id}/chats?limit=2&type=1to1`);
		const alone = await v2(`/v2/${id}/chats?cursor=${first.body.next_cursor}`);
		expect(alone.body.data.every((c: Any) => c.type === '1to1')).toBe(true);
		expectError(await v2(`/v2/${id}/chats?type=group&cursor=${first.body.next_cursor}`), 400, 'api/invalid_parameters');
	});

	test('chat get / update with named fields / participants (groups only)', async () => {
		const id = acc('whatsapp').id;
		const chats = (await v2(`/v2/${id}/chats?limit=250`)).body.data;
		const one = chats.find((c: Any) => c.type === '1to1');
		const group = chats.find((c: Any) => c.type === 'group');
		const g = await v2(`/v2/${id}/chats/${encodeURIComponent(one.id)}`);
		expectSchema(S.Chat, g.body);
		expect(g.body.user.id).toBe(one.user_id);
		const p = await v2(`/v2/${id}/chats/${encodeURIComponent(one.id)}`, { method: 'PATCH', json: { pin_status: true, archive_status: true, label: 'VIP', muted_until: '2030-01-01T00:00:00.000Z', read_status: false } });
		expectSchema(S.Chat, p.body);
		expect(p.body).toEqual(expect.objectContaining({ is_pinned: true, is_archived: true, label: 'VIP', muted_until: '2030-01-01T00:00:00.000Z' }));
		expect(p.body.unread_count).not.toBe(0);
		const read = await v2(`/v2/${id}/chats/${encodeURIComponent(one.id)}`, { method: 'PATCH', json: { read_status: true, muted_until: false } });
		expect(read.body).toEqual(expect.objectContaining({ unread_count: 0, muted_until: false }));
		expectError(await v2(`/v2/${id}/chats/${encodeURIComponent(one.id)}`, { method: 'PATCH', json: { action: 'pin', value: true } }), 400, 'api/invalid_parameters');
		expectError(await v2(`/v2/${id}/chats/${encodeURIComponent(one.id)}`, { method: 'PATCH', json: { pin_status: 'yes' } }), 400, 'api/invalid_parameters');
		const parts = await v2(`/v2/${id}/chats/${encodeURIComponent(group.id)}/participants`);
		expectSchema(S.ParticipantList, parts.body);
		expect(parts.body.data.filter((x: Any) => x.is_self)).toHaveLength(1);
		expect(parts.body.data).toHaveLength(group.participants_count);
		expectError(await v2(`/v2/${id}/chats/${encodeURIComponent(one.id)}/participants`), 400, 'api/invalid_parameters');
		expectError(await v2(`/v2/${id}/chats/nope`), 404, 'api/resource_not_found');
		expectError(await v2(`/v2/acc_nope/chats`), 404, 'api/resource_not_found');
		expectError(await v2(`/v2/${acc('linkedin', 'disconnected').id}/chats`), 401, 'provider/invalid_authorization');
	});

	test.each([
		['linkedin', 'cursor'],
		['telegram', 'offset'],
	] as const)('%s messages: newest first, %s paging, before/after exclusive, user_id; get one; download an attachment', async (provider, mode) => {
		const id = acc(provider).id;
		const chats = (await v2(`/v2/${id}/chats?limit=250`)).body.data;
		const chat = chats.find((c: Any) => c.type === 'group');
		const path = `/v2/${id}/chats/${encodeURIComponent(chat.id)}/messages`;
		const all = (await v2(`${path}?limit=250`)).body;
		expectSchema(S.MessageList, all);
		const ts = all.data.map((m: Any) => m.timestamp);
		expect(ts).toEqual([...ts].sort().reverse());
		const { items } = await walk(path, mode, 2);
		expect(items.map((m) => m.id)).toEqual(all.data.map((m: Any) => m.id));
		const after = ts[ts.length - 2];
		const before = ts[1];
		const window = await walk(path, mode, 1, `&after=${after}&before=${before}`);
		expect(window.items.map((m) => m.id)).toEqual(all.data.slice(2, -2).map((m: Any) => m.id));
		const sender = all.data.find((m: Any) => !m.is_sender).sender_id;
		const bySender = await walk(path, mode, 1, `&user_id=${encodeURIComponent(sender)}`);
		expect(bySender.items.every((m) => m.sender_id === sender)).toBe(true);
		expect(bySender.items.length).toBe(all.data.filter((m: Any) => m.sender_id === sender).length);
		const one = await v2(`${path}/${encodeURIComponent(all.data[0].id)}`);
		expectSchema(S.Message, one.body);
		expect(one.body.id).toBe(all.data[0].id);
		expectError(await v2(`${path}/nope`), 404, 'api/resource_not_found');
		expectError(await v2(`${path}?sender_id=x`), 400, 'api/invalid_parameters');
		// a seeded attachment
		let found: Any;
		for (const c of chats) {
			const ms = (await v2(`/v2/${id}/chats/${encodeURIComponent(c.id)}/messages?limit=250`)).body.data;
			found = ms.find((m: Any) => m.attachments.length > 0);
			if (found) break;
		}
		const att = found.attachments[0];
		const file = await v2(new URL(att.url).pathname);
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe(att.mimetype);
		expect(file.headers.get('content-disposition')).toContain('attachment');
		expect(file.bytes.length).toBe(att.file_size);
	});

	test('start a chat (1to1 reuse, group), send, forward, users; base64 attachments arrive byte-identical', async () => {
		const id = acc('linkedin').id;
		const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256));
		const sha = createHash('sha256').update(bytes).digest('hex');
		const peer = (await v2(`/v2/${id}/chats?type=1to1&limit=1`)).body.data[0];
		const start1 = await v2(`/v2/${id}/chats/send`, { method: 'POST', json: { users_ids: peer.user_id, text: 'hi again' } });
		expectSchema(S.ChatStarted, start1.body);
		expect(start1.body.chat_id).toBe(peer.id);
		const group = await v2(`/v2/${id}/chats/send`, {
			method: 'POST',
			json: { users_ids: ['ACoAAnew1', 'ACoAAnew2'], text: 'welcome', name: 'New team', attachments: [{ content: bytes.toString('base64'), content_type: 'application/octet-stream', filename: 'blob.bin' }] },
		});
		expectSchema(S.ChatStarted, group.body);
		const gchat = (await v2(`/v2/${id}/chats/${encodeURIComponent(group.body.chat_id)}`)).body;
		expect(gchat).toEqual(expect.objectContaining({ type: 'group', name: 'New team', participants_count: 3 }));
		const log = sandbox.requests.find((r) => r.path === `/v2/${id}/chats/send` && (r.json as Any)?.name === 'New team')!;
		expect(log.attachments).toEqual([{ filename: 'blob.bin', content_type: 'application/octet-stream', size: bytes.length, sha256: sha }]);
		expect((log.json as Any).attachments[0].content).toMatch(/^\[base64 of 300000 bytes/);
		const msg = (await v2(`/v2/${id}/chats/${encodeURIComponent(group.body.chat_id)}/messages/${encodeURIComponent(group.body.message_id)}`)).body;
		expectSchema(S.Message, msg);
		const file = await v2(new URL(msg.attachments[0].url).pathname);
		expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(sha);
		expect(sandbox.v2.uploads.at(-1)).toEqual(expect.objectContaining({ size: bytes.length, sha256: sha, filename: 'blob.bin' }));

		const chatPath = `/v2/${id}/chats/${encodeURIComponent(peer.id)}/messages`;
		const quoted = (await v2(`${chatPath}?limit=1`)).body.data[0];
		const sent = await v2(`${chatPath}/send`, { method: 'POST', json: { text: 'reply', quote_id: quoted.id, attachments: [{ content: Buffer.from('hello').toString('base64'), content_type: 'text/plain', filename: 'a.txt' }] } });
		expectSchema(S.MessageSent, sent.body);
		const got = (await v2(`${chatPath}/${encodeURIComponent(sent.body.message_id)}`)).body;
		expect(got).toEqual(expect.objectContaining({ text: 'reply', is_sender: true, quoted: expect.objectContaining({ id: quoted.id }) }));
		expect((await v2(new URL(got.attachments[0].url).pathname)).bytes.toString()).toBe('hello');
		expectError(await v2(`${chatPath}/send`, { method: 'POST', json: { message: 'x' } }), 400, 'api/invalid_parameters');
		expectError(await v2(`${chatPath}/send`, { method: 'POST', json: { text: 'x', attachments: [{ content: '@@@', content_type: 'text/plain', filename: 'a' }] } }), 400, 'api/invalid_parameters');
		expectError(await v2(`${chatPath}/send`, { method: 'POST', json: { text: 'x', thread_id: 'y' } }), 400, 'api/invalid_parameters');

		const fw = await v2(`${chatPath}/${encodeURIComponent(got.id)}/forward`, { method: 'POST', json: { chat_id: group.body.chat_id, text: 'fyi' } });
		expectSchema(S.MessageForwarded, fw.body);
		const fwd = (await v2(`/v2/${id}/chats/${encodeURIComponent(fw.body.chat_id)}/messages/${encodeURIComponent(fw.body.message_id)}`)).body;
		expectSchema(S.Message, fwd);
		expect(fwd.forwarded).toEqual(expect.objectContaining({ object: 'ForwardedMessage', text: 'reply' }));

		const me = await v2(`/v2/${id}/users/me?variant=linkedin_classic&with_sections=linkedin_experience`);
		expectSchema(S.UserProfile, me.body);
		expect(me.body.id).toBe(acc('linkedin').user_id);
		const other = await v2(`/v2/${id}/users/${encodeURIComponent(peer.user_id)}`);
		expectSchema(S.UserProfile, other.body);
		const lookup = await v2(`/v2/${id}/users/${encodeURIComponent(peer.user_id)}/chat`);
		expectSchema(S.ChatLookup, lookup.body);
		expect(lookup.body.data).toEqual([{ chat_id: peer.id, has_history: true }]);
		expectError(await v2(`/v2/${id}/users/nobody`), 404, 'api/resource_not_found');
		expectError(await v2(`/v2/${acc('whatsapp').id}/users/me?variant=linkedin_classic`), 400, 'api/invalid_parameters');
	});

	test('WhatsApp sends several files as several messages (message_id array)', async () => {
		const id = acc('whatsapp').id;
		const chat = (await v2(`/v2/${id}/chats?limit=1`)).body.data[0];
		const f = (s: string) => ({ content: Buffer.from(s).toString('base64'), content_type: 'text/plain', filename: `${s}.txt` });
		const r = await v2(`/v2/${id}/chats/${encodeURIComponent(chat.id)}/messages/send`, { method: 'POST', json: { text: 'two files', attachments: [f('one'), f('two')] } });
		expectSchema(S.MessageSent, r.body);
		expect(r.body.message_id).toHaveLength(2);
	});

	test('an injected message is visible on the next no-cache read (and over HTTP)', async () => {
		const id = acc('instagram').id;
		const chat = (await v2(`/v2/${id}/chats?limit=1`)).body.data[0];
		const m = sandbox.v2.injectMessage({ accountId: id, chatId: chat.id, text: 'ping' });
		const list = await v2(`/v2/${id}/chats/${encodeURIComponent(chat.id)}/messages?limit=1`, { headers: nc });
		expect(list.body.data[0]).toEqual(expect.objectContaining({ id: m.id, text: 'ping', is_sender: false }));
		const res = await fetch(`${sandbox.url}/_sandbox/v2/messages`, { method: 'POST', body: JSON.stringify({ accountId: id, chatId: chat.id, text: 'pong' }) });
		expect(res.status).toBe(201);
		expectSchema(S.Message, await res.json());
	});
});

describe('environments, errors, faults, cache', () => {
	test('keys: the v1 key on /v2 and the v2 key on /api/v1 → 401, each in its own error shape; health shows both', async () => {
		const r = await v2('/v2/accounts/', { key: sandbox.apiKey });
		expectError(r, 401, 'api/invalid_authorization');
		expectError(await v2('/v2/accounts/', { key: null }), 401, 'api/missing_authorization');
		const v1 = await v2('/api/v1/accounts', { key: sandbox.v2.apiKey });
		expect(v1.status).toBe(401);
		expect(v1.body.type).toBe('errors/invalid_credentials');
		const h = await (await fetch(`${sandbox.url}/_sandbox/health`)).json();
		expect(h).toEqual(expect.objectContaining({ apiKey: sandbox.apiKey, v2ApiKey: sandbox.v2.apiKey }));
		expect(sandbox.v2.apiKey).toMatch(/^v2_sbx_/);
		// every error has a fresh req_id
		const a = await v2('/v2/nowhere');
		const b = await v2('/v2/nowhere');
		expectError(a, 404, 'api/resource_not_found');
		expect(a.body.req_id).not.toBe(b.body.req_id);
	});

	test('requests are logged with the /v2 path, query, headers and JSON', async () => {
		const id = acc('telegram').id;
		sandbox.clearRequests();
		await v2(`/v2/${id}/chats?limit=5&is_unread=true`);
		expect(sandbox.requests).toEqual([expect.objectContaining({ method: 'GET', path: `/v2/${id}/chats`, query: { limit: '5', is_unread: 'true' }, status: 200 })]);
		expect(sandbox.requests[0].headers['x-api-key']).toBe(sandbox.v2.apiKey);
	});

	test('a 429 fault answers api/too_many_requests with Retry-After; other faults too', async () => {
		const id = acc('linkedin').id;
		sandbox.injectFault({ path: `/v2/${id}/chats`, status: 429, retryAfter: 3 });
		const r = await v2(`/v2/${id}/chats`);
		expectError(r, 429, 'api/too_many_requests');
		expect(r.headers.get('retry-after')).toBe('3');
		expect((await v2(`/v2/${id}/chats`)).status).toBe(200);
		sandbox.injectFault({ path: /^\/v2\/.*\/messages\/send$/, status: 503 });
		const chat = (await v2(`/v2/${id}/chats?limit=1`)).body.data[0];
		const f = await v2(`/v2/${id}/chats/${encodeURIComponent(chat.id)}/messages/send`, { method: 'POST', json: { text: 'x' } });
		expectError(f, 503, 'provider/server_error');
	});

	test('the 1-hour GET cache: MISS, HIT with Age, stale data until no-cache, expiry, invalidation by a write', async () => {
		const id = acc('whatsapp').id;
		const path = `/v2/${id}/chats?limit=3`;
		const a = await v2(path);
		expect(a.headers.get('x-cache')).toBe('MISS');
		sandbox.v2.advanceClock(120_000);
		const chat = a.body.data[2];
		sandbox.v2.injectMessage({ accountId: id, chatId: chat.id, text: 'new!' });
		const b = await v2(path);
		expect(b.headers.get('x-cache')).toBe('HIT');
		expect(Number(b.headers.get('age'))).toBeGreaterThanOrEqual(120);
		expect(b.body).toEqual(a.body); // cached, though the data changed
		const c = await v2(path, { headers: nc });
		expect(c.headers.get('x-cache')).toBe('MISS');
		expect(c.body.data[0].id).toBe(chat.id);
		const d = await v2(path, { headers: { 'Cache-Control': 'no-store' } });
		expect(d.headers.get('x-cache')).toBe('MISS');
		expect((await v2(path)).headers.get('x-cache')).toBe('HIT'); // no-cache stored the fresh answer
		// another key or URL is another entry
		expect((await v2(`${path}&is_unread=true`)).headers.get('x-cache')).toBe('MISS');
		// an hour later it expires
		sandbox.v2.advanceClock(3_600_000);
		expect((await v2(path)).headers.get('x-cache')).toBe('MISS');
		expect((await v2(path)).headers.get('x-cache')).toBe('HIT');
		// a write on the account drops its cached GETs, not another account's
		const other = `/v2/${acc('telegram').id}/chats`;
		await v2(other);
		await v2(`/v2/${id}/chats/${encodeURIComponent(chat.id)}`, { method: 'PATCH', json: { pin_status: true } });
		expect((await v2(path)).headers.get('x-cache')).toBe('MISS');
		expect((await v2(other)).headers.get('x-cache')).toBe('HIT');
		// accounts: deleting one drops the cached list
		await v2('/v2/accounts/');
		expect((await v2('/v2/accounts/')).headers.get('x-cache')).toBe('HIT');
		await v2(`/v2/accounts/${acc('imap').id}`, { method: 'DELETE' });
		const list = await v2('/v2/accounts/');
		expect(list.headers.get('x-cache')).toBe('MISS');
		expect(list.body.data.some((x: Any) => x.provider === 'imap')).toBe(false);
	});
});
