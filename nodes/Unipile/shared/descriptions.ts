import type { INodeProperties } from 'n8n-workflow';

/** Path segments always go through encodeURIComponent: an id like `../accounts` must not reach another endpoint. */
export const pathParam = (name: string) => `{{ encodeURIComponent(String($parameter["${name}"]).trim()) }}`;

/** The messaging providers an account can be connected to through this node. */
export const PROVIDERS = [
	{ name: 'Instagram', value: 'INSTAGRAM' },
	{ name: 'LinkedIn', value: 'LINKEDIN' },
	{ name: 'Messenger', value: 'MESSENGER' },
	{ name: 'Telegram', value: 'TELEGRAM' },
	{ name: 'WhatsApp', value: 'WHATSAPP' },
	{ name: 'X (Twitter)', value: 'TWITTER' },
];

/** Providers whose checkpoints take a code (Account → Solve Checkpoint), as the SDK's solveCodeCheckpoint allows. */
export const CODE_CHECKPOINT_PROVIDERS = PROVIDERS.filter((provider) =>
	['INSTAGRAM', 'LINKEDIN', 'MESSENGER', 'TWITTER'].includes(provider.value),
);

/** LinkedIn products a call can go through (each but Classic needs its subscription). */
export const LINKEDIN_APIS = [
	{ name: 'Classic', value: 'classic' },
	{ name: 'Recruiter', value: 'recruiter' },
	{ name: 'Sales Navigator', value: 'sales_navigator' },
];

/** Account types chats can be filtered by: the providers above, and Slack accounts connected elsewhere. */
export const ACCOUNT_TYPES = [...PROVIDERS, { name: 'Slack', value: 'SLACK' }].sort((a, b) => a.name.localeCompare(b.name));

/** Return All + Limit for a Unipile list. Return All pages with the largest page Unipile allows (250). */
export function paginationFields(show: { resource: string[]; operation: string[] }): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show },
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			routing: { send: { type: 'query', property: 'limit', value: '250' } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...show, returnAll: [false] } },
			typeOptions: { minValue: 1, maxValue: 250 },
			default: 50,
			description: 'Max number of results to return',
			routing: { send: { type: 'query', property: 'limit' } },
		},
	];
}

export function dateFilter(name: 'before' | 'after', what: string): INodeProperties {
	return {
		displayName: name === 'before' ? 'Before' : 'After',
		name,
		type: 'dateTime',
		default: '',
		description: `Only ${what} ${name} this date (exclusive)`,
		routing: { send: { type: 'query', property: name } },
	};
}

type LocatorFields = Pick<INodeProperties, 'description'> & Partial<Pick<INodeProperties, 'displayName' | 'required' | 'displayOptions' | 'routing'>>;

/**
 * A picker for a Unipile account or chat: a searchable list (GET /accounts or /chats, see shared/listSearch.ts) or
 * a plain ID. RoutingNode hands `$value` the bare ID, and `$parameter["name"]` gives the bare ID too, so URLs built
 * with pathParam work for both forms and for plain strings saved before the pickers existed.
 */
function locator(
	name: 'accountId' | 'chatId',
	searchListMethod: string,
	idPlaceholder: string,
	fields: LocatorFields,
): INodeProperties {
	return {
		displayName: name === 'accountId' ? 'Account ID' : 'Chat ID',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: idPlaceholder },
		],
		...fields,
	};
}

export const accountLocator = (fields: LocatorFields) =>
	locator('accountId', 'searchAccounts', 'e.g. t5XY4yQzR9WVrlNFyzPMhw', fields);

export const chatLocator = (fields: LocatorFields) =>
	locator('chatId', 'searchChats', 'e.g. 1a2b3c4d5e6f7g8h9i0j', fields);
