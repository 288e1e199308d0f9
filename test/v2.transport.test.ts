/**
 * The shared core on Unipile API v2, in n8n-core's real contexts against the sandbox's v2 environment over HTTP:
 * the Unipile V2 API credential's test; requests with the v2 credential (key header, base URL, credential checks
 * before sending); v2 errors in Unipile's words with the request id; 429 retried with the server's delay, a POST that
 * may have been processed never resent; lists paged by cursor, by offset and Core lists to the end with every filter
 * kept; the 1-hour GET cache bypassed on demand; files sent inside the JSON body as base64, byte-identical, streamed
 * from n8n's binary store.
 */
import { createHash } from 'node:crypto';
import { CredentialTestContext, LoadOptionsContext } from 'n8n-core';
import { Workflow, type IDataObject, type INode, type INodeType } from 'n8n-workflow';
import { additionalDataFor, credentialTypeFor, loadPackage, nodeTypes, runNode } from './harness/engine';
import { useFilesystemBinaryMode, type BinaryStore } from './harness/binaryStore';
import { startSandbox, type Sandbox } from './sandbox/server';

const { unipileApiRequest } = require('../dist/nodes/shared/transport.js');
const { unipileV2Pages } = require('../dist/nodes/shared/pager.js');
const { v2MessageFiles } = require('../dist/nodes/shared/multipart.js');
const { unipileRequestRunner } = require('../dist/nodes/shared/transport.js');
const { unipileV2ApiTest } = require('../dist/nodes/shared/credentialTest.js');
const { unipileV2BaseUrlExpression } = require('../dist/credentials/UnipileV2Api.credentials.js');

type Any = any;

/**
 * A declarative node sending a message with the input item's files through the shared transport: its field routes
 * the files as v1 does (binary field names in `attachments`), its v2 route table says where they go on v2.
 */
class V2FileSend implements INodeType {
	description = {
		displayName: 'V2 File Send',
		name: 'v2FileSend',
		group: ['output'],
		version: 1,
		description: '',
		defaults: { name: 'V2 File Send' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'unipileV2Api', required: true }],
		requestDefaults: { baseURL: unipileV2BaseUrlExpression, headers: { accept: 'application/json' } },
		requestOperations: {
			pagination: unipileRequestRunner({
				message: { send: { method: 'POST', path: '/{accountId}/chats/{chatId}/messages/send', body: { text: 'text', attachments: v2MessageFiles } } },
			}),
		},
		properties: [
			{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'unipileApiV2' },
			{ displayName: 'Resource', name: 'resource', type: 'hidden', default: 'message' },
			{ displayName: 'Operation', name: 'operation', type: 'hidden', default: 'send' },
			{ displayName: 'Account ID', name: 'accountId', type: 'string', default: '' },
			{ displayName: 'Chat ID', name: 'chatId', type: 'string', default: '' },
			{
				displayName: 'Files',
				name: 'files',
				type: 'string',
				default: '',
				routing: {
					request: { method: 'POST', url: '/chats/x/messages', body: { text: 'files from n8n' } },
					send: { paginate: true, type: 'body', property: 'attachments' },
				},
			},
		],
	} as unknown as INodeType['description'];
}

let sandbox: Sandbox;
let v2Credentials: { apiKey: string; baseUrl: string };

beforeAll(async () => {
	sandbox = await startSandbox();
	v2Credentials = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	await loadPackage();
	nodeTypes().add('test.v2FileSend', new V2FileSend());
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.clearRequests();
});

const account = (provider: string) => sandbox.v2.accounts.find((a: Any) => a.provider === provider && a.status === 'running')!;

