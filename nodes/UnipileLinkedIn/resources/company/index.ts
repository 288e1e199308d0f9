import type { INodeProperties } from 'n8n-workflow';
import { pathParam } from '../../../shared/descriptions';
import { linkedinField } from '../../../shared/linkedinUrls';
import { linkedinAccount } from '../../fields';

const show = { resource: ['company'], operation: ['get'] };

export const companyOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['company'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a company page',
			description: 'Get a LinkedIn company page: description, industry, size, locations, website, followers',
			routing: { request: { method: 'GET', url: `=/linkedin/company/${pathParam('identifier')}` } },
		},
	],
	default: 'get',
};

export const companyFields: INodeProperties[] = [
	// Account first, as in every LinkedIn operation.
	linkedinAccount(show),
	{
		displayName: 'Identifier',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. unipile or 1035',
		description: 'The company ID, its public identifier (the end of linkedin.com/company/…) or the company URL',
		displayOptions: { show },
		routing: { send: { preSend: [linkedinField('identifier', 'company', 'Identifier', { path: true })] } },
	},
];
