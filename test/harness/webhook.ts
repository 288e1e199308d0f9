/**
 * A webhook trigger inside n8n-core's real HookContext (checkExists/create/delete) and WebhookContext (webhook()),
 * served over real HTTP on 127.0.0.1 the way n8n's webhook server does it:
 * - activation = checkExists, then create only when it returns false; a failed create is followed by delete on a
 *   workflow rebuilt from the static data saved before the activation (what n8n does);
 * - each delivery runs on a workflow rebuilt from the saved static data, which is saved again afterwards (not when
 *   webhook() throws); JSON bodies are parsed only for a JSON content type, the raw bytes are kept as `rawBody`;
 * - `{workflowData}` starts an execution (recorded here with its items), `{}` answers 200 and starts nothing,
 *   `noWebhookResponse` leaves the answer to the node, a throw answers 500.
 */
import './env';
import { HookContext, WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { additionalDataFor, credentialTypeFor, loadPackage, nodeTypes, type UnipileCredentialData } from './engine';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/server';

export interface RecordedExecution {
	items: INodeExecutionData[];
	/** when webhook() returned (ms since epoch): the execution starts here */
	startedAt: number;
	test: boolean;
}

export interface RecordedAnswer {
	status: number;
	body: string;
	test: boolean;
}

export interface WebhookHarness {
	node: INode;
	/** production URL n8n gives the node */
	url: string;
	/** "Listen for test event" URL */
	testUrl: string;
	activate(options?: { test?: boolean; activation?: WorkflowActivateMode }): Promise<void>;
	deactivate(options?: { test?: boolean }): Promise<void>;
	executions: RecordedExecution[];
	answers: RecordedAnswer[];
	/** the node's saved static data (production or test) */
	staticData(test?: boolean): IDataObject;
	/** replaces the saved static data (e.g. as an older copy a restart would load) */
	setStaticData(data: IDataObject, test?: boolean): void;
	/** resolves after `n` deliveries were answered in total */
	answered(n: number, timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}

const NODE_NAME = 'Unipile Trigger';
let serial = 0;

type ExpressLike = ServerResponse & { status(code: number): ExpressLike; json(body: unknown): ExpressLike; send(body?: unknown): ExpressLike };

function expressResponse(res: ServerResponse): ExpressLike {
	const r = res as ExpressLike;
	r.status = (code: number) => {
		r.statusCode = code;
		return r;
	};
	r.json = (body: unknown) => {
		if (!r.headersSent) r.setHeader('Content-Type', 'application/json; charset=utf-8');
		r.end(JSON.stringify(body));
		return r;
	};
	r.send = (body?: unknown) => {
		r.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : body === undefined ? '' : JSON.stringify(body));
		return r;
	};
	return r;
}

export async function webhookHarness(options: {
	credentials: UnipileCredentialData;
	parameters: INodeParameters;
	nodeType?: string;
	workflowId?: string;
}): Promise<WebhookHarness> {
	await loadPackage();
	const typeName = options.nodeType ?? 'CUSTOM.unipileTrigger';
	const node: INode = {
		id: 'node-1',
		name: NODE_NAME,
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		// A v1 credential runs the node on v1 (its Authentication's default is v2), as the engine harness does.
		parameters: 'dsn' in options.credentials && options.parameters.authentication === undefined ? { authentication: 'unipileApi', ...options.parameters } : options.parameters,
		webhookId: '6f1c2b9e-2d4a-4c1e-9a57-0d3b1f1e2a10',
		credentials: { [credentialTypeFor(options.credentials)]: { id: 'cred-1', name: 'Unipile account' } },
	};
	// Each harness is another workflow, as in n8n (the trigger remembers recent deliveries per workflow and node).
	const workflowId = options.workflowId ?? `wf-webhook-${++serial}`;
	const saved: Record<'prod' | 'test', IDataObject> = { prod: {}, test: {} };
	const executions: RecordedExecution[] = [];
	const answers: RecordedAnswer[] = [];
	let waiters: Array<() => void> = [];

	const server: Server = createServer((req, res) => void serve(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const address = server.address();
	const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

	function additionalData(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
		return { ...additionalDataFor(options.credentials), webhookBaseUrl: `${base}/webhook`, webhookTestBaseUrl: `${base}/webhook-test`, ...extra } as IWorkflowExecuteAdditionalData;
	}

	function workflowFrom(test: boolean): Workflow {
		const data = JSON.parse(JSON.stringify(saved[test ? 'test' : 'prod'])) as IDataObject;
		return new Workflow({ id: workflowId, nodes: [node], connections: {}, active: !test, nodeTypes: nodeTypes(), staticData: data, settings: { executionOrder: 'v1', timezone: 'UTC' } });
	}

	function save(workflow: Workflow, test: boolean): void {
		const data = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		delete data.__dataChanged;
		saved[test ? 'test' : 'prod'] = data;
	}

	function webhookData(workflow: Workflow, data: IWorkflowExecuteAdditionalData, test: boolean): IWebhookData {
		const description = nodeTypes().getByNameAndVersion(typeName, 1).description.webhooks![0];
		const path = NodeHelpers.getNodeWebhookPath(workflowId, node, String(description.path), false, false);
		return { httpMethod: 'POST', node: node.name, path, webhookDescription: description, workflowId, workflowExecuteAdditionalData: data, webhookId: undefined, isTest: test } as unknown as IWebhookData;
	}

	async function hook(method: 'checkExists' | 'create' | 'delete', workflow: Workflow, test: boolean, activation: WorkflowActivateMode): Promise<unknown> {
		const type = nodeTypes().getByNameAndVersion(typeName, 1);
		const fn = type.webhookMethods?.default?.[method];
		if (!fn) throw new Error(`no webhookMethods.default.${method}`);
		const data = additionalData();
		const mode: WorkflowExecuteMode = test ? 'manual' : 'trigger';
		const context = new HookContext(workflow, node, data, mode, activation, webhookData(workflow, data, test));
		return await workflow.expression.withIsolate(async () => await fn.call(context));
	}

	async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const rawBody = Buffer.concat(chunks);
		const pathname = new URL(req.url ?? '/', base).pathname;
		const test = pathname.startsWith('/webhook-test/');
		const expected = new URL(test ? harness.testUrl : harness.url).pathname;
		const answer = expressResponse(res);
		const finish = () => {
			answers.push({ status: res.statusCode, body: '', test });
			const w = waiters;
			waiters = [];
			for (const f of w) f();
		};
		res.on('finish', finish);
		if (pathname !== expected || req.method !== 'POST') {
			answer.status(404).json({ code: 404, message: 'The requested webhook is not registered.' });
			return;
		}
		const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		let body: unknown = {};
		if (rawBody.length > 0 && (type === 'application/json' || type.endsWith('+json'))) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				answer.status(400).json({ message: 'Failed to parse request body' });
				return;
			}
		}
		const request = Object.assign(req, { body, rawBody, query: {}, params: {} });
		const workflow = workflowFrom(test);
		const data = additionalData({ httpRequest: request, httpResponse: answer } as unknown as Partial<IWorkflowExecuteAdditionalData>);
		const type_ = nodeTypes().getByNameAndVersion(typeName, 1);
		const context = new WebhookContext(workflow, node, data, test ? 'manual' : 'webhook', webhookData(workflow, data, test), [], null);
		let result: IWebhookResponseData;
		try {
			result = await workflow.expression.withIsolate(async () => await type_.webhook!.call(context));
		} catch (error) {
			answer.status(500).json({ code: 0, message: (error as Error).message });
			return;
		}
		save(workflow, test);
		if (result.noWebhookResponse) return;
		if (result.workflowData) {
			executions.push({ items: result.workflowData[0] ?? [], startedAt: Date.now(), test });
			answer.status(200).json({ message: 'Workflow was started' });
			return;
		}
		answer.status(200).json({ message: 'Webhook call received' });
	}

	const harness: WebhookHarness = {
		node,
		url: NodeHelpers.getNodeWebhookUrl(`${base}/webhook`, workflowId, node, 'webhook', false),
		testUrl: NodeHelpers.getNodeWebhookUrl(`${base}/webhook-test`, workflowId, node, 'webhook', false),
		executions,
		answers,
		async activate({ test = false, activation = 'activate' } = {}) {
			if (test) saved.test = {};
			const before = JSON.parse(JSON.stringify(saved[test ? 'test' : 'prod'])) as IDataObject;
			const workflow = workflowFrom(test);
			try {
				if (!(await hook('checkExists', workflow, test, activation))) await hook('create', workflow, test, activation);
			} catch (error) {
				// n8n: clean up on a workflow rebuilt from the static data saved before this activation; errors only logged.
				saved[test ? 'test' : 'prod'] = before;
				try {
					await hook('delete', workflowFrom(test), test, activation);
				} catch {
					// logged by n8n, nothing more
				}
				throw error;
			}
			save(workflow, test);
		},
		async deactivate({ test = false } = {}) {
			const workflow = workflowFrom(test);
			await hook('delete', workflow, test, 'activate');
			save(workflow, test);
		},
		staticData(test = false) {
			return JSON.parse(JSON.stringify(saved[test ? 'test' : 'prod'][`node:${NODE_NAME}`] ?? {})) as IDataObject;
		},
		setStaticData(data: IDataObject, test = false) {
			saved[test ? 'test' : 'prod'] = { [`node:${NODE_NAME}`]: JSON.parse(JSON.stringify(data)) };
		},
		answered(n: number, timeoutMs = 10_000) {
			if (answers.length >= n) return Promise.resolve();
			return new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`only ${answers.length} of ${n} deliveries answered`)), timeoutMs);
				const check = () => {
					if (answers.length >= n) {
						clearTimeout(timer);
						resolve();
					} else waiters.push(check);
				};
				waiters.push(check);
			});
		},
		close() {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	return harness;
}

