/**
 * Account operations on Unipile API v2, run through n8n's engine against the sandbox's v2 environment: the request
 * Unipile receives (method, path, JSON body) and the items n8n outputs, the sign-in flow through auth intents and
 * checkpoints, and the same parameters still doing the v1 thing with the v1 credential.
 */
import { NodeHelpers, type INode, type INodeParameters, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { startSandbox, type Sandbox } from './sandbox/server';
import { runNode, Unipile } from './harness/engine';

type Any = any;

let sandbox: Sandbox;
let v2Credentials: { apiKey: string; baseUrl: string };

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 5, messagesPerChat: 1 });
	v2Credentials = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.clearRequests();
});

const run = (parameters: INodeParameters) =>
	runNode({ credentials: v2Credentials, parameters: { authentication: 'unipileApiV2', resource: 'account', ...parameters } });
const sent = () => sandbox.requests.map((request) => ({ method: request.method, path: request.path, query: request.query, json: request.json }));
const lastRequest = () => sent()[sent().length - 1];
const account = (provider: string, status = 'running') => sandbox.v2.accounts.find((a: Any) => a.provider === provider && a.status === status)!;

describe('Account → Get / Get Many / Delete on v2', () => {
	test('Get: GET /v2/accounts/{id}, the Account as one item', async () => {
		const acc = account('telegram');
		const { items, error } = await run({ operation: 'get', accountId: acc.id });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'GET', path: `/v2/accounts/${acc.id}`, query: {}, json: undefined }]);
		expect(items.map((item) => item.json)).toEqual([JSON.parse(JSON.stringify(acc))]);
	});

	test('Get Many with a Limit: one page of that size, one account per item', async () => {
		const { items, error } = await run({ operation: 'getAll', limit: 3 });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'GET', path: '/v2/accounts/', query: { limit: '3' }, json: undefined }]);
		expect(items).toHaveLength(3);
		expect(items.every((item) => item.json.object === 'Account')).toBe(true);
	});

	test('Get Many with Return All: every page of the Core list, by offset', async () => {
		for (let i = 0; i < 260; i++) sandbox.v2.env.store.addAccount('mock', { name: `bulk ${String(i).padStart(3, '0')}` });
		const total = sandbox.v2.accounts.length;
		const { items, error } = await run({ operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([
			{ method: 'GET', path: '/v2/accounts/', query: { limit: '250' }, json: undefined },
			{ method: 'GET', path: '/v2/accounts/', query: { limit: '250', offset: '250' }, json: undefined },
		]);
		expect(items).toHaveLength(total);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(total);
	});

	test('Get Many: a Limit above what is left stops at the end of the list', async () => {
		const { items } = await run({ operation: 'getAll', limit: 250 });
		expect(items).toHaveLength(sandbox.v2.accounts.length);
		expect(sent()).toHaveLength(1);
	});

	test('Delete: DELETE /v2/accounts/{id}, the account is gone', async () => {
		const acc = account('instagram');
		const { items, error } = await run({ operation: 'delete', accountId: acc.id });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'DELETE', path: `/v2/accounts/${acc.id}`, query: {}, json: undefined }]);
		expect(items.map((item) => item.json)).toEqual([{ success: true }]);
		expect(sandbox.v2.accounts.some((a: Any) => a.id === acc.id)).toBe(false);
	});

	test('Resync is refused before anything is sent, saying why', async () => {
		const { error } = await run({ operation: 'resync', accountId: account('linkedin').id });
		expect(error?.message).toBe('account → resync is not available on Unipile API v2');
		expect(error?.description).toMatch(/keeps v2 accounts in sync/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Account → Connect on v2: POST /v2/auth/intent, the output says what to do next', () => {
	test('LinkedIn with username and password: an OTP checkpoint, then Solve Checkpoint with its intent ID', async () => {
		const before = sandbox.v2.accounts.length;
		const first = await run({
			operation: 'connect',
			provider: 'LINKEDIN',
			loginMethod: 'credentials',
			username: 'me@example.com',
			password: 's3cret',
			linkedinOptions: { userAgent: 'Mozilla/5.0 test' },
		});
		expect(first.error).toBeUndefined();
		expect(sent()).toEqual([
			{
				method: 'POST',
				path: '/v2/auth/intent',
				query: {},
				json: { provider: 'linkedin', credentials: { username: 'me@example.com', password: 's3cret', user_agent: 'Mozilla/5.0 test' } },
			},
		]);
		const checkpoint = first.items[0].json;
		expect(checkpoint).toMatchObject({ object: 'AuthenticationCheckpoint', checkpoint: { type: 'OTP' }, checkpointType: 'OTP', accountId: null });
		expect(checkpoint.intentId).toBe(checkpoint.intent_id);
		expect(checkpoint.nextStep).toContain(`Solve Checkpoint with Intent ID ${String(checkpoint.intentId)}`);

		sandbox.clearRequests();
		const solved = await run({ operation: 'solveCheckpoint', intentId: checkpoint.intentId as string, code: '123456' });
		expect(solved.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'POST', path: '/v2/auth/checkpoint', query: {}, json: { intent_id: checkpoint.intentId, code: '123456' } }]);
		const out = solved.items[0].json;
		expect(out).toMatchObject({ object: 'Account', provider: 'linkedin', status: 'running', checkpointType: null, intentId: null });
		expect(out.accountId).toBe(out.id);
		expect(out.nextStep).toBe(`The account is connected: use Account ID ${String(out.id)} in the other operations.`);
		expect(sandbox.v2.accounts).toHaveLength(before + 1);
	});

	test("a wrong checkpoint code: Unipile's words and type reach the user", async () => {
		const first = await run({ operation: 'connect', provider: 'LINKEDIN', loginMethod: 'credentials', username: 'me@example.com', password: 's3cret' });
		const { error } = await run({ operation: 'solveCheckpoint', intentId: first.items[0].json.intentId as string, code: '000000' });
		expect(error?.httpCode).toBe('400');
		expect(error?.message).toMatch(/The provider rejected the checkpoint code.*\[provider\/invalid_parameters\]$/);
		expect(error?.description).toMatch(/Unipile request ID: req_[0-9a-f]+/);
	});

	test('an unknown intent ID: 404 in Unipile’s words', async () => {
		const { error } = await run({ operation: 'solveCheckpoint', intentId: 'int_nope', code: '123456' });
		expect(error?.httpCode).toBe('404');
		expect(error?.message).toMatch(/intent int_nope not found/);
	});

	test('LinkedIn with the li_at and li_a cookies: access_token and premium_access_token, connected at once', async () => {
		const { items, error } = await run({
			operation: 'connect',
			provider: 'LINKEDIN',
			loginMethod: 'cookie',
			accessToken: 'AQEDAx-li-at',
			premiumToken: 'AQJ-li-a',
			linkedinOptions: { userAgent: 'Mozilla/5.0 test' },
			options: { country: 'FR', ip: '203.0.113.7', proxy: { settings: { host: 'proxy.example.com', port: 3128, protocol: 'http', username: 'u', password: 'p' } } },
		});
		expect(error).toBeUndefined();
		expect(lastRequest()).toEqual({
			method: 'POST',
			path: '/v2/auth/intent',
			query: {},
			json: {
				provider: 'linkedin',
				credentials: { access_token: 'AQEDAx-li-at', premium_access_token: 'AQJ-li-a', user_agent: 'Mozilla/5.0 test' },
				config: {
					custom_proxy: { host: 'proxy.example.com', password: 'p', port: 3128, protocol: 'http', username: 'u' },
					auto_proxy_config: { country: 'FR', ip: '203.0.113.7' },
				},
			},
		});
		expect(items[0].json).toMatchObject({ object: 'Account', provider: 'linkedin', checkpointType: null });
		expect(items[0].json.accountId).toBe(items[0].json.id);
	});

	test('Instagram with username and password', async () => {
		const { items, error } = await run({ operation: 'connect', provider: 'INSTAGRAM', username: 'sandra.box', password: 'pw' });
		expect(error).toBeUndefined();
		expect(lastRequest().json).toEqual({ provider: 'instagram', credentials: { username: 'sandra.box', password: 'pw' } });
		expect(items[0].json).toMatchObject({ object: 'Account', provider: 'instagram' });
	});

	test.each([
		['WHATSAPP', 'whatsapp', 'scan it with WhatsApp'],
		['TELEGRAM', 'telegram', 'Link Desktop Device'],
	])('%s: a QR code to scan, then Solve Checkpoint with its intent ID gives the account', async (provider, v2Provider, scan) => {
		const first = await run({ operation: 'connect', provider });
		expect(first.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'POST', path: '/v2/auth/intent', query: {}, json: { provider: v2Provider, credentials: { qrcode: true } } }]);
		const out = first.items[0].json;
		expect(out).toMatchObject({ object: 'AuthenticationQrCode', checkpointType: 'QRCODE', accountId: null });
		expect(out.qrCode).toBe(out.qrcode);
		expect(out.intentId).toBe(out.intent_id);
		expect(out.nextStep).toContain(scan);
		expect(out.nextStep).toContain(`Intent ID ${String(out.intentId)}`);

		const solved = await run({ operation: 'solveCheckpoint', intentId: out.intentId as string, code: 'scanned' });
		expect(lastRequest().json).toEqual({ intent_id: out.intentId, code: 'scanned' });
		expect(solved.items[0].json).toMatchObject({ object: 'Account', provider: v2Provider, status: 'running' });
	});

	test.each(['MESSENGER', 'TWITTER'])('%s has no v2 connection: refused before anything is sent', async (provider) => {
		const { error } = await run({ operation: 'connect', provider, username: 'someone', email: 'someone@example.com', password: 'pw' });
		expect(error?.message).toMatch(/accounts cannot be connected on Unipile API v2$/);
		expect(error?.description).toMatch(/Unipile API V1 \(DSN\)/);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('v1-only options (pairing phone number, sync limit, disabled features) are not sent on v2', async () => {
		const { error } = await run({
			operation: 'connect',
			provider: 'WHATSAPP',
			pairingPhoneNumber: '+33612345678',
			options: { syncLimit: { chats: '10' }, disabledFeatures: ['linkedin_recruiter'] },
		});
		expect(error).toBeUndefined();
		expect(lastRequest().json).toEqual({ provider: 'whatsapp', credentials: { qrcode: true } });
	});
});

