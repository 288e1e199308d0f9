import { NodeOperationError, type IDataObject, type IExecuteSingleFunctions } from 'n8n-workflow';
import { accountTypeOf } from './accountKinds';
import { executionCache } from './executionCache';
import { credentialTypeOf, unipileApiRequest, type UnipileContext } from './transport';

/**
 * LinkedIn URLs wherever a person, a company or a post is asked for: what a user copies from the browser is turned
 * into the identifier Unipile takes, and anything else that looks like a URL is refused with the form expected.
 */
export type LinkedInKind = 'profile' | 'company' | 'post' | 'profileOrCompany';

const PROFILE_FORM =
	'a provider ID (ACoAA…), a public identifier (john-doe-1a2b3c), a profile URL (https://www.linkedin.com/in/john-doe-1a2b3c) or a Sales Navigator lead URL (https://www.linkedin.com/sales/lead/ACwAA…,NAME_SEARCH,…)';
const COMPANY_FORM = 'a company ID (1035), its public identifier (unipile) or a company URL (https://www.linkedin.com/company/unipile)';
const POST_FORM =
	'a post ID (urn:li:activity:7123456789012345678) or a post URL (https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678 or https://www.linkedin.com/posts/jane-doe_topic-activity-7123456789012345678-AbCd)';

/** The forms a field of that kind accepts, as errors and descriptions name them. */
export const LINKEDIN_FORMS: Record<LinkedInKind, string> = {
	profile: PROFILE_FORM,
	company: COMPANY_FORM,
	post: POST_FORM,
	profileOrCompany: `${PROFILE_FORM}, or ${COMPANY_FORM}`,
};

type Parsed = { kind: 'profile' | 'company' | 'post'; id: string };

/** A LinkedIn provider ID (a member's internal ID: ACoAA… classic, ACwAA… Sales Navigator, upper-case AC), not a public identifier (LinkedIn shows those in lower case). */
export function isLinkedInProviderId(value: string): boolean {
	return /^AC[A-Za-z0-9_-]{4,}$/.test(value);
}

function looksLikeUrl(value: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /(^|[./])linkedin\.com(\/|$|\?|#)/i.test(value) || /^www\./i.test(value);
}

function parseUrl(value: string): Parsed | string {
	let url: URL;
	try {
		url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
	} catch {
		return 'it is not a valid URL';
	}
	const host = url.hostname.toLowerCase();
	if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) return `${url.hostname} is not linkedin.com`;
	const segments = url.pathname.split('/').filter((segment) => segment !== '').map((segment) => {
		try {
			return decodeURIComponent(segment);
		} catch {
			return segment;
		}
	});
	const [first, second, third] = segments;
	if (first === 'in' && second) return { kind: 'profile', id: second };
	if (first === 'sales' && (second === 'lead' || second === 'people') && third) {
		const id = third.split(',')[0].trim();
		if (id !== '') return { kind: 'profile', id };
	}
	if ((first === 'company' || first === 'school' || first === 'showcase') && second) return { kind: 'company', id: second };
	if (first === 'feed' && second === 'update' && third) {
		const urn = /^urn:li:(activity|share|ugcPost):(\d+)$/.exec(third);
		if (urn) return { kind: 'post', id: `urn:li:${urn[1]}:${urn[2]}` };
	}
	if (first === 'posts' && second) {
		const activity = /-(activity|share|ugcPost)-(\d{10,})(-|$)/.exec(second);
		if (activity) return { kind: 'post', id: `urn:li:${activity[1]}:${activity[2]}` };
	}
	return 'its path is not one of these forms';
}

const KIND_NAMES = { profile: 'a profile URL', company: 'a company URL', post: 'a post URL' };

/**
 * The identifier Unipile takes for what the user gave: a LinkedIn URL becomes its public identifier, provider ID,
 * company identifier or post URN; any other value is kept as it is (trimmed). Throws an error naming the field and
 * the forms it accepts for a URL of another kind or one that is not LinkedIn's.
 */
export function linkedinIdOf(context: Pick<IExecuteSingleFunctions, 'getNode'>, raw: unknown, kind: LinkedInKind, label: string, itemIndex: number): string {
	const value = String(raw ?? '').trim();
	const refuse = (why: string) =>
		new NodeOperationError(context.getNode(), `"${label}" is not a LinkedIn ${kind === 'profileOrCompany' ? 'member or company' : kind === 'profile' ? 'person' : kind} (${why})`, {
			itemIndex,
			description: `"${label}" takes ${LINKEDIN_FORMS[kind]}. Got ${JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)}.`,
		});
	if (value === '') return value;
	if (looksLikeUrl(value)) {
		const parsed = parseUrl(value);
		if (typeof parsed === 'string') throw refuse(parsed);
		const fits = parsed.kind === kind || (kind === 'profileOrCompany' && parsed.kind !== 'post');
		if (!fits) throw refuse(`${KIND_NAMES[parsed.kind]} was given`);
		return parsed.id;
	}
	if (/[\s/]/.test(value)) throw refuse('an identifier has no spaces or slashes');
	return value;
}

