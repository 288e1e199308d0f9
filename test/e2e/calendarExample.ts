/**
 * The calendar example (examples/calendar-book-meeting-on-yes.json) in the real n8n, on Unipile API v1. The example's
 * Polling Trigger is swapped for a Webhook followed by an Edit Fields node bearing the trigger's name, which hands on
 * the posted email as the trigger would (so every expression reading `$('Unipile Polling Trigger')` still works);
 * every other node — n8n's own IF among them — is the example's own. Two emails, as the sandbox's v1 API gives them:
 *   1. "No thanks" → the IF stops it: nothing is booked, nothing is sent;
 *   2. "Yes, tomorrow works!" → a 30-minute event tomorrow 10:00 Europe/Paris with the sender is in the sandbox's
 *      calendar afterwards (read back through the v1 API), and the reply in the thread carries its meeting link.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../sandbox/server';
import { executionsOf, type RestClient } from './webhookTrigger';

type Node = { name: string; type: string; parameters: Record<string, unknown>; credentials?: unknown; webhookId?: string; typeVersion: number; position: number[]; id?: string };

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACCOUNT = 'acc_google_1';
const EXAMPLE = join(__dirname, '..', '..', 'examples', 'calendar-book-meeting-on-yes.json');

export interface CalendarExampleE2eDeps {
	rest: RestClient;
	base: string;
	sb: Sandbox;
	credential: { id: string; name: string };
	check(name: string, fn: () => Promise<void>): Promise<boolean>;
	log(line: string): void;
}

export async function calendarExampleE2e(d: CalendarExampleE2eDeps): Promise<void> {
	const tag = randomBytes(4).toString('hex');
	const path = `unipile-calendar-example-${tag}`;
	let workflowId = '';
	let finished = 0;
	const v1 = async (route: string) => (await (await fetch(`${d.sb.dsn}/api/v1${route}`, { headers: { 'X-API-KEY': d.sb.apiKey } })).json()) as Record<string, unknown>;
	/** An email arrives (the sandbox's v1 shape, as the trigger emits it); the workflow gets it and finishes. */
	const arrive = async (body: string) => {
		const received = d.sb.store.mail.receive({ accountId: ACCOUNT, from: { display_name: 'Ada Lovelace', identifier: 'ada@example.com' }, subject: 'Re: a quick call?', body });
		const email = await v1(`/emails/${encodeURIComponent(received.id)}`);
		const before = d.sb.requests.length;
		let res: Response | undefined;
		for (let attempt = 0; attempt < 30; attempt++) {
			res = await fetch(`${d.base}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(email) });
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
		assert(executions.length === finished && executions.every((e) => e.status === 'success'), `an execution did not succeed: ${JSON.stringify(executions)}`);
		return { email, requests: d.sb.requests.slice(before) };
	};
	// Every page (Unipile pages events by cursor; the sandbox at 4 a page whatever the limit).
	const events = async () => {
		const all: Array<Record<string, any>> = [];
		let cursor: string | undefined;
		do {
			const page = await v1(`/calendars/primary/events?account_id=${ACCOUNT}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			all.push(...((page.data ?? []) as Array<Record<string, any>>));
			cursor = (page.next_cursor as string | null | undefined) ?? undefined;
		} while (cursor);
		return all;
	};

	const ready = await d.check('Calendar example: imported and activated (Polling Trigger swapped for a Webhook + Edit Fields under its name)', async () => {
		const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { nodes: Node[]; connections: Record<string, unknown> };
		const nodes: Node[] = [];
		for (const node of example.nodes) {
			node.type = node.type.replace(/^n8n-nodes-unipile-messaging\./, 'CUSTOM.');
			if (node.credentials) node.credentials = { unipileApi: d.credential };
			if (node.name === 'Unipile Polling Trigger') {
				nodes.push({ name: 'Inbox webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [-240, 0], webhookId: `calendar-${tag}`, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } });
				nodes.push({ ...node, type: 'n8n-nodes-base.set', typeVersion: 3.4, credentials: undefined, parameters: { mode: 'raw', jsonOutput: '={{ JSON.stringify($json.body) }}', options: {} } });
			} else nodes.push(node);
		}
		const connections = { ...example.connections, 'Inbox webhook': { main: [[{ node: 'Unipile Polling Trigger', type: 'main', index: 0 }]] } };
		const created = await d.rest.ok<{ id: string; versionId: string }>('POST', '/rest/workflows', {
			name: `e2e: calendar example ${tag}`,
			nodes,
			connections,
			active: false,
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		});
		workflowId = created.id;
		await d.rest.ok('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	});
	if (!ready) return;
	try {
		const before = (await events()).length;
		const declined = await d.check('Calendar example, "No thanks": the IF stops it, nothing booked, nothing sent', async () => {
			const { requests } = await arrive('No thanks, not interested.');
			assert(!requests.some((r) => r.method !== 'GET'), `sent something: ${JSON.stringify(requests.map((r) => [r.method, r.path]))}`);
			assert((await events()).length === before, 'an event was booked');
		});
		if (!declined) return;
		await d.check('Calendar example, "Yes, tomorrow works!": the event (tomorrow 10:00–10:30 Europe/Paris, the sender invited, a Meet link) is in the calendar afterwards; the reply in the thread carries the link', async () => {
			const { email, requests } = await arrive('Yes, tomorrow works!');
			const book = requests.find((r) => r.method === 'POST' && r.path === '/calendars/primary/events');
			assert(book?.status === 201 && book.query.account_id === ACCOUNT, `no booking: ${JSON.stringify(requests.map((r) => [r.method, r.path, r.status]))}`);
			const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/Paris' });
			const after = await events();
			const booked = after.find((e) => e.title === 'Intro call with Ada Lovelace');
			assert(after.length === before + 1 && booked, `the calendar holds ${after.length} events (was ${before}): ${JSON.stringify(after.map((e) => e.title))}`);
			assert(booked.start.date_time === `${tomorrow}T10:00:00` && booked.end.date_time === `${tomorrow}T10:30:00` && booked.start.timezone === 'Europe/Paris', `times: ${JSON.stringify([booked.start, booked.end])}`);
			assert(booked.attendees.some((a: { email: string }) => a.email === 'ada@example.com') && /^https:\/\/meet\.google\.com\//.test(booked.conference?.url), `event: ${JSON.stringify(booked).slice(0, 400)}`);
			const reply = requests.find((r) => r.method === 'POST' && r.path === '/emails');
			const fields = Object.fromEntries((reply?.form ?? []).map((f) => [f.name, 'value' in f ? f.value : f.fileName]));
			assert(reply?.status === 201 && fields.reply_to === email.id && String(fields.body).includes(booked.conference.url), `reply: ${JSON.stringify(fields).slice(0, 400)}`);
			d.log(`  booked ${booked.id} for ${booked.start.date_time} ${booked.start.timezone}`);
		});
	} finally {
		await d.rest.ok('POST', `/rest/workflows/${workflowId}/deactivate`, {}).catch(() => undefined);
	}
}
