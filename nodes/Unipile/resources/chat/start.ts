import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { attendeeIdsOf } from '../../../shared/linkedinUrls';
import { reuseChatPreSend } from './outreach';
import { accountLocator, LINKEDIN_APIS } from '../../../shared/descriptions';
import { fieldOrder, messageFileOptions, requireOneOf, somethingToSend } from '../../../shared/multipart';

const show = { resource: ['chat'], operation: ['start'] };

/** Chat → Start needs someone to write to and something to say (refused before it is sent otherwise); fields in the SDK's order. */
export const startChatPreSend = [
	requireOneOf(
		['attendees_ids'],
		'"Attendee IDs" holds no ID',
		'Give at least one provider ID of the person to write to (for example from Attendee → Get): a comma-separated list, or an array from an expression.',
	),
	somethingToSend,
	fieldOrder([
		'account_id',
		'text',
		'attendees_ids',
		'subject',
		...['api', 'inmail', 'topic', 'applicant_id', 'invitation_id', 'signature', 'hiring_project_id', 'job_posting_id', 'email_address', 'visibility'].map(
			(field) => `linkedin.${field}`,
		),
		'attachments',
		'voice_message',
		'video_message',
	]),
];

/** LinkedIn profile URLs and public identifiers become provider IDs (Unipile starts chats by provider ID only). */
async function attendeesToProviderIds(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body = requestOptions.body as IDataObject;
	const ids = Array.isArray(body.attendees_ids) ? (body.attendees_ids as unknown[]).map(String) : [];
	if (ids.length > 0) body.attendees_ids = await attendeeIdsOf(this, ids, String(body.account_id ?? ''), 'Attendee IDs');
	// After the people are provider IDs: Reuse Existing Chat looks their chat up by it.
	return await reuseChatPreSend.call(this, requestOptions);
}

export const chatStartFields: INodeProperties[] = [
	accountLocator({
		required: true,
		description: 'The Unipile account to start the chat from',
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'account_id' } },
	}),
	{
		displayName: 'Attendee IDs',
		name: 'attendeesIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ACoAAB1234, ACoAAC5678',
		description:
			'Provider IDs of the people to chat with, separated by commas, or an array from an expression. For Instagram use the provider messaging ID. On LinkedIn also profile URLs, Sales Navigator lead URLs or public identifiers (looked up once per person per execution).',
		displayOptions: { show },
		routing: {
			send: { type: 'body', property: 'attendees_ids', value: '={{ Array.isArray($value) ? $value : String($value ?? "").split(",") }}', preSend: [attendeesToProviderIds] },
		},
	},
	{
		displayName: 'Reuse Existing Chat',
		name: 'reuseExistingChat',
		type: 'boolean',
		default: false,
		description:
			'Whether to send into the existing 1-to-1 chat with the person when the account has one (the output says reused: true and its chat_id) instead of starting a new chat. One person only; files are sent too, the subject and LinkedIn options are not.',
		displayOptions: { show },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The first message of the chat',
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
			messageFileOptions[0],
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: 'Subject of the conversation',
				routing: { send: { type: 'body', property: 'subject' } },
			},
			...messageFileOptions.slice(1),
		],
	},
	{
		displayName: 'LinkedIn Options',
		name: 'linkedin',
		type: 'collection',
		placeholder: 'Add LinkedIn Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'API',
				name: 'api',
				type: 'options',
				options: LINKEDIN_APIS,
				default: 'classic',
				description: 'The LinkedIn product to chat through (the product must be subscribed)',
				routing: { send: { type: 'body', property: 'linkedin.api' } },
			},
			{
				displayName: 'Applicant ID',
				name: 'applicantId',
				type: 'string',
				default: '',
				description: 'Classic: needed to start a chat with an applicant to one of your job postings',
				routing: { send: { type: 'body', property: 'linkedin.applicant_id' } },
			},
			{
				displayName: 'Email Address',
				name: 'emailAddress',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Recruiter: start the chat by email to this address instead of an InMail',
				routing: { send: { type: 'body', property: 'linkedin.email_address' } },
			},
			{
				displayName: 'Hiring Project ID',
				name: 'hiringProjectId',
				type: 'string',
				default: '',
				description: 'Recruiter: the project to start the chat in',
				routing: { send: { type: 'body', property: 'linkedin.hiring_project_id' } },
			},
			{
				displayName: 'InMail',
				name: 'inmail',
				type: 'boolean',
				default: false,
				description: 'Whether to start the chat with an InMail (Classic)',
				routing: { send: { type: 'body', property: 'linkedin.inmail' } },
			},
			{
				displayName: 'Invitation ID',
				name: 'invitationId',
				type: 'string',
				default: '',
				description: 'Classic: needed to chat with someone whose invitation you have neither accepted nor declined',
				routing: { send: { type: 'body', property: 'linkedin.invitation_id' } },
			},
			{
				displayName: 'Job Posting ID',
				name: 'jobPostingId',
				type: 'string',
				default: '',
				description: 'Recruiter: the job posting this first contact with a candidate is about',
				routing: { send: { type: 'body', property: 'linkedin.job_posting_id' } },
			},
			{
				displayName: 'Signature',
				name: 'signature',
				type: 'string',
				default: '',
				description: 'Recruiter: the signature of the sender',
				routing: { send: { type: 'body', property: 'linkedin.signature' } },
			},
			{
				displayName: 'Topic',
				name: 'topic',
				type: 'options',
				options: [
					{ name: 'Careers', value: 'careers' },
					{ name: 'Other', value: 'other' },
					{ name: 'Request Demo', value: 'request_demo' },
					{ name: 'Service Request', value: 'service_request' },
					{ name: 'Support', value: 'support' },
				],
				default: 'service_request',
				description: 'Classic: needed to start a chat with a company',
				routing: { send: { type: 'body', property: 'linkedin.topic' } },
			},
			{
				displayName: 'Visibility',
				name: 'visibility',
				type: 'options',
				options: [
					{ name: 'Private', value: 'PRIVATE' },
					{ name: 'Project', value: 'PROJECT' },
					{ name: 'Public', value: 'PUBLIC' },
				],
				default: 'PRIVATE',
				description: 'Recruiter: who in your organization can see the chat',
				routing: { send: { type: 'body', property: 'linkedin.visibility' } },
			},
		],
	},
];
