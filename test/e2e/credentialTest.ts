/**
 * What the real n8n says when a Unipile credential test fails, as the editor asks it: `POST /rest/credentials/test`
 * with the stored credential and the fields the user changed (n8n fills the redacted secrets from the stored ones).
 * n8n finds our test through the nodes' `testedBy` (the credentials have no declarative `test`, whose network
 * failures n8n shows as raw codes) and shows the message our function returns — on n8n 2.x and 1.x alike. Asserted,
 * v1 and v2: a refused key; text that is not an address; an unknown host; a closed port; https:// to a plain HTTP
 * server; 404 from a server that is not Unipile; a loopback address without a scheme passes.
 *
 * n8n finds `testedBy` only for a package loaded as a package (PackageDirectoryLoader: an installed community
 * package). For N8N_CUSTOM_EXTENSIONS (what the main e2e uses) n8n 2.41 and 1.123 set no supported nodes on the
 * credentials (load-nodes-and-credentials postProcessLoaders), so the editor shows no Test button and
 * /rest/credentials/test answers "No testing function found for this credential." Hence an n8n of its own here, with
 * the package where n8n installs community packages (<user folder>/.n8n/nodes/node_modules/<name>).
 */
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../sandbox/server';
import { freePort, N8nDeployment, type N8nClient } from './n8nProcess';

type Result = { status: string; message: string };

export async function credentialTestMessagesE2e(d: {
	sb: Sandbox;
	check(name: string, fn: () => Promise<void> | void): Promise<boolean>;
	log(line: string): void;
}): Promise<void> {
	const { sb, log } = d;
	const deployment = await N8nDeployment.create({ installed: true });
	try {
		let rest: N8nClient | undefined;
		const up = await d.check('n8n 2.41 with the package installed as a community package (<user folder>/.n8n/nodes/node_modules): ready, owner set up', async () => {
			await deployment.start('start');
			rest = await deployment.login();
		});
		if (!up || !rest) return;
		const v1Credential = await rest.ok<{ id: string; name: string }>('POST', '/rest/credentials', { name: 'Unipile v1', type: 'unipileApi', data: { dsn: sb.url, apiKey: sb.apiKey } });
		const v2Credential = await rest.ok<{ id: string; name: string }>('POST', '/rest/credentials', { name: 'Unipile v2', type: 'unipileV2Api', data: { apiKey: sb.v2.apiKey, baseUrl: sb.url } });
		await messages({ rest, sb, v1Credential, v2Credential, n8nMajor: 2, check: d.check, log });
	} finally {
		await deployment.close();
	}
}

