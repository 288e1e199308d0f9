import {
	NodeOperationError,
	type DeclarativeRestApiSettings,
	type IDataObject,
	type IExecutePaginationFunctions,
	type IExecuteSingleFunctions,
	type IDisplayOptions,
	type IHttpRequestOptions,
	type INodeProperties,
} from 'n8n-workflow';

/**
 * How one operation goes out on Unipile API v2, as data. Each operation's fields declare where they go on v1
 * (`routing.send`), so RoutingNode builds the v1 request; this says where those values go on v2: the path (its
 * `{parameter}` placeholders filled from the node's parameters), and the v2 query and body fields, each named after
 * the v1 request field it takes (or a function of that request). Adding a v2 field is one line here.
 */
export interface V2Route {
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
	/**
	 * Relative to `/v2`; `{accountId}` is replaced by that parameter of the node, trimmed and URI-encoded. A function
	 * when a parameter chooses between routes.
	 */
	path: string | ((context: IExecutePaginationFunctions) => string);
	/** v2 query field ← the v1 request field it takes (query first, then body), or a function of that request. */
	query?: Record<string, FieldSource>;
	/** v2 body field ← the v1 request field it takes (body first, then query), or a function of that request. */
	body?: Record<string, FieldSource>;
	/** A list: `data` becomes one item per entry, and Return All (or a Limit above one page) follows the pages. */
	list?: boolean;
	/**
	 * The node's Limit counts the items, not the query's `limit`: the route takes no `limit`, or a page smaller than
	 * the Limit allows (LinkedIn's classic people search gives 10 a page, by cursor only).
	 */
	limitIsItems?: boolean;
	/** Request options to use on v2 instead of v1's (a file download's encoding, for instance). */
	request?: Partial<IHttpRequestOptions>;
	/**
	 * When one v1 operation needs a lookup or several v2 calls (Email → Update: read or unread, then modify): the routes
	 * to send in order, from the v1 request; the last one's answer is the output.
	 */
	plan?: (request: V1Request, context: IExecutePaginationFunctions) => Promise<V2Route[]>;
	/** A list's entries to keep (a filter v2 applies more loosely than asked); the others are dropped before Limit. */
	keep?: (entry: IDataObject, request: V1Request) => boolean;
	/**
	 * What the request does, when doing it twice is harm (sending an email): it is never resent, any Idempotency-Key
	 * is dropped (v2 does not document one), and an error after it may have reached Unipile says so.
	 */
	once?: string;
	/**
	 * The operation exists on v2 only: on v1 it is refused before anything is sent, with these words (why, and the v1
	 * way if there is one). v1's operation list leaves it out, so only a workflow switched to v1 can reach it.
	 */
	notOnV1?: string;
	/** The calls as the README's operations table shows them, when `plan` decides them (several, or another route). */
	docs?: string;
	/** Body fields sent even as an empty list or null (a calendar event's required `attendees`, `conference: null` removing one). */
	keepEmpty?: string[];
	/** A path parameter's value as v2 takes it, from what the user gave (a LinkedIn URL → its identifier). */
	pathValues?: Record<string, (context: IExecutePaginationFunctions | IExecuteSingleFunctions, value: unknown) => string>;
}

/** Where a v2 field's value comes from: the v1 request field of that name, or computed from the v1 request. */
export type FieldSource = string | ((request: V1Request, context: IExecutePaginationFunctions) => unknown);

/** The v1 request RoutingNode built, as the v2 field sources read it. */
export function v1RequestOf(options: DeclarativeRestApiSettings.HttpRequestOptions): V1Request {
	return { qs: (options.qs ?? {}) as IDataObject, body: (typeof options.body === 'object' && options.body !== null ? options.body : {}) as IDataObject };
}

/** The request RoutingNode built from the v1 routing of the fields shown. */
export interface V1Request {
	qs: IDataObject;
	body: IDataObject;
}

/** An operation Unipile API v2 does not have: refused before anything is sent, with the v2 way to do it. */
export interface V2Unavailable {
	unavailable: string;
}

/**
 * An operation whose v2 route depends on its parameters (a product and category picking one of several routes);
 * `calls` lists them as `METHOD /path` for the README's operations table.
 */
export type V2RouteChoice = ((context: IExecutePaginationFunctions) => V2Route | V2Unavailable) & { calls: string[] };

