/**
 * Unipile Trigger on the payloads Unipile documents (n8n-core's real HookContext and WebhookContext, real HTTP,
 * the sandbox's deliveries): an own message whose payload does not say so is recognised by asking Unipile (never
 * guessed "not own"), and refused for a retry when Unipile cannot answer; the answer stays within Unipile's 30 s
 * whatever the attachments; older payload revisions, `type`-named tracking events, headers listed as one object,
 * calendar events, the account status filter and email attachments all work.
 */
import type { Sandbox } from './sandbox/server';
import { webhookTestKit, type WebhookHarness } from './harness/webhook';


const kit = webhookTestKit({ chats: 12, messagesPerChat: 2, webhooks: { retryDelaysMs: [50, 100, 150, 200, 250], timeoutMs: 30_000 } });
const harness = kit.harness;
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = kit.sandbox();
});

const lookups = () => sandbox.requests.filter((r) => r.method === 'GET' && /^\/messages\/[^/]+$/.test(r.path));
const messages = (h: WebhookHarness) => h.executions.map((e) => e.items[0].json.message);

describe('own messages, whatever the provider', () => {
	test('an own WhatsApp message in the documented shape (no is_sender) starts nothing with the option off, one execution with it on', async () => {
		const off = await harness({ events: ['message_received'] });
		const on = await harness({ events: ['message_received'], options: { includeOwnMessages: true } });
		await off.activate();
		await on.activate();
		const own = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'my auto-reply', isSender: true });
		const incoming = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'a question' });
		await sandbox.webhooks.idle();
		await Promise.all([off.answered(2), on.answered(2)]);
		const bodies = sandbox.webhooks.deliveries.map((d) => JSON.parse(d.body));
		expect(bodies.every((b) => !('is_sender' in b) && !('account_info' in b))).toBe(true);
		expect(messages(off)).toEqual(['a question']);
		expect(messages(on)).toEqual(['my auto-reply', 'a question']);
		expect([...off.answers, ...on.answers].map((a) => a.status)).toEqual([200, 200, 200, 200]);
		// Asked once per message by the trigger that excludes own messages; never by the one that includes them.
		expect(lookups().map((r) => r.path).sort()).toEqual([`/messages/${own.id}`, `/messages/${incoming.id}`].sort());
	});

	test('on Telegram, Messenger, X and Instagram alike; LinkedIn and Instagram are told apart by account_info without asking', async () => {
		const h = await harness({ events: ['message_received'] });
		await h.activate();
		for (const accountId of ['acc_telegram_1', 'acc_messenger_1', 'acc_twitter_1', 'acc_instagram_1', 'acc_linkedin_1']) {
			sandbox.injectMessage({ accountId, text: `own ${accountId}`, isSender: true });
			sandbox.injectMessage({ accountId, text: `from ${accountId}` });
		}
		await sandbox.webhooks.idle();
		await h.answered(10);
		expect(messages(h).sort()).toEqual(['acc_telegram_1', 'acc_messenger_1', 'acc_twitter_1', 'acc_instagram_1', 'acc_linkedin_1'].map((a) => `from ${a}`).sort());
		expect(lookups()).toHaveLength(6);
	});

	test('when Unipile cannot say, the delivery is refused (503) and nothing starts; the retry, once Unipile answers, starts it once', async () => {
		const h = await harness({ events: ['message_received'] });
		await h.activate();
		sandbox.injectFault({ method: 'GET', path: /^\/messages\/[^/]+$/, status: 500, times: 2 });
		const own = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'mine', isSender: true });
		await sandbox.webhooks.idle();
		// first attempt refused (Unipile failed), second refused (failed again), third: own → 200, nothing starts
		expect(sandbox.webhooks.deliveries.map((d) => d.status)).toEqual([503, 503, 200]);
		expect(h.executions).toHaveLength(0);
		expect(lookups().map((r) => r.path)).toEqual([`/messages/${own.id}`, `/messages/${own.id}`, `/messages/${own.id}`]);

		sandbox.clearRequests();
		sandbox.webhooks.deliveries = [];
		sandbox.injectFault({ method: 'GET', path: /^\/messages\/[^/]+$/, status: 404, times: 1 });
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'hello' });
		await sandbox.webhooks.idle();
		expect(sandbox.webhooks.deliveries.map((d) => d.status)).toEqual([503, 200]);
		expect(messages(h)).toEqual(['hello']);
		expect(JSON.parse(sandbox.webhooks.deliveries[0].answer ?? '{}').message).toMatch(/Could not ask Unipile whether the connected account sent this message/);
	});

	test('older payloads: an is_sender flag or account_info decides without asking', async () => {
		const h = await harness({ events: ['message_received'] });
		await h.activate();
		const secret = String(h.staticData().secret);
		const post = async (body: Record<string, unknown>) =>
			await fetch(h.url, { method: 'POST', headers: { 'X-Unipile-N8n-Secret': secret }, body: JSON.stringify({ event: 'message_received', account_id: 'acc_whatsapp_1', message_id: `m-${Math.random()}`, ...body }) });
		for (const body of [
			{ message: 'flag own', is_sender: true },
			{ message: 'flag other', is_sender: 0 },
			{ message: 'info own', account_info: { user_id: 'ME' }, sender: { attendee_provider_id: 'ME' } },
			{ message: 'info other', account_info: { user_id: 'ME' }, sender: { attendee_provider_id: 'YOU' } },
		]) {
			expect((await post(body)).status).toBe(200);
		}
		expect(messages(h)).toEqual(['flag other', 'info other']);
		expect(lookups()).toHaveLength(0);
	});
});

