import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { accountFields, accountOperations } from './resources/account';
import { attendeeFields, attendeeOperations } from './resources/attendee';
import { chatFields, chatOperations } from './resources/chat';
import { messageFields, messageOperations } from './resources/message';
import { userFields, userOperations } from './resources/user';
import { unipileListSearch } from '../shared/listSearch';
import { resourceProperties, unipileRequests } from '../shared/node';

const unipileProperties = resourceProperties(
	[
		{ name: 'Account', value: 'account' },
		{ name: 'Attendee', value: 'attendee' },
		{ name: 'Chat', value: 'chat' },
		{ name: 'Message', value: 'message' },
		{ name: 'User', value: 'user' },
	],
	'message',
	[
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
	],
);

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
		...unipileRequests,
		properties: unipileProperties,
	};

	methods = { listSearch: unipileListSearch };
}
