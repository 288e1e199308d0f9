import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { accountOptions } from '../shared/listSearch';
import { unipileCredentialTests } from '../shared/credentialTest';
import { webhookTriggerProperties } from './webhookDescription';
import { receiveDelivery, webhookLifecycle } from './webhookTrigger';

/**
 * Unipile Trigger: Unipile webhooks that register themselves. Parts: webhookEvents (events → one webhook per
 * source), webhookRegistry (activation without orphans, restarts, deactivation), webhookSecret (the shared secret),
 * webhookPayload (what a delivery starts), webhookTrigger (the n8n side of each).
 */
export class UnipileTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Unipile Trigger',
		name: 'unipileTrigger',
		icon: { light: 'file:../../icons/unipile.svg', dark: 'file:../../icons/unipile.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ [].concat($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow the moment Unipile reports a message, reaction, new LinkedIn relation, email or account change (webhooks it registers itself). Use Unipile Polling Trigger when Unipile cannot reach this n8n instance.',
		defaults: { name: 'Unipile Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'unipileApi', required: true, testedBy: 'unipileApiTest', displayOptions: { show: { authentication: ['unipileApi'] } } },
			{ name: 'unipileV2Api', required: true, testedBy: 'unipileV2ApiTest', displayOptions: { show: { authentication: ['unipileApiV2'] } } },
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: webhookTriggerProperties,
	};

	methods = {
		credentialTest: unipileCredentialTests,
		loadOptions: { getAccounts: accountOptions },
	};

	webhookMethods = { default: webhookLifecycle };

	webhook = receiveDelivery;
}
