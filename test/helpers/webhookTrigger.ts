/**
 * The webhook trigger's node type for the tests. Until it has its own .node.ts (it takes over `unipileTrigger` once
 * the polling trigger is renamed), it is assembled here from its built modules, as its .node.ts will be.
 */
import { join } from 'node:path';
import { NodeConnectionTypes, type INodeType } from 'n8n-workflow';
import { nodeTypes } from '../harness/engine';

const DIST = join(__dirname, '..', '..', 'dist', 'nodes', 'UnipileTrigger');
const NAME = 'test.unipileWebhookTrigger';
let registered = false;

export async function webhookTriggerType(): Promise<string> {
	if (registered) return NAME;
	/* eslint-disable @typescript-eslint/no-require-imports */
	const { webhookTriggerProperties, getAccounts } = require(join(DIST, 'webhookDescription.js'));
	const { webhookLifecycle, receiveDelivery } = require(join(DIST, 'webhookTrigger.js'));
	/* eslint-enable @typescript-eslint/no-require-imports */
	const type = {
		description: {
			displayName: 'Unipile Trigger',
			name: 'unipileWebhookTrigger',
			group: ['trigger'],
			version: 1,
			description: '',
			defaults: { name: 'Unipile Trigger' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'unipileApi', required: true }],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
			properties: webhookTriggerProperties,
		},
		methods: { loadOptions: { getAccounts } },
		webhookMethods: { default: webhookLifecycle },
		webhook: receiveDelivery,
	} as unknown as INodeType;
	nodeTypes().add(NAME, type);
	registered = true;
	return NAME;
}
