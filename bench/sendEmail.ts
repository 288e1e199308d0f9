import { randomBytes } from 'node:crypto';
import type { IExecuteFunctions, INode, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { loadPackage, nodeTypes, runWorkflow } from '../test/harness/engine';
import type { Sandbox } from '../test/sandbox/server';
import { interleave, median, timed, type Row } from './stats';

const ITEMS = 10;
const SIZE = 5 * 1024 * 1024;
const FILE = randomBytes(SIZE);
const TO = JSON.stringify([{ display_name: 'Ada Lovelace', identifier: 'ada@example.com' }]);

/** Emits ITEMS items, each carrying the same 5 MB file as binary field `file`. */
class FileItems implements INodeType {
	description = {
		displayName: 'File Items',
		name: 'fileItems',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'File Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		for (let n = 0; n < ITEMS; n++) {
			out.push({ json: { n }, binary: { file: await this.helpers.prepareBinaryData(FILE, 'report.pdf', 'application/pdf') } });
		}
		return [out];
	}
}

/** The floor: one multipart POST /emails per item from a minimal programmatic node, the file read from the item. */
class MinimalSendEmail implements INodeType {
	description = {
		displayName: 'Minimal Send Email',
		name: 'minimalSendEmail',
		group: ['output'],
		version: 1,
		description: '',
		defaults: { name: 'Minimal Send Email' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'unipileApi', required: true }],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { dsn } = await this.getCredentials<{ dsn: string }>('unipileApi');
		const out: INodeExecutionData[] = [];
		for (let index = 0; index < this.getInputData().length; index++) {
			const form = new FormData();
			form.append('account_id', 'acc_google_1');
			form.append('to', TO);
			form.append('subject', 'Report');
			form.append('body', `<p>Report ${index}</p>`);
			const buffer = await this.helpers.getBinaryDataBuffer(index, 'file');
			form.append('attachments', new Blob([new Uint8Array(buffer)], { type: 'application/pdf' }), 'report.pdf');
			const json = await this.helpers.httpRequestWithAuthentication.call(this, 'unipileApi', {
				method: 'POST',
				url: `${dsn}/api/v1/emails`,
				headers: { accept: 'application/json' },
				body: form,
			});
			out.push({ json, pairedItem: { item: index } });
		}
		return [out];
	}
}

/**
 * Unipile Email → Send with a 5 MB attachment per item: the node beside a minimal programmatic node in the same
 * engine and a bare fetch loop posting the same form. Sent mail is dropped from the sandbox after each run.
 */
