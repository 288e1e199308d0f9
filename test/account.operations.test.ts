import type { INodeParameters } from 'n8n-workflow';
import { startSandbox, type Sandbox } from './sandbox/server';
import { runNode } from './harness/engine';

let sandbox: Sandbox;
let credentials: { dsn: string; apiKey: string };

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 20, messagesPerChat: 1 });
	credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

const run = (parameters: INodeParameters, timezone?: string) => runNode({ credentials, parameters: { resource: 'account', ...parameters }, timezone });
const lastRequest = () => {
	const request = sandbox.requests[sandbox.requests.length - 1];
	return { method: request.method, path: request.path, query: request.query, json: request.json };
};

describe('Account → Get / Get Many / Delete', () => {
	test('Get Many with Return All: every account, one per item', async () => {
		const { items } = await run({ operation: 'getAll', returnAll: true });
		expect(items.map((item) => item.json.id)).toEqual(sandbox.store.sortedAccounts().map((account) => account.id));
		expect(lastRequest()).toEqual({ method: 'GET', path: '/accounts', query: { limit: '250' }, json: undefined });
	});

	test('Get Many with a Limit', async () => {
		const { items } = await run({ operation: 'getAll', limit: 2 });
		expect(items).toHaveLength(2);
		expect(lastRequest().query).toEqual({ limit: '2' });
	});

	test('Get: the account as one item', async () => {
		const { items } = await run({ operation: 'get', accountId: 'acc_telegram_1' });
		expect(items.map((item) => item.json)).toEqual([JSON.parse(JSON.stringify(sandbox.store.accountById.get('acc_telegram_1')))]);
		expect(lastRequest()).toEqual({ method: 'GET', path: '/accounts/acc_telegram_1', query: {}, json: undefined });
	});

	test('Delete: the account is gone', async () => {
		const account = sandbox.store.createAccount('TELEGRAM', 'to delete');
		const { items } = await run({ operation: 'delete', accountId: account.id });
		expect(items.map((item) => item.json)).toEqual([{ object: 'AccountDeleted' }]);
		expect(lastRequest()).toEqual({ method: 'DELETE', path: `/accounts/${account.id}`, query: {}, json: undefined });
		expect(sandbox.store.accountById.has(account.id)).toBe(false);
	});
});

