/**
 * Big files in the real n8n 2.41 with N8N_DEFAULT_BINARY_DATA_MODE=filesystem (issue 15): a workflow does Get
 * Attachment of a 200 MB file the sandbox generates on the fly; the file in n8n's binary store must be byte-identical
 * (sha256) and the peak RSS growth of the n8n process that ran the node under 64 MB. Then a workflow downloads a
 * 100 MB file and sends it with Message → Send: the sandbox hashes what it receives (same sha256), and the peak RSS
 * growth of that execution should stay within about one copy of the file. Both figures go in the report.
 *
 * The workflows start from n8n's own Webhook node (production URL, answering with the last node's JSON), so they run
 * in the main `n8n start` process, the one measured (`/proc/<pid>/clear_refs`, then VmHWM).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/server';
import { N8nDeployment } from './n8nProcess';
import { assert, createUnipileCredential, createWorkflow, executionRunData, listExecutions, nodeItems, waitFor, workflowFrom, type Report } from './scaleKit';

const MB = 1024 * 1024;
const DOWNLOAD = 200 * MB;
const UPLOAD = 100 * MB;
const DOWNLOAD_LIMIT = 64 * MB;

async function sha256File(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** Every file under `dir` (n8n's binary store) with its size. */
function filesUnder(dir: string): Array<{ path: string; size: number }> {
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((e) => e.isFile())
		.map((e) => join(e.parentPath, e.name))
		.map((path) => ({ path, size: statSync(path).size }));
}

const credentials = (id: string) => ({ unipileApi: { id, name: 'Unipile sandbox' } });

function webhook(path: string) {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'GET', path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	};
}

function getAttachment(credentialId: string) {
	return {
		id: randomUUID(),
		name: 'Get Attachment',
		type: 'CUSTOM.unipile',
		typeVersion: 1,
		position: [220, 0],
		credentials: credentials(credentialId),
		parameters: {
			authentication: 'unipileApi',
			resource: 'message',
			operation: 'getAttachment',
			messageId: "={{ $('Webhook').item.json.query.messageId }}",
			attachmentId: "={{ $('Webhook').item.json.query.attachmentId }}",
			binaryPropertyName: 'data',
		},
	};
}

