/**
 * `npm run demo`: the package doing its job with no Unipile account. Starts the sandbox, runs example workflows
 * through n8n's real engine (the same one n8n runs), and prints what each step sent and got back.
 */
import { createHash } from 'node:crypto';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { pollHarness, runNode, type RunOptions } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

const invoice = Buffer.from('%PDF-1.4\n% demo invoice for the Unipile sandbox\n%%EOF\n');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

interface Step {
	title: string;
	parameters: (previous: INodeExecutionData[]) => INodeParameters;
	items?: RunOptions['items'];
	/** Default: the Unipile node. */
	nodeType?: string;
	/** Run with a Unipile V2 API credential (Authentication → Unipile API V2); default v1. */
	v2?: boolean;
	show: (items: INodeExecutionData[]) => string[];
}

/** The v2 steps run between the v1 send and the download of what it sent: the message to download. */
let sentOnV1 = '';

function steps(sandbox: Sandbox): Step[] {
	const whatsappChat = sandbox.store.chats.find((chat) => chat.account_type === 'WHATSAPP')!;
	const v2Whatsapp = sandbox.v2.accounts.find((account) => account.provider === 'whatsapp' && account.status === 'running')!;
	const byId = (value: string) => ({ __rl: true, mode: 'id', value });
	return [
		{
			title: 'Account → Get Many',
			parameters: () => ({ resource: 'account', operation: 'getAll', returnAll: true }),
			show: (items) => items.map((item) => `${String(item.json.type).padEnd(9)} ${item.json.id}  ${item.json.name}`),
		},
		{
			title: 'Chat → Get Many (unread only, Return All)',
			parameters: () => ({ resource: 'chat', operation: 'getAll', returnAll: true, filters: { unread: true } }),
			show: (items) =>
				items.slice(0, 4).map((item) => `${String(item.json.account_type).padEnd(9)} ${item.json.name} — ${item.json.unread_count} unread`),
		},
		{
			title: `Message → Send, with a PDF from the item's binary field "invoice", to "${whatsappChat.name}"`,
			items: [{ json: {}, binaryFiles: { invoice: { data: invoice.toString('base64'), fileName: 'invoice-2026-11.pdf', mimeType: 'application/pdf' } } }],
			parameters: () => ({
				resource: 'message',
				operation: 'send',
				chatId: whatsappChat.id,
				text: 'Hello! Here is your invoice.',
				options: { attachments: 'invoice' },
			}),
			show: (items) => items.map((item) => `${item.json.object}: message_id ${item.json.message_id}`),
		},
		{
			title: 'The same node on Unipile API v2: Chat → Get Many of a WhatsApp account (Authentication → Unipile API V2)',
			v2: true,
			parameters: () => ({ authentication: 'unipileApiV2', resource: 'chat', operation: 'getAll', accountId: byId(v2Whatsapp.id), limit: 3 }),
			show: (items) => items.map((item) => `${String(item.json.type).padEnd(5)} ${item.json.id}  ${item.json.name ?? ''}`),
		},
		{
			title: 'Message → Send on v2, the same PDF inside the JSON body as base64',
			v2: true,
			items: [{ json: {}, binaryFiles: { invoice: { data: invoice.toString('base64'), fileName: 'invoice-2026-11.pdf', mimeType: 'application/pdf' } } }],
			parameters: (previous) => ({
				authentication: 'unipileApiV2',
				resource: 'message',
				operation: 'send',
				accountId: byId(v2Whatsapp.id),
				chatId: byId(String(previous[0]?.json.id)),
				text: 'Hello from v2! Here is your invoice.',
				options: { attachments: 'invoice' },
			}),
			show: (items) => items.map((item) => `${item.json.object}: message_id ${JSON.stringify(item.json.message_id)}`),
		},
		{
			title: 'Message → Get Attachment (every file of the message just sent)',
			parameters: () => ({
				resource: 'message',
				operation: 'getAttachment',
				messageId: sentOnV1,
				downloadAll: true,
			}),
			show: (items) =>
				Object.entries(items[0]?.binary ?? {}).map(([field, file]) => {
					const bytes = Buffer.from(file.data, 'base64');
					return `binary "${field}": ${file.fileName} (${file.mimeType}, ${bytes.length} bytes, sha256 ${sha(bytes)}…, sent ${sha(invoice)}…)`;
				}),
		},
		{
			title: 'Unipile Email → Send from the Gmail mailbox, with the PDF, to "Ada Lovelace <ada@example.com>, bob@example.com"',
			nodeType: 'CUSTOM.unipileEmail',
			items: [{ json: {}, binaryFiles: { invoice: { data: invoice.toString('base64'), fileName: 'invoice-2026-11.pdf', mimeType: 'application/pdf' } } }],
			parameters: () => ({
				resource: 'email',
				operation: 'send',
				accountId: 'acc_google_1',
				to: 'Ada Lovelace <ada@example.com>, bob@example.com',
				subject: 'Your invoice',
				body: '<p>Hello! Here is your invoice.</p>',
				attachments: 'invoice',
			}),
			show: (items) => items.map((item) => `${item.json.object}: tracking_id ${item.json.tracking_id} (sent with an Idempotency-Key: safe to retry)`),
		},
		{
			title: 'Unipile Email → Get Many (the 3 newest emails of the Gmail inbox, simplified)',
			nodeType: 'CUSTOM.unipileEmail',
			parameters: () => {
				const inbox = sandbox.store.mail.foldersOf('acc_google_1').find((folder) => folder.role === 'inbox')!;
				return { resource: 'email', operation: 'getAll', accountId: 'acc_google_1', limit: 3, filters: { folder: inbox.provider_id } };
			},
			show: (items) => items.map((item) => `${String(item.json.date).slice(0, 16)}  ${item.json.from}: "${item.json.subject}"`),
		},
		{
			title: 'Unipile Email → Reply to the newest one (to its sender, "Re: <subject>", in its thread)',
			nodeType: 'CUSTOM.unipileEmail',
			parameters: (previous) => ({ resource: 'email', operation: 'reply', emailId: String(previous[0]?.json.id), body: '<p>Thanks, I will call you tomorrow.</p>' }),
			show: (items) => items.map((item) => `${item.json.object}: tracking_id ${item.json.tracking_id}`),
		},
		{
			title: 'Chat → Get with an ID an expression could not find (bad input is refused before sending)',
			parameters: () => ({ resource: 'chat', operation: 'get', chatId: '={{ $json.chat_id }}' }),
			show: () => [],
		},
	];
}

