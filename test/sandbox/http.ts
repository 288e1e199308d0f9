/**
 * HTTP helpers for the sandbox: problem+json errors, strict query-parameter parsing and keyset cursor paging.
 */

export const PROBLEM_TITLES: Record<string, string> = {
	invalid_parameters: 'Invalid parameters',
	missing_parameters: 'Missing parameters',
	malformed_request: 'Malformed request',
	content_too_large: 'Content too large',
	too_many_characters: 'Too many characters',
	missing_credentials: 'Missing credentials',
	invalid_credentials: 'Invalid credentials',
	invalid_checkpoint_solution: 'Invalid checkpoint solution',
	resource_not_found: 'Resource not found',
	method_not_allowed: 'Method not allowed',
	unsupported_media_type: 'Unsupported media type',
	invalid_recipient: 'Invalid recipient',
	too_many_requests: 'Too many requests',
	unexpected_error: 'Unexpected error',
	service_unavailable: 'Service unavailable',
	request_timeout: 'Request timeout',
	provider_error: 'Provider error',
	feature_not_subscribed: 'Feature not subscribed',
	already_invited_recently: 'Already invited recently',
	cannot_resend_yet: 'Cannot resend yet',
	cannot_invite_attendee: 'Cannot invite attendee',
	limit_exceeded: 'Limit exceeded',
	action_required: 'Action required',
};

/** Problem type used for an injected fault answering `status`. */
export function problemTypeForStatus(status: number): string {
	switch (status) {
		case 400:
			return 'invalid_parameters';
		case 401:
			return 'invalid_credentials';
		case 403:
			return 'feature_not_subscribed';
		case 404:
			return 'resource_not_found';
		case 415:
			return 'unsupported_media_type';
		case 422:
			return 'invalid_recipient';
		case 429:
			return 'too_many_requests';
		case 503:
			return 'service_unavailable';
		case 504:
			return 'request_timeout';
		default:
			return status >= 500 ? 'unexpected_error' : 'invalid_parameters';
	}
}

export interface ProblemBody {
	title: string;
	detail?: string;
	instance?: string;
	type: string;
	status: number;
}

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly errorName: string,
		readonly detail?: string,
		readonly headers: Record<string, string> = {},
	) {
		super(`${status} errors/${errorName}${detail ? `: ${detail}` : ''}`);
	}

	body(instance?: string): ProblemBody {
		const b: ProblemBody = { title: PROBLEM_TITLES[this.errorName] ?? this.errorName, type: `errors/${this.errorName}`, status: this.status };
		if (this.detail !== undefined) b.detail = this.detail;
		if (instance !== undefined) b.instance = instance;
		return b;
	}
}

export const invalid = (detail: string) => new ApiError(400, 'invalid_parameters', detail);
export const missing = (detail: string) => new ApiError(400, 'missing_parameters', detail);
export const malformed = (detail: string) => new ApiError(400, 'malformed_request', detail);
export const notFound = (detail: string) => new ApiError(404, 'resource_not_found', detail);

// ---------------------------------------------------------------------------------------------- query

export class Query {
	constructor(readonly params: URLSearchParams) {}

	/** Rejects parameters not in `allowed`. */
	only(allowed: readonly string[]): this {
		for (const key of new Set(this.params.keys())) if (!allowed.includes(key)) throw invalid(`${key}: unknown query parameter (allowed: ${allowed.join(', ') || 'none'})`);
		return this;
	}

	has(name: string): boolean {
		return this.params.has(name);
	}

	/** A single-valued parameter (400 if repeated). */
	one(name: string): string | undefined {
		const all = this.params.getAll(name);
		if (all.length > 1) throw invalid(`${name}: expected a single value, got ${all.length}`);
		return all[0];
	}

	/** A non-empty single-valued parameter. */
	str(name: string): string | undefined {
		const v = this.one(name);
		if (v === undefined) return undefined;
		if (v === '' || v === '[object Object]' || v === 'undefined' || v === 'null') throw invalid(`${name}: invalid value ${JSON.stringify(v)}`);
		return v;
	}

	required(name: string): string {
		const v = this.str(name);
		if (v === undefined) throw missing(`${name}: this query parameter is required`);
		return v;
	}

	limit(): number | undefined {
		const v = this.one('limit');
		if (v === undefined) return undefined;
		if (!/^\d+$/.test(v)) throw invalid(`limit: must be an integer between 1 and 250, got ${JSON.stringify(v)}`);
		const n = Number(v);
		if (n < 1 || n > 250) throw invalid(`limit: must be an integer between 1 and 250, got ${n}`);
		return n;
	}

