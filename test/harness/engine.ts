/**
 * Runs our nodes inside n8n's real engine (n8n-core WorkflowExecute → RoutingNode, PollContext) with real HTTP.
 * Nothing here stands in for IExecuteFunctions or this.helpers: only the outer services an n8n server
 * would provide (credential storage, lifecycle hooks) are filled in.
 */
import './env';
import { ExecutionLifecycleHooks, PackageDirectoryLoader, PollContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { join } from 'node:path';

// UNIPILE_PACKAGE_ROOT: another build of the package (a bench comparing before/after a change).
const ROOT = process.env.UNIPILE_PACKAGE_ROOT ?? join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

/* eslint-disable @typescript-eslint/no-require-imports */
export const { Unipile } = require(join(DIST, 'nodes/Unipile/Unipile.node.js'));
export const { UnipileApi } = require(join(DIST, 'credentials/UnipileApi.credentials.js'));
export const { UnipileV2Api } = require(join(DIST, 'credentials/UnipileV2Api.credentials.js'));
export function loadTrigger(): new () => INodeType {
	return require(join(DIST, 'nodes/UnipilePollingTrigger/UnipilePollingTrigger.node.js')).UnipilePollingTrigger;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Stands in for the Manual Trigger node: the engine looks the start node up by this type name. */
class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Emits the items given in its `items` parameter, so a workflow can feed several items into the node under test. */
class ItemSource implements INodeType {
	description = {
		displayName: 'Items',
		name: 'itemSource',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | Array<INodeExecutionData | IDataObject>;
		const list = typeof raw === 'string' ? JSON.parse(raw) : raw;
		const out: INodeExecutionData[] = [];
		for (const entry of list as Array<INodeExecutionData | IDataObject>) {
			if (entry && typeof entry === 'object' && 'json' in entry) {
				const item = entry as INodeExecutionData & { binaryFiles?: Record<string, { data: string; fileName: string; mimeType: string }> };
				const binary: INodeExecutionData['binary'] = {};
				for (const [prop, file] of Object.entries(item.binaryFiles ?? {})) {
					binary[prop] = await this.helpers.prepareBinaryData(Buffer.from(file.data, 'base64'), file.fileName, file.mimeType);
				}
				// `binary` as is: files already in n8n's binary store (see binaryStore.ts), passed by reference.
				out.push({ json: item.json, ...(item.binaryFiles ? { binary } : item.binary ? { binary: item.binary } : {}) });
			} else {
				out.push({ json: entry as IDataObject });
			}
		}
		return [out];
	}
}

/**
 * Our package as n8n loads it: n8n-core's PackageDirectoryLoader reads package.json's `n8n` field, requires the built
 * files and adds what the product adds (Request Options on declarative nodes, Poll Times on pollers, icon URLs).
 * Types are registered as `CUSTOM.<name>`, the names n8n gives to nodes loaded through N8N_CUSTOM_EXTENSIONS.
 */
let packageLoad: Promise<PackageDirectoryLoader> | undefined;
export function loadPackage(): Promise<PackageDirectoryLoader> {
	packageLoad ??= (async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		for (const [name, { type }] of Object.entries(loader.nodeTypes)) nodeTypes().add(`CUSTOM.${name}`, type as INodeType);
		return loader;
	})();
	return packageLoad;
}

export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {};

	constructor() {
		this.types['n8n-nodes-base.manualTrigger'] = new ManualTrigger();
		this.types['test.itemSource'] = new ItemSource();
	}

	add(name: string, type: INodeType) {
		this.types[name] = type;
	}

	getByName(nodeType: string) {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes() {
		return {};
	}
}

/** A v1 credential (`unipileApi`: DSN and access token) or a v2 one (`unipileV2Api`: API key and base URL). */
export type UnipileCredentialData = (ICredentialDataDecryptedObject & { dsn: string; apiKey: string }) | (ICredentialDataDecryptedObject & { apiKey: string; baseUrl: string });

/** The credential type a test credential is of: a DSN makes it v1. */
export function credentialTypeFor(credentials: UnipileCredentialData): 'unipileApi' | 'unipileV2Api' {
	return 'dsn' in credentials ? 'unipileApi' : 'unipileV2Api';
}

/** What an n8n server's credential service does for a generic-auth credential: resolve and apply `authenticate`. */
class TestCredentialsHelper extends ICredentialsHelper {
	private readonly credentialTypes: Record<string, ICredentialType> = { unipileApi: new UnipileApi(), unipileV2Api: new UnipileV2Api() };

	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.credentialTypes[typeName];
		const auth = type?.authenticate;
		if (!auth || typeof auth === 'function' || auth.type !== 'generic') return requestOptions;
		const headers = (auth.properties.headers ?? {}) as Record<string, string>;
		requestOptions.headers = requestOptions.headers ?? {};
		for (const [name, value] of Object.entries(headers)) {
			requestOptions.headers[name] =
				workflow && node
					? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials })
					: value;
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by the engine for declarative nodes');
	}

	async getDecrypted(_ad: IWorkflowExecuteAdditionalData, _nc: INodeCredentialsDetails, type: string) {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return data;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return this.credentialTypes[type]?.properties ?? [];
	}
}

