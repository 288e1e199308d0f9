import type { INodeProperties } from 'n8n-workflow';
import { unipileBaseUrl } from '../../../../credentials/UnipileApi.credentials';
import { MAIL_PROVIDERS, PROVIDERS } from '../../../shared/descriptions';
import { hiddenOnV2, shownOnV2 } from '../../../shared/v2';

const show = { resource: ['account'], operation: ['createHostedAuthLink'] };

/** The API the hosted wizard talks to: the credential's DSN as a URL, without `/api/v1`. */
export const credentialApiUrl = `(${unipileBaseUrl.toString()})($credentials.dsn).slice(0, -'/api/v1'.length)`;

const bodyField = (property: string) => ({ send: { type: 'body' as const, property } });

const url = (displayName: string, name: string, property: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder: 'e.g. https://example.com/unipile',
	description,
	routing: bodyField(property),
});

export const hostedAuthLinkFields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Connect a New Account', value: 'create' },
			{ name: 'Reconnect an Account', value: 'reconnect' },
		],
		default: 'create',
		displayOptions: { show },
		routing: bodyField('type'),
	},
	{
		displayName: 'Providers',
		name: 'providers',
		type: 'multiOptions',
		options: [{ name: 'All', value: '*' }, ...[...PROVIDERS, ...MAIL_PROVIDERS].sort((a, b) => a.name.localeCompare(b.name))],
		default: ['*'],
		description: 'The services the user may pick from in the wizard: messaging apps, and mailboxes for Unipile Email',
		displayOptions: { show: { ...show, type: ['create'] } },
		routing: {
			send: { type: 'body', property: 'providers', value: '={{ $value.length === 0 || $value.includes("*") ? "*" : $value }}' },
		},
	},
	{
		displayName: 'Reconnect Account',
		name: 'reconnectAccount',
		type: 'string',
		required: true,
		default: '',
		description: 'The Unipile ID of the account to reconnect',
		displayOptions: { show: { ...show, type: ['reconnect'] } },
		routing: bodyField('reconnect_account'),
	},
	{
		displayName: 'Expires On',
		name: 'expiresOn',
		type: 'dateTime',
		required: true,
		// A week ahead: a required date left empty shows the field in red as soon as the operation is picked.
		default: '={{ $now.plus({ days: 7 }).toISO() }}',
		description:
			'When the link stops working (a week ahead unless changed, e.g. {{ $now.plus({ hours: 1 }) }}). Links also expire when Unipile restarts daily: create one each time a user wants to connect.',
		displayOptions: { show },
		routing: bodyField('expiresOn'),
	},
	// v2 takes one redirect URI, and reports the new account by webhook (with State) instead of Notify URL and Name.
	shownOnV2({
		...url('Redirect URI', 'redirectUri', 'redirect_uri', 'Where the user lands once done; Unipile adds the outcome to its query'),
		required: true,
		displayOptions: { show },
	}),
	shownOnV2({
		displayName: 'State',
		name: 'state',
		type: 'string',
		default: '',
		placeholder: 'e.g. user-1234',
		description: 'Your own reference for the user (such as their ID in your app); Unipile sends it back once the account is connected (account.add webhook)',
		displayOptions: { show },
		routing: bodyField('state'),
	}),
	hiddenOnV2({
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'API URL',
				name: 'apiUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://api1.unipile.com:13111',
				description: "The Unipile API the wizard talks to. Empty: the credential's DSN.",
				routing: {
					send: { type: 'body', property: 'api_url', value: `={{ String($value).trim() || ${credentialApiUrl} }}` },
				},
			},
			url('Failure Redirect URL', 'failureRedirectUrl', 'failure_redirect_url', 'Where the user lands when connecting fails'),
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. user-1234',
				description: 'Your own reference for the user (such as their ID in your app); Unipile sends it back to Notify URL',
				routing: bodyField('name'),
			},
			url('Notify URL', 'notifyUrl', 'notify_url', 'Unipile POSTs the new account ID (and Name) here once the account is connected'),
			url('Success Redirect URL', 'successRedirectUrl', 'success_redirect_url', 'Where the user lands once the account is connected'),
		],
	}),
];