export async function benchSendEmail(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	await loadPackage();
	nodeTypes().add('bench.fileItems', new FileItems());
	nodeTypes().add('bench.minimalSendEmail', new MinimalSendEmail());
	const credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };

	function forget() {
		const mail = sandbox.store.mail;
		for (const send of mail.sends.splice(0)) {
			const email = mail.emails.get(send.emailId);
			if (email) mail.remove(email);
		}
		mail.idempotency.clear();
		sandbox.clearRequests();
	}

	async function engine(type: string, parameters: INode['parameters']) {
		forget();
		const nodes: INode[] = [
			{ id: '1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: '2', name: 'Files', type: 'bench.fileItems', typeVersion: 1, position: [200, 0], parameters: {} },
			{ id: '3', name: 'Send', type, typeVersion: 1, position: [400, 0], parameters, credentials: { unipileApi: { id: 'cred-1', name: 'Unipile account' } } },
		];
		const connections = {
			Start: { main: [[{ node: 'Files', type: 'main' as const, index: 0 }]] },
			Files: { main: [[{ node: 'Send', type: 'main' as const, index: 0 }]] },
		};
		const { ms, cpuMs, value } = await timed(() => runWorkflow({ credentials, nodes, connections }));
		const sent = sandbox.requests.filter((r) => r.status === 201 && r.form?.some((f) => 'size' in f && f.size === SIZE)).length;
		if (value instanceof Error || value.data.resultData.error || sent !== ITEMS) {
			throw new Error(`${type}: ${value instanceof Error ? value.message : value.data.resultData.error?.message ?? `${sent} of ${ITEMS} sent`}`);
		}
		return { ms, cpuMs };
	}

	async function raw() {
		forget();
		const { ms, cpuMs } = await timed(async () => {
			for (let n = 0; n < ITEMS; n++) {
				const form = new FormData();
				form.append('account_id', 'acc_google_1');
				form.append('to', TO);
				form.append('subject', 'Report');
				form.append('body', `<p>Report ${n}</p>`);
				form.append('attachments', new Blob([FILE], { type: 'application/pdf' }), 'report.pdf');
				const response = await fetch(`${sandbox.dsn}/api/v1/emails`, { method: 'POST', headers: { 'X-API-KEY': sandbox.apiKey, accept: 'application/json' }, body: form });
				if (response.status !== 201) throw new Error(`raw fetch: ${response.status}`);
				await response.json();
			}
		});
		return { ms, cpuMs };
	}

	const samples = await interleave(
		rounds,
		{
			node: () =>
				engine('CUSTOM.unipileEmail', {
					authentication: 'unipileApi',
					resource: 'email',
					operation: 'send',
					accountId: 'acc_google_1',
					to: 'Ada Lovelace <ada@example.com>',
					subject: 'Report',
					body: '=<p>Report {{ $json.n }}</p>',
					attachments: 'file',
				}),
			minimal: () => engine('bench.minimalSendEmail', {}),
			raw,
		},
		{ warmUp: true },
	);
	forget();
	const scenario = `Send Email, ${ITEMS} × 5 MB file`;
	type Sample = { ms: number; cpuMs: number };
	const versus = (measure: 'ms' | 'cpuMs', floor: Sample[], floorName: string): Row => ({
		scenario,
		measure: measure === 'ms' ? 'time' : 'CPU time',
		value: median(samples.node.map((s) => s[measure])),
		floor: median(floor.map((s) => s[measure])),
		floorName,
		unit: 'ms',
		ratio: median(samples.node.map((s, round) => s[measure] / floor[round][measure])),
	});
	return [versus('ms', samples.minimal, 'minimal node, sequential'), versus('cpuMs', samples.minimal, 'minimal node, sequential'), versus('ms', samples.raw, 'raw fetch, sequential')];
}

