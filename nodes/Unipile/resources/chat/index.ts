import type { INodeProperties } from 'n8n-workflow';
import { accountLocator, chatLocator, pathParam } from '../../../shared/descriptions';
import { chatGetAllFields } from './getAll';
import { MULTIPART } from '../../../shared/multipart';
import { chatStartFields, startChatPreSend } from './start';
import { checkReplyFields } from './checkReply';
import { reusedChatOutput } from './outreach';
import { hiddenOnV2, shownOnV2, v2UnavailableNotice } from '../../../shared/v2';
import { SYNC_ON_V2 } from './v2';
import { CHAT_EXTRA_OPERATIONS, CHAT_V2_ONLY, chatExtraFields } from './extras';
import { emptyAnswerAs } from '../emptyAnswers';

const show = { resource: ['chat'] };
const chatUrl = `=/chats/${pathParam('chatId')}`;

const everyOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show },
	options: [
		{
			name: 'Add Participants',
			value: 'addParticipants',
			action: 'Add participants to a group chat',
			description: 'Add people to a group chat (Unipile API v2)',
			routing: { request: { method: 'POST', url: `${chatUrl}/participants` } },
		},
		{
			name: 'Check Reply',
			value: 'checkReply',
			action: 'Check whether a person replied',
			description: 'Whether a person answered since a date (in their 1-to-1 chat, or a chat given): reply count and last reply',
			// Runs as code (Unipile.node.ts customOperations): the person's chat, then its messages. This is the first call.
			routing: { request: { method: 'GET', url: '/chat_attendees/{person}/chats' } },
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a chat',
			description: 'Delete a chat from the account',
			// v2 answers 204 No Content: the item is v1's answer.
			routing: { request: { method: 'DELETE', url: chatUrl }, output: { postReceive: [emptyAnswerAs(() => ({ object: 'ChatDeleted' }))] } },
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a chat',
			description: 'Get one chat by its ID',
			routing: { request: { method: 'GET', url: chatUrl } },
		},
		{
			name: 'Get Attendees',
			value: 'getAttendees',
			action: 'Get the attendees of a chat',
			description: 'List the people in a chat',
			// A ChatAttendeeList comes in one page, without a cursor: the transport unwraps it like any other list.
			routing: { request: { method: 'GET', url: `${chatUrl}/attendees` } },
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many chats of the connected messaging accounts',
			description: 'List chats across accounts, newest activity first',
			routing: { request: { method: 'GET', url: '/chats' } },
		},
		{
			name: 'Remove Participants',
			value: 'removeParticipants',
			action: 'Remove participants from a group chat',
			description: 'Remove people from a group chat (Unipile API v2)',
			routing: { request: { method: 'DELETE', url: `${chatUrl}/participants` } },
		},
		{
			name: 'Start',
			value: 'start',
			action: 'Start a new chat and send its first message',
			description: 'Start a new chat with one or more people and send its first message, with files if any',
			routing: { request: { method: 'POST', url: '/chats', headers: MULTIPART }, send: { preSend: startChatPreSend }, output: { postReceive: [reusedChatOutput] } },
		},
		{
			name: 'Sync History',
			value: 'sync',
			action: 'Sync the history of a chat',
			description: 'Ask Unipile to fetch the whole message history of a chat from the provider',
			routing: { request: { method: 'GET', url: `${chatUrl}/sync` } },
		},
		{
			name: 'Update',
			value: 'update',
			// n8n's lint wants actions in sentence case, which allows no commas: "or" joins the list instead.
			action: 'Update the read or mute or archive or pin status of a chat',
			description: 'Mark a chat read or unread, mute, archive or pin it',
			routing: { request: { method: 'PATCH', url: chatUrl } },
		},
	],
	default: 'getAll',
};

/**
 * v1 lacks Add Participants and Remove Participants: its list leaves them out (one description per operation, shared).
 * The full list comes first: n8n's AI tool description reads the first Operation list of the resource.
 */
export const chatOperations: INodeProperties[] = [
	shownOnV2(everyOperation),
	hiddenOnV2({ ...everyOperation, options: everyOperation.options!.filter((option) => !CHAT_V2_ONLY.includes(String((option as { value: unknown }).value))) }),
];

export const chatFields: INodeProperties[] = [
	chatLocator({
		required: true,
		description: 'The Unipile chat. By ID, Get also accepts the provider ID (then set Account ID too).',
		displayOptions: { show: { ...show, operation: ['get', 'getAttendees', 'sync', 'update', ...CHAT_EXTRA_OPERATIONS] } },
	}),
	hiddenOnV2(
		accountLocator({
			description: 'Needed only when Chat ID is a provider ID: the Unipile account the chat belongs to',
			displayOptions: { show: { ...show, operation: ['get'] } },
			routing: { send: { type: 'query', property: 'account_id' } },
		}),
	),
	shownOnV2(
		accountLocator({
			required: true,
			description: 'The Unipile account the chat belongs to',
			displayOptions: { show: { ...show, operation: ['get', 'getAll', 'getAttendees', 'update', ...CHAT_EXTRA_OPERATIONS] } },
		}),
	),
	v2UnavailableNotice('syncOnV2', { ...show, operation: ['sync'] }, SYNC_ON_V2),
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		required: true,
		options: [
			{
				name: 'Set Archived',
				action: 'Archive or unarchive the chat',
				value: 'setArchiveStatus',
				description: 'Archive (on) or unarchive (off) the chat',
			},
			{
				name: 'Set Muted',
				action: 'Mute or unmute the chat',
				value: 'setMuteStatus',
				description: 'Mute (on) or unmute (off) the chat',
			},
			{
				name: 'Set Pinned',
				action: 'Pin or unpin the chat',
				value: 'setPinnedStatus',
				description: 'Pin (on) or unpin (off) the chat',
			},
			{
				name: 'Set Read',
				action: 'Mark the chat read or unread',
				value: 'setReadStatus',
				description: 'Mark the chat read (on) or unread (off)',
			},
		],
		default: 'setReadStatus',
		displayOptions: { show: { ...show, operation: ['update'] } },
		routing: { send: { type: 'body', property: 'action' } },
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'boolean',
		default: true,
		description: 'Whether to turn the status on (read, muted, archived, pinned) or off',
		displayOptions: { show: { ...show, operation: ['update'] } },
		routing: { send: { type: 'body', property: 'value' } },
	},
	...chatStartFields,
	...chatExtraFields,
	...checkReplyFields,
	...chatGetAllFields,
];
