import type { INodeProperties } from 'n8n-workflow';
import { accountLocator } from '../../../shared/descriptions';

const show = { resource: ['chat'], operation: ['checkReply'] };

/** Check Reply's fields (it runs as code: see outreach.ts `checkReply`). */
export const checkReplyFields: INodeProperties[] = [
	accountLocator({ required: true, description: 'The Unipile account the conversation is on', displayOptions: { show } }),
	{
		displayName: 'Person',
		name: 'person',
		type: 'string',
		default: '',
		placeholder: 'e.g. ACoAAA1b2c3 or https://www.linkedin.com/in/john-doe',
		description:
			"The person whose reply to look for: their provider ID (any messaging provider), or on LinkedIn their profile URL or Sales Navigator lead URL. Their 1-to-1 chat with the account is looked up; none means replied: false.",
		displayOptions: { show },
	},
	{
		displayName: 'Chat ID',
		name: 'replyChatId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 9f8e7d6c5b4a',
		description: 'Or the Unipile chat to look in (instead of the Person)',
		displayOptions: { show },
	},
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Only messages after this date count (usually when your message was sent). Your own messages never count.',
		displayOptions: { show },
	},
];
