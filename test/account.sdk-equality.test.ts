/**
 * For every account call the official SDK offers, the SDK and our node send the same request to the sandbox
 * (method, path, query, JSON body) for the same inputs.
 */
import type { INodeParameters } from 'n8n-workflow';
import { startSandbox, type Sandbox } from './sandbox/server';
import type { UTCDateTimeMs } from 'unipile-node-sdk/dist/types/common/core.types.tmp';
import { nodeRequest, sdkRequest, type SentRequest } from './helpers/sdk-vs-node';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 10, messagesPerChat: 1 });
});
afterAll(async () => await sandbox.close());

const node = async (parameters: INodeParameters) => {
	const { result, ...request } = await nodeRequest(sandbox, { resource: 'account', ...parameters });
	return { request, result };
};

/** The SDK's reconnect* (except WhatsApp/Telegram) copy `account_id` into the body too; REFERENCE.md: same body as connect. */
function withoutBodyAccountId(request: SentRequest): SentRequest {
	const { account_id: _accountId, ...json } = request.json as Record<string, unknown>;
	return { ...request, json };
}

const proxy = { protocol: 'socks5' as const, host: 'proxy.example.com', port: 1080, username: 'u', password: 'p' };
const proxyParameter = { settings: proxy };

describe('accounts: list, get, delete', () => {
	test('getAll', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.getAll({ limit: 3 }));
		expect((await node({ operation: 'getAll', limit: 3 })).request).toEqual(sdk);
	});

	test('getOne', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.getOne('acc_instagram_1'));
		expect((await node({ operation: 'get', accountId: 'acc_instagram_1' })).request).toEqual(sdk);
	});

	test('delete', async () => {
		const [first, second] = [sandbox.store.createAccount('TELEGRAM', 'a'), sandbox.store.createAccount('TELEGRAM', 'b')];
		const sdk = await sdkRequest(sandbox, (c) => c.account.delete(first.id));
		const ours = await node({ operation: 'delete', accountId: second.id });
		expect(ours.request).toEqual({ ...sdk, path: `/accounts/${second.id}` });
		expect(ours.result.error).toBeUndefined();
	});
});

describe('accounts: connect', () => {
	test('connect (generic) with every body field the SDK types allow for LinkedIn', async () => {
		const input = {
			provider: 'LINKEDIN' as const,
			username: 'sandra@example.com',
			password: 'pw',
			user_agent: 'Mozilla/5.0',
			recruiter_contract_id: 'c-1',
			proxy,
			sync_limit: { chats: 100, messages: '2026-01-01T00:00:00.000Z' as UTCDateTimeMs },
			disabled_features: ['linkedin_recruiter' as const],
		};
		const sdk = await sdkRequest(sandbox, (c) => c.account.connect(input));
		const ours = await node({
			operation: 'connect',
			provider: 'LINKEDIN',
			loginMethod: 'credentials',
			username: input.username,
			password: input.password,
			linkedinOptions: { userAgent: input.user_agent, recruiterContractId: input.recruiter_contract_id },
			options: { proxy: proxyParameter, syncLimit: { chats: '100', messages: '2026-01-01T00:00:00.000Z' }, disabledFeatures: ['linkedin_recruiter'] },
		});
		expect(ours.request).toEqual(sdk);
		expect(ours.result.error).toBeUndefined();
	});

	test('connectWhatsapp', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.connectWhatsapp());
		expect((await node({ operation: 'connect', provider: 'WHATSAPP' })).request).toEqual(sdk);
	});

	test('connectTelegram', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.connectTelegram());
		expect((await node({ operation: 'connect', provider: 'TELEGRAM' })).request).toEqual(sdk);
	});

	test('connectLinkedin', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.connectLinkedin({ username: '+33612345678', password: 'pw', proxy }));
		const ours = await node({
			operation: 'connect',
			provider: 'LINKEDIN',
			loginMethod: 'credentials',
			username: '+33612345678',
			password: 'pw',
			options: { proxy: proxyParameter },
		});
		// The SDK puts `provider` last; key order does not matter in JSON.
		expect(ours.request).toEqual(sdk);
	});

	test('connectLinkedinWithCookie', async () => {
		const sdk = await sdkRequest(sandbox, (c) =>
			c.account.connectLinkedinWithCookie({ access_token: 'li-at', premium_token: 'li-a', user_agent: 'Mozilla/5.0' }),
		);
		const ours = await node({
			operation: 'connect',
			provider: 'LINKEDIN',
			loginMethod: 'cookie',
			accessToken: 'li-at',
			premiumToken: 'li-a',
			linkedinOptions: { userAgent: 'Mozilla/5.0' },
		});
		expect(ours.request).toEqual(sdk);
	});

	test('connectInstagram', async () => {
		const sdk = await sdkRequest(sandbox, (c) =>
			c.account.connectInstagram({ username: 'sandra.box', password: 'pw', user_agent: 'Mozilla/5.0', sync_limit: { messages: 0 } }),
		);
		const ours = await node({
			operation: 'connect',
			provider: 'INSTAGRAM',
			username: 'sandra.box',
			password: 'pw',
			instagramOptions: { userAgent: 'Mozilla/5.0' },
			options: { syncLimit: { messages: '0' } },
		});
		expect(ours.request).toEqual(sdk);
	});

	test('connectMessenger', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.connectMessenger({ username: 'sandra@example.com', password: 'pw' }));
		expect((await node({ operation: 'connect', provider: 'MESSENGER', username: 'sandra@example.com', password: 'pw' })).request).toEqual(sdk);
	});

	test('connectTwitter', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.connectTwitter({ username: 'sandra_x', email: 'sandra@example.com', password: 'pw' }));
		const ours = await node({ operation: 'connect', provider: 'TWITTER', username: 'sandra_x', email: 'sandra@example.com', password: 'pw' });
		expect(ours.request).toEqual(sdk);
	});

	test('WhatsApp pairing and country/ip: not in the SDK, asserted against REFERENCE.md', async () => {
		// REFERENCE.md: WHATSAPP `{provider}` + `pairing_phone_number`; query `country`, `ip`.
		const ours = await node({ operation: 'connect', provider: 'WHATSAPP', pairingPhoneNumber: '+447700900123', options: { country: 'GB', ip: '198.51.100.4' } });
		expect(ours.request).toEqual({
			method: 'POST',
			path: '/accounts',
			query: { country: 'GB', ip: '198.51.100.4' },
			json: { provider: 'WHATSAPP', pairing_phone_number: '+447700900123' },
		});
	});
});

