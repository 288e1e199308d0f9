import type { INodeProperties } from 'n8n-workflow';
import { accountLocator, LINKEDIN_APIS } from '../../shared/descriptions';
import { fileFields, fileOptions, multipartBody, somethingToSend, type MultipartField } from '../../shared/multipart';

const show = { resource: ['chat'], operation: ['start'] };

const linkedinFields: MultipartField[] = [
	['api', 'api', 'text'],
	['inmail', 'inmail', 'boolean'],
	['topic', 'topic', 'text'],
	['applicant_id', 'applicantId', 'text'],
	['invitation_id', 'invitationId', 'text'],
	['signature', 'signature', 'text'],
	['hiring_project_id', 'hiringProjectId', 'text'],
	['job_posting_id', 'jobPostingId', 'text'],
	['email_address', 'emailAddress', 'text'],
	['visibility', 'visibility', 'text'],
].map(([field, parameter, kind]) => ({
	field: `linkedin[${field}]`,
	parameter: `linkedin.${parameter}`,
	label: `LinkedIn Options → ${parameter}`,
	kind: kind as MultipartField['kind'],
}));

/** Field order follows the SDK's startNewChat. */
export const startChatBody = multipartBody(
	[
		{ field: 'account_id', parameter: 'accountId', label: 'Account ID', kind: 'text' },
		{ field: 'text', parameter: 'text', label: 'Text', kind: 'text' },
		{ field: 'attendees_ids', parameter: 'attendeesIds', label: 'Attendee IDs', kind: 'list' },
		{ field: 'subject', parameter: 'options.subject', label: 'Subject', kind: 'text' },
		...linkedinFields,
		...fileFields('options'),
	],
	[
		{
			fields: ['attendees_ids'],
			message: '"Attendee IDs" holds no ID',
			description:
				'Give at least one provider ID of the person to write to (for example from Attendee → Get): a comma-separated list, or an array from an expression.',
		},
		somethingToSend,
	],
);

export const chatStartFields: INodeProperties[] = [
	accountLocator({ required: true, description: 'The Unipile account to start the chat from', displayOptions: { show } }),
	{
		displayName: 'Attendee IDs',
		name: 'attendeesIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ACoAAB1234, ACoAAC5678',
		description:
			'Provider IDs of the people to chat with, separated by commas, or an array from an expression. For Instagram use the provider messaging ID.',
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
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			fileOptions[0],
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: 'Subject of the conversation',
			},
			...fileOptions.slice(1),
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
			},
			{
				displayName: 'Applicant ID',
				name: 'applicantId',
				type: 'string',
				default: '',
				description: 'Classic: needed to start a chat with an applicant to one of your job postings',
			},
			{
				displayName: 'Email Address',
				name: 'emailAddress',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Recruiter: start the chat by email to this address instead of an InMail',
			},
			{
				displayName: 'Hiring Project ID',
				name: 'hiringProjectId',
				type: 'string',
				default: '',
				description: 'Recruiter: the project to start the chat in',
			},
			{
				displayName: 'InMail',
				name: 'inmail',
				type: 'boolean',
				default: false,
				description: 'Whether to start the chat with an InMail (Classic)',
			},
			{
				displayName: 'Invitation ID',
				name: 'invitationId',
				type: 'string',
				default: '',
				description: 'Classic: needed to chat with someone whose invitation you have neither accepted nor declined',
			},
			{
				displayName: 'Job Posting ID',
				name: 'jobPostingId',
				type: 'string',
				default: '',
				description: 'Recruiter: the job posting this first contact with a candidate is about',
			},
			{
				displayName: 'Signature',
				name: 'signature',
				type: 'string',
				default: '',
				description: 'Recruiter: the signature of the sender',
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
			},
		],
	},
];
