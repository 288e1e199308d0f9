/**
 * Any Unipile route the nodes do not cover, from n8n's own HTTP Request node with Authentication → Predefined
 * Credential Type and our credentials (`unipileApi`, `unipileV2Api`): an active workflow (Webhook → HTTP Request v1 →
 * HTTP Request v2) called at its production URL lists the sandbox's webhooks on both APIs — v1 at
 * `<DSN>/api/v1/webhooks`, v2 at `<base URL>/v2/webhooks/endpoints/` — and the sandbox sees each credential's API key
 * in `X-API-KEY` (n8n applied the credential's `authenticate`; nothing else in the node sets it).
 */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../sandbox/server';
import type { RestClient } from './webhookTrigger';

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HttpRequestCredentialE2eDeps {
	rest: RestClient;
	base: string;
	sb: Sandbox;
	v1Credential: { id: string; name: string };
	v2Credential: { id: string; name: string };
	check(name: string, fn: () => Promise<void>): Promise<boolean>;
}

/** The DSN as a user types it into the URL: `https://` unless the DSN says otherwise (the sandbox's is http). */
const v1Root = (dsn: string) => `${/^https?:\/\//i.test(dsn) ? dsn.replace(/\/+$/, '') : `https://${dsn}`}/api/v1`;

export async function httpRequestCredentialE2e(d: HttpRequestCredentialE2eDeps): Promise<void> {
	await d.check("HTTP Request node with Predefined Credential Type → Unipile API / Unipile V2 API: routes we don't cover, the key applied by n8n", async () => {
		const tag = randomBytes(4).toString('hex');
		const path = `unipile-http-request-${tag}`;
		const v1Url = `${v1Root(d.sb.dsn)}/webhooks`;
		const v2Url = `${d.sb.url}/v2/webhooks/endpoints/`;
		const httpNode = (name: string, x: number, url: string, nodeCredentialType: string, credentials: Record<string, { id: string; name: string }>) => ({
			id: `http-${name}-${tag}`,
			name,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [x, 0],
			executeOnce: true,
			credentials,
			parameters: { method: 'GET', url, authentication: 'predefinedCredentialType', nodeCredentialType, options: {} },
		});
		const workflow = {
			name: 'e2e: HTTP Request node with the Unipile credentials',
			active: false,
			nodes: [
				{ id: `http-webhook-${tag}`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `http-${tag}`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries' } },
				httpNode('Unipile v1 webhooks', 220, v1Url, 'unipileApi', { unipileApi: d.v1Credential }),
				httpNode('Unipile v2 webhook endpoints', 440, v2Url, 'unipileV2Api', { unipileV2Api: d.v2Credential }),
			],
			connections: {
				Webhook: { main: [[{ node: 'Unipile v1 webhooks', type: 'main', index: 0 }]] },
				'Unipile v1 webhooks': { main: [[{ node: 'Unipile v2 webhook endpoints', type: 'main', index: 0 }]] },
			},
			settings: { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		};
		const created = await d.rest.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', workflow);
		await d.rest.ok('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		try {
			const before = d.sb.requests.length;
			let res: Response | undefined;
			for (let attempt = 0; attempt < 30; attempt++) {
				res = await fetch(`${d.base}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
				if (res.status !== 404) break;
				await sleep(500); // the activated webhook is not registered yet
			}
			const text = await res!.text();
			assert(res!.status === 200, `n8n answered ${res!.status}: ${text.slice(0, 500)}`);
			const seen = d.sb.requests.slice(before);
			const v1 = seen.find((r) => r.method === 'GET' && r.path === '/webhooks');
			const v2 = seen.find((r) => r.method === 'GET' && /^\/v2\/webhooks\/endpoints\/?$/.test(r.path));
			assert(v1 && v1.status === 200, `v1: ${JSON.stringify(seen.map((r) => [r.method, r.path, r.status]))}`);
			assert(v1.headers['x-api-key'] === d.sb.apiKey, 'v1: the request did not carry the v1 credential\'s key in X-API-KEY');
			assert(v2 && v2.status === 200, `v2: ${JSON.stringify(seen.map((r) => [r.method, r.path, r.status]))}`);
			assert(v2.headers['x-api-key'] === d.sb.v2.apiKey, 'v2: the request did not carry the v2 credential\'s key in X-API-KEY');
			// The last node's answer (v2's list) is what the webhook returns: v2's core list envelope.
			const items = JSON.parse(text) as Array<Record<string, unknown>>;
			assert(Array.isArray(items) && items.length === 1 && Array.isArray(items[0].data) && typeof items[0].has_more === 'boolean', `HTTP Request v2 output: ${text.slice(0, 300)}`);
			assert(!text.includes(d.sb.apiKey) && !text.includes(d.sb.v2.apiKey), 'an API key is in the output');
		} finally {
			await d.rest.ok('POST', `/rest/workflows/${created.id}/deactivate`, {});
		}
	});
}
