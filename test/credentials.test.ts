import type { INodeType } from 'n8n-workflow';
import { startSandbox, type Sandbox } from './sandbox/server';
import { nodeTypes, runNode, UnipileApi } from './harness/engine';

/**
 * n8n tests a credential by running its `test.request` through the declarative engine with the credential applied;
 * this node is exactly that request, so the test below runs what n8n's credential test runs.
 */
class CredentialTest implements INodeType {
	description = {
		displayName: 'Credential Test',
		name: 'credentialTest',
		group: ['output'],
		version: 1,
		description: '',
		defaults: { name: 'Credential Test' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'unipileApi', required: true }],
		requestDefaults: new UnipileApi().test.request,
		properties: [],
	} as unknown as INodeType['description'];
}

const { unipileBaseUrl } = require('../dist/credentials/UnipileApi.credentials.js');

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
	nodeTypes().add('test.credentialTest', new CredentialTest());
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
		const { items, error } = await runNode({
			credentials: { dsn: sandbox.url + '/', apiKey: sandbox.apiKey },
			parameters: {},
			nodeType: 'test.credentialTest',
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(sandbox.requests).toHaveLength(1);
		const [request] = sandbox.requests;
		expect(request).toMatchObject({ method: 'GET', path: '/accounts', query: { limit: '1' }, status: 200 });
		expect(request.headers['x-api-key']).toBe(sandbox.apiKey);
	});

	test('fails with a wrong key, and the key is not in the error', async () => {
		const { error } = await runNode({
			credentials: { dsn: sandbox.url, apiKey: 'wrong-key-123' },
			parameters: {},
			nodeType: 'test.credentialTest',
		});
		expect(error).toBeDefined();
		expect(error!.httpCode).toBe('401');
		expect(JSON.stringify(error)).not.toContain('wrong-key-123');
		expect(sandbox.requests[0].status).toBe(401);
	});
});
