/**
 * Unipile API v2 errors and query parsing for the sandbox: `{object:'Error', type, status, title, detail, req_id}`
 * (developer.unipile.com/v2.0/reference/error-responses), a fresh `req_id` on every error.
 */
import { randomBytes } from 'node:crypto';

export const V2_TITLES: Record<string, string> = {
	'api/invalid_parameters': 'Invalid parameters',
	'provider/invalid_parameters': 'Invalid parameters',
	'api/invalid_auth_format': 'Invalid authentication format',
	'api/missing_authorization': 'Missing authorization',
	'api/invalid_authorization': 'Invalid authorization',
	'provider/invalid_authorization': 'Invalid authorization',
	'provider/invalid_credentials': 'Invalid credentials',
	'api/resource_not_found': 'Resource not found',
	'api/too_many_requests': 'Too many requests',
	'api/internal_error': 'Internal error',
	'provider/server_error': 'Provider server error',
	'provider/timeout': 'Provider timeout',
};

export function newReqId(): string {
	return `req_${randomBytes(12).toString('hex')}`;
}

/** The error type an injected fault answers for `status`. */
export function v2TypeForStatus(status: number): string {
	if (status === 401) return 'provider/invalid_authorization';
	if (status === 404) return 'api/resource_not_found';
	if (status === 429) return 'api/too_many_requests';
	if (status === 504) return 'provider/timeout';
	if (status === 502 || status === 503) return 'provider/server_error';
	if (status >= 500) return 'api/internal_error';
	return 'api/invalid_parameters';
}

export class V2Error extends Error {
	constructor(
		readonly status: number,
		readonly type: string,
		readonly detail: string,
		readonly headers: Record<string, string> = {},
	) {
		super(`${status} ${type}: ${detail}`);
	}

	body() {
		return { object: 'Error' as const, type: this.type, status: this.status, title: V2_TITLES[this.type] ?? this.type, detail: this.detail, req_id: newReqId() };
	}
}

export const bad = (detail: string) => new V2Error(400, 'api/invalid_parameters', detail);
export const notFound = (detail: string) => new V2Error(404, 'api/resource_not_found', detail);

const UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** ISO 8601 UTC `YYYY-MM-DDTHH:MM:SS.sssZ`, as the v2 types require for dates. */
export function isIsoUtc(v: unknown): v is string {
	return typeof v === 'string' && UTC_RE.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;
}

export class V2Query {
	constructor(readonly params: URLSearchParams) {}

	only(allowed: readonly string[]): this {
		for (const key of new Set(this.params.keys())) if (!allowed.includes(key)) throw bad(`${key}: unknown query parameter (allowed: ${allowed.join(', ') || 'none'})`);
		return this;
	}

	one(name: string): string | undefined {
		const all = this.params.getAll(name);
		if (all.length > 1) throw bad(`${name}: expected a single value, got ${all.length}`);
		if (all[0] === '') throw bad(`${name}: must not be empty`);
		return all[0];
	}

	all(name: string): string[] {
		return this.params.getAll(name);
	}

	int(name: string, min: number, max: number): number | undefined {
		const v = this.one(name);
		if (v === undefined) return undefined;
		if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw bad(`${name}: must be an integer between ${min} and ${max}, got ${JSON.stringify(v)}`);
		return Number(v);
	}

	bool(name: string): boolean | undefined {
		const v = this.one(name);
		if (v === undefined) return undefined;
		if (v !== 'true' && v !== 'false') throw bad(`${name}: must be true or false, got ${JSON.stringify(v)}`);
		return v === 'true';
	}

	date(name: string): string | undefined {
		const v = this.one(name);
		if (v === undefined) return undefined;
		if (!isIsoUtc(v)) throw bad(`${name}: must be an ISO 8601 UTC datetime (YYYY-MM-DDTHH:MM:SS.sssZ), got ${JSON.stringify(v)}`);
		return v;
	}

	enumOf<T extends string>(name: string, values: readonly T[]): T | undefined {
		const v = this.one(name);
		if (v === undefined) return undefined;
		if (!values.includes(v as T)) throw bad(`${name}: must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
		return v as T;
	}
}
