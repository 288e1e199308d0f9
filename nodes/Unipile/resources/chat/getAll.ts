import type { INodeProperties } from 'n8n-workflow';
import { ACCOUNT_TYPES, dateFilter, paginationFields } from '../../../shared/descriptions';
import { hiddenOnV2 } from '../../../shared/v2';

const show = { resource: ['chat'], operation: ['getAll'] };

export const chatGetAllFields: INodeProperties[] = [
	...paginationFields(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		displayOptions: { show },
		default: {},
		options: [
			// On v2 a chat list is one account's: the Account above.
			hiddenOnV2(
				{
					displayName: 'Account ID',
					name: 'accountId',
					type: 'string',
					default: '',
					description: 'Only chats of this account (a comma-separated list of account IDs also works)',
					// Stays a plain string, not an account picker: Unipile takes several IDs here, and a picker holds one.
					routing: { send: { type: 'query', property: 'account_id' } },
				},
				true,
			),
			hiddenOnV2(
				{
					displayName: 'Account Type',
					name: 'accountType',
					type: 'options',
					options: ACCOUNT_TYPES,
					default: 'WHATSAPP',
					description: 'Only chats of accounts of this provider',
					routing: { send: { type: 'query', property: 'account_type' } },
				},
				true,
			),
			dateFilter('after', 'chats with activity'),
			dateFilter('before', 'chats with activity'),
			{
				displayName: 'Unread',
				name: 'unread',
				type: 'boolean',
				default: true,
				description: 'Whether to return only unread chats (on) or only read chats (off)',
				routing: { send: { type: 'query', property: 'unread', value: '={{ $value ? "true" : "false" }}' } },
			},
		],
	},
];