/** A route chosen from the node's parameters when the request goes out. */
export function v2RouteChoice(calls: string[], choose: (context: IExecutePaginationFunctions) => V2Route | V2Unavailable): V2RouteChoice {
	return Object.assign(choose, { calls });
}

/**
 * The header asking v2 for the current state: Unipile answers GETs from a cache up to an hour old unless asked not to
 * (Bypass Unipile Cache, the pollers, the webhook trigger's reads, Check Reply).
 */
export const V2_NO_CACHE: Readonly<Record<'cache-control', string>> = Object.freeze({ 'cache-control': 'no-cache' });

/** Each resource's operations on v2, by resource and operation value. */
export type V2Routes = Record<string, Record<string, V2Route | V2Unavailable | V2RouteChoice>>;

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function fieldsOf(sources: Record<string, FieldSource>, first: IDataObject, then: IDataObject, request: V1Request, context: IExecutePaginationFunctions, keepEmpty: string[] = []): IDataObject {
	const fields: IDataObject = {};
	for (const [name, source] of Object.entries(sources)) {
		const value = typeof source === 'function' ? source(request, context) : source in first ? first[source] : then[source];
		if (!isEmpty(value) || ((Array.isArray(value) || value === null) && keepEmpty.includes(name))) fields[name] = value as IDataObject[string];
	}
	return fields;
}

/** The names users see of the parameters v2 paths take. */
const PATH_LABELS: Record<string, string> = {
	accountId: 'Account',
	attachmentId: 'Attachment ID',
	calendarId: 'Calendar',
	chatId: 'Chat',
	commentId: 'Comment ID',
	draftId: 'Draft ID',
	emailId: 'Email ID',
	eventId: 'Event ID',
	folderId: 'Folder ID',
	identifier: 'Identifier',
	invitationId: 'Invitation ID',
	postId: 'Post ID',
	messageChatId: "Message's Chat",
	messageId: 'Message ID',
	userId: 'User ID',
};

/** `/{accountId}/chats/{chatId}` with the node's parameters, each trimmed and URI-encoded (an id never changes the route). */
export function v2Path(context: IExecutePaginationFunctions | IExecuteSingleFunctions, template: string, pathValues: V2Route['pathValues'] = {}): string {
	return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
		const given = context.getNodeParameter(name, '', { extractValue: true }) as unknown;
		const value = String((pathValues[name] ? pathValues[name](context, given) : given) ?? '').trim();
		if (value === '') {
			const label = PATH_LABELS[name] ?? name;
			throw new NodeOperationError(context.getNode(), `"${label}" is empty`, {
				itemIndex: context.getItemIndex(),
				description: `Unipile API v2 needs "${label}" for this operation. Enter a value, or check that the expression gives one for item ${context.getItemIndex()}.`,
			});
		}
		return encodeURIComponent(value);
	});
}

/** The v2 request for the v1 request RoutingNode built, per the operation's route. */
export function toV2Request(
	context: IExecutePaginationFunctions,
	route: V2Route,
	options: DeclarativeRestApiSettings.HttpRequestOptions,
): DeclarativeRestApiSettings.HttpRequestOptions {
	const request = v1RequestOf(options);
	const dropped = route.once ? ['content-type', 'idempotency-key'] : ['content-type'];
	const headers = Object.fromEntries(Object.entries(options.headers ?? {}).filter(([name]) => !dropped.includes(name.toLowerCase())));
	// Lists in the query as the v2 SDK sends them: the field repeated (`with_sections=a&with_sections=b`).
	const v2: DeclarativeRestApiSettings.HttpRequestOptions = { ...options, arrayFormat: 'repeat', ...route.request, method: route.method, url: v2Path(context, typeof route.path === 'function' ? route.path(context) : route.path, route.pathValues), headers, qs: route.query ? fieldsOf(route.query, request.qs, request.body, request, context) : {} };
	if (route.body) v2.body = fieldsOf(route.body, request.body, request.qs, request, context, route.keepEmpty);
	else delete v2.body;
	// Unipile answers GETs from a cache up to an hour old unless asked not to.
	if (route.method === 'GET' && context.getNodeParameter('bypassCache', false) === true) v2.headers = { ...v2.headers, ...V2_NO_CACHE };
	return v2;
}

