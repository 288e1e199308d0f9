import { UnipileClient } from 'unipile-node-sdk';
import { startSandbox, type Sandbox } from './sandbox/server';
import { makeMp4, makeOgg, makePdf, makePng } from './sandbox/files';
import { captureRequest, comparable, itemWithFiles, runUnipile, sha256 } from './helpers/requests';

let sandbox: Sandbox;
let chatId: string;
let accountId: string;

const png = { fileName: 'map.png', mimeType: 'image/png', bytes: makePng(12, 6, [10, 120, 200]) };
const pdf = { fileName: 'Facture n°12.pdf', mimeType: 'application/pdf', bytes: makePdf('Invoice 12') };
const ogg = { fileName: 'note.ogg', mimeType: 'audio/ogg', bytes: makeOgg(7) };
const mp4 = { fileName: 'clip.mp4', mimeType: 'video/mp4', bytes: makeMp4(2) };

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 6, messagesPerChat: 3 });
	const chat = sandbox.store.sortedChats()[0];
	chatId = chat.id;
	accountId = chat.account_id;
});
afterAll(async () => await sandbox.close());

const send = (parameters: Record<string, unknown>) => ({ resource: 'message', operation: 'send', ...parameters });
const file = (name: string, f: { fileName: string; mimeType: string; bytes: Buffer }) => ({
	name,
	fileName: f.fileName,
	mimeType: f.mimeType,
	size: f.bytes.length,
	sha256: sha256(f.bytes),
});

describe('Message → Send', () => {
	test('multipart with text, every option and files from binary fields', async () => {
		const quoted = sandbox.store.messagesOfChat(chatId)[0];
		let result: Awaited<ReturnType<typeof runUnipile>> | undefined;
		const request = await captureRequest(sandbox, async () => {
			result = await runUnipile(
				sandbox,
				send({
					chatId,
					text: 'See attached',
					options: {
						accountId,
						threadId: 'thread-1',
						quoteId: quoted.id,
						typingDuration: 1500,
						attachments: 'data, invoice',
						voiceMessage: 'voice',
						videoMessage: 'video',
					},
				}),
				{ items: [itemWithFiles({ data: png, invoice: pdf, voice: ogg, video: mp4 })] },
			);
		});
		expect(result!.error).toBeUndefined();
		expect(request).toMatchObject({ method: 'POST', path: `/chats/${chatId}/messages`, query: {}, status: 201 });
		expect(request.form).toEqual([
			{ name: 'text', value: 'See attached' },
			{ name: 'thread_id', value: 'thread-1' },
			file('attachments', png),
			file('attachments', pdf),
			file('voice_message', ogg),
			file('video_message', mp4),
			{ name: 'account_id', value: accountId },
			{ name: 'quote_id', value: quoted.id },
			{ name: 'typing_duration', value: '1500' },
		]);
		expect(result!.items.map((item) => item.json)).toEqual([{ object: 'MessageSent', message_id: expect.any(String) }]);
		const sent = sandbox.store.messageById.get(String(result!.items[0].json.message_id))!;
		expect(sent.attachments).toHaveLength(4);
		expect(sent.quoted?.provider_id).toBe(quoted.provider_id);
	});

	test('an optional field the user left empty is never sent', async () => {
		const request = await captureRequest(sandbox, () =>
			runUnipile(
				sandbox,
				send({
					chatId,
					text: 'Just text',
					options: { accountId: '', threadId: '', quoteId: '', attachments: '', voiceMessage: '', videoMessage: '' },
				}),
			),
		);
		expect(request.form).toEqual([{ name: 'text', value: 'Just text' }]);
		expect(request.status).toBe(201);
	});

	test('a file alone, no text: no empty text field', async () => {
		const request = await captureRequest(sandbox, () =>
			runUnipile(sandbox, send({ chatId, text: '', options: { attachments: 'data' } }), { items: [itemWithFiles({ data: png })] }),
		);
		expect(request.form).toEqual([file('attachments', png)]);
		expect(request.status).toBe(201);
	});

	test('each input item sends its own file', async () => {
		sandbox.clearRequests();
		const { items } = await runUnipile(sandbox, send({ chatId, text: '={{ "file " + $json.n }}', options: { attachments: 'data' } }), {
			items: [itemWithFiles({ data: png }, { n: 1 }), itemWithFiles({ data: pdf }, { n: 2 })],
		});
		expect(items).toHaveLength(2);
		expect(sandbox.requests.map((request) => request.form)).toEqual([
			[{ name: 'text', value: 'file 1' }, file('attachments', png)],
			[{ name: 'text', value: 'file 2' }, file('attachments', pdf)],
		]);
	});

	test('a missing voice message field names the field and the parameter', async () => {
		sandbox.clearRequests();
		const { error } = await runUnipile(sandbox, send({ chatId, text: 'x', options: { voiceMessage: 'voice' } }));
		expect(error?.message).toBe('Voice Message (Input Binary Field): the input item has no binary field "voice"');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('same request as the SDK (sendMessage), files compared by name and sha256', async () => {
		const theirs = await captureRequest(sandbox, () =>
			new UnipileClient(sandbox.url, sandbox.apiKey).messaging.sendMessage({
				chat_id: chatId,
				text: 'Both',
				thread_id: 'th-2',
				attachments: [
					[png.fileName, png.bytes],
					[pdf.fileName, pdf.bytes],
				],
			}),
		);
		const ours = await captureRequest(sandbox, () =>
			runUnipile(sandbox, send({ chatId, text: 'Both', options: { threadId: 'th-2', attachments: 'a,b' } }), {
				items: [itemWithFiles({ a: png, b: pdf })],
			}),
		);
		expect(comparable(ours)).toEqual(comparable(theirs));
		// The one difference: the SDK uploads files as application/octet-stream, we send the real MIME type.
		expect(theirs.form!.filter((f) => 'mimeType' in f).map((f) => (f as { mimeType: string }).mimeType)).toEqual([
			'application/octet-stream',
			'application/octet-stream',
		]);
		expect(ours.form!.filter((f) => 'mimeType' in f).map((f) => (f as { mimeType: string }).mimeType)).toEqual(['image/png', 'application/pdf']);
	});
});