describe('Account → Connect: the output says what to do next', () => {
	test('WhatsApp QR code: qrCode at the top level, a scan instruction', async () => {
		const { items, error } = await run({ operation: 'connect', provider: 'WHATSAPP' });
		expect(error).toBeUndefined();
		expect(lastRequest()).toEqual({ method: 'POST', path: '/accounts', query: {}, json: { provider: 'WHATSAPP' } });
		const out = items[0].json;
		expect(out).toMatchObject({ object: 'Checkpoint', checkpoint: { type: 'QRCODE' }, checkpointType: 'QRCODE' });
		expect(out.qrCode).toBe((out.checkpoint as { qrcode: string }).qrcode);
		expect(out.accountId).toBe(out.account_id);
		expect(out.pairingCode).toBeUndefined();
		expect(out.nextStep).toContain('scan it with WhatsApp');
		expect(out.nextStep).toContain(String(out.accountId));
	});

	test('WhatsApp with a phone number: pairingCode at the top level', async () => {
		const { items } = await run({ operation: 'connect', provider: 'WHATSAPP', pairingPhoneNumber: '+33612345678' });
		expect(lastRequest().json).toEqual({ provider: 'WHATSAPP', pairing_phone_number: '+33612345678' });
		expect(items[0].json).toMatchObject({ object: 'Checkpoint', pairingCode: 'SBX4-7Q2K' });
		expect(items[0].json.qrCode).toBeUndefined();
		expect(items[0].json.nextStep).toContain('enter pairingCode');
	});

	test('Telegram: a QR code to scan in Telegram', async () => {
		const { items } = await run({ operation: 'connect', provider: 'TELEGRAM' });
		expect(lastRequest().json).toEqual({ provider: 'TELEGRAM' });
		expect(String(items[0].json.qrCode)).toMatch(/^tg:\/\/login/);
		expect(items[0].json.nextStep).toContain('Telegram');
	});

	test('LinkedIn 2FA, then Solve Checkpoint: the account is created', async () => {
		const first = await run({ operation: 'connect', provider: 'LINKEDIN', loginMethod: 'credentials', username: 'me+2fa@example.com', password: 's3cret' });
		expect(lastRequest().json).toEqual({ provider: 'LINKEDIN', username: 'me+2fa@example.com', password: 's3cret' });
		const checkpoint = first.items[0].json;
		expect(checkpoint).toMatchObject({ object: 'Checkpoint', checkpointType: '2FA' });
		expect(checkpoint.nextStep).toContain('Solve Checkpoint');
		expect(checkpoint.nextStep).toContain(String(checkpoint.accountId));

		const solved = await run({ operation: 'solveCheckpoint', provider: 'LINKEDIN', accountId: checkpoint.accountId as string, code: '123456' });
		expect(lastRequest()).toEqual({
			method: 'POST',
			path: '/accounts/checkpoint',
			query: {},
			json: { provider: 'LINKEDIN', account_id: checkpoint.accountId, code: '123456' },
		});
		expect(solved.items[0].json).toMatchObject({ object: 'AccountCreated', account_id: checkpoint.accountId, accountId: checkpoint.accountId, checkpointType: null });
		expect(solved.items[0].json.nextStep).toContain('connected');
		expect(sandbox.store.accountById.has(String(checkpoint.accountId))).toBe(true);
	});

	test('a wrong checkpoint code: Unipile’s 401 reaches the user', async () => {
		const first = await run({ operation: 'connect', provider: 'INSTAGRAM', username: 'insta_2fa', password: 'pw' });
		const { error } = await run({ operation: 'solveCheckpoint', provider: 'INSTAGRAM', accountId: first.items[0].json.accountId as string, code: '000000' });
		expect(error?.httpCode).toBe('401');
	});

	test('LinkedIn with the li_at cookie: created at once', async () => {
		const { items } = await run({ operation: 'connect', provider: 'LINKEDIN', loginMethod: 'cookie', accessToken: 'AQEDAx-li-at', premiumToken: 'AQJ-li-a' });
		expect(lastRequest().json).toEqual({ provider: 'LINKEDIN', access_token: 'AQEDAx-li-at', premium_token: 'AQJ-li-a' });
		expect(items[0].json).toMatchObject({ object: 'AccountCreated', checkpointType: null });
		expect(items[0].json.accountId).toBe(items[0].json.account_id);
	});

	test.each([
		['INSTAGRAM', { username: 'sandra.box', password: 'pw' }, { username: 'sandra.box', password: 'pw' }],
		['MESSENGER', { username: 'sandra@example.com', password: 'pw' }, { username: 'sandra@example.com', password: 'pw' }],
		['TWITTER', { username: 'sandra_x', email: 'sandra@example.com', password: 'pw' }, { username: 'sandra_x', email: 'sandra@example.com', password: 'pw' }],
	])('%s with username and password', async (provider, parameters, body) => {
		const { items, error } = await run({ operation: 'connect', provider, ...parameters });
		expect(error).toBeUndefined();
		expect(lastRequest().json).toEqual({ provider, ...body });
		expect(items[0].json.object).toBe('AccountCreated');
	});

	test('every option: proxy, sync limits (a count and a date), disabled features, country and ip in the query', async () => {
		const { error } = await run(
			{
				operation: 'connect',
				provider: 'LINKEDIN',
				loginMethod: 'credentials',
				username: 'sandra@example.com',
				password: 'pw',
				linkedinOptions: { recruiterContractId: 'contract-7', userAgent: 'Mozilla/5.0 Test' },
				options: {
					country: 'FR',
					ip: '203.0.113.7',
					disabledFeatures: ['linkedin_recruiter', 'linkedin_sales_navigator'],
					proxy: { settings: { protocol: 'socks5', host: 'proxy.example.com', port: 1080, username: 'proxy-user', password: 'proxy-pass' } },
					syncLimit: { chats: '250', messages: '2026-01-31T10:00:00' },
				},
			},
			'Europe/Paris',
		);
		expect(error).toBeUndefined();
		expect(lastRequest()).toEqual({
			method: 'POST',
			path: '/accounts',
			query: { country: 'FR', ip: '203.0.113.7' },
			json: {
				provider: 'LINKEDIN',
				username: 'sandra@example.com',
				password: 'pw',
				recruiter_contract_id: 'contract-7',
				user_agent: 'Mozilla/5.0 Test',
				disabled_features: ['linkedin_recruiter', 'linkedin_sales_navigator'],
				proxy: { protocol: 'socks5', host: 'proxy.example.com', port: 1080, username: 'proxy-user', password: 'proxy-pass' },
				sync_limit: { chats: 250, messages: '2026-01-31T09:00:00.000Z' },
			},
		});
	});

	test('every optional field added but left empty: none is sent', async () => {
		const { error } = await run({
			operation: 'connect',
			provider: 'WHATSAPP',
			pairingPhoneNumber: '',
			options: {
				country: '',
				ip: '',
				disabledFeatures: [],
				proxy: { settings: { protocol: 'http', host: 'proxy.example.com', port: 3128, username: '', password: '' } },
				syncLimit: { chats: '', messages: '' },
			},
		});
		expect(error).toBeUndefined();
		expect(lastRequest()).toEqual({
			method: 'POST',
			path: '/accounts',
			query: {},
			json: { provider: 'WHATSAPP', proxy: { protocol: 'http', host: 'proxy.example.com', port: 3128 } },
		});
	});

	test('LinkedIn and Instagram options left empty are not sent either', async () => {
		await run({ operation: 'connect', provider: 'LINKEDIN', loginMethod: 'cookie', accessToken: 'tok', premiumToken: '', linkedinOptions: { userAgent: '', recruiterContractId: '' } });
		expect(lastRequest().json).toEqual({ provider: 'LINKEDIN', access_token: 'tok' });
		await run({ operation: 'connect', provider: 'INSTAGRAM', username: 'u', password: 'p', instagramOptions: { userAgent: '' } });
		expect(lastRequest().json).toEqual({ provider: 'INSTAGRAM', username: 'u', password: 'p' });
	});

	test('a sync limit that is neither a number nor a date fails before any request', async () => {
		const { error } = await run({ operation: 'connect', provider: 'MESSENGER', username: 'u', password: 'p', options: { syncLimit: { chats: 'lots' } } });
		expect(error?.message).toBe('"Sync Limit → Chats" must be a number or a date: "lots"');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Account → Reconnect', () => {
	test('WhatsApp: the account in the path, the connect body', async () => {
		const { items } = await run({ operation: 'reconnect', accountId: 'acc_whatsapp_2', provider: 'WHATSAPP' });
		expect(lastRequest()).toEqual({ method: 'POST', path: '/accounts/acc_whatsapp_2', query: {}, json: { provider: 'WHATSAPP' } });
		expect(items[0].json).toMatchObject({ accountId: 'acc_whatsapp_2', checkpointType: 'QRCODE' });
	});

	test('LinkedIn with credentials: AccountReconnected', async () => {
		const { items } = await run({
			operation: 'reconnect',
			accountId: 'acc_linkedin_1',
			provider: 'LINKEDIN',
			loginMethod: 'credentials',
			username: 'sandra@example.com',
			password: 'pw',
			options: { country: 'DE' },
		});
		expect(lastRequest()).toEqual({
			method: 'POST',
			path: '/accounts/acc_linkedin_1',
			query: { country: 'DE' },
			json: { provider: 'LINKEDIN', username: 'sandra@example.com', password: 'pw' },
		});
		expect(items[0].json).toMatchObject({ object: 'AccountReconnected', accountId: 'acc_linkedin_1', checkpointType: null });
		expect(items[0].json.nextStep).toContain('reconnected');
	});
});

describe('Account → Resync', () => {
	test('no option: no query', async () => {
		const { items } = await run({ operation: 'resync', accountId: 'acc_linkedin_1' });
		expect(lastRequest()).toEqual({ method: 'GET', path: '/accounts/acc_linkedin_1/sync', query: {}, json: undefined });
		expect(items[0].json).toMatchObject({ object: 'AccountResync', status: 'SYNC_STARTED' });
	});

	test('product and time window: dates become Unix milliseconds', async () => {
		const { error } = await run(
			{ operation: 'resync', accountId: 'acc_linkedin_1', options: { linkedinProduct: 'recruiter', after: '2026-01-01T00:00:00', before: '2026-02-01T00:00:00Z' } },
			'America/New_York',
		);
		expect(error).toBeUndefined();
		expect(lastRequest().query).toEqual({
			linkedin_product: 'recruiter',
			after: String(Date.UTC(2026, 0, 1, 5)),
			before: String(Date.UTC(2026, 1, 1)),
		});
	});

	test('an invalid date fails before any request', async () => {
		const { error } = await run({ operation: 'resync', accountId: 'acc_linkedin_1', options: { after: 'soon' } });
		expect(error?.message).toBe('"After" is not a valid date: "soon"');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Account → Create Hosted Auth Link', () => {
	test('defaults: every provider, api_url from the credential, expiry in UTC with milliseconds', async () => {
		const { items, error } = await run({ operation: 'createHostedAuthLink', expiresOn: '2026-12-01T10:00:00' }, 'Europe/Paris');
		expect(error).toBeUndefined();
		expect(lastRequest()).toEqual({
			method: 'POST',
			path: '/hosted/accounts/link',
			query: {},
			json: { type: 'create', providers: '*', expiresOn: '2026-12-01T09:00:00.000Z', api_url: sandbox.url },
		});
		expect(items[0].json).toMatchObject({ object: 'HostedAuthUrl' });
		expect(String(items[0].json.url)).toMatch(/^https:\/\//);
	});

	test('an empty API URL option falls back to the DSN; a DSN without protocol becomes an https URL without /api/v1', async () => {
		const { items } = await runNode({
			credentials,
			parameters: {
				resource: 'account',
				operation: 'createHostedAuthLink',
				expiresOn: '2026-12-01T10:00:00Z',
				options: { apiUrl: '' },
			},
		});
		expect(items).toHaveLength(1);
		expect((lastRequest().json as { api_url: string }).api_url).toBe(sandbox.url);
		const expression = (await import('../nodes/Unipile/resources/account/hostedAuthLink')).credentialApiUrl;
		const fromDsn = (dsn: string) => new Function('$credentials', `return ${expression}`)({ dsn }) as string;
		expect(fromDsn('api1.unipile.com:13111')).toBe('https://api1.unipile.com:13111');
		expect(fromDsn('https://api8.unipile.com:13851/api/v1/')).toBe('https://api8.unipile.com:13851');
	});

	test('chosen providers, every option', async () => {
		const { error } = await run({
			operation: 'createHostedAuthLink',
			providers: ['LINKEDIN', 'WHATSAPP'],
			expiresOn: '2026-12-01T10:00:00.000Z',
			options: {
				apiUrl: 'https://api1.unipile.com:13111',
				name: 'user-42',
				successRedirectUrl: 'https://example.com/ok',
				failureRedirectUrl: 'https://example.com/ko',
				notifyUrl: 'https://example.com/hook',
			},
		});
		expect(error).toBeUndefined();
		expect(lastRequest().json).toEqual({
			type: 'create',
			providers: ['LINKEDIN', 'WHATSAPP'],
			expiresOn: '2026-12-01T10:00:00.000Z',
			api_url: 'https://api1.unipile.com:13111',
			name: 'user-42',
			success_redirect_url: 'https://example.com/ok',
			failure_redirect_url: 'https://example.com/ko',
			notify_url: 'https://example.com/hook',
		});
	});

	test('reconnect: reconnect_account, no providers; empty options are not sent', async () => {
		const { error } = await run({
			operation: 'createHostedAuthLink',
			type: 'reconnect',
			reconnectAccount: 'acc_instagram_1',
			expiresOn: '2026-12-01T10:00:00Z',
			options: { name: '', notifyUrl: '', successRedirectUrl: '', failureRedirectUrl: '' },
		});
		expect(error).toBeUndefined();
		expect(lastRequest().json).toEqual({
			type: 'reconnect',
			reconnect_account: 'acc_instagram_1',
			expiresOn: '2026-12-01T10:00:00.000Z',
			api_url: sandbox.url,
		});
	});

	test('an expiry that is not a date fails before any request', async () => {
		const { error } = await run({ operation: 'createHostedAuthLink', expiresOn: 'tomorrow' });
		expect(error?.message).toBe('"Expires On" is not a valid date: "tomorrow"');
		expect(sandbox.requests).toHaveLength(0);
	});
});
