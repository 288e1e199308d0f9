import { NodeConnectionTypes, type INodeProperties, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { unipileBaseUrlExpression } from '../../credentials/UnipileApi.credentials';
import { accountFields, accountOperations } from './resources/account';
import { attendeeFields, attendeeOperations } from './resources/attendee';
import { chatFields, chatOperations } from './resources/chat';
import { messageFields, messageOperations } from './resources/message';
import { userFields, userOperations } from './resources/user';
import { unipileListSearch } from '../shared/listSearch';
import { runUnipileRequest } from '../shared/transport';
import { checkParameters } from '../shared/validation';

const unipileProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'Attendee', value: 'attendee' },
			{ name: 'Chat', value: 'chat' },
			{ name: 'Message', value: 'message' },
			{ name: 'User', value: 'user' },
		],
		default: 'message',
		// `paginate` is what makes RoutingNode hand the request to requestOperations.pagination.
		routing: { send: { paginate: true, preSend: [checkParameters(() => unipileProperties)] } },
	},
	accountOperations,
	attendeeOperations,
	chatOperations,
	messageOperations,
	userOperations,
	...accountFields,
	...attendeeFields,
	...chatFields,
	...messageFields,
	...userFields,
];

export class Unipile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Unipile',
		name: 'unipile',
		icon: { light: 'file:../../icons/unipile.svg', dark: 'file:../../icons/unipile.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Send and read WhatsApp, LinkedIn, Instagram, Messenger, Telegram and X messages through Unipile',
		defaults: { name: 'Unipile' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'unipileApi', required: true }],
		requestDefaults: {
			baseURL: unipileBaseUrlExpression,
			headers: { accept: 'application/json' },
		},
		// Every request runs through one function: list unwrapping, cursor paging and input checks live there.
		requestOperations: { pagination: runUnipileRequest },
		properties: unipileProperties,
	};

	methods = { listSearch: unipileListSearch };
}
