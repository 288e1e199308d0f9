/**
 * The Unipile Polling Trigger on Unipile API v2 in the real n8n: the same check as v1's (activate, let the first poll
 * seed, inject two messages into two v2 accounts, wait for the execution that emits exactly them), on the V2 API
 * credential with Authentication on v2. Its polls must bypass Unipile's GET cache: asserted on the requests it made.
 */
import { strict as assert } from 'node:assert';
import type { Sandbox } from '../sandbox/server';
import type { N8nClient } from './n8nProcess';
import { pollingTriggerCheck } from './workflowChecks';

export async function pollingTriggerV2E2e(d: {
	rest: N8nClient;
	sb: Sandbox;
	credential: { id: string; name: string };
	check(name: string, fn: () => Promise<void> | void): Promise<boolean>;
	log(line: string): void;
	parseFlatted(text: string): unknown;
}): Promise<void> {
	await d.check('Unipile Polling Trigger on Unipile API v2 activated in n8n emits injected messages', async () => {
		await pollingTriggerCheck({ rest: d.rest, sb: d.sb, credential: d.credential, log: d.log, parseFlatted: d.parseFlatted, api: 'v2' });
		const reads = d.sb.requests.filter((q) => q.method === 'GET' && /^\/v2\/acc_[^/]+\/chats/.test(q.path));
		assert(reads.length > 0, 'the trigger made no v2 chat reads');
		const cached = reads.filter((q) => !/no-cache/i.test(q.headers['cache-control'] ?? ''));
		assert(cached.length === 0, `v2 reads without Cache-Control: no-cache: ${JSON.stringify(cached.map((q) => q.path))}`);
		d.log(`  ${reads.length} v2 chat and message reads, each with Cache-Control: no-cache`);
	});
}
