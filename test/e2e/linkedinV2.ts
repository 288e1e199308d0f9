/**
 * The LinkedIn workflows of the e2e run again on Unipile API v2, from the same files (`onV2` switches every Unipile
 * node's Authentication and credential, and maps the v1 account to the sandbox's v2 LinkedIn account): search people
 * beyond the network → read each profile → invite with a note from it; then the person who accepted gets a chat.
 */
import type { Sandbox } from '../sandbox/server';
import type { WorkflowCheck } from './workflowChecks';

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

const linkedinAccount = (sb: Sandbox) => sb.v2.accounts.find((a) => a.provider === 'linkedin' && a.status === 'running')!.id;

/** After linkedin-invite on v2, in order: linkedin-follow-up writes to the person who accepted. */
export function linkedinWorkflowsOnV2(): WorkflowCheck[] {
	let acceptedUserId: string | undefined;
	return [
		{
			file: 'workflows/linkedin-invite.json',
			async assert(run, ctx) {
				const acc = linkedinAccount(ctx.sandbox);
				const [search] = ctx.sandbox.requests.filter((r) => r.method === 'POST' && r.path === `/v2/${acc}/linkedin/search/people`);
				assert(search && JSON.stringify(search.json) === JSON.stringify({ keywords: 'founder', network_distance: [2, 3] }) && Object.keys(search.query).length === 0, `the search (classic people: no limit in the query, 10 a page) went out as ${JSON.stringify(search && [search.path, search.query, search.json])}`);
				const profiles = ctx.sandbox.requests.filter((r) => r.method === 'GET' && r.path.startsWith(`/v2/${acc}/users/`));
				assert(profiles.length === 2 && profiles.every((r) => r.query.with_sections === 'linkedin_experience'), `profile reads: ${JSON.stringify(profiles.map((r) => [r.path, r.query]))}`);
				const invites = ctx.sandbox.requests.filter((r) => r.method === 'POST' && r.path === `/v2/${acc}/users/me/relation-requests`);
				assert(run.items.length === 2 && invites.length === 2 && invites.every((r) => r.status === 201), `expected 2 relation requests (201), got ${JSON.stringify(invites.map((r) => r.status))} and ${run.items.length} items`);
				assert(run.items.every((i) => i.json.object === 'RelationRequest' && i.json.type === 'sent'), `not every invitation was sent: ${JSON.stringify(run.items).slice(0, 300)}`);
				for (const invite of invites) {
					const body = invite.json as { user_id: string; message: string };
					assert(Object.keys(body).join() === 'user_id,message' && /^ACo/.test(body.user_id) && /^Hi \S+, fellow builder here: I'd love to hear how things are going at \S/.test(body.message), `relation request body: ${JSON.stringify(body)}`);
				}
				// Later, on LinkedIn: the first person accepts (the next workflow finds them among the relations).
				acceptedUserId = (invites[0].json as { user_id: string }).user_id;
				const res = await fetch(`${ctx.sandbox.url}/_sandbox/v2/linkedin/accept-sent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: acc, userId: acceptedUserId }) });
				assert(res.ok, `the sandbox could not accept the request: ${res.status}`);
			},
		},
		{
			file: 'workflows/linkedin-follow-up.json',
			async assert(run, ctx) {
				const acc = linkedinAccount(ctx.sandbox);
				const relations = ctx.sandbox.requests.find((r) => r.method === 'GET' && r.path === `/v2/${acc}/users/me/relations`);
				assert(relations?.query.limit === '1', `relations read as ${JSON.stringify(relations && [relations.path, relations.query])}`);
				const start = ctx.sandbox.requests.find((r) => r.method === 'POST' && r.path === `/v2/${acc}/chats/send`);
				const body = start?.json as { users_ids?: unknown; text?: string } | undefined;
				assert(body?.users_ids === acceptedUserId && /^Thanks for connecting, \S+!$/.test(String(body?.text)), `the chat did not go to the person who accepted: ${JSON.stringify(body)}`);
				assert(run.items.length === 1 && run.items[0].json.object === 'ChatStarted', `expected a ChatStarted, got ${JSON.stringify(run.items).slice(0, 300)}`);
			},
		},
	];
}
