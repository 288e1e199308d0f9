/**
 * `npm run demo`: the package doing its job with no Unipile account. Starts the sandbox, runs example workflows
 * through n8n's real engine (the same one n8n runs), and prints what each step sent and got back.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { runNode, type RunOptions } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

interface Step {
	title: string;
	parameters: INodeParameters | ((previous: INodeExecutionData[]) => INodeParameters);
	items?: RunOptions['items'];
	show: (items: INodeExecutionData[]) => string[];
}

const steps: Step[] = [
	{
		title: 'Chat → Get Many (unread only, Return All)',
		parameters: { resource: 'chat', operation: 'getAll', returnAll: true, filters: { unread: true } },
		show: (items) =>
			items.slice(0, 5).map((item) => `${String(item.json.account_type).padEnd(9)} ${item.json.name ?? '(no name)'} — ${item.json.unread_count} unread`),
	},
	{
		title: 'Chat → Get (the first unread chat)',
		parameters: (previous) => ({ resource: 'chat', operation: 'get', chatId: String(previous[0]?.json.id) }),
		show: (items) => items.map((item) => `${item.json.id}: "${item.json.name}" on ${item.json.account_type}, last activity ${item.json.timestamp}`),
	},
];

function describeRequests(sandbox: Sandbox): string[] {
	return sandbox.requests.map((request) => {
		const query = new URLSearchParams(request.query as Record<string, string>).toString();
		return `${request.method} /api/v1${request.path}${query ? '?' + query : ''} → ${request.status}`;
	});
}

async function main() {
	const sandbox = await startSandbox();
	const credentials = { dsn: sandbox.url, apiKey: sandbox.apiKey };
	console.log(`Unipile sandbox ready: DSN=${sandbox.url} API_KEY=${sandbox.apiKey}`);
	console.log(`Seeded: ${sandbox.store.accounts.length} accounts, ${sandbox.store.chats.length} chats, ${sandbox.store.messages.length} messages\n`);
	let previous: INodeExecutionData[] = [];
	let failures = 0;
	try {
		for (const step of steps) {
			sandbox.clearRequests();
			const parameters = typeof step.parameters === 'function' ? step.parameters(previous) : step.parameters;
			const { items, error } = await runNode({ credentials, parameters, items: step.items });
			console.log(`▶ ${step.title}`);
			for (const line of describeRequests(sandbox)) console.log(`  sent  ${line}`);
			if (error) {
				failures++;
				console.log(`  ERROR ${error.message}${error.description ? ` — ${error.description}` : ''}`);
			} else {
				console.log(`  got   ${items.length} item(s)`);
				for (const line of step.show(items)) console.log(`        ${line}`);
			}
			console.log('');
			previous = items;
		}
	} finally {
		await sandbox.close();
	}
	console.log(failures ? `demo: ${failures} step(s) failed` : `demo: ${steps.length} steps ran through n8n's engine against the sandbox`);
	process.exitCode = failures ? 1 : 0;
}

void main().catch((error: IDataObject) => {
	console.error(error);
	process.exitCode = 1;
});
