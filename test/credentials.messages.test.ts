/**
 * What n8n shows when a credential test fails. n8n 2.41 (CredentialsTester.runRequestTest) runs the credential's
 * `test.request` as the only property of a throw-away declarative node through n8n-core's RoutingNode, then shows:
 * a `rules` message for an HTTP status it names, `error.cause.code` for a network error (ENOTFOUND, ECONNREFUSED,
 * ERR_INVALID_URL: a declarative test cannot change those), else `error.message`. This file runs the same request
 * through the same engine (the node below is that throw-away node) and checks what our credentials control: the
 * address each input becomes and the statuses the rules name. test/e2e/credentialTest.ts asserts the texts the real
 * n8n returns from POST /rest/credentials/test.
 */
import type { INodeType } from 'n8n-workflow';
import { startSandbox, type Sandbox } from './sandbox/server';
import { nodeTypes, runNode } from './harness/engine';

const { UnipileApi, unipileBaseUrl, V1_KEY_REFUSED, V1_NOT_FOUND } = require('../dist/credentials/UnipileApi.credentials.js');
const { UnipileV2Api, unipileV2BaseUrl, V2_KEY_REFUSED, V2_NOT_FOUND } = require('../dist/credentials/UnipileV2Api.credentials.js');

/** n8n's throw-away test node: the credential's test request as the routing of its only property. */
function testNode(name: 'unipileApi' | 'unipileV2Api', credential: { test: { request: unknown } }): INodeType {
	return {
		description: {
			displayName: 'Credential Test',
			name: `credentialTest_${name}`,
			group: ['output'],
			version: 1,
			description: '',
			defaults: { name: 'Credential Test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credential.test.request } }],
		},
	} as unknown as INodeType;
}

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
	nodeTypes().add('test.credentialTest_unipileApi', testNode('unipileApi', new UnipileApi()));
	nodeTypes().add('test.credentialTest_unipileV2Api', testNode('unipileV2Api', new UnipileV2Api()));
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

const testV1 = async (dsn: string, apiKey = sandbox.apiKey) => await runNode({ credentials: { dsn, apiKey }, parameters: {}, nodeType: 'test.credentialTest_unipileApi' });
const testV2 = async (baseUrl: string, apiKey = sandbox.v2.apiKey) => await runNode({ credentials: { apiKey, baseUrl }, parameters: { authentication: 'unipileApiV2' }, nodeType: 'test.credentialTest_unipileV2Api' });
const httpCodeOf = (error: unknown) => (error as { httpCode?: string | null } | undefined)?.httpCode;

describe('addresses without a scheme', () => {
	test.each([
		['127.0.0.1:5898', 'http://127.0.0.1:5898/api/v1'],
		['localhost:8080', 'http://localhost:8080/api/v1'],
		['10.0.0.7:13111', 'http://10.0.0.7:13111/api/v1'],
		['192.168.1.20:8080/', 'http://192.168.1.20:8080/api/v1'],
		['172.20.0.2:13111', 'http://172.20.0.2:13111/api/v1'],
		['[::1]:8080', 'http://[::1]:8080/api/v1'],
		['172.32.0.2:13111', 'https://172.32.0.2:13111/api/v1'],
		['api1.unipile.com:13111', 'https://api1.unipile.com:13111/api/v1'],
		['https://127.0.0.1:5898', 'https://127.0.0.1:5898/api/v1'],
	])('v1 DSN %s → %s', (dsn, url) => expect(unipileBaseUrl(dsn)).toBe(url));

	test.each([
		['127.0.0.1:5898', 'http://127.0.0.1:5898/v2'],
		['localhost:8080/', 'http://localhost:8080/v2'],
		['api.unipile.com', 'https://api.unipile.com/v2'],
	])('v2 Base URL %s → %s', (given, url) => expect(unipileV2BaseUrl(given)).toBe(url));

	test('a local sandbox typed without a scheme passes the test (it was EPROTO: https:// to a plain HTTP server)', async () => {
		const hostPort = sandbox.url.replace('http://', '');
		expect((await testV1(hostPort)).error).toBeUndefined();
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /accounts 200']);
		expect((await testV2(hostPort)).error).toBeUndefined();
	});
});

describe('what each failure gives n8n', () => {
	test('a refused key: 401, the status the rules turn into "… Check the API Key …"', async () => {
		const v1 = await testV1(sandbox.url, 'wrong-key-123');
		expect(httpCodeOf(v1.error)).toBe('401');
		expect(new UnipileApi().test.rules).toContainEqual({ type: 'responseCode', properties: { value: 401, message: V1_KEY_REFUSED } });
		expect(V1_KEY_REFUSED).toContain('API Key');
		const v2 = await testV2(sandbox.url, 'wrong-key-123');
		expect(httpCodeOf(v2.error)).toBe('401');
		expect(new UnipileV2Api().test.rules).toContainEqual({ type: 'responseCode', properties: { value: 401, message: V2_KEY_REFUSED } });
		expect(V2_KEY_REFUSED).toContain('API Key');
		expect(JSON.stringify([v1.error, v2.error])).not.toContain('wrong-key-123');
	});

	test('nothing answers the API at that address: 404, the status the rules turn into the DSN / Base URL advice', async () => {
		const v1 = await testV1(sandbox.url + '/elsewhere');
		expect(httpCodeOf(v1.error)).toBe('404');
		expect(new UnipileApi().test.rules).toContainEqual({ type: 'responseCode', properties: { value: 404, message: V1_NOT_FOUND } });
		expect(V1_NOT_FOUND).toContain('DSN');
		// (The sandbox answers an unknown path under another prefix with 401 for a v2 key, so v2's 404 is the rule alone.)
		expect(new UnipileV2Api().test.rules).toContainEqual({ type: 'responseCode', properties: { value: 404, message: V2_NOT_FOUND } });
		expect(V2_NOT_FOUND).toContain('Base URL');
	});
});