describe('the answer within Unipile\'s 30 s', () => {
	test('a 50 MB attachment on a slow link: answered 200 by the time limit, one execution, the file listed as not downloaded', async () => {
		const h = await harness({ events: ['message_received'], options: { includeOwnMessages: true, downloadAttachments: true, downloadTimeLimit: 3 } });
		await h.activate();
		// 1 MB/s: the whole file would take 50 s.
		sandbox.injectFault({ method: 'GET', path: /\/attachments\//, bytesPerSecond: 1024 * 1024, times: 5 });
		const big = await sandbox.injectBigAttachment({ size: 50 * 1024 * 1024, fileName: 'video.mp4', mimeType: 'video/mp4', accountId: 'acc_whatsapp_1' });
		await sandbox.webhooks.idle();
		const [delivery] = sandbox.webhooks.deliveries;
		expect(sandbox.webhooks.deliveries).toHaveLength(1);
		expect(delivery.status).toBe(200);
		const answeredInMs = delivery.endedAt - delivery.sentAt;
		expect(answeredInMs).toBeGreaterThanOrEqual(2_900);
		expect(answeredInMs).toBeLessThan(30_000);
		expect(h.executions).toHaveLength(1);
		const [item] = h.executions[0].items;
		expect(item.binary).toBeUndefined();
		expect(item.json.attachmentDownload).toEqual({
			complete: false,
			downloaded: [],
			notDownloaded: [{ index: 0, id: big.attachmentId, fileName: 'video.mp4', mimeType: 'video/mp4', reason: 'time_limit' }],
		});
	}, 20_000);

	test('files in hand by the limit are kept, the rest listed; a complete download says so', async () => {
		const h = await harness({ events: ['message_received'], options: { includeOwnMessages: true, downloadAttachments: true, downloadTimeLimit: 2 } });
		await h.activate();
		const small = { fileName: 'note.txt', mimeType: 'text/plain', bytes: Buffer.from('small file') };
		const slow = { fileName: 'slow.bin', mimeType: 'application/octet-stream', bytes: Buffer.alloc(400_000, 7) };
		sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'quick', attachments: [small, small] });
		await sandbox.webhooks.idle();
		const msg = sandbox.injectMessage({ accountId: 'acc_whatsapp_1', text: 'slow', attachments: [small, slow, small] });
		const slowId = String(msg.attachments[1].id);
		// 100 kB/s: the second file would take 4 s
		sandbox.injectFault({ method: 'GET', path: `/messages/${msg.id}/attachments/${slowId}`, bytesPerSecond: 100_000, times: 5 });
		await sandbox.webhooks.idle();
		expect(sandbox.webhooks.deliveries.map((d) => d.status)).toEqual([200, 200]);
		const [quick, cut] = h.executions.map((e) => e.items[0]);
		expect(quick.json.attachmentDownload).toEqual({ complete: true, downloaded: ['attachment_0', 'attachment_1'], notDownloaded: [] });
		expect(Object.keys(cut.binary ?? {})).toEqual(['attachment_0']);
		expect(Buffer.from(cut.binary!.attachment_0.data, 'base64').toString()).toBe('small file');
		expect(cut.json.attachmentDownload).toEqual({
			complete: false,
			downloaded: ['attachment_0'],
			notDownloaded: [
				{ index: 1, id: slowId, fileName: 'slow.bin', mimeType: 'application/octet-stream', reason: 'time_limit' },
				{ index: 2, id: String(msg.attachments[2].id), fileName: 'note.txt', mimeType: 'text/plain', reason: 'time_limit' },
			],
		});
	}, 20_000);
});