describe('accounts: reconnect', () => {
	test('reconnect (generic): the SDK also sends account_id in the body, REFERENCE.md says same body as connect', async () => {
		const sdk = await sdkRequest(sandbox, (c) =>
			c.account.reconnect({ account_id: 'acc_messenger_1', provider: 'MESSENGER', username: 'sandra@example.com', password: 'pw' }),
		);
		expect((sdk.json as { account_id: string }).account_id).toBe('acc_messenger_1');
		const ours = await node({ operation: 'reconnect', accountId: 'acc_messenger_1', provider: 'MESSENGER', username: 'sandra@example.com', password: 'pw' });
		expect(ours.request).toEqual(withoutBodyAccountId(sdk));
		expect(ours.result.error).toBeUndefined();
	});

	test('reconnectWhatsapp: identical', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.reconnectWhatsapp('acc_whatsapp_1'));
		expect((await node({ operation: 'reconnect', accountId: 'acc_whatsapp_1', provider: 'WHATSAPP' })).request).toEqual(sdk);
	});

	test('reconnectTelegram: identical', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.reconnectTelegram('acc_telegram_1'));
		expect((await node({ operation: 'reconnect', accountId: 'acc_telegram_1', provider: 'TELEGRAM' })).request).toEqual(sdk);
	});

	test('reconnectLinkedin', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.reconnectLinkedin({ account_id: 'acc_linkedin_1', username: 'sandra@example.com', password: 'pw' }));
		const ours = await node({ operation: 'reconnect', accountId: 'acc_linkedin_1', provider: 'LINKEDIN', loginMethod: 'credentials', username: 'sandra@example.com', password: 'pw' });
		expect(ours.request).toEqual(withoutBodyAccountId(sdk));
	});

	test('reconnectLinkedinWithCookie', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.reconnectLinkedinWithCookie({ account_id: 'acc_linkedin_1', access_token: 'li-at' }));
		const ours = await node({ operation: 'reconnect', accountId: 'acc_linkedin_1', provider: 'LINKEDIN', loginMethod: 'cookie', accessToken: 'li-at' });
		expect(ours.request).toEqual(withoutBodyAccountId(sdk));
	});

	test('reconnectInstagram', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.reconnectInstagram({ account_id: 'acc_instagram_1', username: 'sandra.box', password: 'pw' }));
		const ours = await node({ operation: 'reconnect', accountId: 'acc_instagram_1', provider: 'INSTAGRAM', username: 'sandra.box', password: 'pw' });
		expect(ours.request).toEqual(withoutBodyAccountId(sdk));
	});

	test('reconnectMessenger', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.reconnectMessenger({ account_id: 'acc_messenger_1', username: 'sandra.fb', password: 'pw' }));
		const ours = await node({ operation: 'reconnect', accountId: 'acc_messenger_1', provider: 'MESSENGER', username: 'sandra.fb', password: 'pw' });
		expect(ours.request).toEqual(withoutBodyAccountId(sdk));
	});

	test('reconnectTwitter', async () => {
		const sdk = await sdkRequest(sandbox, (c) =>
			c.account.reconnectTwitter({ account_id: 'acc_twitter_1', username: 'sandra_x', email: 'sandra@example.com', password: 'pw' }),
		);
		const ours = await node({ operation: 'reconnect', accountId: 'acc_twitter_1', provider: 'TWITTER', username: 'sandra_x', email: 'sandra@example.com', password: 'pw' });
		expect(ours.request).toEqual(withoutBodyAccountId(sdk));
	});
});

