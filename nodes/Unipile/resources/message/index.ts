import type { INodeProperties } from 'n8n-workflow';
import { binaryDownloadRequest, binaryPropertyField, messageAttachmentsToBinary } from '../../../shared/binary';
import { accountLocator, chatLocator, dateFilter, paginationFields, pathParam } from '../../../shared/descriptions';
import { fieldOrder, MULTIPART, somethingToSend } from '../../../shared/multipart';
import { messageSendFields } from './send';
import { hiddenOnV2, shownOnV2, v2UnavailableNotice } from '../../../shared/v2';
import { MESSAGE_EXTRA_OPERATIONS, MESSAGE_V2_ONLY, messageExtraFields } from './extras';
import { emptyAnswerAs, messageIdOf } from '../emptyAnswers';

const show = { resource: ['message'] };
const messageUrl = `=/messages/${pathParam('messageId')}`;
const chatIdGiven = '(String($parameter["chatId"] ?? "").trim() !== "")';

const everyOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show },
	options: [
		{
			name: 'Add Reaction',
			value: 'addReaction',
			action: 'Add a reaction to a message',
			description: 'React to a message with an emoji',
			routing: { request: { method: 'POST', url: `${messageUrl}/reaction` } },
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a message',
			description: 'Delete a message the account sent, for everyone in the chat',
			// v2 answers 204 No Content: the item is v1's answer.
			routing: { request: { method: 'DELETE', url: messageUrl }, output: { postReceive: [emptyAnswerAs(() => ({ object: 'MessageDeleted' }))] } },
		},
		{
			name: 'Edit',
			value: 'edit',
			action: 'Edit a message',
			description: 'Change the text of a message the account sent',
			// v2 answers the modified message, or null: then the item is v1's answer.
			routing: {
				request: { method: 'PATCH', url: messageUrl },
				output: { postReceive: [emptyAnswerAs((context) => ({ object: 'MessageEdited', message_id: messageIdOf(context) }))] },
			},
		},
		{
			name: 'Forward',
			value: 'forward',
			action: 'Forward a message to another chat',
			description: 'Forward a message to another chat (WhatsApp)',
			routing: { request: { method: 'POST', url: `${messageUrl}/forward` } },
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a message',
			description: 'Get one message by its ID',
			routing: { request: { method: 'GET', url: messageUrl } },
		},
		{
			name: 'Get Attachment',
			value: 'getAttachment',
			action: 'Get a message attachment',
			description: 'Download one attachment of a message, or all of them, as binary data',
			routing: {
				request: {
					method: 'GET',
					url: `${messageUrl}{{ $parameter["downloadAll"] ? "" : "/attachments/" + encodeURIComponent(String($parameter["attachmentId"]).trim()) }}`,
					...binaryDownloadRequest,
				},
				output: { postReceive: [messageAttachmentsToBinary] },
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many messages of a chat or of all chats',
			description: 'List messages of one chat or of many chats, newest first',
			routing: {
				request: {
					method: 'GET',
					url: `={{ ${chatIdGiven} ? "/chats/" + encodeURIComponent(String($parameter["chatId"]).trim()) + "/messages" : "/messages" }}`,
				},
			},
		},
		{
			name: 'Mark Read',
			value: 'markRead',
			action: 'Mark a message as read',
			description: 'Mark one message as read (Unipile API v2; on v1, Chat → Update marks a whole chat read)',
			routing: { request: { method: 'POST', url: `${messageUrl}/read` } },
		},
		{
			name: 'Remove Reaction',
			value: 'removeReaction',
			action: 'Remove a reaction from a message',
			description: "Remove the account's reaction from a message (Unipile API v2)",
			routing: { request: { method: 'DELETE', url: `${messageUrl}/reaction` } },
		},
		{
			name: 'Send',
			value: 'send',
			action: 'Send a message to an existing chat',
			description: 'Send a message, with files if any, to an existing chat',
			routing: {
				request: { method: 'POST', url: `=/chats/${pathParam('chatId')}/messages`, headers: MULTIPART },
				send: {
					preSend: [
						somethingToSend,
						fieldOrder(['text', 'thread_id', 'attachments', 'voice_message', 'video_message', 'account_id', 'quote_id', 'typing_duration']),
					],
				},
			},
		},
	],
	default: 'send',
};