/** n8n-core's context for code that runs outside an execution (pickers): the same helpers and credential handling. */
function context(parameters: IDataObject = { authentication: 'unipileApiV2' }, credentials: Any = v2Credentials, nodeType = 'test.v2FileSend'): LoadOptionsContext {
	// n8n keeps only the parameters a node type declares.
	const node: INode = {
		id: 'n1',
		name: 'Unipile',
		type: nodeType,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as Any,
		credentials: { [credentialTypeFor(credentials)]: { id: 'c1', name: 'Unipile' } },
	};
	const workflow = new Workflow({ id: 'w1', nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
	// A picker's context reads the parameters the editor currently shows.
	return new LoadOptionsContext(workflow, node, { ...additionalDataFor(credentials), currentNodeParameters: parameters } as Any, 'parameters.x');
}

const request = (ctx: LoadOptionsContext, options: Any) => unipileApiRequest.call(ctx, { json: true, ...options });

/** n8n runs the nodes' `testedBy` function with a CredentialTestContext (test/credentials.messages.test.ts: every case). */
const credentialTest = async (data: Any) => await unipileV2ApiTest.call(new CredentialTestContext({} as Any), { id: 'c1', name: 'Unipile', type: 'unipileV2Api', data });

describe('Unipile V2 API credential test (as n8n runs it)', () => {
	test('passes with the v2 key: GET /v2/accounts/?limit=1 with X-API-KEY', async () => {
		expect((await credentialTest(v2Credentials)).status).toBe('OK');
		expect(sandbox.requests.map((r) => [r.method, r.path, r.query, r.status, r.headers['x-api-key']])).toEqual([['GET', '/v2/accounts/', { limit: '1' }, 200, sandbox.v2.apiKey]]);
	});

	test('fails with a v1 access token (401)', async () => {
		expect((await credentialTest({ ...v2Credentials, apiKey: sandbox.apiKey })).status).toBe('Error');
		expect(sandbox.requests.length).toBeGreaterThan(0);
		expect(sandbox.requests.every((r) => r.path === '/v2/accounts/' && r.status === 401)).toBe(true);
	});
});

describe('requests on v2', () => {
	test('go to <base URL>/v2 with the v2 key; the node chooses the API with its authentication parameter', async () => {
		const acc = account('whatsapp');
		const got = await request(context(), { method: 'GET', path: `/accounts/${acc.id}` });
		expect(got).toEqual(expect.objectContaining({ object: 'Account', id: acc.id, provider: 'whatsapp' }));
		const [logged] = sandbox.requests;
		expect([logged.path, logged.headers['x-api-key']]).toEqual([`/v2/accounts/${acc.id}`, sandbox.v2.apiKey]);
		// A node with Authentication on v1 uses the v1 credential.
		for (const [parameters, nodeType] of [[{ authentication: 'unipileApi' }, 'CUSTOM.unipile'], [{ authentication: 'unipileApi' }, 'CUSTOM.unipileLinkedIn']] as const) {
			sandbox.clearRequests();
			await request(context(parameters, { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, nodeType), { method: 'GET', path: '/accounts' });
			expect(sandbox.requests.map((r) => [r.path, r.headers['x-api-key']])).toEqual([['/accounts', sandbox.apiKey]]);
		}
	});

	test('an empty key or a malformed base URL is refused before anything is sent, naming the credential and the fix', async () => {
		await expect(request(context(undefined, { apiKey: '  ', baseUrl: sandbox.url }), { method: 'GET', path: '/accounts/' })).rejects.toThrow('The API Key of the Unipile V2 API credential is empty');
		await expect(request(context(undefined, { apiKey: 'k', baseUrl: 'https://api.unipile.com?x=1' }), { method: 'GET', path: '/accounts/' })).rejects.toThrow(/Base URL of the Unipile V2 API credential is not valid/);
		expect(sandbox.requests).toHaveLength(0);
	});

	test("errors in Unipile's words, with the type, the advice and the request id support asks for; the key never appears", async () => {
		const acc = account('linkedin');
		const error = await request(context(), { method: 'GET', path: `/${acc.id}/chats/nope` }).catch((e: Any) => e);
		expect(error.httpCode).toBe('404');
		expect(error.message).toMatch(/\[api\/resource_not_found\]$/);
		expect(error.description).toMatch(/^Check the ID.*Unipile request ID: req_[0-9a-f]+\.$/);
		const disconnected = sandbox.v2.accounts.find((a: Any) => a.status === 'disconnected')!;
		const refused = await request(context(), { method: 'GET', path: `/${disconnected.id}/chats` }).catch((e: Any) => e);
		expect(refused.message).toMatch(/\[provider\/invalid_authorization\]$/);
		expect(refused.description).toMatch(/must be reconnected/);
		expect(JSON.stringify({ ...error, ...refused })).not.toContain(sandbox.v2.apiKey);
	});

	test('429 api/too_many_requests is retried after the server\'s delay; a POST that may have been processed is not resent', async () => {
		const acc = account('whatsapp');
		sandbox.injectFault({ method: 'GET', path: `/v2/${acc.id}/chats`, status: 429, retryAfter: 1, times: 1 });
		const started = Date.now();
		const page = await request(context(), { method: 'GET', path: `/${acc.id}/chats`, qs: { limit: 5 } });
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(page.data).toHaveLength(5);
		expect(sandbox.requests.map((r) => r.status)).toEqual([429, 200]);

		sandbox.clearRequests();
		const chat = (await request(context(), { method: 'GET', path: `/${acc.id}/chats`, qs: { limit: 1 } })).data[0];
		sandbox.clearRequests();
		sandbox.injectFault({ method: 'POST', path: `/v2/${acc.id}/chats/${chat.id}/messages/send`, status: 503, times: 1 });
		await expect(request(context(), { method: 'POST', path: `/${acc.id}/chats/${encodeURIComponent(chat.id)}/messages/send`, body: { text: 'once' } })).rejects.toThrow();
		expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
	});
});

describe('v2 lists to the end', () => {
	async function readAll(ctx: LoadOptionsContext, path: string, qs: IDataObject) {
		const items: IDataObject[] = [];
		for await (const page of unipileV2Pages.call(ctx, { path, qs })) items.push(...page.items);
		return items;
	}

	test('by cursor (LinkedIn), by offset (WhatsApp) and Core lists (accounts): every item once, every filter on every page', async () => {
		for (const provider of ['linkedin', 'whatsapp']) {
			const acc = account(provider);
			sandbox.clearRequests();
			const expected = (await request(context(), { method: 'GET', path: `/${acc.id}/chats`, qs: { limit: 250, is_archived: 'false' }, headers: { 'cache-control': 'no-cache' } })).data.map((c: Any) => c.id);
			sandbox.clearRequests();
			const got = await readAll(context(), `/${acc.id}/chats`, { limit: 3, is_archived: 'false' });
			expect(got.map((c) => c.id)).toEqual(expected);
			expect(sandbox.requests.length).toBeGreaterThan(1);
			for (const r of sandbox.requests) expect(r.query).toEqual(expect.objectContaining({ limit: '3', is_archived: 'false' }));
			expect(sandbox.requests.every((r) => r.status === 200)).toBe(true);
			expect(sandbox.requests.some((r) => (provider === 'linkedin' ? 'cursor' : 'offset') in r.query)).toBe(true);
		}
		sandbox.clearRequests();
		const accounts = await readAll(context(), '/accounts/', { limit: '3' });
		expect(accounts.map((a) => a.id).sort()).toEqual(sandbox.v2.accounts.map((a: Any) => a.id).sort());
		expect(sandbox.requests.map((r) => r.query.offset ?? '0')).toEqual(['0', '3', '6'].slice(0, sandbox.requests.length));
	});
});

describe('the 1-hour GET cache', () => {
	test('a GET may answer from the cache; Cache-Control: no-cache asks Unipile for the current state', async () => {
		const acc = account('whatsapp');
		const chat = (await request(context(), { method: 'GET', path: `/${acc.id}/chats`, qs: { limit: 1 } })).data[0];
		const path = `/${acc.id}/chats/${encodeURIComponent(chat.id)}/messages`;
		const before = (await request(context(), { method: 'GET', path, qs: { limit: 1 } })).data[0];
		const injected = sandbox.v2.injectMessage({ accountId: acc.id, chatId: chat.id, text: 'new since' });
		const cached = (await request(context(), { method: 'GET', path, qs: { limit: 1 } })).data[0];
		expect(cached.id).toBe(before.id);
		const fresh = (await request(context(), { method: 'GET', path, qs: { limit: 1 }, headers: { 'cache-control': 'no-cache' } })).data[0];
		expect(fresh.id).toBe(injected.id);
	});
});

describe('files inside the JSON body', () => {
	let store: BinaryStore;
	beforeAll(async () => {
		store = await useFilesystemBinaryMode();
	});
	afterAll(() => store.close());

	test("files from n8n's binary store arrive byte-identical as base64 attachments, with their names and types", async () => {
		const acc = account('linkedin');
		const chat = (await request(context(), { method: 'GET', path: `/${acc.id}/chats`, qs: { limit: 1 } })).data[0];
		const big = Buffer.alloc(5 * 1024 * 1024 + 1);
		for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 9)) & 0xff;
		const small = Buffer.from('%PDF-1.4 offer');
		const items = [{ json: {}, binary: { video: await store.put(big, 'demo.mp4', 'video/mp4'), offer: await store.put(small, 'offer.pdf', 'application/pdf') } }];
		sandbox.clearRequests();
		const { error, items: out } = await runNode({
			credentials: v2Credentials,
			parameters: { authentication: 'unipileApiV2', accountId: acc.id, chatId: chat.id, files: 'video, offer' },
			nodeType: 'test.v2FileSend',
			items: items as Any,
		});
		expect(error).toBeUndefined();
		expect(out[0].json).toEqual(expect.objectContaining({ object: 'MessageSent' }));
		const [sent] = sandbox.requests;
		expect(sent.headers['content-type']).toBe('application/json');
		expect(Number(sent.headers['content-length'])).toBeGreaterThan(big.length * 1.33);
		const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
		expect(sent.attachments).toEqual([
			expect.objectContaining({ filename: 'demo.mp4', content_type: 'video/mp4', size: big.length, sha256: sha(big) }),
			expect.objectContaining({ filename: 'offer.pdf', content_type: 'application/pdf', size: small.length, sha256: sha(small) }),
		]);
		expect((sent.json as Any).text).toBe('files from n8n');
	});

	test('a binary field the item lacks is refused before sending, naming the field and what the item has', async () => {
		const acc = account('linkedin');
		const { error } = await runNode({
			credentials: v2Credentials,
			parameters: { authentication: 'unipileApiV2', accountId: acc.id, chatId: 'x', files: 'nope' },
			nodeType: 'test.v2FileSend',
			items: [{ json: {}, binaryFiles: { data: { data: Buffer.from('x').toString('base64'), fileName: 'x.txt', mimeType: 'text/plain' } } }] as Any,
		});
		expect(error?.message).toBe('Attachments (Input Binary Fields): the input item has no binary field "nope"');
		expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});
});