describe('accounts: checkpoint, hosted link, resync', () => {
	test('solveCodeCheckpoint', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.solveCodeCheckpoint({ provider: 'TWITTER', account_id: 'acc_twitter_9', code: '424242' }));
		const ours = await node({ operation: 'solveCheckpoint', provider: 'TWITTER', accountId: 'acc_twitter_9', code: '424242' });
		expect(ours.request).toEqual(sdk);
	});

	test('createHostedAuthLink (create): our default api_url is the DSN the SDK is given', async () => {
		const input = {
			type: 'create' as const,
			expiresOn: '2026-12-24T18:00:00.000Z',
			api_url: sandbox.url,
			providers: ['WHATSAPP' as const, 'TELEGRAM' as const],
			name: 'user-7',
			success_redirect_url: 'https://example.com/ok',
			failure_redirect_url: 'https://example.com/ko',
			notify_url: 'https://example.com/notify',
		};
		const sdk = await sdkRequest(sandbox, (c) => c.account.createHostedAuthLink(input));
		const ours = await node({
			operation: 'createHostedAuthLink',
			type: 'create',
			providers: ['WHATSAPP', 'TELEGRAM'],
			expiresOn: input.expiresOn,
			options: { name: 'user-7', successRedirectUrl: input.success_redirect_url, failureRedirectUrl: input.failure_redirect_url, notifyUrl: input.notify_url },
		});
		expect(ours.request).toEqual(sdk);
		expect(ours.result.error).toBeUndefined();
	});

	test('createHostedAuthLink (reconnect, every provider wildcard on create)', async () => {
		const sdk = await sdkRequest(sandbox, (c) =>
			c.account.createHostedAuthLink({ type: 'reconnect', expiresOn: '2026-12-24T18:00:00.000Z', api_url: 'https://api1.unipile.com:13111', reconnect_account: 'acc_linkedin_1' }),
		);
		const ours = await node({
			operation: 'createHostedAuthLink',
			type: 'reconnect',
			reconnectAccount: 'acc_linkedin_1',
			expiresOn: '2026-12-24T18:00:00.000Z',
			options: { apiUrl: 'https://api1.unipile.com:13111' },
		});
		expect(ours.request).toEqual(sdk);

		const sdkAll = await sdkRequest(sandbox, (c) =>
			c.account.createHostedAuthLink({ type: 'create', expiresOn: '2026-12-24T18:00:00.000Z', api_url: sandbox.url, providers: '*' }),
		);
		expect((await node({ operation: 'createHostedAuthLink', expiresOn: '2026-12-24T18:00:00.000Z' })).request).toEqual(sdkAll);
	});

	test('resyncLinkedinAccount: product and a window in Unix milliseconds', async () => {
		const after = Date.UTC(2026, 0, 1);
		const before = Date.UTC(2026, 5, 30, 12);
		const sdk = await sdkRequest(sandbox, (c) =>
			c.account.resyncLinkedinAccount({ account_id: 'acc_linkedin_1', linkedin_product: 'sales_navigator', after, before }),
		);
		const ours = await node({
			operation: 'resync',
			accountId: 'acc_linkedin_1',
			options: { linkedinProduct: 'sales_navigator', after: new Date(after).toISOString(), before: new Date(before).toISOString() },
		});
		expect(ours.request).toEqual(sdk);
		expect(ours.result.error).toBeUndefined();
	});

	test('resyncLinkedinAccount with no option', async () => {
		const sdk = await sdkRequest(sandbox, (c) => c.account.resyncLinkedinAccount({ account_id: 'acc_linkedin_1' }));
		expect((await node({ operation: 'resync', accountId: 'acc_linkedin_1' })).request).toEqual(sdk);
	});
});
