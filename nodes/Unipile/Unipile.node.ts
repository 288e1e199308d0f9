import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { accountFields, accountOperations } from './resources/account';
import { attendeeFields, attendeeOperations } from './resources/attendee';
import { chatFields, chatOperations } from './resources/chat';
import { messageFields, messageOperations } from './resources/message';
import { userFields, userOperations } from './resources/user';
import { unipileListSearch } from '../shared/listSearch';
import { authenticationProperty, resourceProperties, unipileRequestsOnBothApis } from '../shared/node';
import { unipileCredentialTests } from '../shared/credentialTest';
import { sendingLimitsField } from '../shared/pacing';
import { bypassCacheField, hiddenOnV2, v2UnavailableNotice } from '../shared/v2';
import { accountV2 } from './resources/account/v2';
import { ATTENDEES_ON_V2, attendeeV2 } from './resources/attendee/v2';
import { chatV2 } from './resources/chat/v2';
import { messageV2 } from './resources/message/v2';
import { userV2 } from './resources/user/v2';
import { checkReply } from './resources/chat/outreach';

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
		// Unipile API v2 has no attendees: a notice says where people are instead.
		hiddenOnV2(attendeeOperations),
		v2UnavailableNotice('attendeesOnV2', { resource: ['attendee'] }, ATTENDEES_ON_V2),
		...chatOperations,
		...messageOperations,
		userOperations,
		...accountFields,
		...attendeeFields.map((field) => hiddenOnV2(field)),
		...chatFields,
		...messageFields,
		...userFields,
		sendingLimitsField({ resource: ['chat', 'message'], operation: ['start', 'send'] }),
		bypassCacheField({ resource: ['account', 'chat', 'message', 'user'], operation: ['get', 'getAll', 'getAttendees', 'getProfile'] }),
	],
);

/** Where each operation goes on Unipile API v2 (its v1 route is in its description). */
export const UNIPILE_V2_ROUTES = { account: accountV2, attendee: attendeeV2, chat: chatV2, message: messageV2, user: userV2 };

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
		...unipileRequestsOnBothApis(UNIPILE_V2_ROUTES),
		properties: [authenticationProperty, ...unipileProperties],
	};

	methods = { credentialTest: unipileCredentialTests, listSearch: unipileListSearch };

	/** Check Reply is several calls per item whose next depends on the last answer: code, not routing. */
	customOperations = { chat: { checkReply } };
}
