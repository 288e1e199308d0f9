import { CredentialTestContext } from 'n8n-core';
import { startSandbox, type Sandbox } from './sandbox/server';

const { unipileBaseUrl } = require('../dist/credentials/UnipileApi.credentials.js');
const { unipileApiTest } = require('../dist/nodes/shared/credentialTest.js');

/** n8n runs the nodes' `testedBy` function with a CredentialTestContext (test/credentials.messages.test.ts: every case). */
const credentialTest = async (data: { dsn: string; apiKey: string }) =>
	await unipileApiTest.call(new CredentialTestContext({} as never), { id: 'c1', name: 'Unipile', type: 'unipileApi', data });

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

describe('DSN forms users paste', () => {
	test.each([
		['api1.unipile.com:13111', 'https://api1.unipile.com:13111/api/v1'],
		['api1.unipile.com:13111/', 'https://api1.unipile.com:13111/api/v1'],
		[' https://api8.unipile.com:13851 ', 'https://api8.unipile.com:13851/api/v1'],
		['https://api8.unipile.com:13851/api/v1/', 'https://api8.unipile.com:13851/api/v1'],
		['http://127.0.0.1:8080', 'http://127.0.0.1:8080/api/v1'],
		['HTTP://127.0.0.1:8080//', 'HTTP://127.0.0.1:8080/api/v1'],
	])('%s → %s', (dsn, url) => {
		expect(unipileBaseUrl(dsn)).toBe(url);
	});
});

describe('credential test', () => {
	test('passes with the right key, calling GET /accounts?limit=1 with X-API-KEY', async () => {
		expect((await credentialTest({ dsn: sandbox.url + '/', apiKey: sandbox.apiKey })).status).toBe('OK');
		expect(sandbox.requests).toHaveLength(1);
		const [request] = sandbox.requests;
		expect(request).toMatchObject({ method: 'GET', path: '/accounts', query: { limit: '1' }, status: 200 });
		expect(request.headers['x-api-key']).toBe(sandbox.apiKey);
	});

	test('fails with a wrong key, and the key is not in the message', async () => {
		const result = await credentialTest({ dsn: sandbox.url, apiKey: 'wrong-key-123' });
		expect(result.status).toBe('Error');
		expect(JSON.stringify(result)).not.toContain('wrong-key-123');
		expect(sandbox.requests[0].status).toBe(401);
	});
});
