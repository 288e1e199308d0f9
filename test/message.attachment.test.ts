import { UnipileClient } from 'unipile-node-sdk';
import { startSandbox, type Sandbox } from './sandbox/server';
import { makeOgg, makePdf, makePng } from './sandbox/files';
import { binaryBytes, captureRequest, captureRequests, comparable, itemWithFiles, runUnipile, sha256 } from './helpers/requests';

let sandbox: Sandbox;
let chatId: string;

const png = { fileName: 'plan.png', mimeType: 'image/png', bytes: makePng(16, 16, [0, 150, 80]) };
const pdf = { fileName: 'Devis été 2026.pdf', mimeType: 'application/pdf', bytes: makePdf('Devis') };
const ogg = { fileName: 'voice.ogg', mimeType: 'audio/ogg', bytes: makeOgg(11) };

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 4, messagesPerChat: 2 });
	chatId = sandbox.store.sortedChats()[0].id;
});
afterAll(async () => await sandbox.close());

/** Sends the files through Message → Send and returns the sent message as Unipile stores it. */
async function sendFiles(files: Record<string, typeof png>) {
	const { items, error } = await runUnipile(
		sandbox,
		{ resource: 'message', operation: 'send', chatId, text: 'files', options: { attachments: Object.keys(files).join(',') } },
		{ items: [itemWithFiles(files)] },
	);
	expect(error).toBeUndefined();
	return sandbox.store.messageById.get(String(items[0].json.message_id))!;
}

const getAttachment = (parameters: Record<string, unknown>) => ({ resource: 'message', operation: 'getAttachment', ...parameters });

describe('Message → Get Attachment', () => {
	test('round trip: a file sent from a binary field comes back byte-identical, same name and MIME type', async () => {
		const sent = await sendFiles({ first: png, second: pdf });
		expect(sent.attachments).toHaveLength(2);
		for (const [index, original] of [png, pdf].entries()) {
			let result: Awaited<ReturnType<typeof runUnipile>> | undefined;
			const request = await captureRequest(sandbox, async () => {
				result = await runUnipile(sandbox, getAttachment({ messageId: sent.id, attachmentId: sent.attachments[index].id, binaryPropertyName: 'file' }));
			});
			expect(request).toMatchObject({ method: 'GET', path: `/messages/${sent.id}/attachments/${sent.attachments[index].id}`, query: {}, status: 200 });
			expect(result!.error).toBeUndefined();
			expect(result!.items).toHaveLength(1);
			const [item] = result!.items;
			expect(item.json).toEqual({ fileName: original.fileName, mimeType: original.mimeType, fileSize: original.bytes.length });
			expect(Object.keys(item.binary!)).toEqual(['file']);
			expect(item.binary!.file).toMatchObject({ fileName: original.fileName, mimeType: original.mimeType });
			expect(sha256(binaryBytes(item.binary!.file))).toBe(sha256(original.bytes));
		}
	});

	test('download all: one item, one binary field per attachment, metadata in json', async () => {
		const sent = await sendFiles({ a: pdf, b: png, c: ogg });
		let result: Awaited<ReturnType<typeof runUnipile>> | undefined;
		const requests = await captureRequests(sandbox, async () => {
			result = await runUnipile(sandbox, getAttachment({ messageId: sent.id, downloadAll: true }));
		});
		expect(result!.error).toBeUndefined();
		expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			`GET /messages/${sent.id}`,
			...sent.attachments.map((attachment) => `GET /messages/${sent.id}/attachments/${attachment.id}`),
		]);
		expect(requests.every((request) => request.headers['x-api-key'] === sandbox.apiKey)).toBe(true);
		expect(result!.items).toHaveLength(1);
		const [item] = result!.items;
		expect(Object.keys(item.binary!)).toEqual(['data_0', 'data_1', 'data_2']);
		for (const [index, original] of [pdf, png, ogg].entries()) {
			const binary = item.binary![`data_${index}`];
			expect(binary).toMatchObject({ fileName: original.fileName, mimeType: original.mimeType });
			expect(sha256(binaryBytes(binary))).toBe(sha256(original.bytes));
		}
		expect(item.json).toEqual({
			message_id: sent.id,
			attachments: JSON.parse(JSON.stringify(sent.attachments)).map((attachment: object, index: number) => ({
				...attachment,
				binaryPropertyName: `data_${index}`,
			})),
		});
	});

	test('download all with a custom field prefix; an unavailable attachment keeps its metadata, without a file', async () => {
		const sent = await sendFiles({ a: png, b: pdf });
		sent.attachments[0].unavailable = true;
		const requests = await captureRequests(sandbox, async () => {
			const { items, error } = await runUnipile(sandbox, getAttachment({ messageId: sent.id, downloadAll: true, binaryPropertyName: 'file' }));
			expect(error).toBeUndefined();
			expect(Object.keys(items[0].binary!)).toEqual(['file_1']);
			expect(items[0].binary!.file_1.fileName).toBe(pdf.fileName);
			expect((items[0].json.attachments as Array<Record<string, unknown>>).map((a) => a.binaryPropertyName)).toEqual([null, 'file_1']);
		});
		expect(requests).toHaveLength(2);
	});

	test('download all on a message without attachments: one item, no binary', async () => {
		const plain = sandbox.store.sortedMessages().find((m) => m.attachments.length === 0)!;
		const { items, error } = await runUnipile(sandbox, getAttachment({ messageId: plain.id, downloadAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({ message_id: plain.id, attachments: [] });
		expect(items[0].binary ?? {}).toEqual({});
	});

	test('an unknown attachment: the API error reaches the user', async () => {
		const sent = await sendFiles({ a: png });
		const { error } = await runUnipile(sandbox, getAttachment({ messageId: sent.id, attachmentId: 'nope' }));
		expect(error?.httpCode).toBe('404');
	});

	test('same request as the SDK (getMessageAttachment)', async () => {
		const sent = await sendFiles({ a: png });
		const input = { message_id: sent.id, attachment_id: sent.attachments[0].id };
		const theirs = await captureRequest(sandbox, () => new UnipileClient(sandbox.url, sandbox.apiKey).messaging.getMessageAttachment(input));
		const ours = await captureRequest(sandbox, () => runUnipile(sandbox, getAttachment({ messageId: sent.id, attachmentId: sent.attachments[0].id })));
		expect(comparable(ours)).toEqual(comparable(theirs));
	});
});
