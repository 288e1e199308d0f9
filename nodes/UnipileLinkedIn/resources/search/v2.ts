import { NodeOperationError, type IDataObject, type IExecutePaginationFunctions } from 'n8n-workflow';
import { v2RouteChoice, type FieldSource, type V1Request, type V2Route, type V2RouteChoice, type V2Unavailable } from '../../../shared/v2';
import { listLimit } from '../../v2';

const linkedin = '/{accountId}/linkedin';

/** Each product's part of the v2 paths. */
const PRODUCT_PATHS: Record<string, string> = { classic: '', sales_navigator: '/sales-navigator', recruiter: '/recruiter' };
const PRODUCT_NAMES: Record<string, string> = { classic: 'Classic', sales_navigator: 'Sales Navigator', recruiter: 'Recruiter' };

/**
 * v1's parameter types each product lists on v2 (`GetClassicSearchParametersData.query.type`,
 * `GetSalesSearchParametersData.query.type`, `GetRecruiterSearchParametersData` with source SEARCH).
 */
export const PARAMETER_TYPES: Record<string, string[]> = {
	classic: ['COMPANY', 'INDUSTRY', 'JOB_FUNCTION', 'JOB_TITLE', 'LOCATION', 'PEOPLE', 'RELATION', 'SCHOOL', 'SERVICE', 'SKILL'],
	sales_navigator: ['COMPANY', 'INDUSTRY', 'JOB_FUNCTION', 'JOB_TITLE', 'LOCATION', 'RELATION', 'SCHOOL'],
	recruiter: ['COMPANY', 'INDUSTRY', 'JOB_FUNCTION', 'JOB_TITLE', 'LOCATION', 'SCHOOL', 'SKILL'],
};

/** The categories each product searches on v2 (one route each), by v1's category value. */
const CATEGORIES: Record<string, string[]> = {
	classic: ['people', 'companies', 'posts', 'jobs'],
	sales_navigator: ['people', 'companies'],
	recruiter: ['people'],
};

/**
 * The body fields each search route takes of v1's filters, by `product/category` (types.gen.ts,
 * `PerformClassicPeopleSearchData`, `PerformClassicCompaniesSearchData`, `PerformClassicPostsSearchData`,
 * `PerformClassicJobsSearchData`, `PerformSalesPeopleSearchData`, `PerformSalesCompaniesSearchData`,
 * `PerformRecruiterPeopleSearchData`).
 */
const PEOPLE_FIELDS = ['keywords', 'network_distance', 'location', 'current_company', 'past_company', 'school', 'connections_of', 'followers_of', 'industry', 'service', 'profile_language', 'open_to_volunteering', 'advanced_keywords'];
const ROUTE_FIELDS: Record<string, string[]> = {
	'classic/people': PEOPLE_FIELDS,
	'classic/companies': ['keywords', 'location', 'industry'],
	'classic/posts': ['keywords'],
	// A job's company is `company` (people's is `current_company`).
	'classic/jobs': ['keywords', 'location', 'industry', 'company'],
	'recruiter/people': ['keywords', 'network_distance', 'location', 'current_company', 'past_company', 'school', 'industry', 'profile_language'],
	'sales_navigator/people': ['keywords', 'network_distance', 'location', 'current_company', 'past_company', 'school', 'industry', 'connections_of', 'profile_language', 'first_name', 'last_name'],
	'sales_navigator/companies': ['keywords', 'location', 'industry'],
};

/** The names users see of v1's search body fields (for a filter the v2 route lacks). */
const FILTER_LABELS: Record<string, string> = {
	location: 'Location',
	industry: 'Industry',
	company: 'Company',
	past_company: 'Past Company',
	school: 'School',
	service: 'Service',
	connections_of: 'Connections Of',
	followers_of: 'Followers Of',
	network_distance: 'Network Distance',
	profile_language: 'Profile Language',
	open_to: 'Open To',
	advanced_keywords: 'First Name / Last Name / Title / Company / School Keywords',
};

/**
 * Recruiter takes its ID filters as `{id}` objects (a priority may go with each) and industries as `{include}`; Sales
 * Navigator every ID filter but Connections Of as `{include, exclude?}`.
 */
const asRecruiterIds = (ids: unknown) => (ids as string[]).map((id) => ({ id }));
const INCLUDED: Record<string, string[]> = {
	recruiter: ['industry'],
	sales_navigator: ['location', 'current_company', 'past_company', 'school', 'industry'],
};

/** v1's advanced keywords Sales Navigator and Recruiter take: first and last names, as lists. */
const NAME_KEYWORDS = ['first_name', 'last_name'];
const ADVANCED_LABELS: Record<string, string> = { first_name: 'First Name Keywords', last_name: 'Last Name Keywords', title: 'Title Keywords', company: 'Company Keywords', school: 'School Keywords' };

