import { deliveryHeaders, type RegistrationPlan, type WebhookSource } from './webhookEvents';
import { newSecret, DELIVERY_CHECK_HEADER, secretMatches } from './webhookSecret';

/** A webhook as `GET /webhooks` lists it (only what is used here). */
export interface ListedWebhook {
	id: string;
	request_url?: string;
	name?: string;
	/** an array in the SDK's schema; one object in some of Unipile's answers */
	headers?: Array<{ key?: string; value?: string }> | { key?: string; value?: string };
}

/** The three Unipile calls the lifecycle needs; `remove` treats "not found" as done. */
export interface WebhookApi {
	list(): AsyncIterable<ListedWebhook>;
	create(body: Record<string, unknown>): Promise<string>;
	remove(id: string): Promise<void>;
}

/** What the node keeps in its static data (written on activation and deactivation only). */
export interface RegistrationState {
	secret?: string;
	url?: string;
	fingerprint?: string;
	webhooks?: Array<{ id: string; source: WebhookSource }>;
	[key: string]: unknown;
}

export function clearState(state: RegistrationState): void {
	for (const key of Object.keys(state)) delete state[key];
}

async function atUrl(api: WebhookApi, urls: ReadonlyArray<string | undefined>): Promise<ListedWebhook[]> {
	const found: ListedWebhook[] = [];
	for await (const w of api.list()) if (w.request_url !== undefined && urls.includes(w.request_url)) found.push(w);
	return found;
}

function secretOf(w: ListedWebhook): string | undefined {
	const headers = Array.isArray(w.headers) ? w.headers : w.headers && typeof w.headers === 'object' ? [w.headers] : [];
	const h = headers.find((x) => typeof x?.key === 'string' && x.key.toLowerCase() === DELIVERY_CHECK_HEADER.toLowerCase());
	return h?.value;
}

/**
 * True when Unipile holds exactly the webhooks this node registered for what it is configured to receive.
 * Anything else at this node's URL (a half-finished activation, a changed configuration, a copy made by hand)
 * would deliver twice or deliver the wrong events: it is deleted, and false makes n8n call `create`.
 */
export async function webhooksExist(api: WebhookApi, plan: RegistrationPlan, state: RegistrationState): Promise<boolean> {
	const mine = await atUrl(api, [plan.url, state.url]);
	const known = state.webhooks ?? [];
	const intact =
		typeof state.secret === 'string' &&
		state.url === plan.url &&
		state.fingerprint === plan.fingerprint &&
		known.length === plan.webhooks.length &&
		mine.length === known.length &&
		known.every((k) => {
			const listed = mine.find((w) => w.id === k.id);
			if (!listed) return false;
			const secret = secretOf(listed);
			return secret === undefined || secretMatches(state.secret, secret);
		});
	if (intact) return true;
	for (const w of mine) await api.remove(w.id);
	clearState(state);
	return false;
}

/**
 * Registers one webhook per source with a fresh secret. If any call fails, what was already made is deleted
 * (and the URL swept, for a creation whose answer was lost) before the error is passed on: n8n's own clean-up
 * after a failed activation runs on the static data saved before it, which does not know these webhooks.
 */
export async function registerWebhooks(api: WebhookApi, plan: RegistrationPlan, state: RegistrationState): Promise<void> {
	const secret = newSecret();
	const made: Array<{ id: string; source: WebhookSource }> = [];
	let complete = false;
	try {
		for (const body of plan.webhooks) {
			const id = await api.create({ ...body, headers: deliveryHeaders(secret) });
			made.push({ id, source: body.source });
		}
		// A create retried after a lost answer may have left a twin: keep only what was recorded.
		for (const w of await atUrl(api, [plan.url])) if (!made.some((m) => m.id === w.id)) await api.remove(w.id);
		complete = true;
	} finally {
		if (!complete) await undo(api, plan.url, made);
	}
	clearState(state);
	Object.assign(state, { secret, url: plan.url, fingerprint: plan.fingerprint, webhooks: made });
}

async function undo(api: WebhookApi, url: string, made: Array<{ id: string }>): Promise<void> {
	const left = new Set(made.map((m) => m.id));
	try {
		for (const w of await atUrl(api, [url])) left.add(w.id);
	} catch {
		// the ids recorded are still deleted below
	}
	for (const id of left) {
		try {
			await api.remove(id);
		} catch {
			// best effort: the next activation's check deletes whatever is still at this URL
		}
	}
}

/** Deletes this node's webhooks: those recorded, and any other still pointing at its URL. */
export async function unregisterWebhooks(api: WebhookApi, url: string, state: RegistrationState): Promise<void> {
	const ids = new Set((state.webhooks ?? []).map((w) => w.id));
	let listError: unknown;
	try {
		for (const w of await atUrl(api, [url, state.url])) ids.add(w.id);
	} catch (error) {
		listError = error;
	}
	const failed: string[] = [];
	let lastError: unknown;
	for (const id of ids) {
		try {
			await api.remove(id);
		} catch (error) {
			failed.push(id);
			lastError = error;
		}
	}
	if (failed.length > 0) {
		state.webhooks = (state.webhooks ?? []).filter((w) => failed.includes(w.id));
		throw lastError;
	}
	clearState(state);
	if (listError !== undefined) throw listError;
}
