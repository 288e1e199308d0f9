import { UnipileClient } from 'unipile-node-sdk';
import { startSandbox, type Sandbox } from './sandbox/server';
import { makeOgg, makePdf, makePng } from './sandbox/files';
import { captureRequest, comparable, itemWithFiles, runUnipile, sha256 } from './helpers/requests';

let sandbox: Sandbox;
let linkedinAccountId: string;

const png = { fileName: 'photo.png', mimeType: 'image/png', bytes: makePng(8, 8, [200, 30, 30]) };
const pdf = { fileName: 'quote 2026.pdf', mimeType: 'application/pdf', bytes: makePdf('Quote') };
const ogg = { fileName: 'hello.ogg', mimeType: 'audio/ogg', bytes: makeOgg(3) };

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 6, messagesPerChat: 1 });
	linkedinAccountId = sandbox.store.sortedAccounts().find((account) => account.type === 'LINKEDIN')!.id;
});
afterAll(async () => await sandbox.close());

const start = (parameters: Record<string, unknown>) => ({ resource: 'chat', operation: 'start', ...parameters });

describe('Chat → Start', () => {
	test('multipart with text, attendees, subject, files and every LinkedIn option', async () => {
		let result: Awaited<ReturnType<typeof runUnipile>> | undefined;
		const request = await captureRequest(sandbox, async () => {
			result = await runUnipile(
				sandbox,
				start({
					accountId: linkedinAccountId,
					attendeesIds: 'ACoAAA111, ACoAAA222',
					text: 'Hello both',
					options: { subject: 'Intro', attachments: 'image, doc', voiceMessage: 'voice' },
					linkedin: {
						api: 'classic',
						inmail: true,
						topic: 'support',
						applicantId: 'app-1',
						invitationId: 'inv-1',
						signature: 'Ann',
						hiringProjectId: 'hp-1',
						jobPostingId: 'job-1',
						emailAddress: 'bob@example.com',
						visibility: 'PROJECT',
					},
				}),
				{ items: [itemWithFiles({ image: png, doc: pdf, voice: ogg })] },
			);
		});
		expect(result!.error).toBeUndefined();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/chats');
		expect(request.query).toEqual({});
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.form).toEqual([
			{ name: 'account_id', value: linkedinAccountId },
			{ name: 'text', value: 'Hello both' },
			{ name: 'attendees_ids', value: 'ACoAAA111' },
			{ name: 'attendees_ids', value: 'ACoAAA222' },
			{ name: 'subject', value: 'Intro' },
			{ name: 'linkedin[api]', value: 'classic' },
			{ name: 'linkedin[inmail]', value: 'true' },
			{ name: 'linkedin[topic]', value: 'support' },
			{ name: 'linkedin[applicant_id]', value: 'app-1' },
			{ name: 'linkedin[invitation_id]', value: 'inv-1' },
			{ name: 'linkedin[signature]', value: 'Ann' },
			{ name: 'linkedin[hiring_project_id]', value: 'hp-1' },
			{ name: 'linkedin[job_posting_id]', value: 'job-1' },
			{ name: 'linkedin[email_address]', value: 'bob@example.com' },
			{ name: 'linkedin[visibility]', value: 'PROJECT' },
			{ name: 'attachments', fileName: 'photo.png', mimeType: 'image/png', size: png.bytes.length, sha256: sha256(png.bytes) },
			{ name: 'attachments', fileName: 'quote 2026.pdf', mimeType: 'application/pdf', size: pdf.bytes.length, sha256: sha256(pdf.bytes) },
			{ name: 'voice_message', fileName: 'hello.ogg', mimeType: 'audio/ogg', size: ogg.bytes.length, sha256: sha256(ogg.bytes) },
		]);
		expect(request.status).toBe(201);
		expect(result!.items).toHaveLength(1);
		expect(result!.items[0].json).toEqual({ object: 'ChatStarted', chat_id: expect.any(String), message_id: expect.any(String) });
		const message = sandbox.store.messageById.get(String(result!.items[0].json.message_id))!;
		expect(message.text).toBe('Hello both');
		expect(message.attachments.map((attachment) => attachment.file_name ?? attachment.type)).toHaveLength(3);
	});

	test('an optional field the user left empty is never sent', async () => {
		const request = await captureRequest(sandbox, () =>
			runUnipile(
				sandbox,
				start({
					accountId: linkedinAccountId,
					attendeesIds: 'ACoAAA333',
					text: 'Only this',
					options: { subject: '', attachments: '', voiceMessage: '', videoMessage: '' },
					linkedin: { applicantId: '', invitationId: '', signature: '', hiringProjectId: '', jobPostingId: '', emailAddress: '' },
				}),
			),
		);
		expect(request.form!.map((field) => field.name)).toEqual(['account_id', 'text', 'attendees_ids']);
		expect(request.status).toBe(201);
	});

	test.each([
		['a comma-separated string', ' ACoAAA1, ACoAAA2 ,ACoAAA3,, '],
		['an array from an expression', '={{ ["ACoAAA1", " ACoAAA2 ", "ACoAAA3", ""] }}'],
	])('attendee IDs from %s → one attendees_ids field per id', async (_label, attendeesIds) => {
		const request = await captureRequest(sandbox, () =>
			runUnipile(sandbox, start({ accountId: linkedinAccountId, attendeesIds, text: 'Hi' })),
		);
		expect(request.form!.filter((field) => field.name === 'attendees_ids')).toEqual([
			{ name: 'attendees_ids', value: 'ACoAAA1' },
			{ name: 'attendees_ids', value: 'ACoAAA2' },
			{ name: 'attendees_ids', value: 'ACoAAA3' },
		]);
		expect(request.status).toBe(201);
	});

	test('a missing binary field names the field and the parameter, and nothing is sent', async () => {
		sandbox.clearRequests();
		const { error } = await runUnipile(
			sandbox,
			start({ accountId: linkedinAccountId, attendeesIds: 'ACoAAA9', text: 'Hi', options: { attachments: 'image, invoice' } }),
			{ items: [itemWithFiles({ image: png })] },
		);
		expect(error?.message).toBe('Attachments (Input Binary Fields): the input item has no binary field "invoice"');
		expect(error?.description).toContain('Available: image');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('same request as the SDK (startNewChat), files compared by name and sha256', async () => {
		const input = {
			account_id: linkedinAccountId,
			text: 'Hello from both',
			attendees_ids: ['ACoAAS1', 'ACoAAS2'],
			subject: 'Same',
			attachments: [
				[png.fileName, png.bytes],
				[pdf.fileName, pdf.bytes],
			] as Array<[string, Buffer]>,
			options: { linkedin: { api: 'recruiter' as const, signature: 'Ann', hiring_project_id: 'hp-9', email_address: 'c@example.com' } },
		};
		const sdk = await captureRequest(sandbox, () => new UnipileClient(sandbox.url, sandbox.apiKey).messaging.startNewChat(input));
		const ours = await captureRequest(sandbox, () =>
			runUnipile(
				sandbox,
				start({
					accountId: linkedinAccountId,
					attendeesIds: 'ACoAAS1,ACoAAS2',
					text: 'Hello from both',
					options: { subject: 'Same', attachments: 'image,doc' },
					linkedin: { api: 'recruiter', signature: 'Ann', hiringProjectId: 'hp-9', emailAddress: 'c@example.com' },
				}),
				{ items: [itemWithFiles({ image: png, doc: pdf })] },
			),
		);
		expect(comparable(ours)).toEqual(comparable(sdk));
		expect(ours.status).toBe(201);
		// The one difference: the SDK uploads every file as application/octet-stream, we send the file's real type.
		const mime = (request: typeof ours) => request.form!.filter((field) => 'mimeType' in field).map((field) => (field as { mimeType: string }).mimeType);
		expect(mime(sdk)).toEqual(['application/octet-stream', 'application/octet-stream']);
		expect(mime(ours)).toEqual(['image/png', 'application/pdf']);
	});

	test('classic InMail equals the SDK too', async () => {
		const sdk = await captureRequest(sandbox, () =>
			new UnipileClient(sandbox.url, sandbox.apiKey).messaging.startNewChat({
				account_id: linkedinAccountId,
				text: 'InMail',
				attendees_ids: ['ACoAAI1'],
				options: { linkedin: { api: 'classic', inmail: false } },
			}),
		);
		const ours = await captureRequest(sandbox, () =>
			runUnipile(sandbox, start({ accountId: linkedinAccountId, attendeesIds: 'ACoAAI1', text: 'InMail', linkedin: { api: 'classic', inmail: false } })),
		);
		expect(comparable(ours)).toEqual(comparable(sdk));
	});
});
