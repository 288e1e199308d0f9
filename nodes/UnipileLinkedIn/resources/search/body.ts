import {
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
} from 'n8n-workflow';
import { compact } from '../../fields';

/** The filters whose values are IDs from GET /linkedin/search/parameters, by parameter name → Unipile field. */
export const ID_FILTERS = {
	location: { label: 'Location', field: 'location', list: 'searchLocations' },
	industry: { label: 'Industry', field: 'industry', list: 'searchIndustries' },
	company: { label: 'Company', field: 'company', list: 'searchCompanies' },
	pastCompany: { label: 'Past Company', field: 'past_company', list: 'searchCompanies' },
	school: { label: 'School', field: 'school', list: 'searchSchools' },
	service: { label: 'Service', field: 'service', list: 'searchServices' },
	connectionsOf: { label: 'Connections Of', field: 'connections_of', list: 'searchRelations' },
	followersOf: { label: 'Followers Of', field: 'followers_of', list: 'searchPeople' },
} as const;

/** Results per request: classic search gives at most 50, Sales Navigator and Recruiter 100. */
export const CLASSIC_PAGE = 50;
export const PREMIUM_PAGE = 100;

const SEARCH_URL = /^https:\/\/([a-z]+\.)?linkedin\.com\/(search\/results|sales\/search|talent\/search)\//i;

function fail(ctx: IExecuteSingleFunctions, message: string, description: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex: ctx.getItemIndex(), description });
}

function idOf(value: unknown): string {
	if (value && typeof value === 'object' && 'value' in (value as IDataObject)) return String((value as IDataObject).value ?? '').trim();
	return String(value ?? '').trim();
}

/**
 * preSend of Search: one JSON body, either `{url}` or `{api, category, keywords, …filters}`. Checked before sending:
 * a search with neither a URL nor a keyword or filter, a malformed URL, a Limit over the page size of the product.
 */
export async function searchBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const searchBy = this.getNodeParameter('searchBy', 'parameters') as string;
	const returnAll = this.getNodeParameter('returnAll', false) === true;
	let pageSize: number;
	let body: IDataObject;
	if (searchBy === 'url') {
		const url = String(this.getNodeParameter('url', '') ?? '').trim();
		if (!SEARCH_URL.test(url)) {
			fail(this, `"URL" is not a LinkedIn search URL: ${JSON.stringify(url.slice(0, 120))}`, 'Run the search on linkedin.com (or Sales Navigator / Recruiter) and copy the address of the results page, such as https://www.linkedin.com/search/results/people/?keywords=founder');
		}
		body = { url };
		pageSize = /\/(sales|talent)\//i.test(url) ? PREMIUM_PAGE : CLASSIC_PAGE;
	} else {
		const api = this.getNodeParameter('api', 'classic') as string;
		const category = this.getNodeParameter('category', 'people') as string;
		const keywords = String(this.getNodeParameter('keywords', '') ?? '').trim();
		const filters = (this.getNodeParameter('filters', {}) ?? {}) as Record<string, Array<{ id?: unknown }>>;
		body = { api, category };
		if (keywords !== '') body.keywords = keywords;
		for (const [name, spec] of Object.entries(ID_FILTERS)) {
			const ids = (filters[name] ?? []).map((entry) => idOf(entry.id)).filter((id) => id !== '');
			if (ids.length > 0) body[spec.field] = ids;
		}
		const more = (this.getNodeParameter('moreFilters', {}) ?? {}) as IDataObject;
		if (Array.isArray(more.networkDistance) && more.networkDistance.length > 0) body.network_distance = more.networkDistance.map(Number);
		if (typeof more.profileLanguage === 'string' && more.profileLanguage.trim() !== '') {
			body.profile_language = more.profileLanguage.split(',').map((code) => code.trim().toLowerCase()).filter((code) => code !== '');
		}
		if (Array.isArray(more.openTo) && more.openTo.length > 0) body.open_to = more.openTo;
		const advanced = compact(
			Object.fromEntries(
				(['firstName', 'lastName', 'title', 'company', 'school'] as const).map((key) => {
					const text = String(more[`${key}Keywords`] ?? '').trim();
					return [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), text === '' ? undefined : text];
				}),
			),
		);
		if (Object.keys(advanced).length > 0) body.advanced_keywords = advanced;
		if (Object.keys(body).length === 2) {
			fail(this, 'Nothing to search for: no Keywords, no filter and no URL', 'Enter Keywords, add a filter (Location, Company…), or set "Search By" to URL and paste a LinkedIn search URL.');
		}
		pageSize = api === 'classic' ? CLASSIC_PAGE : PREMIUM_PAGE;
	}
	const qs = (requestOptions.qs ?? {}) as IDataObject;
	if (returnAll) qs.limit = pageSize;
	else {
		const limit = Number(this.getNodeParameter('limit', 10));
		if (limit > pageSize) {
			fail(this, `"Limit" is ${limit}; this search returns at most ${pageSize} results per request`, `Set "Limit" to ${pageSize} or less, or turn on Return All to page through every result.`);
		}
	}
	requestOptions.qs = qs;
	requestOptions.body = body;
	return requestOptions;
}