/** v1's filters as the v2 body of the route for `product/category`; a filter that route lacks is refused. */
function filtersOf(request: V1Request, context: IExecutePaginationFunctions, route: string): IDataObject {
	const fields = ROUTE_FIELDS[route] ?? PEOPLE_FIELDS;
	const [product, category] = route.split('/');
	const body: IDataObject = {};
	const lacking: string[] = [];
	for (const [name, value] of Object.entries(request.body)) {
		if (name === 'api' || name === 'category') continue;
		let field = name;
		let v2Value: unknown = value;
		if (name === 'open_to') {
			const openTo = value as string[];
			if (openTo.includes('boardMember')) {
				throw new NodeOperationError(context.getNode(), '"Open To → Board Member" is not a search filter on Unipile API v2', {
					itemIndex: context.getItemIndex(),
					description: 'Unipile API v2 filters people open to volunteering (Pro Bono) only. Remove Board Member from "Open To", or choose "Unipile API V1 (DSN)" in Authentication.',
				});
			}
			if (!openTo.includes('proBono')) continue;
			field = 'open_to_volunteering';
			v2Value = true;
		} else if (name === 'company' && category !== 'jobs') field = 'current_company';
		else if (name === 'advanced_keywords' && product !== 'classic') {
			for (const [key, words] of Object.entries(value as IDataObject)) {
				if (NAME_KEYWORDS.includes(key) && fields.includes(key)) body[key] = [words as string];
				else lacking.push(ADVANCED_LABELS[key] ?? key);
			}
			continue;
		}
		if (!fields.includes(field)) {
			lacking.push(FILTER_LABELS[name] ?? name);
			continue;
		}
		if (product === 'recruiter' && ['location', 'current_company', 'past_company', 'school'].includes(field)) v2Value = asRecruiterIds(v2Value);
		if ((INCLUDED[product] ?? []).includes(field)) v2Value = { include: v2Value };
		// Classic people search takes one member for each ("A parameter ID"); v1 took a list.
		if (product === 'classic' && (field === 'connections_of' || field === 'followers_of') && Array.isArray(v2Value)) {
			if (v2Value.length > 1) {
				throw new NodeOperationError(context.getNode(), `"${FILTER_LABELS[name]}" takes one member on Unipile API v2`, {
					itemIndex: context.getItemIndex(),
					description: `Unipile API v2's classic people search filters by one member's ${name === 'connections_of' ? 'connections' : 'followers'}. Keep one entry in "${FILTER_LABELS[name]}", or choose "Unipile API V1 (DSN)" in Authentication.`,
				});
			}
			v2Value = v2Value[0];
		}
		body[field] = v2Value as IDataObject[string];
	}
	if (lacking.length > 0) {
		throw new NodeOperationError(context.getNode(), `${lacking.map((label) => `"${label}"`).join(', ')} ${lacking.length === 1 ? 'is not a filter' : 'are not filters'} of ${PRODUCT_NAMES[product] ?? product} ${category} search on Unipile API v2`, {
			itemIndex: context.getItemIndex(),
			description: `Unipile API v2's ${PRODUCT_NAMES[product] ?? product} ${category} search takes ${fields.join(', ')}. Remove the other filters, or choose "Unipile API V1 (DSN)" in Authentication.`,
		});
	}
	return body;
}

/** The v2 field ← the whole body built from the search's parameters (one body field each). */
function searchBodyFields(route: string): Record<string, FieldSource> {
	return Object.fromEntries((ROUTE_FIELDS[route] ?? PEOPLE_FIELDS).map((name) => [name, (request: V1Request, context: IExecutePaginationFunctions) => filtersOf(request, context, route)[name]]));
}

/**
 * The query of each search route: a page size up to its maximum, or none (the route takes none). Node's Limit then
 * counts the items, pages followed by the route's cursor or offset (types.gen.ts, each route's `query`).
 */
const pageOf = (max: number): Record<string, FieldSource> => ({
	limit: (request) => (request.qs.limit === undefined ? undefined : String(Math.min(Number(request.qs.limit), max))),
});
const ROUTE_QUERY: Record<string, Record<string, FieldSource>> = {
	// Cursor only, 10 a page (`PerformClassicPeopleSearchData.query`, `…CompaniesSearchData.query`).
	'classic/people': {},
	'classic/companies': {},
	// Cursor and limit, "up to 49".
	'classic/posts': pageOf(49),
	// Offset and limit; "Jobs are limited to 50".
	'classic/jobs': pageOf(50),
	// Cursor and limit; "Sales Navigator and Recruiter support up to 100".
	'recruiter/people': pageOf(100),
	// Offset and limit.
	'sales_navigator/people': pageOf(100),
	'sales_navigator/companies': pageOf(100),
};

