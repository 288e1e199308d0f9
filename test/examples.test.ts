import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	NodeHelpers,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyCollection,
	type INodeType,
	type INodeTypeDescription,
	type IRun,
} from 'n8n-workflow';
import { loadPackage, nodeTypes, pollHarness, runWorkflow } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';
import { webhookHarness } from './harness/webhook';

const EXAMPLES = join(__dirname, '..', 'examples');
const PACKAGE = 'n8n-nodes-unipile-messaging';
const files = readdirSync(EXAMPLES).filter((file) => file.endsWith('.json')).sort();

interface Example {
	name: string;
	nodes: INode[];
	connections: IConnections;
}
const load = (file: string): Example => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
const isOurs = (node: INode) => node.type.startsWith(`${PACKAGE}.`);
const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/** Every parameter an example sets must exist for its resource/operation, with a value the description allows. */
function parameterProblems(values: INodeParameters, properties: INodeProperties[], root: INodeParameters, node: INode, description: INodeTypeDescription, path = ''): string[] {
	const problems: string[] = [];
	for (const [name, value] of Object.entries(values)) {
		const at = `${path}${name}`;
		const candidates = properties.filter((p) => p.name === name);
		const property = path === '' ? candidates.find((p) => NodeHelpers.displayParameter(root, p, node, description, root)) : candidates[0];
		if (!property) {
			problems.push(`${at}: no such parameter here`);
			continue;
		}
		if (isExpression(value)) continue;
		const allowed = (property.options ?? []).map((o) => (o as { value?: unknown }).value);
		if (property.type === 'options' && !property.typeOptions?.loadOptionsMethod && !allowed.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not an option`);
		if (property.type === 'multiOptions' && !property.typeOptions?.loadOptionsMethod) {
			for (const entry of value as unknown[]) if (!allowed.includes(entry)) problems.push(`${at}: ${JSON.stringify(entry)} is not an option`);
		}
		if (property.type === 'boolean' && typeof value !== 'boolean') problems.push(`${at}: not a boolean`);
		if (property.type === 'number' && typeof value !== 'number') problems.push(`${at}: not a number`);
		if (property.type === 'string' && typeof value !== 'string') problems.push(`${at}: not a string`);
		if (property.type === 'resourceLocator') {
			const locator = value as { __rl?: boolean; mode?: string };
			if (locator?.__rl !== true || !(property.modes ?? []).some((mode) => mode.name === locator.mode)) problems.push(`${at}: not a locator value of this parameter`);
		}
		if (property.type === 'collection') {
			problems.push(...parameterProblems(value as INodeParameters, property.options as INodeProperties[], root, node, description, `${at}.`));
		}
		if (property.type === 'fixedCollection') {
			for (const [group, entries] of Object.entries(value as IDataObject)) {
				const fields = (property.options as INodePropertyCollection[]).find((o) => o.name === group)?.values;
				if (!fields) {
					problems.push(`${at}.${group}: no such group`);
					continue;
				}
				for (const entry of [entries].flat() as INodeParameters[]) problems.push(...parameterProblems(entry, fields, root, node, description, `${at}.${group}.`));
			}
		}
	}
	return problems;
}

describe.each(files)('examples/%s', (file) => {
	test('is an importable n8n workflow: named nodes, connections between them, a sticky note explaining it', () => {
		const example = load(file);
		expect(typeof example.name).toBe('string');
		const names = example.nodes.map((node) => node.name);
		expect(new Set(names).size).toBe(names.length);
		for (const [from, outputs] of Object.entries(example.connections)) {
			expect(names).toContain(from);
			for (const target of outputs.main.flat()) expect(names).toContain(target!.node);
		}
		const note = example.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote');
		expect(String(note?.parameters.content)).toMatch(/^## /);
		expect(example.nodes.some(isOurs)).toBe(true);
	});

	test('uses only parameters and option values our node descriptions define', async () => {
		const loader = await loadPackage();
		for (const node of load(file).nodes.filter(isOurs)) {
			const description = loader.types.nodes.find((type) => `${PACKAGE}.${type.name}` === node.type);
			expect(description).toBeDefined();
			expect(node.credentials?.unipileApi).toBeDefined();
			expect(parameterProblems(node.parameters, description!.properties, node.parameters, node, description!)).toEqual([]);
		}
	});
});

test('the parameter check catches a misspelled name, an unknown option value and a field of another operation', async () => {
	const loader = await loadPackage();
	const description = loader.types.nodes.find((type) => type.name === 'unipile')!;
	const node = load('whatsapp-auto-reply.json').nodes.find((n) => n.name === 'Reply in the same chat')!;
	node.parameters = { ...node.parameters, chatID: 'x', attendeesIds: 'y', options: { typingDurations: 1 }, resource: 'message', operation: 'send' };
	const bad = { ...node.parameters, operation: 'sendd' };
	expect(parameterProblems(node.parameters, description.properties, node.parameters, node, description).sort()).toEqual([
		'attendeesIds: no such parameter here',
		'chatID: no such parameter here',
		'options.typingDurations: no such parameter here',
	]);
	expect(parameterProblems(bad, description.properties, bad, node, description)).toContain('operation: "sendd" is not an option');
});

/** Stands in for nodes that are not ours (Code, files, CRM placeholders): hands its input on. */
class PassThrough implements INodeType {
	description = {
		displayName: 'Pass Through',
		name: 'passThrough',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Pass Through' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

describe('examples run against the sandbox', () => {
	let sandbox: Sandbox;
	let credentials: { dsn: string; apiKey: string };

	beforeAll(async () => {
		sandbox = await startSandbox({ chats: 30, messagesPerChat: 2 });
		credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
		await loadPackage();
		nodeTypes().add('test.passThrough', new PassThrough());
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.clearRequests());

	/** The example's trigger parameters, polled as n8n would: a first poll seeds, then `arrive` happens, then a poll. */
	async function triggerItems(example: Example, arrive: () => void) {
		const trigger = example.nodes.find((node) => node.type === `${PACKAGE}.unipilePollingTrigger`)!;
		const harness = pollHarness({ credentials, parameters: trigger.parameters });
		expect(await harness.poll()).toBeNull();
		arrive();
		const output = await harness.poll();
		return output?.[0] ?? [];
	}

	/**
	 * The example as a workflow the engine runs: a manual Start, then `replace[name]` items in place of that node
	 * (the trigger's poll output, or people for a Code node), our nodes as they are (the credential swapped for the
	 * sandbox's), every other node a pass-through.
	 */
	async function runExample(example: Example, replace: Record<string, IDataObject[] | INodeExecutionData[]>): Promise<IRun> {
		const nodes: INode[] = [{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }];
		const connections: IConnections = { ...example.connections };
		for (const node of example.nodes) {
			if (node.type === 'n8n-nodes-base.stickyNote' || node.name === 'Start') continue;
			if (replace[node.name]) {
				nodes.push({ ...node, type: 'test.itemSource', parameters: { items: JSON.stringify(replace[node.name]) }, credentials: undefined });
				connections.Start = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
			} else if (isOurs(node)) {
				nodes.push({ ...node, type: node.type.replace(`${PACKAGE}.`, 'CUSTOM.'), credentials: { unipileApi: { id: 'cred-1', name: 'Unipile account' } } });
			} else {
				nodes.push({ ...node, type: 'test.passThrough', parameters: {} });
			}
		}
		const run = await runWorkflow({ credentials, nodes, connections });
		if (run instanceof Error) throw run;
		expect(run.data.resultData.error).toBeUndefined();
		return run;
	}
	const output = (run: IRun, node: string) => run.data.resultData.runData[node][0].data!.main[0]!;

	test('whatsapp-auto-reply: a new message from a contact gets the reply in its chat; my own message does not', async () => {
		const example = load('whatsapp-auto-reply.json');
		const chat = sandbox.store.sortedChats().find((c) => c.account_type === 'WHATSAPP')!;
		const items = await triggerItems(example, () => {
			sandbox.injectMessage({ chatId: chat.id, text: 'Hello, are you open today?' });
			sandbox.injectMessage({ chatId: chat.id, text: 'my own reply', isSender: true });
		});
		expect(items.map((item) => item.json.text)).toEqual(['Hello, are you open today?']);
		sandbox.clearRequests();
		const run = await runExample(example, { 'Unipile Polling Trigger': items.map((item) => ({ json: item.json })) });
		expect(sandbox.requests.map((r) => [r.method, r.path])).toEqual([['POST', `/chats/${chat.id}/messages`]]);
		expect(sandbox.requests[0].form).toEqual([
			{ name: 'text', value: 'Thanks for your message! We got it and will answer shortly.' },
			{ name: 'typing_duration', value: '1500' },
		]);
		expect(output(run, 'Reply in the same chat')[0].json.object).toBe('MessageSent');
	});

	test('linkedin-invitation-accepted: the accepted invitation, delivered to the webhook trigger, gets a first message', async () => {
		const example = load('linkedin-invitation-accepted.json');
		const person = sandbox.store.sortedAttendees().find((a) => a.account_id === 'acc_linkedin_1' && !a.is_self)!;
		const trigger = await webhookHarness({ credentials, parameters: example.nodes.find((node) => node.name === 'Unipile Trigger')!.parameters });
		try {
			await trigger.activate();
			sandbox.webhooks.controlEvent({ event: 'new_relation', accountId: 'acc_linkedin_1', name: person.name, providerId: person.provider_id });
			await sandbox.webhooks.idle();
			await trigger.answered(1);
			await trigger.deactivate();
		} finally {
			await trigger.close();
		}
		expect(trigger.executions).toHaveLength(1);
		sandbox.clearRequests();
		const run = await runExample(example, { 'Unipile Trigger': trigger.executions[0].items.map((item) => ({ json: item.json })) });
		expect(sandbox.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/chats']]);
		expect(sandbox.requests[0].form).toEqual([
			{ name: 'account_id', value: 'acc_linkedin_1' },
			{ name: 'text', value: `Hi ${person.name.split(' ')[0]}, thanks for connecting! Happy to hear what you are working on.` },
			{ name: 'attendees_ids', value: person.provider_id },
			{ name: 'linkedin[api]', value: 'classic' },
			{ name: 'linkedin[inmail]', value: 'false' },
		]);
		expect(output(run, 'Send the first message')).toHaveLength(1);
	});

	test('linkedin-outreach: one chat started per person, with the personalised text', async () => {
		const example = load('linkedin-outreach.json');
		const people = sandbox.store
			.sortedAttendees()
			.filter((a) => a.account_id === 'acc_linkedin_1' && !a.is_self)
			.slice(0, 2)
			.map((a) => ({ providerId: a.provider_id, firstName: a.name.split(' ')[0] }));
		// The example leaves the account for the user to pick: the sandbox's LinkedIn account stands in.
		const start = example.nodes.find((node) => node.name === 'Start LinkedIn chat')!;
		start.parameters.accountId = { __rl: true, mode: 'list', value: 'acc_linkedin_1' };
		const run = await runExample(example, { People: people });
		expect(sandbox.requests.map((r) => [r.method, r.path])).toEqual([
			['POST', '/chats'],
			['POST', '/chats'],
		]);
		sandbox.requests.forEach((request, i) => {
			expect(request.form).toEqual([
				{ name: 'account_id', value: 'acc_linkedin_1' },
				{ name: 'text', value: `Hi ${people[i].firstName}, I came across your profile and would love to connect about what you are building. Open to a short chat?` },
				{ name: 'attendees_ids', value: people[i].providerId },
				{ name: 'linkedin[api]', value: 'classic' },
				{ name: 'linkedin[inmail]', value: 'false' },
			]);
		});
		expect(output(run, 'Start LinkedIn chat')).toHaveLength(2);
	});

	test('linkedin-invite-and-follow-up: a profile read and an invitation per person, the note from the profile; later a chat with whoever accepted', async () => {
		const { accountState, acceptSentInvitation } = await import('./sandbox/linkedin');
		const example = load('linkedin-invite-and-follow-up.json');
		for (const node of example.nodes.filter(isOurs)) node.parameters.accountId = { __rl: true, mode: 'list', value: 'acc_linkedin_1' };
		const people = accountState(sandbox.store, 'acc_linkedin_1').members.slice(1500, 1502);
		const invited = await runExample(example, { People: people.map((m) => ({ identifier: m.public_identifier })) });
		expect(sandbox.requests.map((r) => [r.method, r.path])).toEqual([
			// Unipile LinkedIn checks the account's kind once per execution, before its first request.
			['GET', '/accounts/acc_linkedin_1'],
			['GET', `/users/${people[0].public_identifier}`],
			['GET', `/users/${people[1].public_identifier}`],
			['POST', '/users/invite'],
			['POST', '/users/invite'],
		]);
		sandbox.requests.filter((r) => r.method === 'POST').forEach((request, i) => {
			expect(request.json).toEqual({
				account_id: 'acc_linkedin_1',
				provider_id: people[i].provider_id,
				message: `Hi ${people[i].first_name}, I enjoyed reading about your work at ${people[i].company}. I'm building tools for teams like yours and would be glad to connect.`,
			});
		});
		expect(output(invited, 'Send Invitation').map((item) => item.json.object)).toEqual(['UserInvitationSent', 'UserInvitationSent']);
		// The next morning: the first person accepted.
		acceptSentInvitation(sandbox.store, 'acc_linkedin_1', people[0].provider_id);
		sandbox.clearRequests();
		const followUp = await runExample(example, { 'Every morning': [{}] });
		expect(sandbox.requests[0]).toEqual(expect.objectContaining({ method: 'GET', path: '/accounts/acc_linkedin_1' }));
		expect(sandbox.requests[1]).toEqual(expect.objectContaining({ method: 'GET', path: '/users/relations', query: { account_id: 'acc_linkedin_1', limit: '100' } }));
		// The Filter node is a stand-in here: every relation reaches Start chat, the newest first.
		const chats = sandbox.requests.filter((r) => r.path === '/chats');
		expect(chats[0].form).toEqual([
			{ name: 'account_id', value: 'acc_linkedin_1' },
			{ name: 'text', value: `Thanks for connecting, ${people[0].first_name}! Would a 15-minute call next week be useful?` },
			{ name: 'attendees_ids', value: people[0].provider_id },
			{ name: 'linkedin[api]', value: 'classic' },
			{ name: 'linkedin[inmail]', value: 'false' },
		]);
		expect(output(followUp, 'Start chat')).toHaveLength(100);
	});

	test('save-attachments: the trigger hands each file over as binary data, with its name and type', async () => {
		const example = load('save-attachments.json');
		const chat = sandbox.store.sortedChats()[0];
		const items = await triggerItems(example, () => {
			sandbox.injectMessage({
				chatId: chat.id,
				text: 'the invoice',
				attachments: [
					{ fileName: 'invoice.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 example') },
					{ fileName: 'photo.png', mimeType: 'image/png', bytes: Buffer.from('not really a png') },
				],
			});
		});
		expect(items).toHaveLength(1);
		expect(items[0].binary?.attachment_0).toMatchObject({ fileName: 'invoice.pdf', mimeType: 'application/pdf' });
		expect(items[0].binary?.attachment_1).toMatchObject({ fileName: 'photo.png', mimeType: 'image/png' });
		// The example's own Code node, run on that output: one item per file, named for the Write to disk step.
		const code = String(example.nodes.find((node) => node.name === 'One item per file')!.parameters.jsCode);
		const split = new Function('$input', code)({ all: () => items }) as INodeExecutionData[];
		expect(split.map((item) => [item.json, item.binary?.data.fileName])).toEqual([
			[{ messageId: items[0].json.id, fileName: 'invoice.pdf' }, 'invoice.pdf'],
			[{ messageId: items[0].json.id, fileName: 'photo.png' }, 'photo.png'],
		]);
	});

	test('conversation-to-crm: the chat and the sender are read for the CRM step', async () => {
		const example = load('conversation-to-crm.json');
		const chat = sandbox.store.sortedChats().find((c) => c.account_type === 'LINKEDIN')!;
		const items = await triggerItems(example, () => sandbox.injectMessage({ chatId: chat.id, text: 'Interested in a demo' }));
		expect(items).toHaveLength(1);
		sandbox.clearRequests();
		const run = await runExample(example, { 'Unipile Polling Trigger': items.map((item) => ({ json: item.json })) });
		expect(sandbox.requests.map((r) => [r.method, r.path])).toEqual([
			['GET', `/chats/${chat.id}`],
			['GET', `/chat_attendees/${items[0].json.sender_attendee_id}`],
		]);
		const [sender] = output(run, 'Your CRM step');
		expect(sender.json.id).toBe(items[0].json.sender_attendee_id);
		expect(output(run, 'Get chat')[0].json.id).toBe(chat.id);
	});

	test('reply-to-lead-emails: a new email is answered in its thread, once, and handed to the CRM step', async () => {
		const example = load('reply-to-lead-emails.json');
		let lead: { id: string; thread_id?: string } | undefined;
		const items = await triggerItems(example, () => {
			lead = sandbox.store.mail.receive({ accountId: 'acc_google_1', from: { display_name: 'Ada Lovelace', identifier: 'ada@example.com' }, subject: 'Pricing question' });
		});
		expect(items.map((item) => item.json.id)).toEqual([lead!.id]);
		sandbox.clearRequests();
		const run = await runExample(example, { 'Unipile Polling Trigger': items.map((item) => ({ json: item.json })) });
		expect(sandbox.requests.map((r) => [r.method, r.path, r.status])).toEqual([
			['GET', `/emails/${lead!.id}`, 200],
			['POST', '/emails', 201],
		]);
		const form = Object.fromEntries(sandbox.requests[1].form!.map((f) => [f.name, 'value' in f ? f.value : f.fileName]));
		expect(form).toMatchObject({ reply_to: lead!.id, subject: 'Re: Pricing question', to: JSON.stringify([{ display_name: 'Ada Lovelace', identifier: 'ada@example.com' }]) });
		expect(form.body).toContain('Hello Ada Lovelace');
		const [logged] = output(run, 'Your CRM step');
		expect(logged.json).toEqual({ object: 'EmailSent', tracking_id: expect.any(String) });
		const sent = [...sandbox.store.mail.emails.values()].find((e) => e.tracking_id === logged.json.tracking_id)!;
		expect(sent.thread_id).toBe(lead!.thread_id);
	});
});