/**
 * A sandbox for a test file of the webhook trigger, started once, reset before each test, closed (with every
 * harness made) after the file: `sandbox()` is the running sandbox, `harness(parameters)` a trigger on it.
 */
export function webhookTestKit(
	sandboxOptions: SandboxOptions,
	/** `v2`: the trigger runs with the sandbox's v2 credential (Unipile API v2) */
	api: 'v1' | 'v2' = 'v1',
): { sandbox: () => Sandbox; harness: (parameters: Record<string, unknown>) => Promise<WebhookHarness> } {
	let running: Sandbox | undefined;
	const open: WebhookHarness[] = [];
	beforeAll(async () => {
		running = await startSandbox(sandboxOptions);
	});
	afterAll(async () => {
		for (const h of open) await h.close();
		await running?.close();
	});
	beforeEach(() => running!.reset());
	const sandbox = () => running!;
	return {
		sandbox,
		async harness(parameters) {
			const credentials: UnipileCredentialData = api === 'v2' ? { apiKey: sandbox().v2.apiKey, baseUrl: sandbox().url } : { dsn: sandbox().dsn, apiKey: sandbox().apiKey };
			const h = await webhookHarness({ credentials, parameters: parameters as INodeParameters });
			open.push(h);
			return h;
		},
	};
}
