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
	return [row('ms'), row('cpuMs')];
}
