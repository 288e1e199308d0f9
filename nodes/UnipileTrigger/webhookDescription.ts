import type { INodeProperties } from 'n8n-workflow';
import { authenticationProperty } from '../shared/node';
import { hiddenOnV2, shownOnV2 } from '../shared/v2';
import { ACCOUNT_STATUSES, TRIGGER_EVENTS } from './webhookEvents';
import { V2_TRIGGER_EVENTS } from './webhookEventsV2';
import { DEFAULT_DOWNLOAD_TIME_LIMIT_SECONDS, MAX_DOWNLOAD_TIME_LIMIT_SECONDS } from './webhookTrigger';

export const webhookTriggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName:
			'Unipile must be able to reach this n8n instance: the trigger registers its webhooks at Unipile when the workflow is activated and removes them when it is deactivated. Behind a firewall, use Unipile Polling Trigger instead.',
		name: 'reachabilityNotice',
		type: 'notice',
		default: '',
	},
	hiddenOnV2({
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['message_received'],
		options: TRIGGER_EVENTS.map(({ name, value, description }) => ({ name, value, description })),
		description: 'What Unipile reports. One Unipile webhook is registered per kind of source (messaging, email, tracking, account status, relations).',
	}),
	// The same parameter on v2, with v2's event names: a workflow switched from v1 keeps its value, each v1 event read as
	// its v2 counterpart (webhookEventsV2.ts, README).
	shownOnV2({
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['message.new'],
		options: [...V2_TRIGGER_EVENTS].sort((a, b) => a.name.localeCompare(b.name)).map(({ name, value, description }) => ({ name, value, description })),
		description:
			'What Unipile reports (Unipile API v2 event types). One webhook endpoint receives them all. Events chosen on Unipile API v1 are read as their v2 counterparts (e.g. Message Received as message.new).',
	}),
	{
		displayName: 'Account Statuses',
		name: 'accountStatuses',
		type: 'multiOptions',
		options: ACCOUNT_STATUSES.map(({ name, value, description }) => ({ name, value, description })),
		default: [],
		description: 'Which account statuses start the workflow. For "tell me when an account needs reconnecting", choose Credentials.',
		hint: 'Leave empty for every status change',
		displayOptions: { show: { events: ['account_status'] } },
	},
	{
		displayName: 'Account Names or IDs',
		name: 'accountIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getAccounts' },
		default: [],
		description:
			'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: 'Leave empty for every account, including accounts connected later',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attachment Field Prefix',
				name: 'binaryPropertyPrefix',
				type: 'string',
				default: 'attachment_',
				description: 'Prefix of the binary fields that receive downloaded files: attachment_0 holds the first attachment, attachment_1 the second, and so on',
			},
			{
				displayName: 'Download Attachments',
				name: 'downloadAttachments',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the files attached to a message or email into binary fields, with their file name and MIME type. The item\'s attachmentDownload says which files did not arrive within the Download Time Limit.',
			},
			{
				displayName: 'Download Time Limit (Seconds)',
				name: 'downloadTimeLimit',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_DOWNLOAD_TIME_LIMIT_SECONDS },
				default: DEFAULT_DOWNLOAD_TIME_LIMIT_SECONDS,
				description:
					'Unipile waits 30 seconds for n8n to answer, then sends the event again. Files not downloaded within this time are left out (listed in attachmentDownload.notDownloaded) so the event starts the workflow exactly once; fetch them later with Unipile → Message → Get Attachment.',
			},
			{
				displayName: 'Include My Own Messages',
				name: 'includeOwnMessages',
				type: 'boolean',
				default: false,
				description:
					'Whether Message Received also fires for messages sent from the connected accounts. Leave off for auto-replies, so a reply does not trigger the workflow again.',
			},
		],
	},
];
