import type { INodeProperties } from 'n8n-workflow';
import { fileFields, fileOptions, multipartBody, somethingToSend } from '../../shared/multipart';

const show = { resource: ['message'], operation: ['send'] };

/** Field order follows the SDK's sendMessage (text, thread_id, attachments), then what the SDK lacks. */
export const sendMessageBody = multipartBody(
	[
		{ field: 'text', parameter: 'text', label: 'Text', kind: 'text' },
		{ field: 'thread_id', parameter: 'options.threadId', label: 'Thread ID', kind: 'text' },
		...fileFields('options'),
		{ field: 'account_id', parameter: 'options.accountId', label: 'Account ID', kind: 'text' },
		{ field: 'quote_id', parameter: 'options.quoteId', label: 'Quote ID', kind: 'text' },
		{ field: 'typing_duration', parameter: 'options.typingDuration', label: 'Typing Duration', kind: 'text' },
	],
	[somethingToSend],
);

export const messageSendFields: INodeProperties[] = [
	{
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1a2b3c4d5e6f7g8h9i0j',
		description: 'The Unipile ID of the chat to send to',
		displayOptions: { show },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The message text (may stay empty when attachments are sent)',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Account ID',
				name: 'accountId',
				type: 'string',
				default: '',
				description: 'The Unipile account to send from, when the chat ID alone is ambiguous',
			},
			fileOptions[0],
			{
				displayName: 'Quote ID',
				name: 'quoteId',
				type: 'string',
				default: '',
				description: 'ID of a message of the chat to quote (reply to)',
			},
			{
				displayName: 'Thread ID',
				name: 'threadId',
				type: 'string',
				default: '',
				description: 'Slack: the thread to reply in',
			},
			{
				displayName: 'Typing Duration (Ms)',
				name: 'typingDuration',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1000,
				description: 'WhatsApp: how long "typing…" shows before the message is sent, in milliseconds',
			},
			...fileOptions.slice(1),
		],
	},
];
