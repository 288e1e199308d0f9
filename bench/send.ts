import { NodeHelpers, type INode, type INodeType } from 'n8n-workflow';
import { loadPackage, nodeTypes, runNode } from '../test/harness/engine';
import type { Sandbox } from '../test/sandbox/server';
import { MinimalSend } from './minimalSend';
import { interleave, median, timed, type Row } from './stats';

const ITEMS = 1000;
const TEXT = '=Message {{ $json.n }}';

/**
 * A bench-only copy of the Unipile node whose description keeps only the properties shown for Message → Send
 * (10 of 71 top-level ones). RoutingNode walks every top-level property of the description for every item, twice
 * (request options, then the base-URL ownership check): this copy shows what that walk costs.
 */
async function trimmedToSend(): Promise<INodeType> {
	await loadPackage();
	const full = nodeTypes().getByName('CUSTOM.unipile') as INodeType;
	const values = { resource: 'message', operation: 'send' };
	const node = { parameters: values } as unknown as INode;
	const properties = full.description.properties.filter((property) =>
		NodeHelpers.displayParameter(values, property, node, null, values),
	);
	return Object.assign(Object.create(full) as INodeType, { description: { ...full.description, properties } });
}

/**
 * Message → Send for many items: the Unipile node, a minimal programmatic node in the same engine (sequential and
 * concurrent), and bare fetch loops posting the same multipart form (sequential and concurrent).
 */
export async function benchSend(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	nodeTypes().add('bench.minimalSend', new MinimalSend());
	const trimmed = await trimmedToSend();
	nodeTypes().add('bench.unipileTrimmedToSend', trimmed);
	const credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
	const chatId = sandbox.store.sortedChats()[0].id;
	const items = Array.from({ length: ITEMS }, (_, n) => ({ n }));

	async function engine(parameters: Record<string, unknown>, nodeType?: string) {
		sandbox.clearRequests();
		const { ms, cpuMs, value } = await timed(() => runNode({ credentials, parameters, items, nodeType } as Parameters<typeof runNode>[0]));
		const sent = sandbox.requests.filter((r) => r.status === 201).length;
		if (value.error || value.items.length !== ITEMS || sent !== ITEMS) {
			throw new Error(`${nodeType ?? 'unipile'}: ${value.error?.message ?? `${value.items.length} items, ${sent} sent`}`);
		}
		return { ms, cpuMs };
	}

	function post(n: number) {
		const form = new FormData();
		form.append('text', `Message ${n}`);
		return fetch(`${sandbox.dsn}/api/v1/chats/${encodeURIComponent(chatId)}/messages`, {
			method: 'POST',
			headers: { 'X-API-KEY': sandbox.apiKey, accept: 'application/json' },
			body: form,
		}).then(async (response) => {
			if (response.status !== 201) throw new Error(`raw fetch: ${response.status}`);
			return await response.json();
		});
	}

	async function raw(concurrent: boolean) {
		sandbox.clearRequests();
		const { ms, cpuMs } = await timed(async () => {
			if (concurrent) return await Promise.all(items.map((_, n) => post(n)));
			const out = [];
			for (let n = 0; n < ITEMS; n++) out.push(await post(n));
			return out;
		});
		return { ms, cpuMs };
	}

	const send = { resource: 'message', operation: 'send', chatId, text: TEXT };
	const samples = await interleave(rounds, {
		node: () => engine(send),
		trimmed: () => engine(send, 'bench.unipileTrimmedToSend'),
		minimal: () => engine({ chatId, text: TEXT }, 'bench.minimalSend'),
		minimalConcurrent: () => engine({ chatId, text: TEXT, concurrent: true }, 'bench.minimalSend'),
		raw: () => raw(false),
		rawConcurrent: () => raw(true),
	}, { warmUp: true });
	const scenario = `Send Message, ${ITEMS.toLocaleString('en')} items`;
	type Sample = { ms: number; cpuMs: number };
	const versus = (measure: 'ms' | 'cpuMs', floor: Sample[], floorName: string, target?: Row['target'], of: Sample[] = samples.node): Row => ({
		scenario,
		measure: measure === 'ms' ? 'time' : 'CPU time',
		value: median(of.map((s) => s[measure])),
		floor: median(floor.map((s) => s[measure])),
		floorName,
		unit: 'ms',
		ratio: median(of.map((s, round) => s[measure] / floor[round][measure])),
		target,
	});
	const target = { maxRatio: 1.2, label: '≤ 1.2× minimal' };
	return [
		versus('ms', samples.minimal, 'minimal node, sequential', target),
		versus('cpuMs', samples.minimal, 'minimal node, sequential', target),
		versus('ms', samples.minimalConcurrent, 'minimal node, concurrent', target),
		versus('ms', samples.raw, 'raw fetch, sequential'),
		versus('ms', samples.rawConcurrent, 'raw fetch, concurrent'),
		{ ...versus('ms', samples.minimal, 'minimal node, sequential', undefined, samples.trimmed), measure: 'time, node trimmed to Send fields' },
	];
}
