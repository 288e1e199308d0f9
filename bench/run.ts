/**
 * `npm run bench`: the package measured beside its floors, through n8n's real engine against the sandbox on
 * loopback. Prints the machine and one table of medians over BENCH_ROUNDS rounds (default 5); the variants of a
 * scenario are interleaved within each round, and ratios are medians of the per-round ratios.
 */
import { cpus } from 'node:os';
import { startSandbox } from '../test/sandbox/server';
import { benchAttachment } from './attachment';
import { benchBigFiles } from './bigFiles';
import { benchInvite } from './invite';
import { benchPackage } from './package';
import { benchReturnAll } from './returnAll';
import { benchSend } from './send';
import { benchSendEmail, benchSendEmailV2 } from './sendEmail';
import { table, type Row } from './stats';
import { benchTrigger } from './trigger';
import { benchWebhook } from './webhook';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

function step(name: string) {
	const start = Date.now();
	process.stderr.write(`${name}… `);
	return () => process.stderr.write(`${((Date.now() - start) / 1000).toFixed(1)} s\n`);
}

async function main() {
	const started = Date.now();
	const rows: Row[] = [];

	let done = step('seeding 10,000 chats (v1, and per v2 messaging account)');
	const big = await startSandbox({ chats: 10_000, messagesPerChat: 0, v2: { chatsPerAccount: 10_000, messagesPerChat: 0 } });
	done();
	try {
		done = step('Return All');
		rows.push(...(await benchReturnAll(big, ROUNDS)));
		done();
		done = step('Send Message');
		rows.push(...(await benchSend(big, ROUNDS)));
		done();
	} finally {
		await big.close();
	}

	const small = await startSandbox({});
	try {
		done = step('Get Attachment');
		rows.push(...(await benchAttachment(small, ROUNDS)));
		done();
		done = step('Big files (filesystem mode)');
		rows.push(...(await benchBigFiles(Math.min(ROUNDS, 3))));
		done();
		done = step('Send Email');
		rows.push(...(await benchSendEmail(small, ROUNDS)));
		rows.push(...(await benchSendEmailV2(small, ROUNDS)));
		done();
		done = step('Trigger');
		rows.push(...(await benchTrigger(small, ROUNDS)));
		done();
		done = step('Send Invitation (v1 and v2)');
		rows.push(...(await benchInvite(small, ROUNDS)));
		done();
	} finally {
		await small.close();
	}

	done = step('Package');
	rows.push(...(await benchPackage(ROUNDS)));
	done();

	done = step('Webhook trigger in the real n8n');
	rows.push(...(await benchWebhook()));
	done();

	const cpu = cpus();
	console.log(`Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, ${process.platform}/${process.arch}`);
	console.log(`Medians of ${ROUNDS} rounds, variants interleaved; ratio = median of per-round ratios (package ÷ floor).\n`);
	console.log(table(rows));
	console.log(`\nBench took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
