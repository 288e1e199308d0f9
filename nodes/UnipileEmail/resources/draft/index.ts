import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { accountLocator, paginationFields } from '../../../shared/descriptions';
import { MULTIPART } from '../../../shared/multipart';
import { hiddenOnV2, shownOnV2 } from '../../../shared/v2';
import { composeEmail, composeFields } from '../email/compose';

const show = { resource: ['draft'], operation: ['create'] };
const draftUrl = '=/drafts/{{ encodeURIComponent(String($parameter["draftId"]).trim()) }}';

const create: INodePropertyOptions = {
	name: 'Create',
	value: 'create',
	action: 'Create a draft',
	description: 'Save an email as a draft in the mailbox (send it later with Email → Send → Draft ID)',
	routing: {
		request: { method: 'POST', url: '/drafts', headers: MULTIPART },
		send: { preSend: [composeEmail('draft')] },
	},
};

/**
 * The draft lifecycle Unipile API v2 adds. Their v1 routing only carries the fields' values to the v2 table
 * (draft/v2.ts): these operations are shown, and run, on v2 only.
 */
const V2_ONLY: INodePropertyOptions[] = [
	{ name: 'Delete', value: 'delete', action: 'Delete a draft', description: 'Delete a draft of the mailbox (Unipile API v2)', routing: { request: { method: 'DELETE', url: draftUrl } } },
	{ name: 'Get', value: 'get', action: 'Get a draft', description: 'Get one draft by its ID (Unipile API v2)', routing: { request: { method: 'GET', url: draftUrl } } },
	{ name: 'Get Many', value: 'getAll', action: 'Get many drafts', description: 'List the drafts of a mailbox (Unipile API v2)', routing: { request: { method: 'GET', url: '/drafts' } } },
	{ name: 'Send', value: 'send', action: 'Send a draft', description: 'Send a draft as it is saved (Unipile API v2)', routing: { request: { method: 'POST', url: `${draftUrl}/send` } } },
	{
		name: 'Update',
		value: 'update',
		action: 'Update a draft',
		description: 'Change the recipients, subject, body or files of a draft (Unipile API v2)',
		routing: { request: { method: 'PATCH', url: draftUrl, headers: MULTIPART }, send: { preSend: [composeEmail('draft')] } },
	},
];

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['draft'] } },
	options: [create],
	default: 'create',
};

/** v1 has Create only; v2 the whole lifecycle (one description per operation: Create is the same option). */
export const draftOperations: INodeProperties[] = [
	hiddenOnV2(operationProperty),
	shownOnV2({ ...operationProperty, options: [create, ...V2_ONLY].sort((a, b) => a.name.localeCompare(b.name)) }),
];

const op = (...operation: string[]) => ({ resource: ['draft'], operation });

export const draftFields: INodeProperties[] = [
	accountLocator({
		required: true,
		description: 'The mailbox to save the draft in',
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'account_id' } },
	}),
	shownOnV2(
		accountLocator({
			required: true,
			description: 'The mailbox of the drafts',
			displayOptions: { show: op('delete', 'get', 'getAll', 'send', 'update') },
		}),
	),
	shownOnV2({
		displayName: 'Draft ID',
		name: 'draftId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID of the draft (from Draft → Create or Get Many)',
		displayOptions: { show: op('delete', 'get', 'send', 'update') },
	}),
	...composeFields(show, 'draft'),
	...composeFields(op('update'), 'draft').map((field) => shownOnV2(field)),
	...paginationFields(op('getAll')).map((field) => shownOnV2(field)),
	shownOnV2({
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: op('getAll') },
		options: [
			{ displayName: 'Any Email', name: 'anyEmail', type: 'string', default: '', placeholder: 'e.g. ada@example.com', description: 'Only drafts from or to any of these addresses (comma-separated)', routing: { send: { type: 'query', property: 'any_email', value: '={{ String($value).split(",").map(s => s.trim()).filter(s => s).join(",") }}' } } },
			{ displayName: 'From', name: 'from', type: 'string', default: '', placeholder: 'e.g. ada@example.com', description: 'Only drafts from this address', routing: { send: { type: 'query', property: 'from', value: '={{ String($value).trim() }}' } } },
			{ displayName: 'To', name: 'to', type: 'string', default: '', placeholder: 'e.g. ada@example.com', description: 'Only drafts to this address', routing: { send: { type: 'query', property: 'to', value: '={{ String($value).trim() }}' } } },
		],
	}),
];
