import type { IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { nodeTypes, runNode } from '../test/harness/engine';
import { invitableMembers, linkedinState } from '../test/sandbox/linkedin';
import type { Sandbox } from '../test/sandbox/server';
import { interleave, median, timed, type Row } from './stats';

const ITEMS = 300;
const ACCOUNT = 'acc_linkedin_1';
const NOTE = '=Hi {{ $json.firstName }}, I would be glad to connect.';

/**
 * The floor for Invitation → Send: a minimal programmatic node doing the same call (one JSON POST /users/invite per
 * item, sequential) through the same engine and credential helper.
 */
class MinimalInvite implements INodeType {
	description = {
		displayName: 'Minimal Invite',
		name: 'minimalInvite',
		group: ['output'],
		version: 1,
		description: '',
		defaults: { name: 'Minimal Invite' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'unipileApi', required: true }],
		properties: [
			{ displayName: 'Provider ID', name: 'providerId', type: 'string', default: '' },
			{ displayName: 'Message', name: 'message', type: 'string', default: '' },
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { dsn } = await this.getCredentials<{ dsn: string }>('unipileApi');
		const out: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const json = await this.helpers.httpRequestWithAuthentication.call(this, 'unipileApi', {
				method: 'POST',
				url: `${dsn}/api/v1/users/invite`,
				headers: { accept: 'application/json' },
				body: { account_id: ACCOUNT, provider_id: this.getNodeParameter('providerId', itemIndex), message: this.getNodeParameter('message', itemIndex) },
				json: true,
			});
			out.push({ json, pairedItem: { item: itemIndex } });
		}
		return [out];
	}
}

/** The same minimal node on Unipile API v2: one JSON POST /v2/{account}/users/me/relation-requests per item. */
class MinimalInviteV2 implements INodeType {
	description = {
		...new MinimalInvite().description,
		displayName: 'Minimal Invite v2',
		name: 'minimalInviteV2',
		defaults: { name: 'Minimal Invite v2' },
		credentials: [{ name: 'unipileV2Api', required: true }],
		properties: [...new MinimalInvite().description.properties, { displayName: 'Account', name: 'account', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('unipileV2Api');
		const out: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const json = await this.helpers.httpRequestWithAuthentication.call(this, 'unipileV2Api', {
				method: 'POST',
				url: `${baseUrl}/v2/${String(this.getNodeParameter('account', itemIndex))}/users/me/relation-requests`,
				headers: { accept: 'application/json' },
				body: { user_id: this.getNodeParameter('providerId', itemIndex), message: this.getNodeParameter('message', itemIndex) },
				json: true,
			});
			out.push({ json, pairedItem: { item: itemIndex } });
		}
		return [out];
	}
}

/** Invitation → Send for many people (each invitable once: the LinkedIn state is re-seeded before every run). */
export async function benchInvite(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	nodeTypes().add('bench.minimalInvite', new MinimalInvite());
	const credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
	const fresh = () => {
		linkedinState(sandbox.store).accounts.delete(ACCOUNT);
		return invitableMembers(sandbox.store, ACCOUNT).slice(0, ITEMS).map((m) => ({ providerId: m.provider_id, firstName: m.first_name }));
	};
	if (fresh().length < ITEMS) throw new Error(`the sandbox has fewer than ${ITEMS} people to invite`);

	async function engine(parameters: INodeParameters, nodeType: string) {
		const items = fresh();
		sandbox.clearRequests();
		const { ms, cpuMs, value } = await timed(() => runNode({ credentials, parameters, items, nodeType }));
		const sent = sandbox.requests.filter((r) => r.status === 201).length;
		if (value.error || value.items.length !== ITEMS || sent !== ITEMS) throw new Error(`${nodeType}: ${value.error?.message ?? `${value.items.length} items, ${sent} sent`}`);
		return { ms, cpuMs };
	}

	const samples = await interleave(
		rounds,
		{
			node: () => engine({ resource: 'invitation', operation: 'send', accountId: ACCOUNT, providerId: '={{ $json.providerId }}', message: NOTE }, 'CUSTOM.unipileLinkedIn'),
			minimal: () => engine({ providerId: '={{ $json.providerId }}', message: NOTE }, 'bench.minimalInvite'),
		},
		{ warmUp: true },
	);
	const scenario = `Send Invitation, ${ITEMS} items`;
	const row = (measure: 'ms' | 'cpuMs'): Row => ({
		scenario,
		measure: measure === 'ms' ? 'time' : 'CPU time',
		value: median(samples.node.map((s) => s[measure])),
		floor: median(samples.minimal.map((s) => s[measure])),
		floorName: 'minimal node, sequential',
		unit: 'ms',
		ratio: median(samples.node.map((s, round) => s[measure] / samples.minimal[round][measure])),
	});
	return [row('ms'), row('cpuMs'), ...(await benchInviteV2(sandbox, rounds))];
}

/** Invitation → Send on Unipile API v2 for as many people, beside the minimal v2 node (fresh invitable people each run). */
async function benchInviteV2(sandbox: Sandbox, rounds: number): Promise<Row[]> {
	nodeTypes().add('bench.minimalInviteV2', new MinimalInviteV2());
	const credentials = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	const account = sandbox.v2.accounts.find((a) => a.provider === 'linkedin' && a.status === 'running')!.id;
	const fresh = async () => {
		const res = await fetch(`${sandbox.url}/_sandbox/v2/linkedin/invitable`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: account, count: ITEMS }) });
		return ((await res.json()) as Array<{ id: string; first_name: string }>).map((m) => ({ providerId: m.id, firstName: m.first_name }));
	};

	async function engine(parameters: INodeParameters, nodeType: string) {
		const items = await fresh();
		sandbox.clearRequests();
		const { ms, cpuMs, value } = await timed(() => runNode({ credentials, parameters, items, nodeType }));
		const sent = sandbox.requests.filter((r) => r.status === 201 && r.path === `/v2/${account}/users/me/relation-requests`).length;
		if (value.error || value.items.length !== ITEMS || sent !== ITEMS) throw new Error(`${nodeType} on v2: ${value.error?.message ?? `${value.items.length} items, ${sent} sent`}`);
		return { ms, cpuMs };
	}

	const samples = await interleave(
		rounds,
		{
			node: () => engine({ authentication: 'unipileApiV2', resource: 'invitation', operation: 'send', accountId: account, providerId: '={{ $json.providerId }}', message: NOTE }, 'CUSTOM.unipileLinkedIn'),
			minimal: () => engine({ account, providerId: '={{ $json.providerId }}', message: NOTE }, 'bench.minimalInviteV2'),
		},
		{ warmUp: true },
	);
	const scenario = `Send Invitation v2, ${ITEMS} items`;
	const row = (measure: 'ms' | 'cpuMs'): Row => ({
		scenario,
		measure: measure === 'ms' ? 'time' : 'CPU time',
		value: median(samples.node.map((s) => s[measure])),
		floor: median(samples.minimal.map((s) => s[measure])),
		floorName: 'minimal v2 node, sequential',
		unit: 'ms',
		ratio: median(samples.node.map((s, round) => s[measure] / samples.minimal[round][measure])),
	});
	return [row('ms'), row('cpuMs')];
}