describe('every documented shape', () => {
	test('activation succeeds when GET /webhooks lists headers as one object; a restart finds the registration', async () => {
		sandbox.webhooks.headersAsObject = true;
		const h = await harness({ events: ['message_received', 'account_status'] });
		await h.activate();
		const ids = [...sandbox.webhooks.webhooks.keys()];
		expect(ids).toHaveLength(2);
		sandbox.clearRequests();
		await h.activate({ activation: 'init' });
		expect([...sandbox.webhooks.webhooks.keys()]).toEqual(ids);
		expect(sandbox.requests.map((r) => r.method)).toEqual(['GET']);
		await h.deactivate();
		expect(sandbox.webhooks.webhooks.size).toBe(0);
	});

	test('tracking events named by `type` (the SDK) or by `event` (the docs page) each start one execution; a resend starts nothing', async () => {
		const h = await harness({ events: ['mail_opened', 'mail_link_clicked'] });
		await h.activate();
		const opened = sandbox.webhooks.trackingEvent('mail_opened', 'acc_google_1');
		sandbox.webhooks.payloadShapes = 'older';
		sandbox.webhooks.trackingEvent('mail_link_clicked', 'acc_google_1');
		await sandbox.webhooks.idle();
		await h.answered(2);
		expect(h.executions.map((e) => [e.items[0].json.type, e.items[0].json.event])).toEqual([
			['mail_opened', undefined],
			[undefined, 'mail_link_clicked'],
		]);
		const secret = String(h.staticData().secret);
		await fetch(h.url, { method: 'POST', headers: { 'X-Unipile-N8n-Secret': secret }, body: JSON.stringify(opened.payload) });
		expect(h.executions).toHaveLength(2);
	});

	test('mail as {email_id} or as the older {object: "Mail", id}: one execution each, attachments downloaded from the email', async () => {
		const h = await harness({ events: ['mail_received'], options: { downloadAttachments: true } });
		await h.activate();
		const pdf = Buffer.from('%PDF-1.4 quote');
		const email = sandbox.store.mail.receive({ accountId: 'acc_google_1', from: 'lead@example.com', subject: 'Quote', attachments: [{ fileName: 'quote.pdf', mimeType: 'application/pdf', bytes: pdf }] });
		sandbox.webhooks.emailReceived(email);
		sandbox.webhooks.payloadShapes = 'older';
		sandbox.webhooks.mailEvent('mail_received', 'acc_google_1', { email_id: 'older-mail-1', subject: 'Old shape' });
		await sandbox.webhooks.idle();
		await h.answered(2);
		const [first, second] = h.executions.map((e) => e.items[0]).sort((a, b) => String(b.json.subject).localeCompare(String(a.json.subject)));
		expect(first.json).toEqual(expect.objectContaining({ email_id: email.id, subject: 'Quote' }));
		expect(first.binary!.attachment_0).toEqual(expect.objectContaining({ fileName: 'quote.pdf', mimeType: 'application/pdf' }));
		expect(Buffer.from(first.binary!.attachment_0.data, 'base64')).toEqual(pdf);
		expect(first.json.attachmentDownload).toEqual({ complete: true, downloaded: ['attachment_0'], notDownloaded: [] });
		expect(sandbox.requests.some((r) => r.path === `/emails/${email.id}/attachments/${email.attachments[0].id}`)).toBe(true);
		expect(second.json).toEqual(expect.objectContaining({ object: 'Mail', id: 'older-mail-1', subject: 'Old shape' }));
		// the older shape, resent: the same email (by `id`) starts nothing more
		const secret = String(h.staticData().secret);
		await fetch(h.url, { method: 'POST', headers: { 'X-Unipile-N8n-Secret': secret }, body: JSON.stringify(second.json) });
		expect(h.executions).toHaveLength(2);
	});
});