export async function bigFilesE2e(report: Report): Promise<void> {
	const storage = mkdtempSync(join(tmpdir(), 'unipile-n8n-binary-'));
	const sandbox = await startSandbox({ chats: 2, messagesPerChat: 1, maxFileBytes: 2 * UPLOAD });
	const deployment = await N8nDeployment.create({
		// UNIPILE_E2E_BIGFILES_DIST: another build of the package (to measure before/after a change).
		...(process.env.UNIPILE_E2E_BIGFILES_DIST ? { extensions: process.env.UNIPILE_E2E_BIGFILES_DIST } : {}),
		env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', N8N_BINARY_DATA_STORAGE_PATH: storage },
		keep: process.env.UNIPILE_E2E_KEEP === '1',
	});
	try {
		const download = await sandbox.injectBigAttachment({ size: DOWNLOAD, fileName: 'export-200MB.bin' });
		const upload = await sandbox.injectBigAttachment({ size: UPLOAD, fileName: 'video-100MB.mp4', mimeType: 'video/mp4', chatId: download.message.chat_id });
		const small = await sandbox.injectBigAttachment({ size: 4096, fileName: 'small.bin', chatId: download.message.chat_id });
		const chatId = download.message.chat_id;
		report.log(`sandbox ${sandbox.dsn}: 200 MB file sha256 ${download.sha256.slice(0, 12)}…, 100 MB file sha256 ${upload.sha256.slice(0, 12)}…`);

		const main = await deployment.start('start');
		const client = await deployment.login();
		const credential = await createUnipileCredential(client, sandbox.dsn, sandbox.apiKey);
		const get = getAttachment(credential.id);
		const downloadWf = await createWorkflow(
			client,
			workflowFrom({ name: 'e2e: Get Attachment 200 MB', nodes: [webhook('unipile-big-download'), get], connections: { Webhook: { main: [[{ node: get.name, type: 'main', index: 0 }]] } } }, credential),
			true,
		);
		const get2 = getAttachment(credential.id);
		const send = {
			id: randomUUID(),
			name: 'Send',
			type: 'CUSTOM.unipile',
			typeVersion: 1,
			position: [440, 0],
			credentials: credentials(credential.id),
			parameters: { authentication: 'unipileApi', resource: 'message', operation: 'send', chatId: { __rl: true, mode: 'id', value: chatId }, text: 'The file', options: { attachments: 'data' } },
		};
		await createWorkflow(
			client,
			workflowFrom(
				{
					name: 'e2e: Send 100 MB',
					nodes: [webhook('unipile-big-send'), get2, send],
					connections: { Webhook: { main: [[{ node: get2.name, type: 'main', index: 0 }]] }, [get2.name]: { main: [[{ node: send.name, type: 'main', index: 0 }]] } },
				},
				credential,
			),
			true,
		);

		/** Calls a workflow's production webhook and measures the main process's peak RSS growth while it runs. */
		const run = async (path: string, file: { message: { id: string }; attachmentId: string }) => {
			const url = `${main.base}/webhook/${path}?messageId=${encodeURIComponent(file.message.id)}&attachmentId=${encodeURIComponent(file.attachmentId)}`;
			const before = main.rssBytes();
			main.resetPeakRss();
			const started = Date.now();
			const res = await fetch(url);
			const text = await res.text();
			const growth = main.peakRssBytes() - before;
			assert(res.status === 200, `${path}: n8n answered ${res.status}: ${text.slice(0, 500)}`);
			return { json: JSON.parse(text) as Record<string, unknown>, growth, ms: Date.now() - started };
		};
		// Both workflows once with a small file: n8n loads and compiles what they need before anything is measured.
		// (The first call also waits for the activated webhooks to be registered.)
		await waitFor('the activated webhook to answer', () => run('unipile-big-download', small).then(() => true, () => false), 30_000, 1000);
		await run('unipile-big-send', small);

		await report.check('bigFiles: Get Attachment of 200 MB lands in the binary store byte-identical, peak RSS growth < 64 MB', async () => {
			const { json, growth, ms } = await run('unipile-big-download', download);
			assert(json.fileSize === DOWNLOAD && json.fileName === 'export-200MB.bin', `unexpected item ${JSON.stringify(json)}`);
			const finished = await waitFor('the execution to be saved', async () => {
				const [latest] = await listExecutions(client, downloadWf.id);
				if (latest?.status !== 'success') return false;
				const data = await executionRunData(client, latest.id);
				return nodeItems(data.runData, 'Get Attachment')[0]?.json.fileSize === DOWNLOAD && data;
			}, 30_000);
			const { runData } = finished;
			const id = String(nodeItems(runData, 'Get Attachment')[0]?.binary?.data?.id ?? '');
			assert(id.startsWith('filesystem'), `the binary is not in the filesystem store: ${id || 'no id'}`);
			const path = join(storage, id.slice(id.indexOf(':') + 1));
			assert(statSync(path).size === DOWNLOAD, `stored ${statSync(path).size} bytes`);
			assert((await sha256File(path)) === download.sha256, 'the stored file differs from what the sandbox sent');
			report.figure('bigFiles', 'Get Attachment 200 MB (filesystem mode): peak RSS growth of n8n', `${(growth / MB).toFixed(1)} MB for a 200 MB file (${(ms / 1000).toFixed(1)} s)`);
			assert(growth < DOWNLOAD_LIMIT, `peak RSS growth ${(growth / MB).toFixed(1)} MB, limit 64 MB`);
		});

		await report.check('bigFiles: Send Message of a 100 MB file: Unipile receives it byte-identical, peak RSS growth within about one copy', async () => {
			sandbox.clearRequests();
			const { json, growth, ms } = await run('unipile-big-send', upload);
			assert(typeof json.message_id === 'string', `unexpected answer ${JSON.stringify(json)}`);
			const sent = sandbox.requests.find((r) => r.method === 'POST' && r.path === `/chats/${chatId}/messages`);
			const file = sent?.form?.find((f) => f.name === 'attachments');
			assert(file && 'sha256' in file, `no file reached the sandbox: ${JSON.stringify(sent?.form)}`);
			assert(file.size === UPLOAD && file.sha256 === upload.sha256, `the sandbox received ${file.size} bytes, sha256 ${file.sha256}`);
			report.figure('bigFiles', 'Send Message 100 MB (download then send, filesystem mode): peak RSS growth of n8n', `${(growth / MB).toFixed(1)} MB for a 100 MB file (${(ms / 1000).toFixed(1)} s)`);
			assert(growth <= 1.1 * UPLOAD, `peak RSS growth ${(growth / MB).toFixed(1)} MB, more than one copy of the file`);
		});

		report.log(`binary store: ${filesUnder(storage).filter((f) => f.size >= UPLOAD).length} big files`);
	} finally {
		await deployment.close();
		await sandbox.close();
		rmSync(storage, { recursive: true, force: true });
	}
}
