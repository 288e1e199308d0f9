import type { INodeProperties } from 'n8n-workflow';
import { accountLocator, chatLocator } from '../../../shared/descriptions';
import { messageFileOptions } from '../../../shared/multipart';
import { hiddenOnV2 } from '../../../shared/v2';

const show = { resource: ['message'], operation: ['send'] };

export const messageSendFields: INodeProperties[] = [
	chatLocator({ required: true, description: 'The Unipile chat to send to', displayOptions: { show } }),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The message text (may stay empty when attachments are sent)',
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'text' } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			hiddenOnV2(
				accountLocator({
					description: 'The Unipile account to send from, when the chat ID alone is ambiguous',
					routing: { send: { type: 'body', property: 'account_id' } },
				}),
				true,
			),
			messageFileOptions[0],
			{
				displayName: 'Quote ID',
				name: 'quoteId',
				type: 'string',
				default: '',
				description: 'ID of a message of the chat to quote (reply to)',
				routing: { send: { type: 'body', property: 'quote_id' } },
			},
			// Unipile API v2 has neither.
			hiddenOnV2(
				{
					displayName: 'Thread ID',
					name: 'threadId',
					type: 'string',
					default: '',
					description: 'Slack: the thread to reply in',
					routing: { send: { type: 'body', property: 'thread_id' } },
				},
				true,
			),
			hiddenOnV2(
				{
					displayName: 'Typing Duration (Ms)',
					name: 'typingDuration',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 1000,
					description: 'WhatsApp: how long "typing…" shows before the message is sent, in milliseconds',
					routing: { send: { type: 'body', property: 'typing_duration' } },
				},
				true,
			),
			...messageFileOptions.slice(1),
		],
	},
];