describe('Account → Reconnect on v2: POST /v2/auth/intent with account_id', () => {
	test('a disconnected LinkedIn account is running again, same ID', async () => {
		const acc = account('linkedin', 'disconnected');
		const { items, error } = await run({ operation: 'reconnect', accountId: acc.id, provider: 'LINKEDIN', loginMethod: 'cookie', accessToken: 'AQEDAx-li-at', linkedinOptions: { userAgent: 'Mozilla/5.0 test' } });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([
			{
				method: 'POST',
				path: '/v2/auth/intent',
				query: {},
				json: { provider: 'linkedin', credentials: { access_token: 'AQEDAx-li-at', user_agent: 'Mozilla/5.0 test' }, account_id: acc.id },
			},
		]);
		expect(items[0].json).toMatchObject({ object: 'Account', id: acc.id, status: 'running', accountId: acc.id });
		expect(items[0].json.nextStep).toBe(`The account is reconnected: keep using Account ID ${acc.id}.`);
	});

	test('with a checkpoint: its intent ID, and the account being reconnected', async () => {
		const acc = account('linkedin', 'disconnected');
		const first = await run({ operation: 'reconnect', accountId: acc.id, provider: 'LINKEDIN', loginMethod: 'credentials', username: 'me@example.com', password: 's3cret' });
		expect(first.items[0].json).toMatchObject({ object: 'AuthenticationCheckpoint', accountId: acc.id, checkpointType: 'OTP' });
		const solved = await run({ operation: 'solveCheckpoint', intentId: first.items[0].json.intentId as string, code: '123456' });
		expect(solved.items[0].json).toMatchObject({ object: 'Account', id: acc.id, status: 'running' });
	});

	test("a provider that is not the account's: Unipile's 400 reaches the user", async () => {
		const acc = account('linkedin', 'disconnected');
		const { error } = await run({ operation: 'reconnect', accountId: acc.id, provider: 'INSTAGRAM', username: 'x', password: 'y' });
		expect(error?.httpCode).toBe('400');
		expect(error?.message).toMatch(/is a linkedin account, not instagram/);
	});
});

