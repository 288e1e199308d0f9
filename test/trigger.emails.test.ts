/**
 * Unipile Polling Trigger → Watch: New Emails, polled by n8n-core's PollContext against the sandbox's mailboxes:
 * first activation seeds, each new email triggers once, a failed poll keeps nothing, back-filled emails inside the
 * window still trigger, the folder/role and the accounts chosen shape the queries.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { pollHarness } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 2, messagesPerChat: 1 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
});

function trigger(parameters: INodeParameters = {}, staticData?: IDataObject) {
	return pollHarness({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, parameters: { watch: 'emails', ...parameters }, staticData });
}

function ids(result: Awaited<ReturnType<ReturnType<typeof trigger>['poll']>>): string[] {
	return (result?.[0] ?? []).map((item) => String(item.json.id));
}

const receive = (accountId: string, subject: string, extra: Record<string, unknown> = {}) =>
	sandbox.store.mail.receive({ accountId, from: { display_name: 'Ada Lovelace', identifier: 'ada@example.com' }, subject, ...extra });

describe('Unipile Polling Trigger → New Emails', () => {
	test('seeds on activation, then each new inbox email of the chosen mailboxes triggers exactly once', async () => {
		const harness = trigger({ accountIds: ['acc_google_1', 'acc_outlook_1'] });
		expect(await harness.poll()).toBeNull();
		expect(Object.keys(harness.staticData().emailStreams as IDataObject).sort()).toEqual(['acc_google_1', 'acc_outlook_1']);
		expect(sandbox.requests.filter((r) => r.path === '/emails').map((r) => r.query)).toEqual([
			{ account_id: 'acc_google_1', role: 'inbox', limit: '250' },
			{ account_id: 'acc_outlook_1', role: 'inbox', limit: '250' },
		]);

		const a = receive('acc_google_1', 'Lead A');
		const b = receive('acc_outlook_1', 'Lead B');
		receive('acc_mail_1', 'not watched');
		sandbox.store.mail.receive({ accountId: 'acc_google_1', from: 'x@example.com', subject: 'spam', role: 'spam' });
		const first = await harness.poll();
		expect(ids(first)).toEqual([a.id, b.id]);
		expect(first![0][0].json).toMatchObject({ object: 'Email', subject: 'Lead A', from_attendee: { identifier: 'ada@example.com' }, date: a.date });
		expect(await harness.poll()).toBeNull();
		const c = receive('acc_outlook_1', 'Lead C');
		expect(ids(await harness.poll())).toEqual([c.id]);
	});

	test('no account chosen: every mailbox; a back-filled email inside the window still triggers; none twice', async () => {
		const harness = trigger({ options: { lookbackMinutes: 120 } });
		expect(await harness.poll()).toBeNull();
		expect(Object.keys(harness.staticData().emailStreams as IDataObject).sort()).toEqual(['acc_google_1', 'acc_mail_1', 'acc_outlook_1']);
		const newest = receive('acc_mail_1', 'now');
		expect(ids(await harness.poll())).toEqual([newest.id]);
		const late = receive('acc_mail_1', 'late arrival', { date: new Date(Date.parse(newest.date) - 30 * 60_000).toISOString() });
		const tooOld = receive('acc_mail_1', 'too old', { date: new Date(Date.parse(newest.date) - 5 * 3_600_000).toISOString() });
		const result = await harness.poll();
		expect(ids(result)).toEqual([late.id]);
		expect(ids(result)).not.toContain(tooOld.id);
		expect(await harness.poll()).toBeNull();
	});

	test('a poll that fails keeps the saved state: the email triggers on the next poll', async () => {
		const harness = trigger({ accountIds: ['acc_google_1'] });
		await harness.poll();
		const before = JSON.stringify(harness.staticData());
		const email = receive('acc_google_1', 'during an outage');
		sandbox.injectFault({ path: '/emails', status: 500, times: 1 });
		await expect(harness.poll()).rejects.toThrow();
		expect(JSON.stringify(harness.staticData())).toBe(before);
		expect(ids(await harness.poll())).toEqual([email.id]);
	});

	test('a folder ID replaces the role; changing what is watched seeds again', async () => {
		const folder = sandbox.store.mail.foldersOf('acc_google_1').find((f) => f.name === 'Clients')!;
		const harness = trigger({ accountIds: 'acc_google_1', folder: folder.provider_id });
		expect(await harness.poll()).toBeNull();
		expect(sandbox.requests.filter((r) => r.path === '/emails').pop()!.query).toEqual({ account_id: 'acc_google_1', folder: folder.provider_id, limit: '250' });
		const email = receive('acc_google_1', 'to be labelled');
		expect(await harness.poll()).toBeNull();
		email.folders = ['Clients'];
		email.folderIds = [folder.id];
		expect(ids(await harness.poll())).toEqual([email.id]);

		const other = trigger({ accountIds: 'acc_google_1', role: '' }, harness.staticData());
		expect(await other.poll()).toBeNull();
		expect(sandbox.requests.filter((r) => r.path === '/emails').pop()!.query).toEqual({ account_id: 'acc_google_1', limit: '250' });
	});

	test('Fetch Test Event gives the newest watched email and keeps no state', async () => {
		const harness = trigger({ accountIds: ['acc_outlook_1'] });
		const email = receive('acc_outlook_1', 'latest');
		const result = await harness.poll('manual');
		expect(ids(result)).toEqual([email.id]);
		expect(harness.staticData()).toEqual({});
	});
});

describe('Unipile Polling Trigger → New Emails → Download Attachments', () => {
	test("each new email's files as binary fields, named and typed", async () => {
		const harness = trigger({ accountIds: ['acc_mail_1'], options: { downloadAttachments: true, binaryPropertyPrefix: 'file_' } });
		expect(await harness.poll()).toBeNull();
		const pdf = Buffer.from('%PDF-1.4 quote', 'latin1');
		const email = receive('acc_mail_1', 'with a file', { attachments: [{ fileName: 'quote é.pdf', mimeType: 'application/pdf', bytes: pdf }] });
		const result = await harness.poll();
		expect(ids(result)).toEqual([email.id]);
		const file = result![0][0].binary!.file_0;
		expect(file).toMatchObject({ fileName: 'quote é.pdf', mimeType: 'application/pdf' });
		expect(Buffer.from(file.data, 'base64').equals(pdf)).toBe(true);
	});
});

describe("Unipile Polling Trigger → New Emails within n8n's poll budget", () => {
	const BUDGET_MS = 2_000;
	const budgeted = (parameters: INodeParameters) =>
		pollHarness({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, parameters: { watch: 'emails', ...parameters }, pollBudgetMs: BUDGET_MS });

	async function drain(harness: ReturnType<typeof budgeted>, expected: number, maxPolls: number) {
		const emitted: string[] = [];
		const perPoll: number[] = [];
		for (let poll = 0; poll < maxPolls; poll++) {
			const result = await harness.poll();
			perPoll.push(result?.[0].length ?? 0);
			emitted.push(...ids(result));
			if (!result && emitted.length >= expected) break;
		}
		return { emitted, perPoll };
	}

	test('slow attachment downloads in two mailboxes: each poll delivers the oldest emails it could fetch files for, the rest next time, each once', async () => {
		const harness = budgeted({ accountIds: ['acc_google_1', 'acc_outlook_1'], options: { downloadAttachments: true } });
		expect(await harness.poll()).toBeNull();
		const start = Math.max(...[...sandbox.store.mail.emails.values()].map((e) => Date.parse(e.date))) + 1000;
		const sent = Array.from({ length: 12 }, (_, i) =>
			receive(i % 2 === 0 ? 'acc_google_1' : 'acc_outlook_1', `with file ${i}`, {
				date: new Date(start + i * 500).toISOString(),
				attachments: [{ fileName: `f${i}.txt`, mimeType: 'text/plain', bytes: Buffer.from(`file ${i}`) }],
			}),
		);
		// 300 ms a file: twelve files are more than 80 % of a 2 s budget.
		sandbox.injectFault({ method: 'GET', path: /\/attachments\//, delayMs: 300, times: 1_000 });
		const { emitted, perPoll } = await drain(harness, sent.length, 20);
		expect(emitted).toEqual(sent.map((e) => e.id));
		expect(perPoll.filter((n) => n > 0).length).toBeGreaterThan(1);
		expect(harness.durations.filter((ms) => ms > BUDGET_MS)).toEqual([]);
	}, 60_000);

	test('a mailbox too slow to read in one poll delivers nothing until a narrower slice can be read, then each email once, oldest first', async () => {
		// Five minutes of lookback is to this 2 s budget roughly what n8n's default 60 minutes is to its 45 s.
		const harness = budgeted({ accountIds: ['acc_mail_1'], options: { lookbackMinutes: 5 } });
		expect(await harness.poll()).toBeNull();
		const start = Math.max(...[...sandbox.store.mail.emails.values()].map((e) => Date.parse(e.date))) + 1000;
		const sent = Array.from({ length: 900 }, (_, i) => receive('acc_mail_1', `backlog ${i}`, { date: new Date(start + i * 10_000).toISOString() }));
		// 400 ms a page of 250: the four pages do not fit in the reading half of a 2 s budget.
		sandbox.injectFault({ method: 'GET', path: '/emails', delayMs: 400, times: 1_000 });
		const { emitted, perPoll } = await drain(harness, sent.length, 40);
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(emitted).toEqual(sent.map((e) => e.id));
		expect(perPoll[0]).toBe(0);
		expect(harness.durations.filter((ms) => ms > BUDGET_MS)).toEqual([]);
	}, 120_000);
});
