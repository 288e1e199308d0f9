import type { INodeProperties } from 'n8n-workflow';
import { accountLocator, LINKEDIN_APIS, pathParam } from '../../../shared/descriptions';

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
		description: 'The provider ID of the user, or their public identifier (such as the end of a LinkedIn profile URL)',
		displayOptions: { show },
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
			{
				displayName: 'LinkedIn API',
				name: 'linkedinApi',
				type: 'options',
				options: LINKEDIN_APIS,
				default: 'classic',
				description: 'Which LinkedIn product to read the profile with (Recruiter and Sales Navigator need that subscription)',
				routing: { send: { type: 'query', property: 'linkedin_api' } },
			},
			{
				displayName: 'LinkedIn Sections',
				name: 'linkedinSections',
				type: 'multiOptions',
				options: [
					{ name: 'About', value: 'about' },
					{ name: 'All Sections', value: '*' },
					{ name: 'Certifications', value: 'certifications' },
					{ name: 'Education', value: 'education' },
					{ name: 'Experience', value: 'experience' },
					{ name: 'Languages', value: 'languages' },
					{ name: 'Skills', value: 'skills' },
				],
				default: [],
				description: 'Extra LinkedIn profile sections to fetch (each one costs time; none by default)',
				// As the SDK sends them: one comma-separated value.
				routing: {
					send: {
						type: 'query',
						property: 'linkedin_sections',
						value: '={{ $value.includes("*") ? "*" : $value.join(",") }}',
					},
				},
			},
		],
	},
];
