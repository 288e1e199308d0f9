import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	IPollFunctions,
} from 'n8n-workflow';
import { unipileBaseUrl } from '../../../credentials/UnipileApi.credentials';
import { withRetries } from './errors';
import { checkCredentials, invalidDate, toUnipileDate } from './validation';

/** Query keys that carry dates, by the parameter name users see. */
const DATE_QUERY_KEYS: Record<string, string> = { before: 'Before', after: 'After' };

/** `{object: "ChatList", items, cursor}`; a few lists (a chat's attendees) come without a cursor. */
function isUnipileList(body: unknown): body is { items: IDataObject[]; cursor?: string | null } {
	if (typeof body !== 'object' || body === null || !Array.isArray((body as IDataObject).items)) return false;
	const { object } = body as IDataObject;
	return 'cursor' in body || (typeof object === 'string' && object.endsWith('List'));
}

function normalizeQuery(this: IExecutePaginationFunctions, qs: IDataObject): IDataObject {
	const normalized: IDataObject = {};
	for (const [key, value] of Object.entries(qs)) {
		if (value === undefined || value === null || value === '') continue;
		if (key in DATE_QUERY_KEYS) {
			const date = toUnipileDate(value, this.getTimezone());
			if (date === undefined) throw invalidDate(this.getNode(), DATE_QUERY_KEYS[key], value, this.getItemIndex());
			normalized[key] = date;
		} else {
			normalized[key] = value;
		}
	}
	return normalized;
}

type UnipileContext = IExecuteSingleFunctions | IPollFunctions | ILoadOptionsFunctions;

/** Where requests go: the credential's DSN as a base URL, checked (with the key) before anything is sent. */
async function unipileTarget(this: UnipileContext): Promise<{ baseURL: string; host: string }> {
	const credentials = await this.getCredentials<{ dsn: string; apiKey: string }>('unipileApi');
	const baseURL = unipileBaseUrl(credentials.dsn);
	checkCredentials(this.getNode(), credentials, baseURL);
	return { baseURL, host: new URL(baseURL).host };
}

/**
 * Every request of the Unipile node passes through here (wired as the node's `requestOperations.pagination`).
 * Credentials are checked first; each call is retried per shared/errors.ts and fails with Unipile's own words.
 * Unipile lists answer `{items, cursor}`: a list becomes one n8n item per entry, and with Return All the
 * cursor is followed until it is null. The page size and every filter stay in the query of every page:
 * Unipile ignores filters once a cursor is sent, but resending them is harmless and keeps us correct if it didn't.
 */
export async function runUnipileRequest(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const { host } = await unipileTarget.call(this);
	const qs = normalizeQuery.call(this, (requestData.options.qs ?? {}) as IDataObject);
	const retry = {
		node: this.getNode(),
		method: String(requestData.options.method ?? 'GET'),
		itemIndex: this.getItemIndex(),
		host,
	};
	const returnAll = this.getNodeParameter('returnAll', false) === true;

	const results: INodeExecutionData[] = [];
	let cursor: string | undefined;
	do {
		const pageQuery = cursor === undefined ? qs : { ...qs, cursor };
		const page = await withRetries(
			async () => await this.makeRoutingRequest({ ...requestData, options: { ...requestData.options, qs: pageQuery } }),
			retry,
		);
		const body = page.length === 1 ? page[0].json : undefined;
		if (!isUnipileList(body)) return page;
		for (const entry of body.items) results.push({ json: entry });
		cursor = returnAll && typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined;
	} while (cursor !== undefined);
	return results;
}

/**
 * For the few calls made from code (the trigger, list searches, downloading every attachment): the same credential
 * check, retry policy and error wording as the declarative requests.
 */
export async function unipileApiRequest<T = unknown>(
	this: UnipileContext,
	request: Omit<IHttpRequestOptions, 'url'> & { path: string },
	itemIndex?: number,
): Promise<T> {
	const { baseURL, host } = await unipileTarget.call(this);
	const { path, ...options } = request;
	const method = String(options.method ?? 'GET');
	return (await withRetries(
		async () =>
			await this.helpers.httpRequestWithAuthentication.call(this, 'unipileApi', {
				headers: { accept: 'application/json' },
				...options,
				method: method as IHttpRequestOptions['method'],
				url: baseURL + path,
			}),
		{ node: this.getNode(), method, itemIndex, host },
	)) as T;
}
