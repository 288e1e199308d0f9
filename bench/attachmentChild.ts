/**
 * Runs in a fresh process (forked by attachment.ts) so that memory figures belong to one variant and one download:
 * loads what the variant needs, downloads a small file once (warm-up), then the big one, measured.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { timed } from './stats';

interface Job {
	variant: 'node' | 'raw';
	dsn: string;
	apiKey: string;
	file: { messageId: string; attachmentId: string; size: number };
	warmUp: { messageId: string; attachmentId: string; size: number };
}

const MB = 1024 * 1024;

function statusKb(field: string): number {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
	return match ? Number(match[1]) : NaN;
}

async function download(job: Job, file: Job['file']): Promise<number> {
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
	return Number(items[0].json.fileSize);
}

async function measure(job: Job) {
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
	measure(job).then(
		(result) => process.send!({ result }, () => process.exit(0)),
		(error: Error) => process.send!({ error: error.message }, () => process.exit(1)),
	);
});