/** A search URL's page size: "People and Companies are limited to 10 results per page, while Jobs are limited to 50… Post searches … up to 49"; Sales Navigator and Recruiter 100. */
function urlPageMax(url: string): number {
	if (/linkedin\.com\/(sales|talent)\//i.test(url)) return 100;
	if (/\/search\/results\/jobs\//i.test(url)) return 50;
	if (/\/search\/results\/content\//i.test(url)) return 49;
	return 10;
}

/** A search URL's product from its address: Sales Navigator's and Recruiter's pages have their own. */
function productOfUrl(url: string): string {
	if (/linkedin\.com\/sales\//i.test(url)) return 'sales_navigator';
	if (/linkedin\.com\/talent\//i.test(url)) return 'recruiter';
	return 'classic';
}

function searchRoute(context: IExecutePaginationFunctions): V2Route | V2Unavailable {
	if (context.getNodeParameter('searchBy', 'parameters') === 'url') {
		return {
			method: 'POST',
			path: (ctx) => `${linkedin}${PRODUCT_PATHS[productOfUrl(String(ctx.getNodeParameter('url', '')))]}/search`,
			query: { limit: (request, ctx) => (request.qs.limit === undefined ? undefined : String(Math.min(Number(request.qs.limit), urlPageMax(String(ctx.getNodeParameter('url', '')))))) },
			body: { url: 'url' },
			list: true,
			limitIsItems: true,
		};
	}
	const api = String(context.getNodeParameter('api', 'classic'));
	const category = String(context.getNodeParameter('category', 'people'));
	if (!(CATEGORIES[api] ?? []).includes(category)) {
		return {
			unavailable: `${PRODUCT_NAMES[api] ?? api} searches ${(CATEGORIES[api] ?? []).join(' and ')} on Unipile API v2, not ${category}. Choose another Category, or the Classic API for ${category}.`,
		};
	}
	const route = `${api}/${category}`;
	return { method: 'POST', path: `${linkedin}${PRODUCT_PATHS[api]}/search/${category}`, query: ROUTE_QUERY[route] ?? listLimit, body: searchBodyFields(route), list: true, limitIsItems: route in ROUTE_QUERY };
}

/**
 * v1's Service is the product whose IDs to suggest; Recruiter's suggestions are a POST with the words in its body and
 * `source: 'SEARCH'` (the parameters of its people search; `GetRecruiterSearchParametersData`).
 */
function parametersRoute(context: IExecutePaginationFunctions): V2Route {
	const service = String(context.getNodeParameter('service', 'CLASSIC'));
	const type = String(context.getNodeParameter('type', 'LOCATION'));
	const product = service === 'RECRUITER' ? 'recruiter' : service === 'SALES_NAVIGATOR' ? 'sales_navigator' : 'classic';
	if (!PARAMETER_TYPES[product].includes(type)) {
		throw new NodeOperationError(context.getNode(), `${PRODUCT_NAMES[product]} has no "${type}" search parameters on Unipile API v2`, {
			itemIndex: context.getItemIndex(),
			description: `Unipile API v2 lists ${PRODUCT_NAMES[product]}'s ${PARAMETER_TYPES[product].join(', ')} parameters. Choose another Type or Service, or "Unipile API V1 (DSN)" in Authentication.`,
		});
	}
	// Classic's list needs words to look for (`GetClassicSearchParametersData.query.keywords` is required).
	if (product === 'classic' && String(context.getNodeParameter('keywords', '') ?? '').trim() === '') {
		throw new NodeOperationError(context.getNode(), '"Keywords" is empty', {
			itemIndex: context.getItemIndex(),
			description: 'Unipile API v2 suggests classic search parameters for words you give: enter the start of a city, company or school name in Keywords.',
		});
	}
	if (product === 'recruiter') return { method: 'POST', path: `${linkedin}/recruiter/search/parameters`, query: listLimit, body: { source: () => 'SEARCH', type: 'type', keywords: 'keywords' }, list: true };
	return { method: 'GET', path: `${linkedin}${PRODUCT_PATHS[product]}/search/parameters`, query: { type: 'type', keywords: 'keywords', ...listLimit }, list: true };
}

const searchCalls = [
	...Object.entries(CATEGORIES).flatMap(([api, categories]) => categories.map((category) => `POST ${linkedin}${PRODUCT_PATHS[api]}/search/${category}`)),
	...Object.values(PRODUCT_PATHS).map((product) => `POST ${linkedin}${product}/search`),
];

export const searchV2: Record<string, V2RouteChoice> = {
	getParameters: v2RouteChoice(
		[`GET ${linkedin}/search/parameters`, `GET ${linkedin}/sales-navigator/search/parameters`, `POST ${linkedin}/recruiter/search/parameters`],
		parametersRoute,
	),
	search: v2RouteChoice(searchCalls, searchRoute),
};
