/**
 * What the real n8n says when a Unipile credential test fails, as the editor asks it: `POST /rest/credentials/test`
 * with the stored credential and the fields the user changed (n8n fills the redacted secrets from the stored ones).
 * Asserted: a refused key names the API Key (v1, v2); an address nothing answers at names the DSN / Base URL; a
 * loopback address typed without a scheme now passes (http://, not https:// → EPROTO). Logged, not asserted: what
 * n8n 2.41 shows for network failures of a declarative credential test (the error's code: ENOTFOUND, ECONNREFUSED,
 * ERR_INVALID_URL) — the credential's `rules` cannot reach those.
 */
import { strict as assert } from 'node:assert';
import type { Sandbox } from '../sandbox/server';
import { freePort, type N8nClient } from './n8nProcess';

type Result = { status: string; message: string };

export async function credentialTestMessagesE2e(d: {
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
	const { V2_KEY_REFUSED } = require('../../dist/credentials/UnipileV2Api.credentials.js');

	/** The editor's request: the stored credential, with `changes` typed over its fields. */
	const test = async (credential: { id: string; name: string }, changes: Record<string, string>): Promise<Result> => {
		const stored = await rest.ok<{ id: string; name: string; type: string; data: Record<string, unknown> }>('GET', `/rest/credentials/${credential.id}?includeData=true`);
		return await rest.ok<Result>('POST', '/rest/credentials/test', { credentials: { id: stored.id, name: stored.name, type: stored.type, data: { ...stored.data, ...changes } } });
	};
	const hostPort = sb.url.replace(/^http:\/\//, '');
	const closedPort = await freePort();

	await d.check("n8n's credential test messages (v1): a refused key names the API Key, a wrong address the DSN, a loopback DSN without a scheme passes", async () => {
		const wrongKey = await test(d.v1Credential, { apiKey: 'not-the-key-123' });
		assert(wrongKey.status === 'Error', JSON.stringify(wrongKey));
		if (d.n8nMajor === 2) assert(wrongKey.message === V1_KEY_REFUSED && wrongKey.message.includes('API Key'), `wrong key → ${wrongKey.message}`);
		assert(!wrongKey.message.includes('not-the-key-123'), 'the key is in the message');
		const notFound = await test(d.v1Credential, { dsn: `${sb.url}/elsewhere` });
		assert(notFound.status === 'Error' && (d.n8nMajor === 1 || notFound.message === V1_NOT_FOUND), `404 → ${JSON.stringify(notFound)}`);
		assert(notFound.message.includes('DSN') || d.n8nMajor === 1, notFound.message);
		const noScheme = await test(d.v1Credential, { dsn: hostPort });
		assert(noScheme.status === 'OK', `${hostPort} without a scheme → ${JSON.stringify(noScheme)}`);
		log(`  wrong key → ${wrongKey.message}`);
		log(`  nothing at that DSN → ${notFound.message}`);
		log(`  ${hostPort} (no scheme) → ${noScheme.message}`);
		for (const [what, dsn] of [['"my dsn here"', 'my dsn here'], ['unknown host', 'api1.unipile.invalid:13111'], ['wrong port', `http://127.0.0.1:${closedPort}`]]) {
			const r = await test(d.v1Credential, { dsn });
			assert(r.status === 'Error', `${what} → ${JSON.stringify(r)}`);
			log(`  ${what} → ${r.message} (n8n's own text for a network error of a declarative test)`);
		}
	});

	await d.check("n8n's credential test messages (v2): a refused key names the API Key, a loopback Base URL without a scheme passes", async () => {
		const wrongKey = await test(d.v2Credential, { apiKey: 'not-the-key-456' });
		assert(wrongKey.status === 'Error', JSON.stringify(wrongKey));
		if (d.n8nMajor === 2) assert(wrongKey.message === V2_KEY_REFUSED && wrongKey.message.includes('API Key'), `wrong key → ${wrongKey.message}`);
		const noScheme = await test(d.v2Credential, { baseUrl: hostPort });
		assert(noScheme.status === 'OK', `${hostPort} without a scheme → ${JSON.stringify(noScheme)}`);
		log(`  wrong key → ${wrongKey.message}`);
		for (const [what, baseUrl] of [['"my base url"', 'my base url'], ['unknown host', 'api.unipile.invalid'], ['wrong port', `http://127.0.0.1:${closedPort}`]]) {
			const r = await test(d.v2Credential, { baseUrl });
			assert(r.status === 'Error', `${what} → ${JSON.stringify(r)}`);
			log(`  ${what} → ${r.message}`);
		}
	});
}
