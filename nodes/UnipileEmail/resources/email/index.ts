import type { INodeProperties } from 'n8n-workflow';
import { binaryDownloadRequest, binaryPropertyField } from '../../../shared/binary';
import { accountLocator, dateFilter, paginationFields, pathParam } from '../../../shared/descriptions';
import { MULTIPART, requireOneOf } from '../../../shared/multipart';
import { emailAttachmentsToBinary } from './attachments';
import { composeEmail, composeFields } from './compose';
import { simplifyEmails, simplifyField } from './simplify';
import { shownOnV2 } from '../../../shared/v2';

const show = { resource: ['email'] };
const emailUrl = `=/emails/${pathParam('emailId')}`;

export const emailOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show },
	options: [
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete an email',
			description: 'Delete an email from its mailbox',
			routing: { request: { method: 'DELETE', url: emailUrl } },
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get an email',
			description: 'Get one email by its ID',
			routing: { request: { method: 'GET', url: emailUrl }, output: { postReceive: [simplifyEmails] } },
		},
		{
			name: 'Get Attachment',
			value: 'getAttachment',
			action: 'Get an email attachment',
			description: 'Download one attachment of an email, or all of them, as binary data',
			routing: {
				request: {
					method: 'GET',
					url: `${emailUrl}{{ $parameter["downloadAll"] ? "" : "/attachments/" + encodeURIComponent(String($parameter["attachmentId"]).trim()) }}`,
					...binaryDownloadRequest,
				},
				output: { postReceive: [emailAttachmentsToBinary] },
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many emails',
			description: 'List the emails of a mailbox, newest first',
			routing: { request: { method: 'GET', url: '/emails' }, output: { postReceive: [simplifyEmails] } },
		},
		{
			name: 'Reply',
			value: 'reply',
			action: 'Reply to an email',
			description: 'Answer an email in its thread, from the account that received it',
			routing: {
				request: { method: 'POST', url: '/emails', headers: MULTIPART },
				send: { preSend: [composeEmail('reply')] },
			},
		},
		{
			name: 'Send',
			value: 'send',
			action: 'Send an email',
			description: 'Send an email, with files if any, from a connected mailbox',
			routing: {
				request: { method: 'POST', url: '/emails', headers: MULTIPART },
				send: { preSend: [composeEmail('send')] },
			},
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update an email',
			description: 'Mark an email read or unread, or move it to other folders',
			routing: {
				request: { method: 'PUT', url: emailUrl },
				send: {
					preSend: [
						requireOneOf(
							['unread', 'folders'],
							'Nothing to update: no field was chosen',
							'Add Update Fields → Unread (to mark the email read or unread) or Folder Names (to move it).',
						),
					],
				},
			},
		},
	],
	default: 'send',
};

const op = (...operation: string[]) => ({ ...show, operation });

/** A filter of a collection that only Unipile API v2 has (collection options name root parameters with "/"). */
function onV2InCollection(property: INodeProperties): INodeProperties {
	return { ...property, displayOptions: { show: { '/authentication': ['unipileApiV2'] } } };
}

