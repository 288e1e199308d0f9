/**
 * Big files through n8n's filesystem binary mode (as N8N_DEFAULT_BINARY_DATA_MODE=filesystem sets it up): downloads
 * stream from Unipile into n8n's binary store, uploads stream from it into the multipart body. Bytes are proved
 * identical by sha256 on both sides: the sandbox generates the download on the fly and hashes the upload as it arrives.
 * (Memory is measured by `npm run bench`, not here.)
 */
import { readdirSync } from 'node:fs';
import type { IBinaryData } from 'n8n-workflow';
import { useFilesystemBinaryMode, type BinaryStore } from './harness/binaryStore';
import { runNode } from './harness/engine';
import { generatedBytes, generatedFile } from './sandbox/files';
import { startSandbox, type Sandbox } from './sandbox/server';
import { captureRequests, runUnipile } from './helpers/requests';

const SIZE = 8 * 1024 * 1024 + 123;

let sandbox: Sandbox;
let store: BinaryStore;
let big: Awaited<ReturnType<Sandbox['injectBigAttachment']>>;

beforeAll(async () => {
	store = await useFilesystemBinaryMode();
	sandbox = await startSandbox({ chats: 3, messagesPerChat: 1 });
	big = await sandbox.injectBigAttachment({ size: SIZE, fileName: 'export 2026.zip', mimeType: 'application/zip' });
});
afterAll(async () => {
	await sandbox.close();
	store.close();
});
afterEach(() => sandbox.clearFaults());

const getAttachment = (attachmentId = big.attachmentId) => ({
	resource: 'message',
	operation: 'getAttachment',
	messageId: big.message.id,
	attachmentId,
	binaryPropertyName: 'file',
});

/** Files in the binary store, temp files included (a broken download must leave nothing behind). */
function storedFiles(dir = store.dir): string[] {
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => entry.name);
}

describe('Get Attachment streams into the binary store', () => {
	test('the file lands in the store byte-identical; the item is what it always was', async () => {
		const { items, error } = await runUnipile(sandbox, getAttachment());
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({ fileName: 'export 2026.zip', mimeType: 'application/zip', fileSize: SIZE });
		const file = items[0].binary!.file;
		expect(file).toMatchObject({ fileName: 'export 2026.zip', mimeType: 'application/zip', fileExtension: 'zip' });
		expect(file.id).toMatch(/^filesystem-v2:/);
		expect(await store.digest(file)).toEqual({ size: SIZE, sha256: big.sha256 });
	});

	test('Download All streams each file too', async () => {
		const { items, error } = await runUnipile(sandbox, { resource: 'message', operation: 'getAttachment', messageId: big.message.id, downloadAll: true });
		expect(error).toBeUndefined();
		expect(Object.keys(items[0].binary!)).toEqual(['data_0']);
		expect(await store.digest(items[0].binary!.data_0)).toEqual({ size: SIZE, sha256: big.sha256 });
	});

	test('a 404 says what Unipile said, as before streaming', async () => {
		const { items, error } = await runUnipile(sandbox, getAttachment('nope'));
		expect(items).toEqual([]);
		expect(error).toMatchObject({
			httpCode: '404',
			message: `Resource not found: attachment "nope" not found in message ${big.message.id} [errors/resource_not_found]`,
			description: 'Check the ID: it must be a Unipile ID of an existing item that this API key can see.',
		});
	});

	test('a 401 says what Unipile said, and never the key', async () => {
		const { error } = await runNode({ credentials: { dsn: sandbox.dsn, apiKey: 'wrong-key-123' }, parameters: getAttachment() });
		expect(error).toMatchObject({
			httpCode: '401',
			message: 'Invalid credentials: The provided API key is invalid. [errors/invalid_credentials]',
		});
		expect(JSON.stringify(error)).not.toContain('wrong-key-123');
	});

	test('a 503 with a problem body is retried, then the file arrives whole', async () => {
		sandbox.injectFault({ path: `/messages/${big.message.id}/attachments/${big.attachmentId}`, status: 503, times: 1 });
		const requests = await captureRequests(sandbox, async () => {
			const { items, error } = await runUnipile(sandbox, getAttachment());
			expect(error).toBeUndefined();
			expect(await store.digest(items[0].binary!.file)).toEqual({ size: SIZE, sha256: big.sha256 });
		});
		expect(requests.map((r) => r.status)).toEqual([503, 200]);
	});

	test('a connection lost halfway is retried; if it keeps breaking, a clear error and no partial file', async () => {
		const path = `/messages/${big.message.id}/attachments/${big.attachmentId}`;
		sandbox.injectFault({ path, dropAfterBytes: 3 * 1024 * 1024, times: 1 });
		const { items, error } = await runUnipile(sandbox, getAttachment());
		expect(error).toBeUndefined();
		expect(await store.digest(items[0].binary!.file)).toEqual({ size: SIZE, sha256: big.sha256 });

		const before = storedFiles().length;
		sandbox.injectFault({ path, dropAfterBytes: 1024 * 1024, times: 4 });
		const failed = await runUnipile(sandbox, getAttachment());
		expect(failed.items).toEqual([]);
		// The count is what arrived before the socket closed (a little under the 1 MB sent).
		expect(failed.error?.message).toMatch(/^The file download from Unipile broke after (0\.\d|1\.0) MB of 8\.0 MB \(ECONNRESET\)$/);
		expect(failed.error?.description).toBe('Nothing was kept of the partial file. Try again later. The node retried 3 times.');
		expect(storedFiles().length).toBe(before);
	});
});

