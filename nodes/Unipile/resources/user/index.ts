import type { INodeProperties } from 'n8n-workflow';
import { linkedinField } from '../../../shared/linkedinUrls';
import { accountLocator, linkedinProfileOptions, pathParam } from '../../../shared/descriptions';

const show = { resource: ['user'], operation: ['getProfile'] };

export const userOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['user'] } },
	options: [
		{
			name: 'Get Profile',
			value: 'getProfile',
			action: 'Get a user profile',
			description: 'Get the profile of a user (LinkedIn, WhatsApp, Instagram, Telegram or X) seen from one of your accounts',
			routing: { request: { method: 'GET', url: `=/users/${pathParam('identifier')}` } },
		},
	],
	default: 'getProfile',
};

export const userFields: INodeProperties[] = [
	{
		displayName: 'Identifier',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. john-doe-1a2b3c or ACoAAA1b2c3',
		description: 'The provider ID of the user, or their public identifier (such as the end of a LinkedIn profile URL); on LinkedIn also their profile URL or Sales Navigator lead URL',
		displayOptions: { show },
		routing: { send: { preSend: [linkedinField('identifier', 'profile', 'Identifier', { path: true })] } },
	},
	accountLocator({
		required: true,
		description: 'The Unipile account to look the user up with',
		displayOptions: { show },
		routing: { send: { type: 'query', property: 'account_id' } },
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show },
		default: {},
		options: [
			...linkedinProfileOptions('Extra LinkedIn profile sections to fetch (each one costs time; none by default)'),
		],
	},
];
