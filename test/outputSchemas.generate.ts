/**
 * n8n's node output schemas for our action nodes, derived from what each operation really outputs: every
 * node/resource/operation of the built descriptions runs through n8n's engine (`runNode`) against one sandbox with
 * its fixture (test/outputSchemas.fixtures.ts), and the JSON of the items it outputs becomes a JSON schema in the
 * shape n8n-nodes-base ships (`{type, properties, items, required}`, no `$schema`). n8n serves them from
 * `<node dir>/__schema__/v1.0.0/<resource>/<operation>.json` (`GET /schemas/<type>/1.0.0/<resource>/<operation>.json`)
 * for the editor's Schema view before a run and for what AI tools know of the output.
 *
 * `npm run schemas:generate` writes them (scripts/output-schemas.cjs); test/outputSchemas.test.ts regenerates them in
 * memory and compares.
 */
import { join, dirname } from 'node:path';
import type { IDataObject, INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { loadPackage, runNode, type UnipileCredentialData } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';
import { outputSchemaFixtures, type FixtureContext } from './outputSchemas.fixtures';

type Any = any;

/** The node version directory n8n asks for: node version 1 padded to three parts (`padVersion` in n8n-core). */
export const SCHEMA_VERSION_DIR = 'v1.0.0';

export interface JsonSchema {
	type: string | string[];
	properties?: Record<string, JsonSchema>;
	required?: string[];
	items?: JsonSchema;
}

export interface ActionOperation {
	/** The node's type name without package prefix (`unipile`), as in `CUSTOM.unipile`. */
	node: string;
	/** The node's source folder relative to the package root (`nodes/Unipile`), where `__schema__` lives. */
	dir: string;
	resource: string;
	operation: string;
}

/** Every resource/operation of every node that has a Resource parameter (the triggers have none), from the built descriptions. */
export async function actionOperations(): Promise<ActionOperation[]> {
	const loader = await loadPackage();
	const out: ActionOperation[] = [];
	for (const [node, { type }] of Object.entries(loader.nodeTypes)) {
		const properties = (type.description as INodeTypeDescription).properties;
		const resource = properties.find((p) => p.name === 'resource');
		if (!resource?.options) continue;
		// dist/nodes/X/X.node.js → nodes/X: the build copies nodes/X/__schema__ next to the compiled node.
		const dir = dirname(loader.known.nodes[node].sourcePath).replace(/^dist\//, '');
		for (const { value } of resource.options as Array<{ value: string }>) {
			const lists = properties.filter((p: INodeProperties) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes(value));
			const operations = [...new Set(lists.flatMap((list) => (list.options as Array<{ value: string }>).map((o) => o.value)))];
			for (const operation of operations) out.push({ node, dir, resource: value, operation });
		}
	}
	return out;
}

/** Where an operation's schema file lives, relative to the package root. */
export function schemaPath(op: ActionOperation): string {
	return join(op.dir, '__schema__', SCHEMA_VERSION_DIR, op.resource, `${op.operation}.json`);
}

export function fixtureOf(op: ActionOperation) {
	return outputSchemaFixtures[op.node]?.[op.resource]?.[op.operation];
}

// ---- JSON → schema -----------------------------------------------------------------------------------------------

function typeOf(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value; // string, boolean, object
}

/**
 * One schema for every value seen at a place. Several types give a type list (`["string", "null"]`, as n8n's Notion
 * schemas do); integer and number seen together are `number`. An object's `required` lists the keys every object
 * seen there had; an array's `items` merges every element of every array seen there (none seen: no `items`).
 */
export function schemaOf(values: unknown[]): JsonSchema {
	const types: string[] = [];
	for (const value of values) {
		const t = typeOf(value);
		if (!types.includes(t)) types.push(t);
	}
	if (types.includes('integer') && types.includes('number')) types.splice(types.indexOf('integer'), 1);
	// Objects and arrays first, then primitives, null last: a stable order whatever the order of the samples.
	const rank = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
	types.sort((a, b) => rank.indexOf(a) - rank.indexOf(b));
	const schema: JsonSchema = { type: types.length === 1 ? types[0] : types };
	if (types.includes('object')) {
		const objects = values.filter((v) => typeOf(v) === 'object') as IDataObject[];
		const keys: string[] = [];
		for (const object of objects) for (const key of Object.keys(object)) if (!keys.includes(key)) keys.push(key);
		schema.properties = {};
		for (const key of keys) schema.properties[key] = schemaOf(objects.filter((o) => key in o).map((o) => o[key]));
		const required = keys.filter((key) => objects.every((o) => key in o));
		if (required.length) schema.required = required;
	}
	if (types.includes('array')) {
		const elements = (values.filter(Array.isArray) as unknown[][]).flat();
		if (elements.length) schema.items = schemaOf(elements);
	}
	return schema;
}

/** The file's text: tab-indented like the package's other JSON, one newline at the end. */
export function schemaText(schema: JsonSchema): string {
	return `${JSON.stringify(schema, null, '\t')}\n`;
}

// ---- running the operations --------------------------------------------------------------------------------------

export interface GeneratedSchemas {
	/** schema file path (relative to the package root) → its text */
	files: Map<string, string>;
	/** Operations that have no fixture, or whose run failed or output nothing: each named, with why. */
	problems: string[];
}

const byId = (value: string) => ({ __rl: true as const, mode: 'id' as const, value });

/**
 * Runs every action operation (or those given) against one sandbox and derives its schema. The sandbox is reset
 * before each operation, so every fixture starts from the same seeded data whatever ran before it.
 */
export async function generateOutputSchemas(only?: ActionOperation[]): Promise<GeneratedSchemas> {
	const operations = only ?? (await actionOperations());
	const sandbox: Sandbox = await startSandbox();
	const files = new Map<string, string>();
	const problems: string[] = [];
	const v1: UnipileCredentialData = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
	const v2: UnipileCredentialData = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	try {
		for (const op of operations) {
			const label = `${op.node} → ${op.resource} → ${op.operation}`;
			const fixture = fixtureOf(op);
			if (!fixture) {
				problems.push(`${label}: no fixture in test/outputSchemas.fixtures.ts`);
				continue;
			}
			const outputs: IDataObject[] = [];
			for (const run of [fixture, ...(fixture.variants ?? [])]) {
				sandbox.reset();
				sandbox.clearFaults();
				const ctx = fixtureContext(sandbox, v1, v2);
				const onV1 = run.api === 'v1';
				const parameters: INodeParameters = { authentication: onV1 ? 'unipileApi' : 'unipileApiV2', resource: op.resource, operation: op.operation, ...(await run.parameters(ctx)) };
				const items = run.items ? await run.items(ctx) : undefined;
				const { items: output, error } = await runNode({ credentials: onV1 ? v1 : v2, nodeType: `CUSTOM.${op.node}`, parameters, items });
				if (error) {
					problems.push(`${label}: the fixture's run failed: ${error.message}${error.description ? ` (${error.description})` : ''}`);
					break;
				}
				if (!output.length) {
					problems.push(`${label}: the fixture's run output no item; give it parameters that output at least one`);
					break;
				}
				outputs.push(...output.map((item) => item.json));
			}
			if (outputs.length === 0 || problems.some((p) => p.startsWith(`${label}:`))) continue;
			files.set(schemaPath(op), schemaText(schemaOf(outputs)));
		}
	} finally {
		await sandbox.close();
	}
	return { files, problems };
}

function fixtureContext(sandbox: Sandbox, v1: UnipileCredentialData, v2: UnipileCredentialData): FixtureContext {
	const v2Get = async (path: string): Promise<Any> => {
		const res = await fetch(`${sandbox.url}/v2${path}`, { headers: { 'X-API-KEY': sandbox.v2.apiKey, 'Cache-Control': 'no-store' } });
		return await res.json();
	};
	return {
		sandbox,
		byId,
		v2Account: (provider) => {
			const account = sandbox.v2.accounts.find((a: Any) => a.provider === provider && a.status === 'running');
			if (!account) throw new Error(`the sandbox has no running v2 ${provider} account`);
			return (account as Any).id;
		},
		v2Get,
		control: async (path, body) => {
			const res = await fetch(`${sandbox.url}/_sandbox/v2/${path}`, { method: body ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
			return await res.json();
		},
		run: async (node, parameters, api = 'v2') => {
			const { items, error } = await runNode({
				credentials: api === 'v1' ? v1 : v2,
				nodeType: `CUSTOM.${node}`,
				parameters: { authentication: api === 'v1' ? 'unipileApi' : 'unipileApiV2', ...parameters },
			});
			if (error) throw new Error(`fixture setup (${node} ${String(parameters.resource)} → ${String(parameters.operation)}) failed: ${error.message}`);
			return items.map((item) => item.json);
		},
	};
}