/** The operation's v2 route; an operation v2 lacks is refused with the way to do it on v2. */
export function v2RouteOf(context: IExecutePaginationFunctions, routes: V2Routes): V2Route {
	const resource = String(context.getNodeParameter('resource', ''));
	const operation = String(context.getNodeParameter('operation', ''));
	const table = routes[resource] ?? {};
	const entry = table[operation];
	const route = typeof entry === 'function' ? entry(context) : entry;
	if (route === undefined || 'unavailable' in route) {
		// A resource v2 lacks altogether hides its operations on v2: n8n then passes none.
		const why = route ?? Object.values(table).find((other): other is V2Unavailable => typeof other === 'object' && 'unavailable' in other);
		throw new NodeOperationError(context.getNode(), `${operation ? `${resource} → ${operation}` : resource} is not available on Unipile API v2`, {
			itemIndex: context.getItemIndex(),
			description: why?.unavailable ?? 'Choose "Unipile API V1 (DSN)" in Authentication to use it with a v1 account.',
		});
	}
	return route;
}

/** A resource or operation value as the editor names it (`removeReaction` → Remove Reaction, `rsvp` → RSVP). */
function titleOf(value: string): string {
	if (value === 'rsvp') return 'RSVP';
	return value.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase());
}

/**
 * What a v1 request of the operation takes from its v2 route (read without choosing or refusing it): whether it must
 * happen once (a deletion is then never resent on v1 either); an operation only v2 has is refused before sending.
 */
export function v1RulesOf(context: IExecutePaginationFunctions, routes: V2Routes): { once?: string } {
	const resource = String(context.getNodeParameter('resource', ''));
	const operation = String(context.getNodeParameter('operation', ''));
	const entry = routes[resource]?.[operation];
	const route = entry !== undefined && typeof entry === 'object' && !('unavailable' in entry) ? entry : undefined;
	if (route?.notOnV1 !== undefined) {
		throw new NodeOperationError(context.getNode(), `${titleOf(resource)} → ${titleOf(operation)} is not available on Unipile API v1`, { itemIndex: context.getItemIndex(), description: route.notOnV1 });
	}
	return { once: route?.once };
}

/** Shown instead of an operation's fields when Authentication is v2 and v2 has no such operation. */
export function v2UnavailableNotice(name: string, show: IDisplayOptions['show'], text: string): INodeProperties {
	return shownOnV2({ displayName: text, name, type: 'notice', default: '', displayOptions: { show } });
}

/** The property, hidden when Authentication is v2 (a v1 field v2 has no place for). */
export function hiddenOnV2(property: INodeProperties, root = false): INodeProperties {
	const key = root ? '/authentication' : 'authentication';
	return { ...property, displayOptions: { ...property.displayOptions, hide: { ...property.displayOptions?.hide, [key]: ['unipileApiV2'] } } };
}

/** The property, shown only when Authentication is v2 (a field v2 needs that v1 does not). */
export function shownOnV2(property: INodeProperties): INodeProperties {
	return { ...property, displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, authentication: ['unipileApiV2'] } } };
}

/** On v2, reads may answer from Unipile's cache (up to an hour old): this asks for the current state instead. */
export function bypassCacheField(show: Record<string, string[]>): INodeProperties {
	return shownOnV2({
		displayName: 'Bypass Unipile Cache',
		name: 'bypassCache',
		type: 'boolean',
		default: false,
		description: "Whether to ask Unipile for the current state instead of its cached answer (Unipile API v2 caches reads for up to an hour). Leave off unless the data must be fresh: cached answers don't count against the account's limits.",
		displayOptions: { show },
	});
}

/** v1's LinkedIn API (`linkedin_api`) is v2's profile `variant`. */
const PROFILE_VARIANTS: Record<string, string> = { classic: 'linkedin_classic', recruiter: 'linkedin_recruiter', sales_navigator: 'linkedin_sales_navigator' };

/** A LinkedIn profile's v2 query (Unipile's User → Get Profile and Unipile LinkedIn's) from v1's `linkedin_api` and `linkedin_sections`. */
export const linkedinProfileQuery: Record<string, FieldSource> = {
	variant: (request) => PROFILE_VARIANTS[String(request.qs.linkedin_api)],
	// v1 takes a comma-separated list of section names ("*" for all); v2 the same names prefixed "linkedin_"
	// (`GetUserProfileData.query.with_sections`). v2 has no About section: every profile carries it as `description`.
	with_sections: (request) =>
		request.qs.linkedin_sections === undefined
			? undefined
			: String(request.qs.linkedin_sections)
					.split(',')
					.map((section) => section.trim())
					.filter((section) => section !== '' && section !== 'about')
					.map((section) => `linkedin_${section}`),
};