async function messages(d: {
	rest: N8nClient;
	sb: Sandbox;
	v1Credential: { id: string; name: string };
	v2Credential: { id: string; name: string };
	n8nMajor: number;
	check(name: string, fn: () => Promise<void> | void): Promise<boolean>;
	log(line: string): void;
}): Promise<void> {
	const { rest, sb, log } = d;
	const { V1_KEY_REFUSED, V1_NOT_FOUND } = require('../../dist/credentials/UnipileApi.credentials.js');
	const { V2_KEY_REFUSED, V2_NOT_FOUND } = require('../../dist/credentials/UnipileV2Api.credentials.js');

	/** The editor's request: the stored credential, with `changes` typed over its fields. */
	const test = async (credential: { id: string; name: string }, changes: Record<string, string>): Promise<Result> => {
		const stored = await rest.ok<{ id: string; name: string; type: string; data: Record<string, unknown> }>('GET', `/rest/credentials/${credential.id}?includeData=true`);
		return await rest.ok<Result>('POST', '/rest/credentials/test', { credentials: { id: stored.id, name: stored.name, type: stored.type, data: { ...stored.data, ...changes } } });
	};
	const hostPort = sb.url.replace(/^http:\/\//, '');
	const closedPort = await freePort();

	const v1Advice = 'Copy the DSN from the top of the Unipile dashboard, e.g. api1.unipile.com:13111 (https://api1.unipile.com:13111 also works).';
	const v2Advice = 'Leave the Base URL at https://api.unipile.com (or the address of your proxy or local sandbox, e.g. http://127.0.0.1:8080).';
	// A server that is not Unipile: 404 to everything.
	const notUnipile = createServer((_request, response) => response.writeHead(404).end());
	await new Promise<void>((resolve) => notUnipile.listen(0, '127.0.0.1', resolve));
	const notUnipileUrl = `http://127.0.0.1:${(notUnipile.address() as AddressInfo).port}`;
	const expectMessage = (what: string, r: Result, expected: string | RegExp) => {
		log(`  ${what} → ${r.status}: ${r.message}`);
		assert(r.status === 'Error', `${what} → ${JSON.stringify(r)}`);
		assert(typeof expected === 'string' ? r.message === expected : expected.test(r.message), `${what} → ${r.message}`);
	};
	const httpsToPlain = (field: string) => new RegExp(`^127\\.0\\.0\\.1:\\d+ does not answer HTTPS \\((EPROTO|ERR_SSL_[A-Z_]+)\\): it looks like a plain HTTP server\\. If it is your own sandbox or proxy, write the ${field} with http://`);

	try {
		await d.check(`n8n ${d.n8nMajor}.x credential test messages (v1): each failure says what to check and names the API Key or the DSN; a loopback DSN without a scheme passes`, async () => {
			sb.clearRequests();
			const good = await test(d.v1Credential, {});
			log(`  right key → ${good.status}: ${good.message}`);
			assert(good.status === 'OK', `right key → ${JSON.stringify(good)}`);
			assert(sb.requests.some((q) => q.path === '/accounts' && q.status === 200 && q.headers['x-api-key'] === sb.apiKey), 'the test did not reach GET /accounts with the key');
			const wrongKey = await test(d.v1Credential, { apiKey: 'not-the-key-123' });
			expectMessage('wrong key', wrongKey, V1_KEY_REFUSED);
			assert(!wrongKey.message.includes('not-the-key-123'), 'the key is in the message');
			expectMessage('"my dsn here"', await test(d.v1Credential, { dsn: 'my dsn here' }), `The DSN is not an address: "my dsn here". ${v1Advice}`);
			expectMessage('unknown host', await test(d.v1Credential, { dsn: 'api1.unipile.invalid:13111' }), `No server named api1.unipile.invalid was found (ENOTFOUND). Check the DSN: its host name is wrong or misspelt. ${v1Advice}`);
			expectMessage('wrong port', await test(d.v1Credential, { dsn: `http://127.0.0.1:${closedPort}` }), `Nothing listens at 127.0.0.1:${closedPort} (connection refused). Check the port in the DSN. ${v1Advice}`);
			expectMessage('https:// to a plain HTTP server', await test(d.v1Credential, { dsn: `https://${hostPort}` }), httpsToPlain('DSN'));
			expectMessage('a server that is not Unipile (404)', await test(d.v1Credential, { dsn: notUnipileUrl }), V1_NOT_FOUND);
			const noScheme = await test(d.v1Credential, { dsn: hostPort });
			log(`  ${hostPort} (no scheme) → ${noScheme.status}: ${noScheme.message}`);
			assert(noScheme.status === 'OK', `${hostPort} without a scheme → ${JSON.stringify(noScheme)}`);
		});

		await d.check(`n8n ${d.n8nMajor}.x credential test messages (v2): each failure says what to check and names the API Key or the Base URL; a loopback Base URL without a scheme passes`, async () => {
			sb.clearRequests();
			const good = await test(d.v2Credential, {});
			log(`  right key → ${good.status}: ${good.message}`);
			assert(good.status === 'OK', `right key → ${JSON.stringify(good)}`);
			assert(sb.requests.some((q) => q.path === '/v2/accounts/' && q.status === 200 && q.headers['x-api-key'] === sb.v2.apiKey), 'the test did not reach GET /v2/accounts/ with the key');
			expectMessage('a v1 access token', await test(d.v2Credential, { apiKey: sb.apiKey }), V2_KEY_REFUSED);
			const wrongKey = await test(d.v2Credential, { apiKey: 'not-the-key-456' });
			expectMessage('wrong key', wrongKey, V2_KEY_REFUSED);
			assert(!wrongKey.message.includes('not-the-key-456'), 'the key is in the message');
			expectMessage('"my base url"', await test(d.v2Credential, { baseUrl: 'my base url' }), `The Base URL is not an address: "my base url". ${v2Advice}`);
			expectMessage('unknown host', await test(d.v2Credential, { baseUrl: 'api.unipile.invalid' }), `No server named api.unipile.invalid was found (ENOTFOUND). Check the Base URL: its host name is wrong or misspelt. ${v2Advice}`);
			expectMessage('wrong port', await test(d.v2Credential, { baseUrl: `http://127.0.0.1:${closedPort}` }), `Nothing listens at 127.0.0.1:${closedPort} (connection refused). Check the port in the Base URL. ${v2Advice}`);
			expectMessage('https:// to a plain HTTP server', await test(d.v2Credential, { baseUrl: `https://${hostPort}` }), httpsToPlain('Base URL'));
			expectMessage('a server that is not Unipile (404)', await test(d.v2Credential, { baseUrl: notUnipileUrl }), V2_NOT_FOUND);
			const noScheme = await test(d.v2Credential, { baseUrl: hostPort });
			log(`  ${hostPort} (no scheme) → ${noScheme.status}: ${noScheme.message}`);
			assert(noScheme.status === 'OK', `${hostPort} without a scheme → ${JSON.stringify(noScheme)}`);
		});
	} finally {
		notUnipile.close();
	}
}
