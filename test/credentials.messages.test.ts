/**
 * What n8n shows when a credential test runs. Neither credential has a declarative `test`: every node names
 * `unipileApiTest` / `unipileV2ApiTest` in `testedBy`, and n8n (CredentialsTester.testCredentials) calls that
 * `methods.credentialTest` function with n8n-core's CredentialTestContext and the credential's data, and shows the
 * message it returns. This file finds the function the way n8n does (the nodes of package.json, their `testedBy`),
 * calls it with the real CredentialTestContext, and lets it talk real HTTP: to the sandbox, to a closed port, to an
 * unresolvable `.invalid` host, to a plain HTTP server reached with https://, to servers answering 404 / 500 / never.
 * test/e2e/credentialTest.ts asserts the same texts from the real n8n (POST /rest/credentials/test).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialTestFunction, INodeCredentialTestResult, INodeType, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { startSandbox, type Sandbox } from './sandbox/server';
import { freePort } from './e2e/n8nProcess';
import { loadPackage } from './harness/engine';

const { unipileBaseUrl, V1_KEY_REFUSED, V1_NOT_FOUND } = require('../dist/credentials/UnipileApi.credentials.js');
const { unipileV2BaseUrl, V2_KEY_REFUSED, V2_NOT_FOUND } = require('../dist/credentials/UnipileV2Api.credentials.js');
const { CREDENTIAL_TEST_TIMEOUT_SECONDS } = require('../dist/nodes/shared/credentialTest.js');
const pkg = require('../package.json');

type CredentialType = 'unipileApi' | 'unipileV2Api';

/**
 * n8n's getCredentialTestFunction for a credential without `test`: the credential's supported nodes as n8n-core's
 * PackageDirectoryLoader infers them (every node that lists it), and for each the `methods.credentialTest` function
 * its `testedBy` names. (n8n keeps supported nodes only for packages loaded as packages; through
 * N8N_CUSTOM_EXTENSIONS it finds no test: see test/e2e/credentialTest.ts.)
 */
async function testFunctionsOf(credentialType: CredentialType): Promise<ICredentialTestFunction[]> {
	const loader = await loadPackage();
	const supportedNodes = loader.known.credentials[credentialType].supportedNodes ?? [];
	expect([...supportedNodes].sort()).toEqual((pkg.n8n.nodes as string[]).map((file) => nodeNameOf(file)).sort());
	const found: ICredentialTestFunction[] = [];
	for (const nodeName of supportedNodes) {
		const node = loader.nodeTypes[nodeName].type as INodeType;
		for (const { name, testedBy } of node.description.credentials ?? []) {
			if (name !== credentialType) continue;
			expect(typeof testedBy).toBe('string');
			const fn = node.methods?.credentialTest?.[testedBy as string];
			expect(typeof fn).toBe('function');
			found.push(fn as ICredentialTestFunction);
		}
	}
	return found;
}

/** The node type name in a built node file (dist/nodes/X/X.node.js exports class X, whose description names it). */
function nodeNameOf(file: string): string {
	const className = file.split('/').pop()!.replace(/\.node\.js$/, '');
	return (new (require(`../${file}`)[className] as new () => INodeType)()).description.name;
}

/** What n8n runs for POST /rest/credentials/test: the function, `this` = a real CredentialTestContext. */
async function credentialTest(credentialType: CredentialType, data: Record<string, string>): Promise<INodeCredentialTestResult> {
	const [fn] = await testFunctionsOf(credentialType);
	const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
	return await fn.call(context, { id: 'test', name: 'Unipile', type: credentialType, data });
}