	date(name: string): string | undefined {
		const v = this.one(name);
		if (v === undefined) return undefined;
		const iso = parseUtcDate(v);
		if (iso === undefined) throw invalid(`${name}: must be an ISO 8601 UTC datetime (YYYY-MM-DDTHH:MM:SS.sssZ), got ${JSON.stringify(v)}`);
		return iso;
	}

	bool(name: string): boolean | undefined {
		const v = this.one(name);
		if (v === undefined) return undefined;
		if (v !== 'true' && v !== 'false') throw invalid(`${name}: must be true or false, got ${JSON.stringify(v)}`);
		return v === 'true';
	}

	enumOf<T extends string>(name: string, values: readonly T[]): T | undefined {
		const v = this.one(name);
		if (v === undefined) return undefined;
		if (!values.includes(v as T)) throw invalid(`${name}: must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
		return v as T;
	}

	record(): Record<string, string | string[]> {
		const out: Record<string, string | string[]> = {};
		for (const key of new Set(this.params.keys())) {
			const all = this.params.getAll(key);
			out[key] = all.length === 1 ? all[0] : all;
		}
		return out;
	}
}

const UTC_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{3})?Z$/;

/** `YYYY-MM-DDTHH:MM:SS(.sss)?Z` → normalised ISO string with milliseconds, or undefined. */
export function parseUtcDate(v: unknown): string | undefined {
	if (typeof v !== 'string') return undefined;
	const m = UTC_RE.exec(v);
	if (!m) return undefined;
	const d = new Date(v);
	if (Number.isNaN(d.getTime())) return undefined;
	const iso = d.toISOString();
	// Reject overflowing components (2025-02-30 etc.).
	if (iso.slice(0, 19) !== v.slice(0, 19)) return undefined;
	return iso;
}

/** Strict `YYYY-MM-DDTHH:MM:SS.sssZ` (what Unipile documents for body fields). */
export function isUtcMsDate(v: unknown): v is string {
	return typeof v === 'string' && /\.\d{3}Z$/.test(v) && parseUtcDate(v) === v;
}

// ---------------------------------------------------------------------------------------------- paging

export type SortKey = [string, string];

interface CursorPayload<F> {
	v: 1;
	s: string;
	f: F;
	k: SortKey;
	n: number;
}

export function encodeCursor<F>(scope: string, filters: F, key: SortKey, limit: number): string {
	const payload: CursorPayload<F> = { v: 1, s: scope, f: filters, k: key, n: limit };
	return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
}

export function decodeCursor<F>(raw: string, scope: string): CursorPayload<F> {
	const s = raw.replace(/ /g, '+');
	const bad = () => invalid('cursor: invalid or expired cursor');
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s) || s.length % 4 !== 0) throw bad();
	let payload: CursorPayload<F>;
	try {
		payload = JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as CursorPayload<F>;
	} catch {
		throw bad();
	}
	if (
		!payload ||
		typeof payload !== 'object' ||
		payload.v !== 1 ||
		!Array.isArray(payload.k) ||
		payload.k.length !== 2 ||
		typeof payload.k[0] !== 'string' ||
		typeof payload.k[1] !== 'string' ||
		typeof payload.n !== 'number' ||
		typeof payload.f !== 'object'
	)
		throw bad();
	if (payload.s !== scope) throw invalid('cursor: this cursor belongs to another list');
	return payload;
}

function keyBefore(a: SortKey, b: SortKey): boolean {
	// true when `a` comes strictly after `b` in newest-first order (i.e. a < b)
	return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

export interface Page<T> {
	items: T[];
	cursor: string | null;
}

/**
 * Keyset paging over a newest-first list. Filters come from the cursor when one is sent (query filters are
 * then ignored, as Unipile does); `limit` from the query, else the cursor, else 100.
 */
export function paginate<T, F>(q: Query, scope: string, parseFilters: () => F, select: (filters: F) => T[], key: (item: T) => SortKey): Page<T> {
	const queryLimit = q.limit();
	const rawCursor = q.one('cursor');
	let filters: F;
	let after: SortKey | undefined;
	let limit: number;
	if (rawCursor !== undefined) {
		const c = decodeCursor<F>(rawCursor, scope);
		filters = c.f;
		after = c.k;
		limit = queryLimit ?? c.n;
	} else {
		filters = parseFilters();
		limit = queryLimit ?? 100;
	}
	const all = select(filters);
	let start = 0;
	if (after) {
		// binary search: first index whose key is strictly "older" than the cursor key
		let lo = 0;
		let hi = all.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (keyBefore(key(all[mid]), after)) hi = mid;
			else lo = mid + 1;
		}
		start = lo;
	}
	const items = all.slice(start, start + limit);
	const more = start + limit < all.length;
	return { items, cursor: more && items.length > 0 ? encodeCursor(scope, filters, key(items[items.length - 1]), limit) : null };
}
