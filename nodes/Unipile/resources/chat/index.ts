import type { INodeProperties } from 'n8n-workflow';
import { pathParam } from '../../shared/descriptions';
import { chatGetAllFields } from './getAll';

const show = { resource: ['chat'] };

export const chatOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a chat',
			description: 'Get one chat by its ID',
			routing: { request: { method: 'GET', url: `=/chats/${pathParam('chatId')}` } },
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many chats',
			description: 'List chats across accounts, newest activity first',
			routing: { request: { method: 'GET', url: '/chats' } },
		},
	],
	default: 'getAll',
};

export const chatFields: INodeProperties[] = [
	{
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1a2b3c4d5e6f7g8h9i0j',
		description: 'The Unipile ID of the chat, or its provider ID (then also set Account ID)',
		displayOptions: { show: { ...show, operation: ['get'] } },
	},
	{
		displayName: 'Account ID',
		name: 'accountId',
		type: 'string',
		default: '',
		description: 'Needed only when Chat ID is a provider ID: the Unipile account the chat belongs to',
		displayOptions: { show: { ...show, operation: ['get'] } },
		routing: { send: { type: 'query', property: 'account_id' } },
	},
	...chatGetAllFields,
];