/**
 * A LinkedIn member's provider ID from what the user gave (provider ID, public identifier, profile or lead URL):
 * a public identifier is resolved through User → Get Profile on the credential's API (`GET /users/{identifier}` on
 * v1, `GET /v2/{account_id}/users/{identifier}` on v2), once per person per execution.
 */
export async function linkedinProviderIdOf(
	context: IExecuteSingleFunctions,
	raw: unknown,
	accountId: string,
	label: string,
): Promise<string> {
	const itemIndex = context.getItemIndex();
	const id = linkedinIdOf(context, raw, 'profile', label, itemIndex);
	if (id === '' || isLinkedInProviderId(id)) return id;
	const onV2 = credentialTypeOf(context) === 'unipileV2Api';
	const key = `${onV2 ? 'v2' : 'v1'} ${accountId} ${id.toLowerCase()}`;
	const cache = executionCache(context);
	let found = cache.get(key);
	if (!found) {
		found = (async () => {
			const profile = onV2
				? await unipileApiRequest.call<UnipileContext, [{ path: string }, number], Promise<IDataObject>>(context, { path: `/${encodeURIComponent(accountId)}/users/${encodeURIComponent(id)}` }, itemIndex)
				: await unipileApiRequest.call<UnipileContext, [{ path: string; qs: IDataObject }, number], Promise<IDataObject>>(context, { path: `/users/${encodeURIComponent(id)}`, qs: { account_id: accountId } }, itemIndex);
			const providerId = String((onV2 ? profile.id : profile.provider_id) ?? '');
			if (providerId === '') {
				throw new NodeOperationError(context.getNode(), `Unipile's profile of "${id}" has no provider ID`, { itemIndex, description: `Give "${label}" as a provider ID instead.` });
			}
			return providerId;
		})();
		cache.set(key, found);
		// A failed lookup is not kept: the next item asks again.
		found.catch(() => cache.delete(key));
	}
	return await found;
}

/** Where a field's value goes in the v1 request RoutingNode built: in the URL path, or a body or query field. */
export type LinkedInFieldPlace = { path: true } | { body: string } | { query: string };

/**
 * A field's `routing.send.preSend`: checks that the value is of the kind asked for and puts the identifier Unipile
 * takes where the value went (a URL's public identifier or post URN instead of the URL). On v2 the body and query
 * fields follow v1's request; path parameters go through the route's `pathValues` (see `linkedinPathValue`).
 */
export function linkedinField(name: string, kind: LinkedInKind, label: string, place: LinkedInFieldPlace) {
	return async function (this: IExecuteSingleFunctions, requestOptions: import('n8n-workflow').IHttpRequestOptions) {
		const raw = this.getNodeParameter(name, '') as unknown;
		const id = linkedinIdOf(this, raw, kind, label, this.getItemIndex());
		if ('path' in place) {
			const given = encodeURIComponent(String(raw ?? '').trim());
			if (id !== String(raw ?? '').trim()) requestOptions.url = requestOptions.url.replace(given, encodeURIComponent(id));
		} else if ('body' in place) {
			if (typeof requestOptions.body === 'object' && requestOptions.body !== null && place.body in requestOptions.body) (requestOptions.body as IDataObject)[place.body] = id;
		} else if (requestOptions.qs && place.query in requestOptions.qs) requestOptions.qs[place.query] = id;
		return requestOptions;
	};
}

/** A v2 route's path value for a field `linkedinField` checks on v1: the identifier, not the URL. */
export function linkedinPathValue(kind: LinkedInKind, label: string) {
	return (context: Pick<IExecuteSingleFunctions, 'getNode' | 'getItemIndex'>, raw: unknown) => linkedinIdOf(context, raw, kind, label, context.getItemIndex());
}

/** Whether the account is a LinkedIn one (asked once per execution, shared with the account-kind check: see accountKinds.ts). */
async function isLinkedInAccount(context: IExecuteSingleFunctions, accountId: string): Promise<boolean> {
	return (await accountTypeOf(context, accountId)) === 'LINKEDIN';
}

/**
 * People to write to (Chat → Start): LinkedIn profile and lead URLs, and on a LinkedIn account public identifiers,
 * become provider IDs; other values (WhatsApp numbers, Instagram IDs, provider IDs) are kept as they are.
 */
export async function attendeeIdsOf(context: IExecuteSingleFunctions, ids: string[], accountId: string, label: string): Promise<string[]> {
	const resolved: string[] = [];
	for (const raw of ids) {
		const value = String(raw ?? '').trim();
		const maybePublicIdentifier = value !== '' && !isLinkedInProviderId(value) && /[a-z]/.test(value) && /^[A-Za-z0-9][A-Za-z0-9_%.-]*$/.test(value);
		if (looksLikeUrl(value) || (maybePublicIdentifier && (await isLinkedInAccount(context, accountId)))) resolved.push(await linkedinProviderIdOf(context, value, accountId, label));
		else resolved.push(value);
	}
	return resolved;
}