/** A server that answers every request with one status, or never. */
async function answering(status: number | 'never'): Promise<{ url: string; server: Server }> {
	const server = createServer((request, response) => {
		if (status === 'never') return;
		response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let sandbox: Sandbox;
let closedPort: number;
const servers: Server[] = [];
beforeAll(async () => {
	sandbox = await startSandbox();
	closedPort = await freePort();
});
afterAll(async () => {
	await sandbox.close();
	for (const server of servers) {
		server.closeAllConnections();
		server.close();
	}
});
beforeEach(() => sandbox.clearRequests());

const v1 = async (dsn: string, apiKey = sandbox.apiKey) => await credentialTest('unipileApi', { dsn, apiKey });
const v2 = async (baseUrl: string, apiKey = sandbox.v2.apiKey) => await credentialTest('unipileV2Api', { apiKey, baseUrl });
const hostPort = () => sandbox.url.replace('http://', '');

describe('how n8n finds the test', () => {
	test('every node lists both credentials with testedBy, and all name the same two functions', async () => {
		const v1Tests = await testFunctionsOf('unipileApi');
		const v2Tests = await testFunctionsOf('unipileV2Api');
		expect(v1Tests).toHaveLength((pkg.n8n.nodes as string[]).length);
		expect(v2Tests).toHaveLength((pkg.n8n.nodes as string[]).length);
		expect(new Set(v1Tests).size).toBe(1);
		expect(new Set(v2Tests).size).toBe(1);
		// n8n uses a credential's own `test` first: neither has one.
		for (const file of pkg.n8n.credentials as string[]) {
			const className = file.split('/').pop()!.replace(/\.credentials\.js$/, '');
			expect(new (require(`../${file}`)[className] as new () => object)()).not.toHaveProperty('test');
		}
	});
});

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
});

describe('v1 credential test (DSN, API Key)', () => {
	test('the right key passes: one GET /accounts?limit=1 with the key trimmed', async () => {
		expect(await v1(sandbox.url + '/', ` ${sandbox.apiKey}\n`)).toEqual({ status: 'OK', message: `Connection successful: Unipile API v1 at ${hostPort()} accepted the API Key.` });
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)} ${r.status}`)).toEqual(['GET /accounts {"limit":"1"} 200']);
		expect(sandbox.requests[0].headers['x-api-key']).toBe(sandbox.apiKey);
	});

	test('a loopback DSN without a scheme passes (http://, not https:// → EPROTO)', async () => {
		expect((await v1(hostPort())).status).toBe('OK');
	});

	test('a refused key (401) names the API Key, and the key is not in the message', async () => {
		const result = await v1(sandbox.url, 'wrong-key-123');
		expect(result).toEqual({ status: 'Error', message: V1_KEY_REFUSED });
		expect(result.message).toContain('Check the API Key');
		expect(result.message).not.toContain('wrong-key-123');
	});

	test('nothing answers v1 at that address (404) names the DSN', async () => {
		const { url, server } = await answering(404);
		servers.push(server);
		expect(await v1(url)).toEqual({ status: 'Error', message: V1_NOT_FOUND });
	});

	test('a DSN with a path the nodes would refuse is refused before sending, naming the DSN', async () => {
		expect((await v1(sandbox.url + '/elsewhere')).message).toBe(
			`The DSN has a path the API does not live at: "${sandbox.url}/elsewhere". Copy the DSN from the top of the Unipile dashboard, e.g. api1.unipile.com:13111 (https://api1.unipile.com:13111 also works).`,
		);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('"my dsn here" is not an address: the DSN and its expected form', async () => {
		expect(await v1('my dsn here')).toEqual({
			status: 'Error',
			message: 'The DSN is not an address: "my dsn here". Copy the DSN from the top of the Unipile dashboard, e.g. api1.unipile.com:13111 (https://api1.unipile.com:13111 also works).',
		});
		expect((await v1('')).message).toMatch(/^The DSN is empty\. /);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('an unknown host (ENOTFOUND): "No server named …", check the DSN', async () => {
		expect(await v1('api1.unipile.invalid:13111')).toEqual({
			status: 'Error',
			message: 'No server named api1.unipile.invalid was found (ENOTFOUND). Check the DSN: its host name is wrong or misspelt. Copy the DSN from the top of the Unipile dashboard, e.g. api1.unipile.com:13111 (https://api1.unipile.com:13111 also works).',
		});
	});

	test('a wrong port (ECONNREFUSED): "Nothing listens at …", check the port in the DSN', async () => {
		expect(await v1(`http://127.0.0.1:${closedPort}`)).toEqual({
			status: 'Error',
			message: `Nothing listens at 127.0.0.1:${closedPort} (connection refused). Check the port in the DSN. Copy the DSN from the top of the Unipile dashboard, e.g. api1.unipile.com:13111 (https://api1.unipile.com:13111 also works).`,
		});
	});

	test('https:// to a plain HTTP server (a TLS error, EPROTO-like): write the DSN with http://', async () => {
		const result = await v1(`https://${hostPort()}`);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+ does not answer HTTPS \\((EPROTO|ERR_SSL_[A-Z_]+)\\): it looks like a plain HTTP server\\. If it is your own sandbox or proxy, write the DSN with http:// \\(e\\.g\\. http://${hostPort().replace(/\./g, '\\.')}\\); Unipile itself is only reached with https://\\.$`));
	});

	test('another HTTP status: "Unipile answered HTTP n …", what to check', async () => {
		const { url, server } = await answering(500);
		servers.push(server);
		const result = await v1(url);
		expect(result.message).toBe(
			`Unipile answered HTTP 500 to GET /api/v1/accounts at ${url.replace('http://', '')}. Check the DSN (it should be the address of Unipile API v1) and the API Key. A 5xx status is usually a passing problem at Unipile: try again in a few minutes. Copy the DSN from the top of the Unipile dashboard, e.g. api1.unipile.com:13111 (https://api1.unipile.com:13111 also works).`,
		);
	});

	test(
		`no answer: "No answer within ${CREDENTIAL_TEST_TIMEOUT_SECONDS} s from …"`,
		async () => {
			const { url, server } = await answering('never');
			servers.push(server);
			const result = await v1(url);
			expect(result.message).toMatch(new RegExp(`^No answer within ${CREDENTIAL_TEST_TIMEOUT_SECONDS} s from ${url.replace('http://', '').replace(/\./g, '\\.')}\\. Check the DSN \\(host and port\\)`));
		},
		(CREDENTIAL_TEST_TIMEOUT_SECONDS + 10) * 1000,
	);

	test('an empty key or one with inner spaces is refused before sending, naming the API Key', async () => {
		expect((await v1(sandbox.url, '  ')).message).toMatch(/^The API Key is empty\. Check the API Key/);
		const spaced = await v1(sandbox.url, 'abc def');
		expect(spaced.message).toMatch(/Check the API Key/);
		expect(spaced.message).not.toContain('abc def');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('v2 credential test (API Key, Base URL)', () => {
	test('the right key passes: one GET /v2/accounts/?limit=1; a loopback Base URL without a scheme too', async () => {
		expect(await v2(sandbox.url)).toEqual({ status: 'OK', message: `Connection successful: Unipile API v2 at ${hostPort()} accepted the API Key.` });
		expect((await v2(hostPort())).status).toBe('OK');
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)} ${r.status}`)).toEqual([
			'GET /v2/accounts/ {"limit":"1"} 200',
			'GET /v2/accounts/ {"limit":"1"} 200',
		]);
	});

	test('a refused key (401) names the API Key, and the key is not in the message', async () => {
		const result = await v2(sandbox.url, 'wrong-key-456');
		expect(result).toEqual({ status: 'Error', message: V2_KEY_REFUSED });
		expect(result.message).not.toContain('wrong-key-456');
	});

	test('nothing answers v2 at that address (404) names the Base URL', async () => {
		const { url, server } = await answering(404);
		servers.push(server);
		expect(await v2(url)).toEqual({ status: 'Error', message: V2_NOT_FOUND });
	});

	test('"my base url" is not an address', async () => {
		expect(await v2('my base url')).toEqual({
			status: 'Error',
			message: 'The Base URL is not an address: "my base url". Leave the Base URL at https://api.unipile.com (or the address of your proxy or local sandbox, e.g. http://127.0.0.1:8080).',
		});
	});

	test('unknown host, wrong port, https:// to plain HTTP: each names the Base URL', async () => {
		expect((await v2('api.unipile.invalid')).message).toBe(
			'No server named api.unipile.invalid was found (ENOTFOUND). Check the Base URL: its host name is wrong or misspelt. Leave the Base URL at https://api.unipile.com (or the address of your proxy or local sandbox, e.g. http://127.0.0.1:8080).',
		);
		expect((await v2(`http://127.0.0.1:${closedPort}`)).message).toBe(
			`Nothing listens at 127.0.0.1:${closedPort} (connection refused). Check the port in the Base URL. Leave the Base URL at https://api.unipile.com (or the address of your proxy or local sandbox, e.g. http://127.0.0.1:8080).`,
		);
		expect((await v2(`https://${hostPort()}`)).message).toMatch(/ does not answer HTTPS \(.+\): it looks like a plain HTTP server\. If it is your own sandbox or proxy, write the Base URL with http:\/\//);
	});
});