/** Like n8n's, every execution gets its own id (Unipile Email derives its Idempotency-Keys from it). */
let executions = 0;

export function additionalDataFor(credentials: UnipileCredentialData, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper({ [credentialTypeFor(credentials)]: credentials }),
		hooks,
		executionId: `test-execution-${++executions}`,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not supported in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not supported in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunOptions {
	credentials: UnipileCredentialData;
	/** Parameters of the Unipile node under test. */
	parameters: INodeParameters;
	/** Items fed into the node (default: one empty item). Binary files as `binaryFiles: {prop: {data(base64), fileName, mimeType}}`. */
	items?: Array<IDataObject | (INodeExecutionData & { binaryFiles?: Record<string, { data: string; fileName: string; mimeType: string }> })>;
	continueOnFail?: boolean;
	nodeType?: string;
	timezone?: string;
	/** The workflow's static data, as n8n loads it for an execution; changed in place by the run (as n8n would save it). */
	staticData?: IDataObject;
	/** The execution mode (default `manual`); `trigger` for a production execution. */
	mode?: WorkflowExecuteMode;
}

export interface RunResult {
	/** Items the Unipile node output (empty when it failed). */
	items: INodeExecutionData[];
	/** The node's error, as n8n reports it (message, description, httpCode), if the run failed. */
	error?: { message: string; description?: string | null; httpCode?: string | null; [key: string]: unknown };
	run: IRun;
}

/**
 * Executes a whole workflow through WorkflowExecute from its node named `Start` (a manual trigger); resolves with the
 * run, or with n8n's WorkflowHasIssuesError when it refuses to start (a required parameter left empty).
 */
export async function runWorkflow(options: {
	credentials: UnipileCredentialData;
	nodes: INode[];
	connections: IConnections;
	timezone?: string;
	staticData?: IDataObject;
	mode?: WorkflowExecuteMode;
}): Promise<IRun | Error> {
	await loadPackage();
	const { nodes, connections } = options;
	const workflowData: IWorkflowBase = {
		id: 'wf-test',
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes,
		connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: { executionOrder: 'v1', timezone: options.timezone ?? 'UTC' },
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		nodes,
		connections,
		active: false,
		nodeTypes: nodeTypes(),
		staticData: options.staticData ?? {},
		settings: workflowData.settings,
	});

	return await new Promise<IRun | Error>((resolve, reject) => {
		const mode = options.mode ?? 'manual';
		const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', workflowData);
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolve(fullRunData));
		const additionalData = additionalDataFor(options.credentials, hooks);
		const startNode = workflow.getNode('Start')!;
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
			},
		});
		const failed = (error: Error) => (error.name === 'WorkflowHasIssuesError' ? resolve(error) : reject(error));
		try {
			new WorkflowExecute(additionalData, mode, runExecutionData)
				.processRunExecutionData(workflow)
				.catch(failed);
		} catch (error) {
			failed(error as Error);
		}
	});
}

const NODE_NAME = 'Unipile';

