import type { INodeProperties } from 'n8n-workflow';
import {
	describeConnection,
	prepareConnectBody,
	prepareHostedAuthLinkBody,
} from './connection';
import { accountLocator, CODE_CHECKPOINT_PROVIDERS, dateFilter, LINKEDIN_APIS, paginationFields, pathParam } from '../../../shared/descriptions';
import { hiddenOnV2, shownOnV2, v2UnavailableNotice } from '../../../shared/v2';
import { accountConnectFields } from './connect';
import { credentialApiUrl, hostedAuthLinkFields } from './hostedAuthLink';
import { RESYNC_ON_V2 } from './v2';

const show = { resource: ['account'] };
const accountPath = `/accounts/${pathParam('accountId')}`;

export const accountOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show },
	options: [
		{
			name: 'Connect',
			value: 'connect',
			action: 'Connect an account',
			description: 'Link a WhatsApp, LinkedIn, Instagram, Messenger, Telegram or X account to Unipile',
			routing: {
				request: { method: 'POST', url: '/accounts' },
				send: { preSend: [prepareConnectBody] },
				output: { postReceive: [describeConnection] },
			},
		},
		{
			name: 'Create Hosted Auth Link',
			value: 'createHostedAuthLink',
			action: 'Create a hosted auth link',
			description: "Get a link to Unipile's own wizard where a user connects (or reconnects) their account",
			routing: {
				request: {
					method: 'POST',
					url: '/hosted/accounts/link',
					body: { api_url: `={{ ${credentialApiUrl} }}` },
				},
				send: { preSend: [prepareHostedAuthLinkBody] },
			},
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete an account',
			description: 'Disconnect an account from Unipile',
			routing: { request: { method: 'DELETE', url: `=${accountPath}` } },
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get an account',
			description: 'Get one account, with its connection status',
			routing: { request: { method: 'GET', url: `=${accountPath}` } },
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many accounts',
			description: 'List the accounts connected to Unipile',
			routing: { request: { method: 'GET', url: '/accounts' } },
		},
		{
			name: 'Reconnect',
			value: 'reconnect',
			action: 'Reconnect an account',
			description: 'Sign an account back in after it was disconnected',
			routing: {
				request: { method: 'POST', url: `=${accountPath}` },
				send: { preSend: [prepareConnectBody] },
				output: { postReceive: [describeConnection] },
			},
		},
		{
			name: 'Resync',
			value: 'resync',
			action: 'Resync the messages of an account',
			description: "Start (or check) a new sync of a LinkedIn account's messages; call again to follow its status",
			routing: {
				request: { method: 'GET', url: `=${accountPath}/sync` },
			},
		},
		{
			name: 'Solve Checkpoint',
			value: 'solveCheckpoint',
			action: 'Solve a login checkpoint with a code',
			description: 'Send the code (2FA, OTP, phone number…) a Connect or Reconnect asked for',
			routing: {
				request: { method: 'POST', url: '/accounts/checkpoint' },
				output: { postReceive: [describeConnection] },
			},
		},
	],
	default: 'connect',
};

export const accountFields: INodeProperties[] = [
	accountLocator({
		required: true,
		description: 'The Unipile account',
		displayOptions: { show: { ...show, operation: ['delete', 'get'] } },
	}),
	hiddenOnV2(
		accountLocator({
			required: true,
			description: 'The Unipile account',
			displayOptions: { show: { ...show, operation: ['resync'] } },
		}),
	),
	v2UnavailableNotice('resyncOnV2', { ...show, operation: ['resync'] }, RESYNC_ON_V2),
	...paginationFields({ ...show, operation: ['getAll'] }),
	...accountConnectFields,
	// v2 finds the sign-in in progress by its intent ID, not by provider and account.
	shownOnV2({
		displayName: 'Intent ID',
		name: 'intentId',
		type: 'string',
		required: true,
		default: '',
		description: 'The intentId of the Connect or Reconnect output that asked for the code',
		displayOptions: { show: { ...show, operation: ['solveCheckpoint'] } },
		routing: { send: { type: 'body', property: 'intent_id' } },
	}),
	hiddenOnV2({
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		options: CODE_CHECKPOINT_PROVIDERS,
		default: 'LINKEDIN',
		description: 'The service of the account waiting for the code',
		displayOptions: { show: { ...show, operation: ['solveCheckpoint'] } },
		routing: { send: { type: 'body', property: 'provider' } },
	}),
	hiddenOnV2(
		accountLocator({
			required: true,
			description: 'The account the checkpoint came with',
			displayOptions: { show: { ...show, operation: ['solveCheckpoint'] } },
			routing: { send: { type: 'body', property: 'account_id' } },
		}),
	),
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 123456',
		description: 'The code received (or the phone number / contract ID the checkpoint asks for)',
		displayOptions: { show: { ...show, operation: ['solveCheckpoint'] } },
		routing: { send: { type: 'body', property: 'code' } },
	},
	hiddenOnV2({
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { ...show, operation: ['resync'] } },
		options: [
			// This route takes epoch milliseconds (the SDK's AccountResyncQuerySchema), unlike every list route.
			dateFilter('after', 'resync messages', 'epochMs'),
			dateFilter('before', 'resync messages', 'epochMs'),
			{
				displayName: 'LinkedIn Product',
				name: 'linkedinProduct',
				type: 'options',
				options: LINKEDIN_APIS,
				default: 'classic',
				description: 'Which LinkedIn inbox to resync',
				routing: { send: { type: 'query', property: 'linkedin_product' } },
			},
		],
	}),
	...hostedAuthLinkFields,
];