export const emailFields: INodeProperties[] = [
	accountLocator({
		required: true,
		description: 'The mailbox to send from (a Gmail, Outlook or IMAP account connected to Unipile)',
		displayOptions: { show: op('send') },
		routing: { send: { type: 'body', property: 'account_id' } },
	}),
	accountLocator({
		required: true,
		description: 'The mailbox to list (a Gmail, Outlook or IMAP account connected to Unipile)',
		displayOptions: { show: op('getAll') },
		routing: { send: { type: 'query', property: 'account_id' } },
	}),
	// v2 finds an email within its mailbox.
	shownOnV2(
		accountLocator({
			required: true,
			description: 'The mailbox the email is in (Unipile API v2 finds an email within its account)',
			displayOptions: { show: op('reply', 'get', 'update', 'delete', 'getAttachment') },
		}),
	),
	{
		displayName: 'Email ID',
		name: 'emailId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Unipile ID of the email',
		displayOptions: { show: op('reply', 'get', 'update', 'delete', 'getAttachment') },
	},
	...composeFields(op('send'), 'send'),
	...composeFields(op('reply'), 'reply'),
	// Get Many
	...paginationFields(op('getAll')),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: op('getAll') },
		options: [
			dateFilter('after', 'emails received or sent'),
			{
				displayName: 'Any Email',
				name: 'anyEmail',
				type: 'string',
				default: '',
				placeholder: 'e.g. ada@example.com, bob@example.com',
				description: 'Only emails from or to any of these addresses (comma-separated)',
				routing: { send: { type: 'query', property: 'any_email', value: '={{ String($value).split(",").map(s => s.trim()).filter(s => s).join(",") }}' } },
			},
			dateFilter('before', 'emails received or sent'),
			{
				displayName: 'Folder Name or ID',
				name: 'folder',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getFolders', loadOptionsDependsOn: ['accountId.value'] },
				default: '',
				description:
					'Only emails of this folder. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				routing: { send: { type: 'query', property: 'folder' } },
			},
			onV2InCollection({
				displayName: 'Has Attachment',
				name: 'hasAttachment',
				type: 'boolean',
				default: true,
				description: 'Whether to list only emails with files (on) or only emails without (off)',
				routing: { send: { type: 'query', property: 'has_attachment', value: '={{ $value ? "true" : "false" }}' } },
			}),
			{
				displayName: 'From',
				name: 'from',
				type: 'string',
				default: '',
				placeholder: 'e.g. ada@example.com',
				description: 'Only emails from this address',
				routing: { send: { type: 'query', property: 'from', value: '={{ String($value).trim() }}' } },
			},
			onV2InCollection({
				displayName: 'Search Text',
				name: 'q',
				type: 'string',
				default: '',
				placeholder: 'e.g. invoice',
				description: "Only emails matching this text, as the mailbox's own search finds them (approximate: Unipile then searches, and Outlook stops near 1,000 results)",
				routing: { send: { type: 'query', property: 'q', value: '={{ String($value).trim() }}' } },
			}),
			{
				displayName: 'To',
				name: 'to',
				type: 'string',
				default: '',
				placeholder: 'e.g. ada@example.com',
				description: 'Only emails to this address',
				routing: { send: { type: 'query', property: 'to', value: '={{ String($value).trim() }}' } },
			},
			onV2InCollection({
				displayName: 'Unread',
				name: 'unread',
				type: 'boolean',
				default: true,
				description: 'Whether to list only unread emails (on) or only read ones (off)',
				routing: { send: { type: 'query', property: 'is_unread', value: '={{ $value ? "true" : "false" }}' } },
			}),
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: op('getAll', 'get') },
		options: [
			{
				displayName: 'Include Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description: 'Whether to include every header of each email (full objects only: turn Simplify off)',
				routing: { send: { type: 'query', property: 'include_headers', value: '={{ $value ? "true" : "" }}' } },
			},
			{
				displayName: 'Meta Only',
				name: 'metaOnly',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '/operation': ['getAll'] } },
				description: 'Whether to leave the bodies out (faster for large mailboxes)',
				routing: { send: { type: 'query', property: 'meta_only', value: '={{ $value ? "true" : "" }}' } },
			},
		],
	},
	simplifyField(op('getAll', 'get')),
	// Update
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: op('update') },
		options: [
			{
				displayName: 'Folder Names or IDs',
				name: 'folders',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getFolderNames', loadOptionsDependsOn: ['accountId.value'] },
				default: [],
				description:
					'Move the email to these folders, by name (Outlook and IMAP take one; Gmail labels may be several). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				routing: { send: { type: 'body', property: 'folders' } },
			},
			{
				displayName: 'Unread',
				name: 'unread',
				type: 'boolean',
				default: false,
				description: 'Whether the email is unread (off marks it read)',
				routing: { send: { type: 'body', property: 'unread' } },
			},
		],
	},
	// Get Attachment
	{
		displayName: 'Download All Attachments',
		name: 'downloadAll',
		type: 'boolean',
		default: false,
		description:
			'Whether to download every attachment of the email into one item: attachment N lands in the binary field named by Put Output File in Field plus "_N" (data_0, data_1, …)',
		displayOptions: { show: op('getAttachment') },
	},
	{
		displayName: 'Attachment ID',
		name: 'attachmentId',
		type: 'string',
		required: true,
		default: '',
		description: "The ID of the attachment, from the email's attachments list",
		displayOptions: { show: { ...op('getAttachment'), downloadAll: [false] } },
	},
	binaryPropertyField(
		op('getAttachment'),
		'The binary field to put the file in (with Download All Attachments: the prefix of the fields)',
	),
];
