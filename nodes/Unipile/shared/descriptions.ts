import type { INodeProperties } from 'n8n-workflow';

/** Path segments always go through encodeURIComponent: an id like `../accounts` must not reach another endpoint. */
export const pathParam = (name: string) => `{{ encodeURIComponent(String($parameter["${name}"]).trim()) }}`;

export const ACCOUNT_TYPES = [
	{ name: 'Instagram', value: 'INSTAGRAM' },
	{ name: 'LinkedIn', value: 'LINKEDIN' },
	{ name: 'Messenger', value: 'MESSENGER' },
	{ name: 'Slack', value: 'SLACK' },
	{ name: 'Telegram', value: 'TELEGRAM' },
	{ name: 'WhatsApp', value: 'WHATSAPP' },
	{ name: 'X (Twitter)', value: 'TWITTER' },
];

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
