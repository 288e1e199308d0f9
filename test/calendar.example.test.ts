/**
 * examples/calendar-book-meeting-on-yes.json in n8n's engine against the sandbox (v1): the Polling Trigger's real
 * output for a "yes" email feeds the example's own Unipile Calendar and Unipile Email nodes (the IF is n8n's, not in
 * this test's engine: the real n8n e2e, test/e2e/calendarExample.ts, runs it with "yes" and "no").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConnections, INode } from 'n8n-workflow';
import { loadPackage, pollHarness, runWorkflow } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

type Any = any;
const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'calendar-book-meeting-on-yes.json'), 'utf8')) as { nodes: Any[]; connections: IConnections };

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ chats: 2, messagesPerChat: 1 });
	await loadPackage();
});
afterAll(async () => await sandbox.close());

test('a "yes" email: a 30-minute call tomorrow 10:00 Europe/Paris with the sender in the primary calendar, then a reply in the thread with the link', async () => {
	const credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
	const trigger = EXAMPLE.nodes.find((node) => node.name === 'Unipile Polling Trigger');
	const harness = pollHarness({ credentials, parameters: trigger.parameters });
	expect(await harness.poll()).toBeNull();
	const email = sandbox.store.mail.receive({ accountId: 'acc_google_1', from: { display_name: 'Ada Lovelace', identifier: 'ada@example.com' }, subject: 'Re: a quick call?', body: 'Yes, tomorrow works!' });
	const polled = ((await harness.poll()) ?? [[]])[0];
	expect(polled.map((item) => item.json.id)).toEqual([email.id]);

	const nodes: INode[] = [{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }];
	for (const node of EXAMPLE.nodes) {
		if (node.name === 'Unipile Polling Trigger') nodes.push({ ...node, type: 'test.itemSource', parameters: { items: JSON.stringify(polled.map((item) => item.json)) }, credentials: undefined });
		else if (node.type.startsWith('n8n-nodes-unipile-messaging.')) nodes.push({ ...node, type: node.type.replace('n8n-nodes-unipile-messaging.', 'CUSTOM.'), credentials: { unipileApi: { id: 'cred-1', name: 'Unipile account' } } });
	}
	// The IF is left out here: the trigger's item goes straight to Book the meeting.
	const connections: IConnections = {
		Start: { main: [[{ node: 'Unipile Polling Trigger', type: 'main', index: 0 }]] },
		'Unipile Polling Trigger': { main: [[{ node: 'Book the meeting', type: 'main', index: 0 }]] },
		'Book the meeting': EXAMPLE.connections['Book the meeting'],
	};
	sandbox.clearRequests();
	const run = await runWorkflow({ credentials, nodes, connections, timezone: 'America/New_York' });
	if (run instanceof Error) throw run;
	expect(run.data.resultData.error).toBeUndefined();

	const book = sandbox.requests.find((r) => r.method === 'POST' && r.path === '/calendars/primary/events')!;
	expect(book.query).toEqual({ account_id: 'acc_google_1' });
	const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/Paris' });
	expect(book.json).toEqual({
		title: 'Intro call with Ada Lovelace',
		body: 'Booked after your reply: “Re: a quick call?”',
		attendees: [{ email: 'ada@example.com' }],
		start: { type: 'datetime', date_time: `${tomorrow}T10:00:00`, timezone: 'Europe/Paris' },
		end: { type: 'datetime', date_time: `${tomorrow}T10:30:00`, timezone: 'Europe/Paris' },
		conference: { provider: 'google_meet' },
	});
	const event = run.data.resultData.runData['Book the meeting'][0].data!.main[0]![0].json as Any;
	const reply = sandbox.requests.find((r) => r.method === 'POST' && r.path === '/emails')!;
	const form = Object.fromEntries(reply.form!.map((f: Any) => [f.name, 'value' in f ? f.value : f.fileName]));
	expect(form.reply_to).toBe(email.id);
	expect(form.body).toContain(event.conference.url);
	expect(form.body).toMatch(/I booked our call for \w+ \d+ \w+ at 10:00 \(Europe\/Paris\)/);
	const listed = await (await fetch(`${sandbox.dsn}/api/v1/calendars/primary/events?account_id=acc_google_1`, { headers: { 'X-API-KEY': sandbox.apiKey } })).json();
	expect((listed as Any).data.map((e: Any) => e.id)).toContain(event.id);
});
