import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Sandbox } from '../test/sandbox/server';
import { interleave, median, type Row } from './stats';

const SIZE = 20 * 1024 * 1024;

interface Sample {
	ms: number;
	cpuMs: number;
	rssGrowthMb: number;
	arrayBuffersGrowthMb: number;
}

function child(): ChildProcess {
	return fork(join(__dirname, 'attachmentChild.ts'), [], {
		execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only'],
		env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
}

/** One measured download in a fresh child process. */
function measureInChild(job: object): Promise<Sample> {
	const process: ChildProcess = child();
	return new Promise((resolve, reject) => {
		process.once('message', (answer: { result?: Sample; error?: string }) =>
			answer.result ? resolve(answer.result) : reject(new Error(answer.error)),
		);
		process.once('error', reject);
		process.send(job);
	});
}

/**
 * Message → Get Attachment of a 20 MB file, beside a bare fetch. Each sample runs in a fresh child process
 * (after a small warm-up download) so that the peak RSS growth is that of one download, not of memory a previous
 * one left behind.
 */
export async function benchAttachment(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	const message = sandbox.injectMessage({
		accountId: sandbox.store.accounts[0].id,
		attachments: [{ fileName: 'big.bin', mimeType: 'application/octet-stream', bytes: randomBytes(SIZE) }],
	});
	const small = sandbox.injectMessage({
		accountId: sandbox.store.accounts[0].id,
		attachments: [{ fileName: 'small.bin', mimeType: 'application/octet-stream', bytes: randomBytes(1024) }],
	});
	const job = {
		dsn: sandbox.dsn,
		apiKey: sandbox.apiKey,
		file: { messageId: message.id, attachmentId: message.attachments[0].id, size: SIZE },
		warmUp: { messageId: small.id, attachmentId: small.attachments[0].id, size: 1024 },
	};
	const samples = await interleave(rounds, {
		node: () => measureInChild({ ...job, variant: 'node' }),
		raw: () => measureInChild({ ...job, variant: 'raw' }),
	});
	const scenario = 'Get Attachment, 20 MB';
	const row = (measure: string, unit: string, pick: (s: Sample) => number): Row => ({
		scenario,
		measure,
		value: median(samples.node.map(pick)),
		floor: median(samples.raw.map(pick)),
		floorName: 'raw fetch',
		unit,
	});
	return [
		{ ...row('time', 'ms', (s) => s.ms), ratio: median(samples.node.map((s, i) => s.ms / samples.raw[i].ms)) },
		row('peak RSS growth', 'MB', (s) => s.rssGrowthMb),
		row('peak arrayBuffers growth', 'MB', (s) => s.arrayBuffersGrowthMb),
	];
}
