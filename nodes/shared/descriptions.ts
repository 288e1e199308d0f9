import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { invalidDate, toUnipileDate } from './validation';

/** Path segments always go through encodeURIComponent: an id like `../accounts` must not reach another endpoint. */
export const pathParam = (name: string) => `{{ encodeURIComponent(String($parameter["${name}"]).trim()) }}`;

/**
 * The one provider table. `connect`: an account of it can be connected through Account → Connect; `label`: the short
 * name shown beside an account or chat in pickers and messages.
 */
const PROVIDER_TABLE = [
	{ value: 'INSTAGRAM', name: 'Instagram', label: 'Instagram', connect: true },
	{ value: 'LINKEDIN', name: 'LinkedIn', label: 'LinkedIn', connect: true },
	{ value: 'MESSENGER', name: 'Messenger', label: 'Messenger', connect: true },
	{ value: 'SLACK', name: 'Slack', label: 'Slack', connect: false },
	{ value: 'TELEGRAM', name: 'Telegram', label: 'Telegram', connect: true },
	{ value: 'WHATSAPP', name: 'WhatsApp', label: 'WhatsApp', connect: true },
	{ value: 'TWITTER', name: 'X (Twitter)', label: 'X', connect: true },
];

/** The messaging providers an account can be connected to through this node. */
export const PROVIDERS = PROVIDER_TABLE.filter((provider) => provider.connect).map(({ name, value }) => ({ name, value }));

/** Account types chats can be filtered by: the providers above, and Slack accounts connected elsewhere. */
export const ACCOUNT_TYPES = PROVIDER_TABLE.map(({ name, value }) => ({ name, value }));

/** Mailbox providers (Unipile Email), as Account → Create Hosted Auth Link offers them. */
export const MAIL_PROVIDERS = [
	{ name: 'Gmail (Google)', value: 'GOOGLE' },
	{ name: 'IMAP Mailbox', value: 'MAIL' },
	{ name: 'Outlook (Microsoft)', value: 'OUTLOOK' },
];

/** Mail account types as Unipile reports them (a Gmail account reads `GOOGLE_OAUTH`). */
const MAIL_LABELS: Record<string, string> = { GOOGLE: 'Gmail', GOOGLE_OAUTH: 'Gmail', OUTLOOK: 'Outlook', MAIL: 'Email', ICLOUD: 'iCloud', EXCHANGE: 'Exchange' };

/** The short name of a provider (`TWITTER` → X), or what Unipile called it. */
export function providerLabel(type: unknown): string {
	return PROVIDER_TABLE.find((provider) => provider.value === type)?.label ?? MAIL_LABELS[String(type)] ?? String(type ?? 'Account');
}

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


/**
 * Return All + Limit for a Unipile list. Return All pages with the largest page the endpoint allows (`maxPageSize`:
 * 250 for most lists; LinkedIn's relations 1,000, its posts, comments and invitations 100): the fewest requests.
 */
export function paginationFields(
	show: { resource: string[]; operation: string[] },
	{ maxPageSize = 250 }: { maxPageSize?: number } = {},
): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show },
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			routing: { send: { type: 'query', property: 'limit', value: String(maxPageSize) } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...show, returnAll: [false] } },
			typeOptions: { minValue: 1, maxValue: maxPageSize },
			default: 50,
			description: 'Max number of results to return',
			routing: { send: { type: 'query', property: 'limit' } },
		},
	];
}

/**
 * A date filter sent in the query as Unipile wants it: `YYYY-MM-DDTHH:MM:SS.sssZ`, or epoch milliseconds where an
 * endpoint takes those (Account → Resync). Converted, or refused with the fix, before anything is sent.
 */
export function dateFilter(name: 'before' | 'after', what: string, format: 'iso' | 'epochMs' = 'iso'): INodeProperties {
	const displayName = name === 'before' ? 'Before' : 'After';
	return {
		displayName,
		name,
		type: 'dateTime',
		default: '',
		description: `Only ${what} ${name} this date (exclusive)`,
		routing: {
			send: {
				type: 'query',
				property: name,
				preSend: [
					async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
						const qs = (requestOptions.qs ?? {}) as IDataObject;
						const value = qs[name];
						if (value === undefined || value === null || value === '') return requestOptions;
						const date = toUnipileDate(value, this.getTimezone());
						if (date === undefined) throw invalidDate(this.getNode(), displayName, value, this.getItemIndex());
						qs[name] = format === 'iso' ? date : Date.parse(date);
						return requestOptions;
					},
				],
			},
		},
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
