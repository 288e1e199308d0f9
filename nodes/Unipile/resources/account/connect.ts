import type { INodeProperties } from 'n8n-workflow';
import { accountLocator, PROVIDERS } from '../../../shared/descriptions';
import { hiddenOnV2 } from '../../../shared/v2';

/** Connect and Reconnect send the same body (Reconnect adds the account in the URL). */
const operation = ['connect', 'reconnect'];
const show = { resource: ['account'], operation };
const forProvider = (...provider: string[]) => ({ show: { ...show, provider } });
const forLinkedin = (loginMethod: string) => ({ show: { ...show, provider: ['LINKEDIN'], loginMethod: [loginMethod] } });

const bodyField = (property: string) => ({ send: { type: 'body' as const, property } });

function secret(displayName: string, name: string, property: string, description: string, displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description,
		displayOptions,
		routing: bodyField(property),
	};
}

function required(displayName: string, name: string, property: string, description: string, displayOptions: INodeProperties['displayOptions'], placeholder?: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		description,
		displayOptions,
		routing: bodyField(property),
		...(placeholder ? { placeholder } : {}),
	};
}

const userAgent: INodeProperties = {
	displayName: 'User Agent',
	name: 'userAgent',
	type: 'string',
	default: '',
	description:
		'If the account keeps getting disconnected: the exact user agent of the browser the account is used in (run console.log(navigator.userAgent) in its console)',
	routing: bodyField('user_agent'),
};

const syncLimitValue = (name: 'chats' | 'messages', what: string): INodeProperties => ({
	displayName: name === 'chats' ? 'Chats' : 'Messages',
	name,
	type: 'string',
	default: '',
	placeholder: 'e.g. 500 or 2026-01-01T00:00:00Z',
	description: `How many ${what} to sync from history (0 syncs none), or a date to sync from`,
	routing: bodyField(`sync_limit.${name}`),
});