/** The floor on v2: one JSON POST /v2/{account}/emails/send per item from a minimal programmatic node, the file as base64. */
class MinimalSendEmailV2 implements INodeType {
	description = {
		displayName: 'Minimal Send Email V2',
		name: 'minimalSendEmailV2',
		group: ['output'],
		version: 1,
		description: '',
		defaults: { name: 'Minimal Send Email V2' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'unipileV2Api', required: true }],
		properties: [{ displayName: 'Account', name: 'account', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('unipileV2Api');
		const account = this.getNodeParameter('account', 0) as string;
		const out: INodeExecutionData[] = [];
		for (let index = 0; index < this.getInputData().length; index++) {
			const buffer = await this.helpers.getBinaryDataBuffer(index, 'file');
			const json = await this.helpers.httpRequestWithAuthentication.call(this, 'unipileV2Api', {
				method: 'POST',
				url: `${baseUrl}/v2/${account}/emails/send`,
				headers: { accept: 'application/json' },
				json: true,
				body: { to: [{ email: 'ada@example.com', display_name: 'Ada Lovelace' }], subject: 'Report', html: `<p>Report ${index}</p>`, attachments: [{ filename: 'report.pdf', content_type: 'application/pdf', content: buffer.toString('base64') }] },
			});
			out.push({ json, pairedItem: { item: index } });
		}
		return [out];
	}
}

/**
 * Unipile Email → Send on Unipile API v2 (the file as base64 in a JSON body, streamed from n8n's binary store) with a
 * 5 MB attachment per item, beside a minimal programmatic node and a bare fetch loop posting the same JSON. The v2
 * environment is reset after each run (it keeps what is sent).
 */
export async function benchSendEmailV2(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	await loadPackage();
	nodeTypes().add('bench.fileItems', new FileItems());
	nodeTypes().add('bench.minimalSendEmailV2', new MinimalSendEmailV2());
	const credentials = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	const account = () => sandbox.v2.accounts.find((a) => a.provider === 'google' && a.status === 'running')!.id;
	const CONTENT = FILE.toString('base64');

	function forget() {
		sandbox.v2.env.reset();
		sandbox.clearRequests();
	}
	const sentCount = () => sandbox.requests.filter((r) => r.status === 200 && r.path.endsWith('/emails/send') && r.attachments?.[0]?.size === SIZE).length;

	async function engine(type: string, parameters: INode['parameters']) {
		forget();
		const nodes: INode[] = [
			{ id: '1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: '2', name: 'Files', type: 'bench.fileItems', typeVersion: 1, position: [200, 0], parameters: {} },
			{ id: '3', name: 'Send', type, typeVersion: 1, position: [400, 0], parameters, credentials: { unipileV2Api: { id: 'cred-1', name: 'Unipile v2' } } },
		];
		const connections = {
			Start: { main: [[{ node: 'Files', type: 'main' as const, index: 0 }]] },
			Files: { main: [[{ node: 'Send', type: 'main' as const, index: 0 }]] },
		};
		const { ms, cpuMs, value } = await timed(() => runWorkflow({ credentials, nodes, connections }));
		const sent = sentCount();
		if (value instanceof Error || value.data.resultData.error || sent !== ITEMS) {
			throw new Error(`${type} on v2: ${value instanceof Error ? value.message : value.data.resultData.error?.message ?? `${sent} of ${ITEMS} sent`}`);
		}
		return { ms, cpuMs };
	}

	async function raw() {
		forget();
		const { ms, cpuMs } = await timed(async () => {
			for (let n = 0; n < ITEMS; n++) {
				const body = JSON.stringify({ to: [{ email: 'ada@example.com', display_name: 'Ada Lovelace' }], subject: 'Report', html: `<p>Report ${n}</p>`, attachments: [{ filename: 'report.pdf', content_type: 'application/pdf', content: CONTENT }] });
				const response = await fetch(`${sandbox.url}/v2/${account()}/emails/send`, { method: 'POST', headers: { 'X-API-KEY': sandbox.v2.apiKey, accept: 'application/json', 'content-type': 'application/json' }, body });
				if (response.status !== 200) throw new Error(`raw fetch v2: ${response.status}`);
				await response.json();
			}
		});
		return { ms, cpuMs };
	}

	const samples = await interleave(
		rounds,
		{
			node: () =>
				engine('CUSTOM.unipileEmail', {
					authentication: 'unipileApiV2',
					resource: 'email',
					operation: 'send',
					accountId: { __rl: true, mode: 'id', value: account() },
					to: 'Ada Lovelace <ada@example.com>',
					subject: 'Report',
					body: '=<p>Report {{ $json.n }}</p>',
					attachments: 'file',
				}),
			minimal: () => engine('bench.minimalSendEmailV2', { account: account() }),
			raw,
		},
		{ warmUp: true },
	);
	forget();
	const scenario = `Send Email v2, ${ITEMS} × 5 MB file (base64 JSON)`;
	type Sample = { ms: number; cpuMs: number };
	const versus = (measure: 'ms' | 'cpuMs', floor: Sample[], floorName: string): Row => ({
		scenario,
		measure: measure === 'ms' ? 'time' : 'CPU time',
		value: median(samples.node.map((s) => s[measure])),
		floor: median(floor.map((s) => s[measure])),
		floorName,
		unit: 'ms',
		ratio: median(samples.node.map((s, round) => s[measure] / floor[round][measure])),
	});
	return [versus('ms', samples.minimal, 'minimal node, sequential'), versus('cpuMs', samples.minimal, 'minimal node, sequential'), versus('ms', samples.raw, 'raw fetch, sequential')];
}
