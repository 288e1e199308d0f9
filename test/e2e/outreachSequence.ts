/**
 * The outreach sequence example (examples/linkedin-outreach-sequence.json) in the real n8n (2.41 with test:e2e, 1.123
 * with test:e2e:n8n1), on Unipile API v1, with its leads in a real n8n Data Table created through n8n's REST API. The
 * example's Schedule Trigger is swapped for a Webhook (same connections), so each "morning" is one production call to
 * the active workflow; every other node is the example's own. Five mornings:
 *   1. four `new` leads → four invitations with the note, the first one sent refused by Unipile (a fault): that row
 *      `invite_failed`, the others `invited`;
 *   2. the sandbox accepts one → Get Profile sees a 1st-degree connection; that row `accepted`, no message yet;
 *   3. the first message (day 0) goes to the accepted lead only; row step 1, next step in 3 days;
 *   4. nothing is due: nothing is sent;
 *   5. the lead replied in that chat and the row's next step is set back to today → Check Reply stops the sequence:
 *      no follow-up is sent, the row is `replied`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggedFormField, Sandbox } from '../sandbox/server';
import { acceptSentInvitation, invitableMembers } from '../sandbox/linkedin';
import { executionsOf, type RestClient } from './webhookTrigger';

type Row = { id: number; profile_url: string; first_name: string; status: string; step: number; invited_on: string | null; accepted_at: string | null; next_step_on: string | null };
type Node = { name: string; type: string; parameters: Record<string, unknown>; credentials?: unknown; webhookId?: string; typeVersion: number };

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACCOUNT = 'acc_linkedin_1';
const EXAMPLE = join(__dirname, '..', '..', 'examples', 'linkedin-outreach-sequence.json');
export const OUTREACH_TABLE_COLUMNS = [
	{ name: 'profile_url', type: 'string' },
	{ name: 'first_name', type: 'string' },
	{ name: 'status', type: 'string' },
	{ name: 'step', type: 'number' },
	{ name: 'invited_on', type: 'string' },
	{ name: 'accepted_at', type: 'string' },
	{ name: 'next_step_on', type: 'string' },
];

export interface OutreachSequenceE2eDeps {
	rest: RestClient;
	base: string;
	sb: Sandbox;
	credential: { id: string; name: string };
	check(name: string, fn: () => Promise<void>): Promise<boolean>;
	log(line: string): void;
}

export async function outreachSequenceE2e(d: OutreachSequenceE2eDeps): Promise<void> {
	const tag = randomBytes(4).toString('hex');
	const path = `unipile-outreach-sequence-${tag}`;
	let project = '';
	let tableId = '';
	let workflowId = '';
	const rows = async (): Promise<Row[]> => {
		const res = await d.rest.ok<{ data: Row[] }>('GET', `/rest/projects/${project}/data-tables/${tableId}/rows?take=100`);
		// in the order of `leads` (which morning 1 sets: the refused lead first)
		const at = (r: Row) => leads.findIndex((m) => r.profile_url === `https://www.linkedin.com/in/${m.public_identifier}`);
		return [...res.data].sort((a, b) => at(a) - at(b));
	};
	// After morning 1: leads[0]'s invitation was refused; leads[1] accepts; leads[2] and leads[3] never answer.
	const leads = invitableMembers(d.sb.store, ACCOUNT).slice(6, 10);
	let finished = 0;
	/** One "morning": a production call, then wait until n8n has recorded the execution as finished. */
	const morning = async () => {
		const before = d.sb.requests.length;
		let res: Response | undefined;
		for (let attempt = 0; attempt < 30; attempt++) {
			res = await fetch(`${d.base}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			if (res.status !== 404) break;
			await sleep(500); // the activated webhook is not registered yet
		}
		const text = await res!.text();
		assert(res!.status === 200, `n8n answered ${res!.status}: ${text.slice(0, 500)}`);
		for (let i = 0; i < 80; i++) {
			const done = (await executionsOf(d.rest, workflowId)).filter((e) => e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting');
			if (done.length > finished) break;
			await sleep(250);
		}
		finished++;
		const executions = await executionsOf(d.rest, workflowId);
		assert(executions.every((e) => e.status === 'success'), `an execution did not succeed: ${JSON.stringify(executions)}`);
		return d.sb.requests.slice(before);
	};
	const formValue = (form: LoggedFormField[] | undefined, name: string) => (form?.find((f) => f.name === name) as { value?: string } | undefined)?.value;

	const ready = await d.check('Outreach sequence example: Data Table created with its columns and seeded with 4 new leads; the example imported and activated (Schedule Trigger swapped for a Webhook)', async () => {
		assert(leads.length === 4, 'the sandbox has not enough invitable LinkedIn members');
		project = (await d.rest.ok<{ id: string }>('GET', '/rest/projects/personal')).id;
		const table = await d.rest.ok<{ id: string }>('POST', `/rest/projects/${project}/data-tables`, { name: `outreach_leads_${tag}`, columns: OUTREACH_TABLE_COLUMNS });
		tableId = table.id;
		await d.rest.ok('POST', `/rest/projects/${project}/data-tables/${tableId}/insert`, {
			returnType: 'count',
			data: leads.map((m) => ({ profile_url: `https://www.linkedin.com/in/${m.public_identifier}`, first_name: m.first_name, status: 'new', step: 0 })),
		});
		const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { nodes: Node[]; connections: Record<string, unknown> };
		for (const node of example.nodes) {
			node.type = node.type.replace(/^n8n-nodes-unipile-messaging\./, 'CUSTOM.');
			if (node.credentials) node.credentials = { unipileApi: d.credential };
			if (node.parameters.accountId) node.parameters.accountId = { __rl: true, mode: 'id', value: ACCOUNT };
			if (node.type === 'n8n-nodes-base.dataTable') node.parameters.dataTableId = { __rl: true, mode: 'id', value: tableId };
			if (node.type === 'n8n-nodes-base.scheduleTrigger') {
				node.type = 'n8n-nodes-base.webhook';
				node.typeVersion = 2;
				node.webhookId = `outreach-${tag}`;
				node.parameters = { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData' };
			}
		}
		const created = await d.rest.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', {
			...example,
			name: `e2e: outreach sequence ${tag}`,
			active: false,
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		});
		workflowId = created.id;
		await d.rest.ok('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	});
	if (!ready) return;
	try {
		const today = new Date().toISOString().slice(0, 10);
		const day1 = await d.check('Outreach sequence, morning 1: the 4 new leads are invited with the note (profile URLs resolved); the one Unipile refuses becomes invite_failed, the others invited', async () => {
			d.sb.injectFault({ method: 'POST', path: '/users/invite', times: 1, status: 422, body: { status: 422, type: 'errors/already_invited_recently', title: 'An invitation was already sent recently to this recipient.' } });
			const sent = (await morning()).filter((r) => r.method === 'POST' && r.path === '/users/invite');
			const got = sent.map((r) => r.json as { provider_id: string; message?: string; account_id: string });
			// n8n's Data Table returns the rows in no promised order: the first invitation sent is the refused one.
			assert(JSON.stringify(got.map((g) => g.provider_id).sort()) === JSON.stringify(leads.map((m) => m.provider_id).sort()), `invited ${JSON.stringify(got)}`);
			for (const g of got) {
				const lead = leads.find((m) => m.provider_id === g.provider_id)!;
				assert(g.account_id === ACCOUNT && g.message === `Hi ${lead.first_name}, I came across your profile and would be glad to connect.`, `invitation: ${JSON.stringify(g)}`);
			}
			const refused = leads.findIndex((m) => m.provider_id === got[0].provider_id);
			leads.unshift(...leads.splice(refused, 1));
			assert(sent[0].status === 422 && sent.slice(1).every((r) => r.status >= 200 && r.status < 300), `answers: ${JSON.stringify(sent.map((r) => r.status))}`);
			const after = await rows();
			assert(after[0].status === 'invite_failed' && !after[0].invited_on, `refused row: ${JSON.stringify(after[0])}`);
			assert(after.slice(1).every((r) => r.status === 'invited' && r.invited_on === today), `rows: ${JSON.stringify(after)}`);
		});
		if (!day1) return;
		const day2 = await d.check('Outreach sequence, morning 2: one lead accepted (sandbox) → Get Profile sees a 1st-degree connection; only that row becomes accepted, no message yet', async () => {
			acceptSentInvitation(d.sb.store, ACCOUNT, leads[1].provider_id);
			const reqs = await morning();
			const profiles = reqs.filter((r) => r.method === 'GET' && r.path.startsWith('/users/') && !r.path.startsWith('/users/invite'));
			assert(profiles.length >= 3, `profile reads: ${JSON.stringify(reqs.map((r) => [r.method, r.path]))}`);
			assert(!reqs.some((r) => r.method === 'POST' && (r.path === '/users/invite' || r.path.startsWith('/chats'))), `sent something: ${JSON.stringify(reqs.map((r) => [r.method, r.path]))}`);
			const after = await rows();
			assert(after[1].status === 'accepted' && after[1].step === 0 && after[1].next_step_on === today && typeof after[1].accepted_at === 'string', `accepted row: ${JSON.stringify(after[1])}`);
			assert(after[0].status === 'invite_failed' && after.slice(2).every((r) => r.status === 'invited'), `other rows: ${JSON.stringify(after)}`);
		});
		if (!day2) return;
		const day3 = await d.check('Outreach sequence, morning 3: Check Reply (no reply), then the day-0 message to the accepted lead only; row step 1, next step in 3 days', async () => {
			const reqs = await morning();
			const lookups = reqs.filter((r) => r.method === 'GET' && r.path === `/chat_attendees/${leads[1].provider_id}/chats`);
			assert(lookups.length >= 1 && lookups.every((r) => r.query.account_id === ACCOUNT), `Check Reply did not look up the person's chats: ${JSON.stringify(reqs.map((r) => [r.method, r.path]))}`);
			const chats = reqs.filter((r) => r.method === 'POST' && r.path.startsWith('/chats'));
			assert(chats.length === 1, `messages sent: ${JSON.stringify(chats.map((r) => [r.path, r.form]))}`);
			const text = formValue(chats[0].form, 'text');
			const to = chats[0].path === '/chats' ? formValue(chats[0].form, 'attendees_ids') : chats[0].path;
			assert(text === `Thanks for connecting, ${leads[1].first_name}! What are you working on these days?`, `text: ${text}`);
			assert(chats[0].path !== '/chats' || to === leads[1].provider_id, `sent to ${to}`);
			const after = await rows();
			const inThree = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
			assert(after[1].status === 'accepted' && after[1].step === 1 && after[1].next_step_on === inThree, `row: ${JSON.stringify(after[1])}`);
			d.log(`  day-0 message: ${chats[0].method} ${chats[0].path}`);
		});
		if (!day3) return;
		const day4 = await d.check('Outreach sequence, morning 4: nothing is due (next step in 3 days, the other two still not connected) → nothing is sent, no reply is checked', async () => {
			const reqs = await morning();
			assert(!reqs.some((r) => r.method === 'POST' || r.path.startsWith('/chat_attendees/')), `requests: ${JSON.stringify(reqs.map((r) => [r.method, r.path]))}`);
			const after = await rows();
			assert(after[1].status === 'accepted' && after[1].step === 1 && after[0].status === 'invite_failed' && after.slice(2).every((r) => r.status === 'invited'), `rows: ${JSON.stringify(after)}`);
		});
		if (!day4) return;
		await d.check('Outreach sequence, morning 5 (next step set back to today): the lead replied → Check Reply stops the sequence, no follow-up sent, row replied', async () => {
			const res = await fetch(`${d.sb.dsn}/api/v1/chat_attendees/${encodeURIComponent(leads[1].provider_id)}/chats?account_id=${ACCOUNT}`, { headers: { 'X-API-KEY': d.sb.apiKey } });
			const chat = ((await res.json()) as { items: Array<{ id: string }> }).items[0];
			assert(chat, `no chat with ${leads[1].provider_id}`);
			d.sb.injectMessage({ chatId: chat.id, senderId: leads[1].provider_id, text: 'Thanks, happy to talk!' });
			const row = (await rows())[1];
			await d.rest.ok('PATCH', `/rest/projects/${project}/data-tables/${tableId}/rows`, {
				filter: { type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: row.id }] },
				data: { next_step_on: today },
			});
			const reqs = await morning();
			assert(reqs.some((r) => r.method === 'GET' && r.path === `/chat_attendees/${leads[1].provider_id}/chats`), 'Check Reply did not look up the chat');
			assert(!reqs.some((r) => r.method === 'POST' && (r.path.startsWith('/chats') || r.path === '/users/invite')), `sent something: ${JSON.stringify(reqs.map((r) => [r.method, r.path]))}`);
			const after = await rows();
			assert(after[1].status === 'replied' && after[1].step === 1, `row: ${JSON.stringify(after[1])}`);
		});
	} finally {
		await d.rest.ok('POST', `/rest/workflows/${workflowId}/deactivate`, {}).catch(() => undefined);
	}
}
