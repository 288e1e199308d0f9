import {
	NodeOperationError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
} from 'n8n-workflow';
import { LINKEDIN_ACCOUNTS, searchAccountsOf } from '../shared/accountKinds';
import { credentialTypeOf, unipileApiRequest } from '../shared/transport';
import { PARAMETER_TYPES } from './resources/search/v2';

/** Which product's ids a search filter takes: the one the search runs on. */
const SERVICES: Record<string, string> = { classic: 'CLASSIC', sales_navigator: 'SALES_NAVIGATOR', recruiter: 'RECRUITER' };

/**
 * A picker backed by GET /linkedin/search/parameters: LinkedIn's own suggestions for what the user types (a city,
 * an industry, a company…), with the ID a search filter needs.
 */
function searchParameters(type: string, v2Type = type) {
	return async function (this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const accountId = this.getNodeParameter('accountId', '', { extractValue: true }) as string;
		if (typeof accountId !== 'string' || accountId.trim() === '') {
			throw new NodeOperationError(this.getNode(), 'Pick the LinkedIn account first', {
				description: 'LinkedIn suggests filter values through the account the search runs with: choose "Account ID" above.',
			});
		}
		const api = String(this.getNodeParameter('api', 'classic') ?? 'classic');
		const keywords = filter && filter.trim() !== '' ? filter.trim() : undefined;
		if (credentialTypeOf(this) === 'unipileV2Api') return await searchParametersV2.call(this, accountId.trim(), api, v2Type, keywords);
		const qs: IDataObject = { account_id: accountId.trim(), type, limit: 100, service: SERVICES[api] ?? 'CLASSIC' };
		if (keywords) qs.keywords = keywords;
		const body = await unipileApiRequest.call(this, { method: 'GET', path: '/linkedin/search/parameters', qs, json: true });
		const items = Array.isArray((body as IDataObject)?.items) ? ((body as IDataObject).items as IDataObject[]) : [];
		return { results: items.map((item) => ({ name: String(item.title ?? item.id), value: String(item.id) })) };
	};
}

/**
 * The same suggestions on v2: each product has its own route (Recruiter's a POST with the words in its body); the
 * entries name themselves in `name` (v1's `title`).
 */
async function searchParametersV2(this: ILoadOptionsFunctions, accountId: string, api: string, type: string, keywords?: string): Promise<INodeListSearchResult> {
	if (!(PARAMETER_TYPES[api] ?? PARAMETER_TYPES.classic).includes(type)) {
		throw new NodeOperationError(this.getNode(), `This filter has no suggestions for ${api === 'recruiter' ? 'Recruiter' : 'Sales Navigator'} on Unipile API v2`, {
			description: 'Unipile API v2 does not list this filter for the chosen API: remove the filter, or choose another API.',
		});
	}
	// Classic's list needs words to look for (`GetClassicSearchParametersData.query.keywords` is required): type some.
	if (api === 'classic' && !keywords) return { results: [] };
	const base = `/${encodeURIComponent(accountId)}/linkedin`;
	const wanted: IDataObject = { type, ...(keywords ? { keywords } : {}) };
	const body =
		api === 'recruiter'
			? // `source: 'SEARCH'`: the parameters of Recruiter's people search (`GetRecruiterSearchParametersData`).
				await unipileApiRequest.call(this, { method: 'POST', path: `${base}/recruiter/search/parameters`, qs: { limit: '100' }, body: { source: 'SEARCH', ...wanted }, json: true })
			: await unipileApiRequest.call(this, { method: 'GET', path: `${base}${api === 'sales_navigator' ? '/sales-navigator' : ''}/search/parameters`, qs: { ...wanted, limit: '100' }, json: true });
	const data = Array.isArray((body as IDataObject)?.data) ? ((body as IDataObject).data as IDataObject[]) : [];
	return { results: data.map((item) => ({ name: String(item.name ?? item.title ?? item.id), value: String(item.id) })) };
}

export const linkedinListSearch = {
	searchAccounts: searchAccountsOf(LINKEDIN_ACCOUNTS),
	searchLocations: searchParameters('LOCATION'),
	searchIndustries: searchParameters('INDUSTRY'),
	searchCompanies: searchParameters('COMPANY'),
	searchSchools: searchParameters('SCHOOL'),
	searchServices: searchParameters('SERVICE'),
	searchPeople: searchParameters('PEOPLE'),
	// Connections Of takes a RELATION parameter on v2 ("Use List Search Parameters with RELATION type").
	searchRelations: searchParameters('PEOPLE', 'RELATION'),
};
