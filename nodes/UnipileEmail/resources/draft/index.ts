import type { INodeProperties } from 'n8n-workflow';
import { accountLocator } from '../../../shared/descriptions';
import { MULTIPART } from '../../../shared/multipart';
import { composeEmail, composeFields } from '../email/compose';

const show = { resource: ['draft'], operation: ['create'] };

export const draftOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['draft'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a draft',
			description: 'Save an email as a draft in the mailbox (send it later with Email → Send → Draft ID)',
			routing: {
				request: { method: 'POST', url: '/drafts', headers: MULTIPART },
				send: { preSend: [composeEmail('draft')] },
			},
		},
	],
	default: 'create',
};

export const draftFields: INodeProperties[] = [
	accountLocator({
		required: true,
		description: 'The mailbox to save the draft in',
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'account_id' } },
	}),
	...composeFields(show, 'draft'),
];