export const accountConnectFields: INodeProperties[] = [
	accountLocator({
		required: true,
		description: 'The Unipile account to reconnect',
		displayOptions: { show: { resource: ['account'], operation: ['reconnect'] } },
	}),
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		options: PROVIDERS,
		default: 'WHATSAPP',
		description: 'The messaging service of the account',
		displayOptions: { show },
		routing: bodyField('provider'),
	},
	// v2's auth intent takes no phone number to pair with: a WhatsApp account connects by QR code.
	hiddenOnV2({
		displayName: 'Pairing Phone Number',
		name: 'pairingPhoneNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. +33612345678',
		description:
			'Leave empty to get a QR code to scan. With the phone number of the WhatsApp account, you get a pairing code to type in WhatsApp instead (beta).',
		displayOptions: forProvider('WHATSAPP'),
		routing: bodyField('pairing_phone_number'),
	}),
	{
		displayName: 'Login Method',
		name: 'loginMethod',
		type: 'options',
		options: [
			{ name: 'Cookie', value: 'cookie', description: 'The li_at cookie of a browser session (recommended for Recruiter)' },
			{ name: 'Username and Password', value: 'credentials', description: 'Starts a new LinkedIn session' },
		],
		default: 'credentials',
		displayOptions: forProvider('LINKEDIN'),
	},
	required('Username', 'username', 'username', 'The email address or phone number of the LinkedIn account', forLinkedin('credentials'), 'e.g. name@example.com'),
	secret('Password', 'password', 'password', 'The password of the LinkedIn account', forLinkedin('credentials')),
	secret('Access Token', 'accessToken', 'access_token', 'The value of the li_at cookie of a logged-in LinkedIn browser session', forLinkedin('cookie')),
	{
		displayName: 'Premium Token',
		name: 'premiumToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'The li_a cookie (Recruiter / Sales Navigator) to join that existing session; without it a new session is started',
		displayOptions: forLinkedin('cookie'),
		routing: bodyField('premium_token'),
	},
	required('Username', 'username', 'username', 'The username of the account', forProvider('INSTAGRAM', 'MESSENGER', 'TWITTER')),
	required('Email', 'email', 'email', 'The email address of the X account', forProvider('TWITTER'), 'e.g. name@example.com'),
	secret('Password', 'password', 'password', 'The password of the account', forProvider('INSTAGRAM', 'MESSENGER', 'TWITTER')),
	{
		displayName: 'LinkedIn Options',
		name: 'linkedinOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: forProvider('LINKEDIN'),
		options: [
			// No place in v2's auth intent: a contract is chosen at a CONTRACT_SELECTION checkpoint.
			hiddenOnV2(
				{
					displayName: 'Recruiter Contract ID',
					name: 'recruiterContractId',
					type: 'string',
					default: '',
					description: 'The LinkedIn Recruiter contract to use, when the account has several',
					routing: bodyField('recruiter_contract_id'),
				},
				true,
			),
			userAgent,
		],
	},
	// v2's Instagram credentials are a username and password (or a session), without a user agent.
	hiddenOnV2({
		displayName: 'Instagram Options',
		name: 'instagramOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: forProvider('INSTAGRAM'),
		options: [userAgent],
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Country',
				name: 'country',
				type: 'string',
				default: '',
				placeholder: 'e.g. FR',
				description: "ISO 3166-1 alpha-2 code of the country Unipile's proxy should connect from",
				routing: { send: { type: 'query', property: 'country' } },
			},
			// Disabled features and sync limits have no place in v2's auth intent.
			hiddenOnV2(
				{
					displayName: 'Disabled Features',
					name: 'disabledFeatures',
					type: 'multiOptions',
					options: [
						{ name: 'LinkedIn Organizations Mailboxes', value: 'linkedin_organizations_mailboxes' },
						{ name: 'LinkedIn Recruiter', value: 'linkedin_recruiter' },
						{ name: 'LinkedIn Sales Navigator', value: 'linkedin_sales_navigator' },
					],
					default: [],
					description: 'Features Unipile should not use for this account',
					routing: bodyField('disabled_features'),
				},
				true,
			),
			{
				displayName: 'IP',
				name: 'ip',
				type: 'string',
				default: '',
				placeholder: 'e.g. 203.0.113.7',
				description: "An IPv4 address near which Unipile's proxy should connect from (usually the user's own)",
				routing: { send: { type: 'query', property: 'ip' } },
			},
			{
				displayName: 'Proxy',
				name: 'proxy',
				type: 'fixedCollection',
				default: {},
				description: 'Your own proxy for this account, instead of Unipile’s',
				options: [
					{
						displayName: 'Proxy',
						name: 'settings',
						values: [
							{
								displayName: 'Host',
								name: 'host',
								type: 'string',
								required: true,
								default: '',
								placeholder: 'e.g. proxy.example.com',
								routing: bodyField('proxy.host'),
							},
							{
								displayName: 'Password',
								name: 'password',
								type: 'string',
								typeOptions: { password: true },
								default: '',
								routing: bodyField('proxy.password'),
							},
							{
								displayName: 'Port',
								name: 'port',
								type: 'number',
								required: true,
								typeOptions: { minValue: 1, maxValue: 65535 },
								default: 8080,
								routing: bodyField('proxy.port'),
							},
							{
								displayName: 'Protocol',
								name: 'protocol',
								type: 'options',
								options: [
									{ name: 'HTTP', value: 'http' },
									{ name: 'HTTPS', value: 'https' },
									{ name: 'SOCKS5', value: 'socks5' },
								],
								default: 'https',
								routing: bodyField('proxy.protocol'),
							},
							{
								displayName: 'Username',
								name: 'username',
								type: 'string',
								default: '',
								routing: bodyField('proxy.username'),
							},
						],
					},
				],
			},
			hiddenOnV2(
				{
					displayName: 'Sync Limit',
					name: 'syncLimit',
					type: 'collection',
					placeholder: 'Add Limit',
					default: {},
					description: 'How much history Unipile syncs at first (not every provider supports it)',
					options: [syncLimitValue('chats', 'chats per inbox'), syncLimitValue('messages', 'messages per chat')],
				},
				true,
			),
		],
	},
];
