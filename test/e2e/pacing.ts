/**
 * Sending Limits in the real n8n: an active workflow (Webhook → Split Out → Unipile LinkedIn → Invitation → Send with
 * a Daily Cap of 2), called twice at its production URL, on Unipile API v1 and v2. The first execution sends 2 of 3
 * invitations and marks the third; n8n saves the workflow's static data after that production execution, so the
 * second execution sends none and marks all three (no request reaches the sandbox).
 */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../sandbox/server';
import { invitableMembers } from '../sandbox/linkedin';
import { executionsOf, type RestClient } from './webhookTrigger';

type Item = Record<string, unknown>;

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PacingE2eDeps {
	rest: RestClient;
	base: string;
	sb: Sandbox;
	v1Credential: { id: string; name: string };
	v2Credential: { id: string; name: string };
	check(name: string, fn: () => Promise<void>): Promise<boolean>;
}

export async function pacingE2e(d: PacingE2eDeps): Promise<void> {
	for (const api of ['v1', 'v2'] as const) {
		await d.check(`Sending Limits on ${api}: Daily Cap 2 counted across two production executions of an active workflow (static data saved by n8n)`, async () => {
			const tag = randomBytes(4).toString('hex');
			const path = `unipile-pacing-${api}-${tag}`;
			let accountId: string;
			let people: string[];
			if (api === 'v1') {
				accountId = 'acc_linkedin_1';
				people = invitableMembers(d.sb.store, accountId).slice(0, 6).map((m) => m.provider_id);
			} else {
				accountId = d.sb.v2.accounts.find((a: { provider: string; status: string }) => a.provider === 'linkedin' && a.status === 'running')!.id;
				const res = await fetch(`${d.sb.url}/_sandbox/v2/linkedin/state`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId }) });
				const st = (await res.json()) as { members: Array<{ user: { id: string } }>; requests: Array<{ user: { id: string } }>; relations: Array<{ user: { id: string } }> };
				const taken = new Set([...st.requests, ...st.relations].map((r) => r.user.id));
				people = st.members.slice(46).map((m) => m.user.id).filter((id) => !taken.has(id)).slice(0, 6);
			}
			assert(people.length === 6, `not enough people to invite on ${api}`);
			const credentials = api === 'v1' ? { unipileApi: d.v1Credential } : { unipileV2Api: d.v2Credential };
			const workflow = {
				name: `e2e: Sending Limits (${api})`,
				active: false,
				nodes: [
					{ id: `pacing-webhook-${tag}`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `pacing-${tag}`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries' } },
					{ id: `pacing-split-${tag}`, name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body.people' } },
					{
						id: `pacing-invite-${tag}`,
						name: 'Invite',
						type: 'CUSTOM.unipileLinkedIn',
						typeVersion: 1,
						position: [440, 0],
						credentials,
						parameters: {
							authentication: api === 'v1' ? 'unipileApi' : 'unipileApiV2',
							resource: 'invitation',
							operation: 'send',
							accountId: { __rl: true, mode: 'id', value: accountId },
							providerId: '={{ $json.id }}',
							pacing: { dailyCap: 2, timeZone: 'UTC' },
						},
					},
				],
				connections: { Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] }, 'Split Out': { main: [[{ node: 'Invite', type: 'main', index: 0 }]] } },
				settings: { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
			};
			const created = await d.rest.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', workflow);
			await d.rest.ok('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
			try {
				const invitePath = api === 'v1' ? '/users/invite' : `/v2/${accountId}/users/me/relation-requests`;
				const call = async (batch: string[], finishedBefore: number) => {
					const before = d.sb.requests.length;
					let res: Response | undefined;
					for (let attempt = 0; attempt < 30; attempt++) {
						res = await fetch(`${d.base}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ people: batch.map((id) => ({ id })) }) });
						if (res.status !== 404) break;
						await sleep(500); // the activated webhook is not registered yet
					}
					const text = await res!.text();
					assert(res!.status === 200, `n8n answered ${res!.status}: ${text.slice(0, 500)}`);
					// n8n saves the static data before it records the execution as finished.
					for (let i = 0; i < 60; i++) {
						const done = (await executionsOf(d.rest, created.id)).filter((e) => e.status === 'success');
						if (done.length > finishedBefore) break;
						await sleep(250);
					}
					const invited = d.sb.requests.slice(before).filter((r) => r.method === 'POST' && r.path === invitePath);
					return { items: JSON.parse(text) as Item[], invited: invited.map((r) => (r.json as Item)[api === 'v1' ? 'provider_id' : 'user_id']) };
				};
				const first = await call(people.slice(0, 3), 0);
				assert(JSON.stringify(first.invited) === JSON.stringify(people.slice(0, 2)), `first execution invited ${JSON.stringify(first.invited)}`);
				assert(JSON.stringify(first.items.map((i) => i.sent)) === '[true,true,false]', `first execution's items: ${JSON.stringify(first.items)}`);
				assert(first.items[2].reason === 'daily_cap_reached' && typeof first.items[2].nextWindow === 'string', `third item: ${JSON.stringify(first.items[2])}`);
				const second = await call(people.slice(3, 6), 1);
				assert(second.invited.length === 0, `second execution invited ${JSON.stringify(second.invited)}`);
				assert(second.items.length === 3 && second.items.every((i) => i.sent === false && i.reason === 'daily_cap_reached' && i.sentToday === 2), `second execution's items: ${JSON.stringify(second.items)}`);
			} finally {
				await d.rest.ok('POST', `/rest/workflows/${created.id}/deactivate`, {});
			}
		});
	}
}
