import type { V2RegistrationPlan } from './webhookEventsV2';
import { clearState, type RegistrationState } from './webhookRegistry';

/** A webhook endpoint as `GET /v2/webhooks/endpoints/` lists it (only what is used here). */
export interface ListedEndpoint {
	id: string;
	url?: string;
	trigger_events?: string[];
	account_ids?: string[];
}

/** The three v2 calls the lifecycle needs; `remove` treats "not found" as done. */
export interface EndpointApi {
	list(): AsyncIterable<ListedEndpoint>;
	/** the new endpoint's id and signing secret */
	create(body: Record<string, unknown>): Promise<{ id: string; secret?: string }>;
	remove(id: string): Promise<void>;
}

/** What the node keeps in its static data on v2: one endpoint and the secret its deliveries are signed with. */
export interface V2RegistrationState extends RegistrationState {
	api?: 'v2';
	endpointId?: string;
}

async function atUrl(api: EndpointApi, urls: ReadonlyArray<string | undefined>): Promise<ListedEndpoint[]> {
	const found: ListedEndpoint[] = [];
	for await (const e of api.list()) if (e.url !== undefined && urls.includes(e.url)) found.push(e);
	return found;
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined) => JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());

/**
 * True when Unipile holds exactly the endpoint this node registered for what it is configured to receive (found
 * again by its id in the saved static data, after a restart too). Anything else at this node's URL (a half-finished
 * activation, a changed configuration, an endpoint from static data that was lost) is deleted, and false makes n8n
 * call `create`.
 */
export async function endpointExists(api: EndpointApi, plan: V2RegistrationPlan, state: V2RegistrationState): Promise<boolean> {
	const atThisUrl = await atUrl(api, [plan.url, state.url]);
	const listed = atThisUrl.find((e) => e.id === state.endpointId);
	const intact =
		state.api === 'v2' &&
		typeof state.secret === 'string' &&
		state.url === plan.url &&
		state.fingerprint === plan.fingerprint &&
		atThisUrl.length === 1 &&
		listed !== undefined &&
		// changed at Unipile by hand: registered again as configured
		(listed.trigger_events === undefined || sameList(listed.trigger_events, plan.body.trigger_events)) &&
		(listed.account_ids === undefined || sameList(listed.account_ids, plan.body.account_ids));
	if (intact) return true;
	for (const e of atThisUrl) await api.remove(e.id);
	clearState(state);
	return false;
}

/**
 * Creates the endpoint and keeps its secret. When that fails (or the answer lacks what the node needs), whatever
 * exists at this URL is deleted before the error is passed on, an endpoint whose answer was lost included: n8n's own
 * clean-up after a failed activation runs on static data that does not know it.
 */
export async function registerEndpoint(api: EndpointApi, plan: V2RegistrationPlan, state: V2RegistrationState, noSecret: () => Error): Promise<void> {
	let made: { id: string; secret?: string } | undefined;
	let complete = false;
	try {
		made = await api.create({ ...plan.body });
		if (typeof made.secret !== 'string' || made.secret === '') throw noSecret();
		// A create retried after a lost answer may have left a twin: keep only the one recorded.
		for (const e of await atUrl(api, [plan.url])) if (e.id !== made.id) await api.remove(e.id);
		complete = true;
	} finally {
		if (!complete) await sweep(api, plan.url, made?.id);
	}
	clearState(state);
	Object.assign(state, { api: 'v2', secret: made.secret, url: plan.url, fingerprint: plan.fingerprint, endpointId: made.id });
}

async function sweep(api: EndpointApi, url: string, id: string | undefined): Promise<void> {
	const left = new Set(id ? [id] : []);
	try {
		for (const e of await atUrl(api, [url])) left.add(e.id);
	} catch {
		// the recorded id is still deleted below
	}
	for (const e of left) {
		try {
			await api.remove(e);
		} catch {
			// best effort: the next activation's check deletes whatever is still at this URL
		}
	}
}

/** Deletes this node's endpoint: the one recorded, and any other still pointing at its URL. */
export async function unregisterEndpoint(api: EndpointApi, url: string, state: V2RegistrationState): Promise<void> {
	const ids = new Set(state.endpointId ? [state.endpointId] : []);
	let listError: unknown;
	try {
		for (const e of await atUrl(api, [url, state.url])) ids.add(e.id);
	} catch (error) {
		listError = error;
	}
	for (const id of ids) await api.remove(id);
	clearState(state);
	if (listError !== undefined) throw listError;
}
