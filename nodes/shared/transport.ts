import {
	NodeApiError,
	NodeOperationError,
	type DeclarativeRestApiSettings,
	type INode,
	type IDataObject,
	type IExecutePaginationFunctions,
	type IExecuteSingleFunctions,
	type IHookFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';
import { unipileBaseUrl } from '../../credentials/UnipileApi.credentials';
import { unipileV2BaseUrl } from '../../credentials/UnipileV2Api.credentials';
import { hasIdempotencyKey, withRetries } from './errors';
import { hasItemFiles, isMultipart, toJsonWithFiles, toMultipart, type JsonFilesBody, type MultipartBody } from './multipart';
import { followCursor, isUnipileList, nextCursor, v2PageOf, v2PageQuery, type PageToken } from './pager';
import { withSendingLimits } from './pacing';
import { toV2Request, v1RequestOf, v1RulesOf, v2RouteOf, type V2Route, type V2Routes } from './v2';
import { checkCredentials, checkV2Credentials } from './validation';

/** An optional field left empty (or an expression giving nothing) sends nothing. */
function withoutEmptyValues(qs: IDataObject): IDataObject {
	const kept: IDataObject = {};
	for (const [key, value] of Object.entries(qs)) if (value !== undefined && value !== null && value !== '') kept[key] = value;
	return kept;
}

export type UnipileContext = IExecuteSingleFunctions | IPollFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

/** The credential types: v1 (DSN + access token) and v2 (API key). */
export type UnipileCredentialType = 'unipileApi' | 'unipileV2Api';

/**
 * Which API and credential a node's requests use, from its `authentication` parameter: `unipileApiV2` (Unipile API v2)
 * or `unipileApi` (v1, the value when a node has no such parameter).
 */
export function credentialTypeOf(context: UnipileContext): UnipileCredentialType {
	return context.getNodeParameter('authentication', 'unipileApi') === 'unipileApiV2' ? 'unipileV2Api' : 'unipileApi';
}

/**
 * Where requests go, checked (with the key) before anything is sent: v1, the credential's DSN (`…/api/v1`); v2,
 * its base URL (`…/v2`). Paths are relative to that root on both APIs.
 */
async function unipileTarget(this: UnipileContext): Promise<{ baseURL: string; host: string; credentialType: UnipileCredentialType }> {
	const credentialType = credentialTypeOf(this);
	if (credentialType === 'unipileV2Api') {
		const credentials = await this.getCredentials<{ apiKey: string; baseUrl?: string }>('unipileV2Api');
		const baseURL = unipileV2BaseUrl(credentials.baseUrl);
		checkV2Credentials(this.getNode(), credentials, baseURL);
		return { baseURL, host: new URL(baseURL).host, credentialType };
	}
	const credentials = await this.getCredentials<{ dsn: string; apiKey: string }>('unipileApi');
	const baseURL = unipileBaseUrl(credentials.dsn);
	checkCredentials(this.getNode(), credentials, baseURL);
	return { baseURL, host: new URL(baseURL).host, credentialType };
}

/**
 * Every request of our declarative nodes passes through here (wired as each node's `requestOperations.pagination`).
 * Credentials are checked first; on Unipile API v2 the request RoutingNode built from the v1 routing is turned into
 * the operation's v2 request (`v2Routes`, see v2.ts); a multipart operation's body becomes FormData, files in a v2
 * body become base64; each call is retried per shared/errors.ts and fails with Unipile's own words. Lists become
 * one n8n item per entry: v1's `{items, cursor}` and v2's `{data, next_cursor | offset}`, pages followed with
 * Return All until the end, every filter kept (see pager.ts).
 */
export function unipileRequestRunner(v2Routes: V2Routes = {}) {
	const runRequest = requestRunner(v2Routes);
	// Sending Limits (pacing.ts): an item over its account's daily cap or outside the window is answered without sending.
	return async function runUnipileRequest(
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		return await withSendingLimits(this, async () => await runRequest.call(this, requestData));
	};
}

function requestRunner(v2Routes: V2Routes) {
	return async function runRequest(
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const { host, credentialType } = await unipileTarget.call(this);
		let options: DeclarativeRestApiSettings.HttpRequestOptions = { ...requestData.options, qs: withoutEmptyValues((requestData.options.qs ?? {}) as IDataObject) };
		let route: V2Route | undefined = credentialType === 'unipileV2Api' ? v2RouteOf(this, v2Routes) : undefined;
		// On v1, what only v2 has is refused, and a deletion that must happen once on v2 is not resent on v1 either (its v2
		// route says so). v1's sends keep their own policy (Email's Idempotency-Key makes a resend safe there).
		const v1Rules = credentialType === 'unipileApi' ? v1RulesOf(this, v2Routes) : undefined;
		const onceOnV1 = String(options.method ?? 'GET').toUpperCase() === 'DELETE' ? v1Rules?.once : undefined;
		const v1Request = v1RequestOf(options);
		if (route?.plan) {
			// The calls before the last (a lookup, marking read before a move) go out as they are; the last is the output.
			const steps = await route.plan(v1Request, this);
			for (const step of steps.slice(0, -1)) {
				const stepOptions = toV2Request(this, step, options);
				// Files (a draft's, written before it is sent) go as base64 as in any v2 body.
				const files = hasItemFiles(stepOptions.body) ? await toJsonWithFiles.call(this, stepOptions.body as IDataObject) : undefined;
				if (files) stepOptions.headers = { ...stepOptions.headers, ...files.headers };
				await maySayItWasDone(this.getNode(), step.once, async () => await withRetries(async () => await this.makeRoutingRequest({ ...requestData, options: { ...stepOptions, qs: withoutEmptyValues((stepOptions.qs ?? {}) as IDataObject), ...(files ? { body: await files.open() } : {}) } }), {
					node: this.getNode(),
					method: step.method,
					itemIndex: this.getItemIndex(),
					host,
					idempotent: false,
					once: step.once !== undefined,
				}));
			}
			route = steps[steps.length - 1];
		}
		if (route) {
			options = toV2Request(this, route, options);
			options.qs = withoutEmptyValues((options.qs ?? {}) as IDataObject);
		}
		let multipart: MultipartBody | JsonFilesBody | undefined;
		// v2 takes files inside a JSON body, as base64; v1 as multipart/form-data.
		if (hasItemFiles(options.body)) multipart = await toJsonWithFiles.call(this, options.body as IDataObject);
		else if (isMultipart(options.headers)) multipart = await toMultipart.call(this, (options.body ?? {}) as IDataObject);
		if (multipart) {
			// The body sets its own content type: a FormData with a Content-Type left goes out as "[object Object]".
			options.headers = {
				...Object.fromEntries(Object.entries(options.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type')),
				...multipart.headers,
			};
			// Following redirects means keeping every byte sent to replay it (n8n lifts that copy's size limit): a 100 MB
			// upload would stay whole in memory. Unipile answers its POSTs without redirects.
			options.disableFollowRedirect = true;
		}
		const retry = {
			node: this.getNode(),
			method: String(options.method ?? 'GET'),
			itemIndex: this.getItemIndex(),
			host,
			idempotent: hasIdempotencyKey(options.headers),
			once: (route?.once ?? onceOnV1) !== undefined,
		};
		const returnAll = this.getNodeParameter('returnAll', false) === true;
		const once = route?.once ?? onceOnV1;
		const send = async (qs: IDataObject) =>
			await maySayItWasDone(this.getNode(), once, async () => await withRetries(
				async () =>
					await this.makeRoutingRequest({
						...requestData,
						options: {
							...options,
							qs,
							// A streamed body is used up by one attempt: each (re)try sends a fresh one.
							...(multipart ? { body: await multipart.open() } : {}),
						},
					}),
				retry,
			));
		const bodyOf = (page: INodeExecutionData[]) => (page.length === 1 ? page[0].json : undefined);
		const results: INodeExecutionData[] = [];
		if (route) {
			if (!route.list) return await send(options.qs as IDataObject);
			// A provider may answer fewer than `limit` entries per page ("a ceiling, not a guarantee"): a Limit is filled
			// from the next pages.
			const limit = Number((options.qs as IDataObject).limit);
			const itemLimit = route.limitIsItems ? Number(this.getNodeParameter('limit', Number.NaN)) : limit;
			const wanted = returnAll || !Number.isFinite(itemLimit) ? Infinity : itemLimit;
			const fetchPage = async (token: PageToken | null) => {
				const page = v2PageOf(bodyOf(await send(v2PageQuery(options.qs as IDataObject, token))), token, Number.isFinite(limit) ? limit : undefined);
				if (!page) throw new NodeOperationError(this.getNode(), 'Unipile answered without a list', { itemIndex: this.getItemIndex() });
				return page;
			};
			const keep = route.keep ?? (() => true);
			// The next page is asked for after this page's kept entries are in `results` (the generator resumes after the
			// loop body): counting the page again would stop a page early.
			for await (const page of followCursor(fetchPage, (read) => (results.length < wanted ? read.next : null))) {
				for (const entry of page.items) if (keep(entry, v1Request)) results.push({ json: entry });
			}
			return results.slice(0, wanted);
		}
		const fetchPage = async (cursor: string | null) => await send(cursor === null ? (options.qs as IDataObject) : { ...(options.qs as IDataObject), cursor });
		for await (const page of followCursor(fetchPage, (read) => (returnAll ? nextCursor(bodyOf(read)) : null))) {
			const body = bodyOf(page);
			if (!isUnipileList(body)) return page;
			for (const entry of body.items) results.push({ json: entry });
		}
		return results;
	};
}

/**
 * A request that must happen once (`V2Route.once`) is never resent; when it fails after it may have reached Unipile
 * (no answer, or a 5xx), the error says it may have been done, so that nobody runs it again blindly.
 */
async function maySayItWasDone<T>(node: INode, what: string | undefined, call: () => Promise<T>): Promise<T> {
	if (what === undefined) return await call();
	try {
		return await call();
	} catch (error) {
		const status = Number((error as { httpCode?: unknown }).httpCode);
		const message = String((error as { message?: unknown }).message ?? '');
		// unipileError's words for no answer; a refused connection or an unknown host never reached Unipile.
		const noAnswer = message.startsWith('Could not reach Unipile') && !/\((ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\)$/.test(message);
		if ((Number.isFinite(status) && status >= 500) || noAnswer) {
			const described = error as Error & { description?: string | null };
			described.message = `${described.message} — ${what} may have been sent`;
			// An email is checked in the Sent folder; anything else (a deletion) in Unipile or the provider's app.
			const check = what.startsWith('the email') ? "the account's Sent folder" : 'in Unipile or the provider\'s app whether it was done';
			described.description = `Unipile may have received the request before this error, so ${what} may have been sent. It was not sent again, to avoid sending it twice: check ${check} before running this item again. ${described.description ?? ''}`.trim();
		}
		throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(node, error as Error);
	}
}

/** The runner of nodes that work on Unipile API v1 only. */
export const runUnipileRequest = unipileRequestRunner();

/**
 * For the few calls made from code (the trigger, list searches, downloading every attachment): the same credential
 * check, retry policy and error wording as the declarative requests. `receive` reads the response inside the retried
 * call (a streamed download that breaks halfway is fetched again).
 */
export async function unipileApiRequest<T = unknown, R = T>(
	this: UnipileContext,
	request: Omit<IHttpRequestOptions, 'url'> & {
		path: string;
		/** ms since epoch: the request (retries and reading the answer included) is abandoned then */
		deadline?: number;
	},
	itemIndex?: number,
	receive?: (response: T) => Promise<R>,
): Promise<R> {
	const { baseURL, host, credentialType } = await unipileTarget.call(this);
	const { path, deadline, ...options } = request;
	const method = String(options.method ?? 'GET');
	if (deadline !== undefined) options.abortSignal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
	return await withRetries(
		async () => {
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
				...options,
				// A copy: n8n writes the API key into the headers object it is given, and the caller's object (a shared
				// constant such as V2_NO_CACHE, or one reused for every page) must not carry the key afterwards.
				headers: options.headers ? { ...options.headers } : { accept: 'application/json' },
				method: method as IHttpRequestOptions['method'],
				url: baseURL + path,
			})) as T;
			return receive ? await receive(response) : (response as unknown as R);
		},
		{ node: this.getNode(), method, itemIndex, host, idempotent: hasIdempotencyKey(options.headers), deadline },
	);
}
