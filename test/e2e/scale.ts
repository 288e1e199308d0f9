/**
 * The scale e2e: this package in the real n8n 2.41 the way teams run it at volume (issue 15).
 *
 *   npm run test:e2e:scale
 *   = bash test/e2e/install-n8n.sh && bash test/e2e/install-queue-deps.sh && npm run build && ts-node --transpile-only test/e2e/scale.ts
 *
 * Sections (each starts its own sandbox and n8n; `UNIPILE_E2E_SCALE=queue,crash,bigFiles` runs some of them):
 * - queue:    Redis + `n8n start` + `n8n worker` + `n8n webhook` (EXECUTIONS_MODE=queue): the regular e2e's workflows
 *             give the same outputs, Unipile steps run on the worker, webhook deliveries reach the webhook processor.
 * - crash:    `kill -9` of n8n main between and during polls, with and without durable poll cursors, and with the
 *             webhook trigger: executions per message counted.
 * - bigFiles: filesystem binary mode: a 200 MB Get Attachment and a 100 MB send, peak RSS growth of the n8n process.
 * Env: UNIPILE_E2E_CACHE (install folder), UNIPILE_E2E_KEEP=1 (keep n8n folders and logs).
 */
import { bigFilesE2e } from './bigFiles';
import { crashE2e } from './crash';
import { n8nInstalled } from './n8nProcess';
import { queueModeE2e } from './queue';
import { Report } from './scaleKit';

const SECTIONS: Record<string, (r: Report) => Promise<void>> = { queue: queueModeE2e, crash: crashE2e, bigFiles: bigFilesE2e };

async function main(): Promise<number> {
	const report = new Report();
	if (!n8nInstalled()) throw new Error('n8n is not installed: run bash test/e2e/install-n8n.sh');
	const only = process.env.UNIPILE_E2E_SCALE?.split(',').map((s) => s.trim()).filter(Boolean);
	for (const [name, run] of Object.entries(SECTIONS)) {
		if (only && !only.includes(name)) continue;
		report.log(`== ${name}`);
		await report.check(`${name}: section ran to its end`, () => run(report));
	}
	if (report.figures.length) {
		process.stdout.write('\n| section | measured | value |\n|---|---|---|\n');
		for (const f of report.figures) process.stdout.write(`| ${f.section} | ${f.what} | ${f.value} |\n`);
	}
	const passed = report.results.filter((r) => r.ok === true).length;
	const skipped = report.results.filter((r) => r.ok === 'skip').length;
	process.stdout.write(`\nscale e2e: ${passed} passed, ${report.failed} failed${skipped ? `, ${skipped} skipped` : ''} (${((Date.now() - report.started) / 1000).toFixed(0)}s)\n`);
	return report.failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		process.stdout.write(`scale e2e: ERROR ${(e as Error)?.stack ?? String(e)}\n`);
		process.exit(1);
	},
);