/** Executes Start → Items → Unipile through WorkflowExecute and returns what the Unipile node output. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	await loadPackage();
	const nodes: INode[] = [
		{ id: '1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: '2',
			name: 'Items',
			type: 'test.itemSource',
			typeVersion: 1,
			position: [200, 0],
			parameters: { items: JSON.stringify(options.items ?? [{}]) },
		},
		{
			id: '3',
			name: NODE_NAME,
			type: options.nodeType ?? 'CUSTOM.unipile',
			typeVersion: 1,
			position: [400, 0],
			// A v1 credential is used by choosing v1 in Authentication (nodes without that parameter ignore it).
			parameters: 'dsn' in options.credentials && options.parameters.authentication === undefined ? { authentication: 'unipileApi', ...options.parameters } : options.parameters,
			credentials: { [credentialTypeFor(options.credentials)]: { id: 'cred-1', name: 'Unipile account' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	];
	const connections = {
		Start: { main: [[{ node: 'Items', type: 'main' as const, index: 0 }]] },
		Items: { main: [[{ node: NODE_NAME, type: 'main' as const, index: 0 }]] },
	};
	const run = await runWorkflow({ credentials: options.credentials, nodes, connections, timezone: options.timezone, staticData: options.staticData, mode: options.mode });
	// n8n refuses to start a workflow whose node has a required parameter left empty, as the editor would show.
	if (run instanceof Error) return { items: [], error: { message: run.message, description: null, httpCode: null }, run: undefined as unknown as IRun };

	const nodeRuns = run.data.resultData.runData[NODE_NAME];
	const nodeRun = nodeRuns?.[0];
	const items = nodeRun?.data?.main?.[0] ?? [];
	const rawError = nodeRun?.error ?? run.data.resultData.error;
	const error = rawError
		? {
				...(rawError as unknown as Record<string, unknown>),
				message: rawError.message,
				description: (rawError as { description?: string | null }).description,
				httpCode: (rawError as { httpCode?: string | null }).httpCode,
			}
		: undefined;
	return { items, error, run };
}

let sharedNodeTypes: TestNodeTypes | undefined;
export function nodeTypes(): TestNodeTypes {
	if (!sharedNodeTypes) sharedNodeTypes = new TestNodeTypes();
	return sharedNodeTypes;
}

export interface PollHarness {
	workflow: Workflow;
	node: INode;
	/** Runs one poll as n8n's ActiveWorkflows would (activation mode `trigger` after the first). */
	poll(mode?: WorkflowExecuteMode, activation?: WorkflowActivateMode): Promise<INodeExecutionData[][] | null>;
	/** The node's saved static data, as n8n would persist it between polls and restarts. */
	staticData(): IDataObject;
	/** How long each poll took (ms), in order. */
	readonly durations: number[];
}

let pollHarnesses = 0;

/** A polling trigger inside a real Workflow + PollContext; `staticData` lets a test restart from saved state. */
export function pollHarness(options: {
	/** Default: a new id per harness. Two harnesses with the same id act like two workflow objects of one n8n process. */
	workflowId?: string;
	credentials: UnipileCredentialData;
	parameters: INodeParameters;
	staticData?: IDataObject;
	nodeType?: string;
	/** What PollContext's getPollBudgetMs answers (n8n's N8N_SCHEDULER_POLL_TIMEOUT); n8n-core's default otherwise. */
	pollBudgetMs?: number;
}): PollHarness {
	const durations: number[] = [];
	const workflowId = options.workflowId ?? `wf-poll-${++pollHarnesses}`;
	const typeName = options.nodeType ?? 'CUSTOM.unipilePollingTrigger';
	const node: INode = {
		id: 't1',
		name: 'Unipile Polling Trigger',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		// A v1 credential without Authentication chosen runs on v1, as runNode does (the node's default is v2).
		parameters: 'dsn' in options.credentials && options.parameters.authentication === undefined ? { authentication: 'unipileApi', ...options.parameters } : options.parameters,
		credentials: { [credentialTypeFor(options.credentials)]: { id: 'cred-1', name: 'Unipile account' } },
	};
	// The node's own saved state (what staticData() returns), as n8n stores it under `node:<name>`.
	const staticData: IDataObject = options.staticData
		? { [`node:${node.name}`]: JSON.parse(JSON.stringify(options.staticData)) }
		: {};
	const additionalData = additionalDataFor(options.credentials);
	let workflow: Workflow | undefined;
	async function ready(): Promise<Workflow> {
		await loadPackage();
		workflow ??= new Workflow({
			// One id per harness: a new harness is a new n8n process (the trigger keeps per-process memory by workflow id).
			id: workflowId,
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: nodeTypes(),
			staticData,
			settings: { executionOrder: 'v1', timezone: 'UTC' },
		});
		return workflow;
	}
	return {
		get workflow() {
			if (!workflow) throw new Error('poll() first');
			return workflow;
		},
		node,
		durations,
		async poll(mode: WorkflowExecuteMode = 'trigger', activation: WorkflowActivateMode = 'activate') {
			const wf = await ready();
			const nodeType = nodeTypes().getByNameAndVersion(typeName, 1);
			const budget = options.pollBudgetMs;
			// PollContext's own parameters after `activation`; undefined keeps n8n-core's defaults.
			const context =
				budget === undefined
					? new PollContext(wf, node, additionalData, mode, activation)
					: new PollContext(wf, node, additionalData, mode, activation, undefined, undefined, undefined, undefined, undefined, () => budget);
			const started = Date.now();
			try {
				return await wf.expression.withIsolate(async () => await nodeType.poll!.call(context));
			} finally {
				durations.push(Date.now() - started);
			}
		},
		staticData() {
			const data = workflow ? workflow.staticData['node:Unipile Polling Trigger'] : staticData['node:Unipile Polling Trigger'];
			return JSON.parse(JSON.stringify(data ?? {}));
		},
	};
}
