import type { INodeProperties } from 'n8n-workflow';
import { paginationFields } from '../../../shared/descriptions';
import { linkedinAccount, simplifyField, simplifyWith } from '../../fields';
import { CLASSIC_PAGE, ID_FILTERS, PREMIUM_PAGE, searchBody, simplifySearchResult, simplifySearchResultV2 } from './body';

const show = (...operation: string[]) => ({ resource: ['search'], operation });
const byParameters = { ...show('search'), searchBy: ['parameters'] };

export const searchOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['search'] } },
	options: [
		{
			name: 'Get Parameters',
			value: 'getParameters',
			action: 'Get search filter values',
			description: 'Find the IDs search filters take (a location, an industry, a company…) from a few words',
			routing: { request: { method: 'GET', url: '/linkedin/search/parameters' } },
		},
		{
			name: 'Search',
			value: 'search',
			action: 'Run a search',
			description: 'Search people, companies, posts or jobs, by keywords and filters or with a LinkedIn search URL',
			routing: {
				request: { method: 'POST', url: '/linkedin/search' },
				send: { preSend: [searchBody] },
				output: { postReceive: [simplifyWith(simplifySearchResult, simplifySearchResultV2)] },
			},
		},
	],
	default: 'search',
};

function idFilter(name: keyof typeof ID_FILTERS): INodeProperties {
	const { label, list } = ID_FILTERS[name];
	return {
		displayName: label,
		name,
		values: [
			{
				displayName: label,
				name: 'id',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				modes: [
					{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: list, searchable: true } },
					{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 105015875' },
				],
				description: `A ${label.toLowerCase()} LinkedIn suggests for what you type (or its ID from Get Parameters)`,
			},
		],
	} as unknown as INodeProperties;
}

const [searchReturnAll, searchLimit] = paginationFields(show('search'), { maxPageSize: PREMIUM_PAGE });

export const searchFields: INodeProperties[] = [
	linkedinAccount(show('search', 'getParameters')),
	{
		displayName: 'Search By',
		name: 'searchBy',
		type: 'options',
		options: [
			{ name: 'Keywords and Filters', value: 'parameters' },
			{ name: 'LinkedIn Search URL', value: 'url' },
		],
		default: 'parameters',
		displayOptions: { show: show('search') },
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://www.linkedin.com/search/results/people/?keywords=founder',
		description: 'The address of a search results page on LinkedIn, Sales Navigator or Recruiter',
		displayOptions: { show: { ...show('search'), searchBy: ['url'] } },
	},
	{
		displayName: 'API',
		name: 'api',
		type: 'options',
		options: [
			{ name: 'Classic', value: 'classic' },
			{ name: 'Recruiter', value: 'recruiter' },
			{ name: 'Sales Navigator', value: 'sales_navigator' },
		],
		default: 'classic',
		description: 'Which LinkedIn product to search with (Sales Navigator and Recruiter need that subscription)',
		displayOptions: { show: byParameters },
	},
	{
		displayName: 'Category',
		name: 'category',
		type: 'options',
		options: [
			{ name: 'Companies', value: 'companies' },
			{ name: 'Jobs', value: 'jobs' },
			{ name: 'People', value: 'people' },
			{ name: 'Posts', value: 'posts' },
		],
		default: 'people',
		description: 'What to search for (Sales Navigator: people or companies; Recruiter: people)',
		displayOptions: { show: byParameters },
	},
	{
		displayName: 'Keywords',
		name: 'keywords',
		type: 'string',
		default: '',
		placeholder: 'e.g. head of sales saas',
		displayOptions: { show: byParameters },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'fixedCollection',
		placeholder: 'Add Filter',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'Each filter can be added several times (any of the values matches)',
		displayOptions: { show: byParameters },
		options: (Object.keys(ID_FILTERS) as Array<keyof typeof ID_FILTERS>).map(idFilter),
	},
	{
		displayName: 'More Filters',
		name: 'moreFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { ...byParameters, category: ['people'] } },
		options: [
			{ displayName: 'Company Keywords', name: 'companyKeywords', type: 'string', default: '', description: 'Words in the name of their company' },
			{ displayName: 'First Name Keywords', name: 'firstNameKeywords', type: 'string', default: '' },
			{ displayName: 'Last Name Keywords', name: 'lastNameKeywords', type: 'string', default: '' },
			{
				displayName: 'Network Distance',
				name: 'networkDistance',
				type: 'multiOptions',
				options: [
					{ name: '1st Degree', value: 1 },
					{ name: '2nd Degree', value: 2 },
					{ name: '3rd Degree and Beyond', value: 3 },
				],
				default: [],
			},
			{
				displayName: 'Open To',
				name: 'openTo',
				type: 'multiOptions',
				options: [
					{ name: 'Board Member', value: 'boardMember' },
					{ name: 'Pro Bono', value: 'proBono' },
				],
				default: [],
			},
			{
				displayName: 'Profile Language',
				name: 'profileLanguage',
				type: 'string',
				default: '',
				placeholder: 'e.g. en, fr',
				description: 'ISO 639-1 codes of profile languages, separated by commas',
			},
			{ displayName: 'School Keywords', name: 'schoolKeywords', type: 'string', default: '' },
			{ displayName: 'Title Keywords', name: 'titleKeywords', type: 'string', default: '', description: 'Words in their job title' },
		],
	},
	// Return All's page size follows the product (50 classic, 100 otherwise): the search's preSend sets it.
	{ ...searchReturnAll, routing: undefined },
	{
		...searchLimit,
		description: `Max number of results to return (at most ${CLASSIC_PAGE} for a classic search, ${PREMIUM_PAGE} for Sales Navigator and Recruiter)`,
	},
	simplifyField(show('search')),
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Company', value: 'COMPANY' },
			{ name: 'Industry', value: 'INDUSTRY' },
			{ name: 'Job Function', value: 'JOB_FUNCTION' },
			{ name: 'Job Title', value: 'JOB_TITLE' },
			{ name: 'Location', value: 'LOCATION' },
			{ name: 'People', value: 'PEOPLE' },
			{ name: 'School', value: 'SCHOOL' },
			{ name: 'Service', value: 'SERVICE' },
			{ name: 'Skill', value: 'SKILL' },
		],
		default: 'LOCATION',
		description: 'What kind of filter value to look for',
		displayOptions: { show: show('getParameters') },
		routing: { send: { type: 'query', property: 'type' } },
	},
	{
		displayName: 'Keywords',
		name: 'keywords',
		type: 'string',
		default: '',
		placeholder: 'e.g. paris',
		description: 'The words to look for (such as the start of a city or company name)',
		displayOptions: { show: show('getParameters') },
		routing: { send: { type: 'query', property: 'keywords' } },
	},
	{
		displayName: 'Service',
		name: 'service',
		type: 'options',
		options: [
			{ name: 'Classic', value: 'CLASSIC' },
			{ name: 'Recruiter', value: 'RECRUITER' },
			{ name: 'Sales Navigator', value: 'SALES_NAVIGATOR' },
		],
		default: 'CLASSIC',
		description: 'Which product the IDs are for: use the one the search will run with',
		displayOptions: { show: show('getParameters') },
		routing: { send: { type: 'query', property: 'service' } },
	},
	...paginationFields(show('getParameters'), { maxPageSize: 100 }),
];