function describeRequests(sandbox: Sandbox): string[] {
	return sandbox.requests.map((request) => {
		const query = new URLSearchParams(request.query as Record<string, string>).toString();
		const form = request.form ? `  [multipart: ${request.form.map((field) => ('fileName' in field ? `${field.name}=<${field.fileName}>` : field.name)).join(', ')}]` : '';
		const files = request.attachments ? `  [JSON, files as base64: ${request.attachments.map((file) => `<${file.filename}>`).join(', ')}]` : '';
		return `${request.method} ${request.path.startsWith('/v2/') ? '' : '/api/v1'}${request.path}${query ? '?' + query : ''} → ${request.status}${form}${files}`;
	});
}

async function main() {
	const sandbox = await startSandbox();
	const credentials = { dsn: sandbox.url, apiKey: sandbox.apiKey };
	const v2Credentials = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	console.log(`Unipile sandbox ready: DSN=${sandbox.url} API_KEY=${sandbox.apiKey}`);
	console.log(`Seeded: ${sandbox.store.accounts.length} accounts, ${sandbox.store.chats.length} chats, ${sandbox.store.messages.length} messages, ${sandbox.store.mail.emails.size} emails\n`);
	let previous: INodeExecutionData[] = [];
	let unexpected = 0;
	try {
		for (const step of steps(sandbox)) {
			sandbox.clearRequests();
			const { items, error } = await runNode({ credentials: step.v2 ? v2Credentials : credentials, parameters: step.parameters(previous), items: step.items, nodeType: step.nodeType });
			if (step.title.startsWith('Message → Send,')) sentOnV1 = String(items[0]?.json.message_id);
			console.log(`▶ ${step.title}`);
			for (const line of describeRequests(sandbox)) console.log(`  sent  ${line}`);
			if (sandbox.requests.length === 0) console.log('  sent  nothing');
			if (error) {
				console.log(`  error ${error.message}\n        ${error.description ?? ''}`);
				if (!step.title.includes('bad input')) unexpected++;
			} else {
				console.log(`  got   ${items.length} item(s)`);
				for (const line of step.show(items)) console.log(`        ${line}`);
			}
			console.log('');
			previous = items;
		}

		console.log('▶ Unipile Polling Trigger: activate, then two people write in, and one of our own messages goes out');
		const trigger = pollHarness({ credentials, parameters: {} });
		sandbox.clearRequests();
		console.log(`  activation: ${(await trigger.poll()) === null ? 'no workflow started (it only records where the stream stands)' : 'unexpected output'}`);
		const [chatA, chatB] = sandbox.store.chats;
		sandbox.injectMessage({ chatId: chatA.id, text: 'Hi, is the offer still valid?' });
		sandbox.injectMessage({ chatId: chatB.id, text: 'Can we talk tomorrow?' });
		sandbox.injectMessage({ chatId: chatA.id, text: 'Yes it is!', isSender: true });
		sandbox.clearRequests();
		const emitted = (await trigger.poll())?.[0] ?? [];
		console.log(`  next poll: ${sandbox.requests.length} request(s), ${emitted.length} workflow item(s) (own messages are off by default)`);
		for (const item of emitted) console.log(`        ${item.json.timestamp}  ${item.json.chat_id}: "${item.json.text}"`);
		sandbox.clearRequests();
		const idle = await trigger.poll();
		console.log(`  idle poll: ${sandbox.requests.length} request, ${idle === null ? 'nothing new, nothing emitted' : 'unexpected output'}`);
		if (emitted.length !== 2 || idle !== null) unexpected++;
	} finally {
		await sandbox.close();
	}
	console.log(
		unexpected
			? `\ndemo: ${unexpected} step(s) did not do what they should`
			: "\ndemo: every step ran through n8n's engine against the sandbox and did what it should",
	);
	process.exitCode = unexpected ? 1 : 0;
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
