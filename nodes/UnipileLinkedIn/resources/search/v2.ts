import { NodeOperationError, type IDataObject, type IExecutePaginationFunctions } from 'n8n-workflow';
import { v2RouteChoice, type FieldSource, type V1Request, type V2Route, type V2RouteChoice, type V2Unavailable } from '../../../shared/v2';
import { listLimit } from '../../v2';

const linkedin = '/{accountId}/linkedin';

/** Each product's part of the v2 paths. */
const PRODUCT_PATHS: Record<string, string> = { classic: '', sales_navigator: '/sales-navigator', recruiter: '/recruiter' };
const PRODUCT_NAMES: Record<string, string> = { classic: 'Classic', sales_navigator: 'Sales Navigator', recruiter: 'Recruiter' };

/** The categories each product searches on v2 (one route each), by v1's category value. */
const CATEGORIES: Record<string, string[]> = {
	classic: ['people', 'companies', 'posts', 'jobs'],
	sales_navigator: ['people', 'companies'],
	recruiter: ['people'],
};

/** v1's search filters that v2 names otherwise; the others keep their names. */
const RENAMED: Record<string, string> = { company: 'current_company' };

/** v1's filters as v2's body fields (v1's product and category are the route on v2). */
function filtersOf(request: V1Request, context: IExecutePaginationFunctions): IDataObject {
	const body: IDataObject = {};
	for (const [name, value] of Object.entries(request.body)) {
		if (name === 'api' || name === 'category') continue;
		if (name === 'open_to') {
			const openTo = value as string[];
			if (openTo.includes('boardMember')) {
				throw new NodeOperationError(context.getNode(), '"Open To → Board Member" is not a search filter on Unipile API v2', {
					itemIndex: context.getItemIndex(),
					description: 'Unipile API v2 filters people open to volunteering (Pro Bono) only. Remove Board Member from "Open To", or choose "Unipile API V1 (DSN)" in Authentication.',
				});
			}
			if (openTo.includes('proBono')) body.open_to_volunteering = true;
			continue;
		}
		body[RENAMED[name] ?? name] = value;
	}
	return body;
}

/** The v2 field ← the whole body built from the search's parameters (one body field each). */
function searchBodyFields(names: string[]): Record<string, FieldSource> {
	return Object.fromEntries(names.map((name) => [name, (request: V1Request, context: IExecutePaginationFunctions) => filtersOf(request, context)[name]]));
}

const FILTER_FIELDS = [
	'keywords',
	'location',
	'industry',
	'current_company',
	'past_company',
	'school',
	'service',
	'connections_of',
	'followers_of',
	'network_distance',
	'profile_language',
	'open_to_volunteering',
	'advanced_keywords',
];

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
			query: listLimit,
			body: { url: 'url' },
			list: true,
		};
	}
	const api = String(context.getNodeParameter('api', 'classic'));
	const category = String(context.getNodeParameter('category', 'people'));
	if (!(CATEGORIES[api] ?? []).includes(category)) {
		return {
			unavailable: `${PRODUCT_NAMES[api] ?? api} searches ${(CATEGORIES[api] ?? []).join(' and ')} on Unipile API v2, not ${category}. Choose another Category, or the Classic API for ${category}.`,
		};
	}
	return { method: 'POST', path: `${linkedin}${PRODUCT_PATHS[api]}/search/${category}`, query: listLimit, body: searchBodyFields(FILTER_FIELDS), list: true };
}

/** v1's Service is the product whose IDs to suggest; Recruiter's suggestions are a POST with the words in its body. */
function parametersRoute(context: IExecutePaginationFunctions): V2Route {
	const service = String(context.getNodeParameter('service', 'CLASSIC'));
	if (service === 'RECRUITER') return { method: 'POST', path: `${linkedin}/recruiter/search/parameters`, query: listLimit, body: { type: 'type', keywords: 'keywords' }, list: true };
	const product = service === 'SALES_NAVIGATOR' ? '/sales-navigator' : '';
	return { method: 'GET', path: `${linkedin}${product}/search/parameters`, query: { type: 'type', keywords: 'keywords', ...listLimit }, list: true };
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