/**
 * v1 lacks Mark Read and Remove Reaction: its list leaves them out (one description per operation, shared).
 * The full list comes first: n8n's AI tool description reads the first Operation list of the resource.
 */
export const messageOperations: INodeProperties[] = [
	shownOnV2(everyOperation),
	hiddenOnV2({ ...everyOperation, options: everyOperation.options!.filter((option) => !MESSAGE_V2_ONLY.includes(String((option as { value: unknown }).value))) }),
];

const getAllShow = { ...show, operation: ['getAll'] };
const attachmentShow = { ...show, operation: ['getAttachment'] };

export const messageFields: INodeProperties[] = [
	shownOnV2(
		accountLocator({
			required: true,
			description: 'The Unipile account the chat belongs to',
			displayOptions: { show: { ...show, operation: ['forward', 'get', 'getAttachment', 'getAll', 'send', ...MESSAGE_EXTRA_OPERATIONS] } },
		}),
	),
	shownOnV2({
		...chatLocator({
			required: true,
			description: 'The chat the message is in (Unipile API v2 finds a message within its chat)',
			displayOptions: { show: { ...show, operation: ['forward', 'get', 'getAttachment', ...MESSAGE_EXTRA_OPERATIONS] } },
		}),
		displayName: "Message's Chat ID",
		name: 'messageChatId',
	}),
	...messageSendFields,
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Unipile ID of the message',
		displayOptions: { show: { ...show, operation: ['forward', 'get', 'getAttachment', ...MESSAGE_EXTRA_OPERATIONS] } },
	},
	...messageExtraFields,
	chatLocator({
		required: true,
		description: 'The Unipile chat to forward the message to',
		displayOptions: { show: { ...show, operation: ['forward'] } },
		routing: { send: { type: 'body', property: 'chat_id', value: '={{ String($value).trim() }}' } },
	}),
	{
		displayName: 'Download All Attachments',
		name: 'downloadAll',
		type: 'boolean',
		default: false,
		description:
			'Whether to download every attachment of the message into one item: attachment N of the message lands in the binary field named by Put Output File in Field plus "_N" (data_0, data_1, …)',
		displayOptions: { show: attachmentShow },
	},
	{
		displayName: 'Attachment ID',
		name: 'attachmentId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID of the attachment, from the message\'s attachments list',
		displayOptions: { show: { ...attachmentShow, downloadAll: [false] } },
	},
	binaryPropertyField(
		attachmentShow,
		'The binary field to put the file in (with Download All Attachments: the prefix of the fields)',
	),
	hiddenOnV2(
		chatLocator({
			description: 'Only messages of this chat. Leave empty for messages of all chats.',
			displayOptions: { show: getAllShow },
		}),
	),
	shownOnV2(chatLocator({ required: true, description: 'The chat to list the messages of', displayOptions: { show: getAllShow } })),
	v2UnavailableNotice(
		'messagesAcrossChatsOnV2',
		getAllShow,
		'Unipile API v2 lists the messages of one chat at a time. For new messages of every chat, use Unipile Trigger; to go through chats, Chat → Get Many, then this operation per chat.',
	),
	...paginationFields(getAllShow),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		displayOptions: { show: getAllShow },
		default: {},
		options: [
			hiddenOnV2(
				accountLocator({
					description: 'Only messages of this account (ignored when Chat ID is set: a chat belongs to one account)',
					routing: {
						send: { type: 'query', property: 'account_id', value: `={{ ${chatIdGiven} ? "" : $value }}` },
					},
				}),
				true,
			),
			dateFilter('after', 'messages sent'),
			dateFilter('before', 'messages sent'),
			{
				displayName: 'Sender ID',
				name: 'senderId',
				type: 'string',
				default: '',
				description: 'Only messages from this attendee (its provider ID)',
				routing: { send: { type: 'query', property: 'sender_id' } },
			},
		],
	},
];