describe('calendar events and account statuses', () => {
	test('a calendar webhook is registered for the chosen calendar events; each event starts one execution; a resend starts nothing', async () => {
		const h = await harness({ events: ['calendar_event_created', 'calendar_event_updated'] });
		await h.activate();
		expect([...sandbox.webhooks.webhooks.values()].map((w) => [w.source, w.events])).toEqual([['calendar_event', ['calendar_event_created', 'calendar_event_updated']]]);
		const created = sandbox.webhooks.calendarEvent('calendar_event_created', 'acc_google_1', { title: 'Intro call' });
		sandbox.webhooks.calendarEvent('calendar_event_updated', 'acc_google_1', { id: created.payload.id, title: 'Intro call (moved)', updated_at: new Date(Date.now() + 60_000).toISOString() });
		sandbox.webhooks.calendarEvent('calendar_event_deleted', 'acc_google_1', { id: created.payload.id });
		await sandbox.webhooks.idle();
		await h.answered(2);
		expect(h.executions.map((e) => [e.items[0].json.event, e.items[0].json.title])).toEqual([
			['calendar_event_created', 'Intro call'],
			['calendar_event_updated', 'Intro call (moved)'],
		]);
		const secret = String(h.staticData().secret);
		await fetch(h.url, { method: 'POST', headers: { 'X-Unipile-N8n-Secret': secret }, body: JSON.stringify({ ...created.payload, webhook_name: 'x' }) });
		expect(h.executions).toHaveLength(2);
	});

	test('Account Statuses set to Credentials: OK starts nothing, CREDENTIALS starts one execution', async () => {
		const h = await harness({ events: ['account_status'], accountStatuses: ['CREDENTIALS'] });
		await h.activate();
		for (const message of ['OK', 'CREDENTIALS', 'SYNC_SUCCESS']) sandbox.webhooks.accountStatus('acc_linkedin_1', message);
		await sandbox.webhooks.idle();
		await h.answered(3);
		expect(h.answers.map((a) => a.status)).toEqual([200, 200, 200]);
		expect(h.executions.map((e) => e.items[0].json)).toEqual([{ AccountStatus: { account_id: 'acc_linkedin_1', account_type: 'LINKEDIN', message: 'CREDENTIALS' } }]);
		const all = await harness({ events: ['account_status'] });
		await all.activate();
		sandbox.webhooks.accountStatus('acc_linkedin_1', 'OK');
		await sandbox.webhooks.idle();
		await all.answered(1);
		expect(all.executions).toHaveLength(1);
	});
});