describe('Account → Create Hosted Auth Link on v2: POST /v2/auth/link', () => {
	test('providers in v2 names, the expiry, the redirect URI and state; v1-only options not sent', async () => {
		const { items, error } = await run({
			operation: 'createHostedAuthLink',
			type: 'create',
			providers: ['LINKEDIN', 'WHATSAPP', 'MAIL'],
			expiresOn: '2030-01-02T03:04:05',
			redirectUri: 'https://example.com/done',
			state: 'user-1234',
			options: { notifyUrl: 'https://example.com/notify', name: 'user-1234', successRedirectUrl: 'https://example.com/ok' },
		});
		expect(error).toBeUndefined();
		expect(sent()).toEqual([
			{
				method: 'POST',
				path: '/v2/auth/link',
				query: {},
				json: { providers: ['linkedin', 'whatsapp', 'imap'], expires_on: '2030-01-02T03:04:05.000Z', redirect_uri: 'https://example.com/done', state: 'user-1234' },
			},
		]);
		expect(items.map((item) => item.json)).toEqual([{ object: 'HostedAuthLink', link: expect.stringMatching(/\/_sandbox\/v2\/hosted\//) }]);
	});

	test('All providers is "*"', async () => {
		await run({ operation: 'createHostedAuthLink', providers: ['*'], expiresOn: '2030-01-02T03:04:05Z', redirectUri: 'https://example.com/done' });
		expect(lastRequest().json).toEqual({ providers: '*', expires_on: '2030-01-02T03:04:05.000Z', redirect_uri: 'https://example.com/done' });
	});

	test('a reconnection link carries the account', async () => {
		const acc = account('linkedin', 'disconnected');
		const { error } = await run({ operation: 'createHostedAuthLink', type: 'reconnect', reconnectAccount: acc.id, expiresOn: '2030-01-02T03:04:05Z', redirectUri: 'https://example.com/done' });
		expect(error).toBeUndefined();
		expect(lastRequest().json).toEqual({ providers: '*', expires_on: '2030-01-02T03:04:05.000Z', redirect_uri: 'https://example.com/done', account_id: acc.id });
	});

	test('no Redirect URI: refused before anything is sent', async () => {
		const missing = await run({ operation: 'createHostedAuthLink', providers: ['*'], expiresOn: '2030-01-02T03:04:05Z' });
		expect(missing.error?.message).toMatch(/Parameter "Redirect URI" is required/);
		const empty = await run({ operation: 'createHostedAuthLink', providers: ['*'], expiresOn: '2030-01-02T03:04:05Z', redirectUri: '={{ "" }}' });
		expect(empty.error?.message).toBe('"Redirect URI" is empty');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('the same parameters with the v1 credential still do the v1 thing', () => {
	test('Connect, Solve Checkpoint and Create Hosted Auth Link go to v1 with v1 bodies', async () => {
		const v1 = (parameters: INodeParameters) =>
			runNode({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, parameters: { authentication: 'unipileApi', resource: 'account', ...parameters } });
		const connect = await v1({ operation: 'connect', provider: 'LINKEDIN', loginMethod: 'credentials', username: 'me+2fa@example.com', password: 's3cret' });
		expect(connect.error).toBeUndefined();
		expect(lastRequest()).toEqual({ method: 'POST', path: '/accounts', query: {}, json: { provider: 'LINKEDIN', username: 'me+2fa@example.com', password: 's3cret' } });
		expect(connect.items[0].json).toMatchObject({ object: 'Checkpoint', checkpointType: '2FA' });
		expect(connect.items[0].json).not.toHaveProperty('intentId');

		const solved = await v1({ operation: 'solveCheckpoint', provider: 'LINKEDIN', accountId: connect.items[0].json.accountId as string, intentId: 'ignored', code: '123456' });
		expect(solved.error).toBeUndefined();
		expect(lastRequest()).toEqual({ method: 'POST', path: '/accounts/checkpoint', query: {}, json: { provider: 'LINKEDIN', account_id: connect.items[0].json.accountId, code: '123456' } });

		const link = await v1({ operation: 'createHostedAuthLink', providers: ['*'], expiresOn: '2030-01-02T03:04:05Z', redirectUri: 'https://example.com/done', state: 'x' });
		expect(link.error).toBeUndefined();
		expect(lastRequest().path).toBe('/hosted/accounts/link');
		expect(lastRequest().json).not.toHaveProperty('redirect_uri');
		expect(lastRequest().json).not.toHaveProperty('state');
		expect(sandbox.requests.every((request) => !request.path.startsWith('/v2/'))).toBe(true);
	});
});

describe('the fields the editor shows', () => {
	const description: INodeTypeDescription = new Unipile().description;
	/** The names of the fields (or of one collection's options) shown for these parameters, as n8n's editor decides. */
	function shown(parameters: INodeParameters, collection?: string): string[] {
		const node = { parameters } as unknown as INode;
		const properties: INodeProperties[] = collection
			? description.properties.filter((p) => p.name === collection && NodeHelpers.displayParameter(parameters, p, node, description, parameters)).flatMap((p) => (p.options ?? []) as INodeProperties[])
			: description.properties;
		return properties.filter((p) => NodeHelpers.displayParameter(parameters, p, node, description, parameters)).map((p) => p.name);
	}
	const on = (authentication: string, operation: string, extra: INodeParameters = {}) => ({ authentication, resource: 'account', operation, ...extra });

	test('Solve Checkpoint: Intent ID and Code on v2; Provider, Account and Code on v1', () => {
		expect(shown(on('unipileApiV2', 'solveCheckpoint'))).toEqual(['authentication', 'resource', 'operation', 'intentId', 'code']);
		expect(shown(on('unipileApi', 'solveCheckpoint'))).toEqual(['authentication', 'resource', 'operation', 'provider', 'accountId', 'code']);
	});

	test('Create Hosted Auth Link: Redirect URI and State on v2 instead of the v1 Options', () => {
		const v2 = shown(on('unipileApiV2', 'createHostedAuthLink', { type: 'create' }));
		expect(v2).toEqual(expect.arrayContaining(['type', 'providers', 'expiresOn', 'redirectUri', 'state']));
		expect(v2).not.toContain('options');
		const v1 = shown(on('unipileApi', 'createHostedAuthLink', { type: 'create' }));
		expect(v1).toEqual(expect.arrayContaining(['type', 'providers', 'expiresOn', 'options']));
		expect(v1).not.toEqual(expect.arrayContaining(['redirectUri']));
		expect(v1).not.toContain('state');
	});

	test('Connect: the options v2 has no place for are hidden on v2 only', () => {
		expect(shown(on('unipileApiV2', 'connect', { provider: 'WHATSAPP' }))).not.toContain('pairingPhoneNumber');
		expect(shown(on('unipileApi', 'connect', { provider: 'WHATSAPP' }))).toContain('pairingPhoneNumber');
		expect(shown(on('unipileApiV2', 'connect', { provider: 'INSTAGRAM' }))).not.toContain('instagramOptions');
		expect(shown(on('unipileApiV2', 'connect', { provider: 'LINKEDIN' }), 'options')).toEqual(['country', 'ip', 'proxy']);
		expect(shown(on('unipileApi', 'connect', { provider: 'LINKEDIN' }), 'options')).toEqual(['country', 'disabledFeatures', 'ip', 'proxy', 'syncLimit']);
		expect(shown(on('unipileApiV2', 'connect', { provider: 'LINKEDIN' }), 'linkedinOptions')).toEqual(['userAgent']);
		expect(shown(on('unipileApi', 'connect', { provider: 'LINKEDIN' }), 'linkedinOptions')).toEqual(['recruiterContractId', 'userAgent']);
	});

	test('Resync: a notice on v2 instead of its fields', () => {
		expect(shown(on('unipileApiV2', 'resync'))).toEqual(['authentication', 'resource', 'operation', 'resyncOnV2']);
		expect(shown(on('unipileApi', 'resync'))).toEqual(['authentication', 'resource', 'operation', 'accountId', 'options']);
	});
});