describe('Send streams files from the binary store', () => {
	let file: IBinaryData;
	let sha256: string;

	beforeAll(async () => {
		const generated = await generatedFile({ fileName: 'report "Q3".pdf', mimeType: 'application/pdf', size: SIZE, seed: 7 });
		sha256 = generated.sha256!;
		file = await store.put(generatedBytes(SIZE, 7), 'report "Q3".pdf', 'application/pdf');
		expect(file.id).toBeDefined();
	});

	const send = () =>
		runUnipile(
			sandbox,
			{ resource: 'message', operation: 'send', chatId: big.message.chat_id, text: 'the report\nsee attached', options: { attachments: 'report' } },
			{ items: [{ json: {}, binary: { report: file } }] },
		);

	test('Unipile receives the same multipart parts, the file byte-identical', async () => {
		const requests = await captureRequests(sandbox, async () => expect((await send()).error).toBeUndefined());
		expect(requests).toHaveLength(1);
		expect(requests[0].status).toBe(201);
		expect(requests[0].headers['content-length']).toBeDefined();
		expect(requests[0].form).toEqual([
			{ name: 'text', value: 'the report\r\nsee attached' },
			{ name: 'attachments', fileName: 'report "Q3".pdf', mimeType: 'application/pdf', size: SIZE, sha256 },
		]);
	});

	test('a 429 is retried with a fresh stream: both attempts carry the whole file', async () => {
		sandbox.injectFault({ path: `/chats/${big.message.chat_id}/messages`, status: 429, retryAfter: 0, times: 1 });
		const requests = await captureRequests(sandbox, async () => expect((await send()).error).toBeUndefined());
		expect(requests.map((r) => r.status)).toEqual([429, 201]);
		for (const request of requests) expect(request.form?.[1]).toMatchObject({ size: SIZE, sha256 });
	});

	test('Unipile Email → Send streams its attachments the same way', async () => {
		const requests = await captureRequests(sandbox, async () => {
			const { error } = await runUnipile(
				sandbox,
				{ resource: 'email', operation: 'send', accountId: 'acc_google_1', to: 'ada@example.com', subject: 'Report', body: 'Attached.', attachments: 'report' },
				{ items: [{ json: {}, binary: { report: file } }], nodeType: 'CUSTOM.unipileEmail' },
			);
			expect(error).toBeUndefined();
		});
		const sent = requests.find((r) => r.path === '/emails')!;
		expect(sent.form?.find((f) => f.name === 'attachments')).toEqual({ name: 'attachments', fileName: 'report "Q3".pdf', mimeType: 'application/pdf', size: SIZE, sha256 });
	});
});
