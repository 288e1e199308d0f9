/**
 * Runs in a fresh process (forked by attachment.ts) so that memory figures belong to one variant and one download:
 * loads what the variant needs, downloads a small file once (warm-up), then the big one, measured.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { timed } from './stats';

interface Job {
	/**
	 * node / raw: Get Attachment vs a bare fetch, n8n's default binary mode. fs-download: Get Attachment in n8n's
	 * filesystem binary mode, bytes checked by sha256. fs-send: Message → Send of a file already in the filesystem
	 * binary store (put there before measuring), bytes checked by the sandbox; with `v2`, on Unipile API v2.
	 */
	variant: 'node' | 'raw' | 'fs-download' | 'fs-send';
	dsn: string;
	apiKey: string;
	/** fs-send on Unipile API v2: the v2 credential and the account of `file.chatId`. */
	v2?: { apiKey: string; baseUrl: string; accountId: string };
	file: { messageId: string; attachmentId: string; size: number; sha256?: string; chatId?: string };
	warmUp: { messageId: string; attachmentId: string; size: number; chatId?: string };
}

const MB = 1024 * 1024;

function statusKb(field: string): number {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
	return match ? Number(match[1]) : NaN;
}

let store: import('../test/harness/binaryStore').BinaryStore | undefined;
let upload: import('n8n-workflow').IBinaryData | undefined;

/** Filesystem binary mode, and for fs-send the file to send, put in the store before anything is measured. */
async function prepare(job: Job): Promise<void> {
	if (job.variant !== 'fs-download' && job.variant !== 'fs-send') return;
	const { useFilesystemBinaryMode } = await import('../test/harness/binaryStore');
	store = await useFilesystemBinaryMode();
	if (job.variant === 'fs-send') {
		const { generatedBytes } = await import('../test/sandbox/files');
		upload = await store.put(generatedBytes(job.file.size, 7), 'big.bin', 'application/octet-stream');
	}
}

async function send(job: Job, file: Job['file']): Promise<number> {
	const { runNode } = await import('../test/harness/engine');
	const small = file === job.warmUp;
	const binary = small ? await store!.put(Buffer.alloc(file.size, 1), 'small.bin', 'application/octet-stream') : upload!;
	const byId = (value: string) => ({ __rl: true, mode: 'id', value });
	const { items, error } = job.v2
		? await runNode({
				credentials: { apiKey: job.v2.apiKey, baseUrl: job.v2.baseUrl },
				parameters: { authentication: 'unipileApiV2', resource: 'message', operation: 'send', accountId: byId(job.v2.accountId), chatId: byId(file.chatId!), text: 'file', options: { attachments: 'data' } },
				items: [{ json: {}, binary: { data: binary } }],
			})
		: await runNode({
				credentials: { dsn: job.dsn, apiKey: job.apiKey },
				parameters: { resource: 'message', operation: 'send', chatId: file.chatId!, text: 'file', options: { attachments: 'file' } },
				items: [{ json: {}, binary: { file: binary } }],
			});
	if (error) throw new Error(error.message);
	const sent = job.v2 ? await receivedV2(job, file.chatId!) : await receivedV1(job, file.chatId!);
	if (!small && sent?.sha256 !== file.sha256) throw new Error(`the sandbox received other bytes (${sent?.size} bytes, sha256 ${sent?.sha256})`);
	return items.length === 1 ? Number(sent?.size) : -1;
}

/** The file the sandbox last received in that chat on v1 (its multipart part), as size and sha256. */
async function receivedV1(job: Job, chatId: string): Promise<{ size?: number; sha256?: string } | undefined> {
	const answer = await fetch(`${job.dsn}/_sandbox/requests`);
	const logged = (await answer.json()) as Array<{ path: string; form?: Array<{ name: string; size?: number; sha256?: string }> }>;
	return logged.filter((r) => r.path === `/chats/${chatId}/messages`).at(-1)?.form?.find((f) => f.name === 'attachments');
}

/** The file the sandbox last received in that chat on v2 (decoded from the base64 of the JSON body), as size and sha256. */
async function receivedV2(job: Job, chatId: string): Promise<{ size?: number; sha256?: string } | undefined> {
	const answer = await fetch(`${job.v2!.baseUrl}/_sandbox/v2/uploads`);
	const uploads = (await answer.json()) as Array<{ chatId: string; size: number; sha256: string }>;
	return uploads.filter((u) => u.chatId === chatId).at(-1);
}

async function download(job: Job, file: Job['file']): Promise<number> {
	if (job.variant === 'fs-send') return await send(job, file);
	if (job.variant === 'raw') {
		const response = await fetch(`${job.dsn}/api/v1/messages/${file.messageId}/attachments/${file.attachmentId}`, {
			headers: { 'X-API-KEY': job.apiKey },
		});
		return Buffer.from(await response.arrayBuffer()).length;
	}
	const { runNode } = await import('../test/harness/engine');
	const { items, error } = await runNode({
		credentials: { dsn: job.dsn, apiKey: job.apiKey },
		parameters: { resource: 'message', operation: 'getAttachment', messageId: file.messageId, attachmentId: file.attachmentId },
	});
	if (error) throw new Error(error.message);
	if (job.variant === 'fs-download' && file.sha256) {
		const stored = await store!.digest(items[0].binary!.data);
		if (stored.sha256 !== file.sha256) throw new Error(`the binary store holds other bytes (${stored.size} bytes)`);
	}
	return Number(items[0].json.fileSize);
}

async function measure(job: Job) {
	await prepare(job);
	if ((await download(job, job.warmUp)) !== job.warmUp.size) throw new Error('warm-up download failed');
	global.gc?.();
	// Linux: writing 5 resets the peak RSS (VmHWM), so the peak read afterwards is this download's.
	writeFileSync('/proc/self/clear_refs', '5');
	const before = process.memoryUsage();
	let peakArrayBuffers = before.arrayBuffers;
	const sampler = setInterval(() => {
		peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
	}, 1);
	const { ms, cpuMs, value } = await timed(() => download(job, job.file));
	clearInterval(sampler);
	peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
	if (value !== job.file.size) throw new Error(`${job.variant}: got ${value} bytes, expected ${job.file.size}`);
	return {
		ms,
		cpuMs,
		rssGrowthMb: (statusKb('VmHWM') * 1024 - before.rss) / MB,
		arrayBuffersGrowthMb: (peakArrayBuffers - before.arrayBuffers) / MB,
	};
}

process.once('message', (job: Job) => {
	measure(job)
		.finally(() => store?.close())
		.then(
		(result) => process.send!({ result }, () => process.exit(0)),
		(error: Error) => process.send!({ error: error.message }, () => process.exit(1)),
	);
});