export function simplifySearchResult(result: IDataObject): IDataObject {
	switch (result.type) {
		case 'PEOPLE': {
			const positions = Array.isArray(result.current_positions) ? (result.current_positions as IDataObject[]) : [];
			return compact({
				type: result.type,
				// The member's provider ID: what Send Invitation, Get Profile and Start Chat take.
				provider_id: result.id,
				public_identifier: result.public_identifier ?? undefined,
				name: result.name ?? ([result.first_name, result.last_name].filter(Boolean).join(' ') || undefined),
				headline: result.headline,
				company: positions[0]?.company,
				location: result.location ?? undefined,
				industry: result.industry ?? undefined,
				network_distance: result.network_distance,
				pending_invitation: result.pending_invitation,
				public_profile_url: result.public_profile_url ?? undefined,
				profile_url: result.profile_url ?? undefined,
				profile_picture_url: result.profile_picture_url ?? undefined,
			});
		}
		case 'COMPANY':
			return compact({
				type: result.type,
				id: result.id,
				name: result.name,
				industry: result.industry,
				location: result.location ?? undefined,
				headcount: result.headcount,
				followers_count: result.followers_count,
				profile_url: result.profile_url,
			});
		case 'POST': {
			const author = (result.author ?? {}) as IDataObject;
			return compact({
				type: result.type,
				id: result.id,
				social_id: result.social_id,
				text: result.text,
				date: result.parsed_datetime ?? result.date,
				author_name: author.name,
				author_public_identifier: author.public_identifier,
				share_url: result.share_url,
				reaction_counter: result.reaction_counter,
				comment_counter: result.comment_counter,
			});
		}
		default:
			return result;
	}
}

/**
 * v2's search results by `object` as v1's simplified ones: people (`PeopleSearchResult`), companies
 * (`CompanySearchResult`, named in `display_name`), posts (`PostSearchResult`, counters per reaction); jobs as they come.
 */
export function simplifySearchResultV2(result: IDataObject): IDataObject {
	switch (result.object) {
		case 'PeopleSearchResult':
			return compact({
				type: 'PEOPLE',
				provider_id: result.id,
				public_identifier: result.public_identifier ?? undefined,
				name: result.display_name ?? undefined,
				headline: result.headline ?? undefined,
				location: result.location ?? undefined,
				network_distance: result.network_distance,
				public_profile_url: result.profile_url ?? undefined,
				profile_picture_url: result.public_picture_url ?? undefined,
			});
		case 'CompanySearchResult':
			return compact({
				type: 'COMPANY',
				id: result.id,
				name: result.display_name ?? result.name,
				industry: result.industry,
				location: result.location ?? undefined,
				headcount: result.headcount,
				followers_count: result.followers_count,
				profile_url: result.profile_url,
			});
		case 'PostSearchResult': {
			const author = (result.author ?? {}) as IDataObject;
			const reactions = Array.isArray(result.reactions_counter) ? (result.reactions_counter as IDataObject[]) : undefined;
			return compact({
				type: 'POST',
				id: result.id,
				text: result.text,
				date: result.created_at,
				author_name: author.display_name,
				author_public_identifier: author.public_identifier,
				share_url: result.share_url,
				reaction_counter: reactions?.reduce((sum, r) => sum + Number(r.count ?? 0), 0),
				comment_counter: result.comments_counter ?? undefined,
			});
		}
		default:
			return result;
	}
}
