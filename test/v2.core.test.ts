/**
 * The shared core on Unipile API v2, in its pure parts: the credential's base URL forms and its test request, the
 * two v2 list envelopes (cursor or offset; Core lists with has_more) as pages, and v2 errors in Unipile's words with
 * the advice for their type and the request id support asks for.
 */
import { NodeApiError, type INode } from 'n8n-workflow';

const { unipileV2BaseUrl, UnipileV2Api, V2_KEY_REFUSED, V2_NOT_FOUND } = require('../dist/credentials/UnipileV2Api.credentials.js');
const { UnipileApi, V1_KEY_REFUSED, V1_NOT_FOUND } = require('../dist/credentials/UnipileApi.credentials.js');
const { v2PageOf, v2PageQuery } = require('../dist/nodes/shared/pager.js');
const { describeFailure, unipileError } = require('../dist/nodes/shared/errors.js');

const node: INode = { id: 'n', name: 'Unipile', type: 'CUSTOM.unipile', typeVersion: 1, position: [0, 0], parameters: {} };

describe('Unipile V2 API credential', () => {
	test.each([
		[undefined, 'https://api.unipile.com/v2'],
		['', 'https://api.unipile.com/v2'],
		['https://api.unipile.com', 'https://api.unipile.com/v2'],
		[' https://api.unipile.com/v2/ ', 'https://api.unipile.com/v2'],
		['api.unipile.com', 'https://api.unipile.com/v2'],
		['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/v2'],
		['https://proxy.example.com/unipile', 'https://proxy.example.com/unipile/v2'],
	])('base URL %j → %s', (given, root) => {
		expect(unipileV2BaseUrl(given)).toBe(root);
	});

	test('its test calls a Core route with the key in X-API-KEY and says what a refused key or a wrong address means', () => {
		const credential = new UnipileV2Api();
		expect(credential.name).toBe('unipileV2Api');
		expect(credential.displayName).toBe('Unipile V2 API');
		expect(credential.properties.map((p: { name: string }) => p.name)).toEqual(['apiKey', 'baseUrl']);
		expect(credential.properties[0].typeOptions).toEqual({ password: true });
		expect(credential.properties[1].default).toBe('https://api.unipile.com');
		expect(credential.authenticate.properties.headers['X-API-KEY']).toContain('$credentials.apiKey');
		// Tested by the nodes' `testedBy` function (test/credentials.messages.test.ts), not a declarative `test`.
		expect(credential).not.toHaveProperty('test');
		expect(V2_KEY_REFUSED).toMatch(/v1 account .*DSN.*"Unipile API" credential \(v1, with a DSN\)/);
		expect(V2_NOT_FOUND).toMatch(/DSN .* v1 account/);
	});

	test('the v1 credential says so the other way round', () => {
		const credential = new UnipileApi();
		expect(credential.displayName).toBe('Unipile API');
		expect(credential).not.toHaveProperty('test');
		expect(V1_KEY_REFUSED).toMatch(/v2 application.*"Unipile V2 API"/);
		expect(V1_NOT_FOUND).toMatch(/api\.unipile\.com .*"Unipile V2 API"/);
	});
});

describe('v2 lists as pages', () => {
	test('account lists by cursor: next_cursor until null or absent once a cursor was sent', () => {
		expect(v2PageOf({ data: [{ id: 'a' }], next_cursor: 'c2', total_count: 3 }, null)).toEqual({ items: [{ id: 'a' }], next: { cursor: 'c2' } });
		expect(v2PageOf({ data: [{ id: 'b' }], next_cursor: null }, { cursor: 'c2' })).toEqual({ items: [{ id: 'b' }], next: null });
		expect(v2PageOf({ data: [{ id: 'b' }] }, { cursor: 'c2' })).toEqual({ items: [{ id: 'b' }], next: null });
		expect(v2PageOf({ data: [{ id: 'b' }], next_cursor: '' }, null)).toEqual({ items: [{ id: 'b' }], next: null });
	});

	test('account lists by offset (no next_cursor): the next page starts data.length further, until total_count or an empty page', () => {
		expect(v2PageOf({ data: [{ id: 'a' }, { id: 'b' }], total_count: 3 }, null)).toEqual({ items: [{ id: 'a' }, { id: 'b' }], next: { offset: 2 } });
		expect(v2PageOf({ data: [{ id: 'c' }], total_count: 3 }, { offset: 2 })).toEqual({ items: [{ id: 'c' }], next: null });
		expect(v2PageOf({ data: [{ id: 'a' }, { id: 'b' }] }, null, 2)).toEqual({ items: [{ id: 'a' }, { id: 'b' }], next: { offset: 2 } });
		expect(v2PageOf({ data: [{ id: 'c' }] }, { offset: 2 }, 2)).toEqual({ items: [{ id: 'c' }], next: { offset: 3 } });
		expect(v2PageOf({ data: [] }, { offset: 3 }, 2)).toEqual({ items: [], next: null });
		// a first page that is neither full nor says more: the only page (a cursor provider's last page looks the same)
		expect(v2PageOf({ data: [{ id: 'a' }] }, null, 2)).toEqual({ items: [{ id: 'a' }], next: null });
		expect(v2PageOf({ data: [{ id: 'a' }] }, null)).toEqual({ items: [{ id: 'a' }], next: null });
	});

	test('Core lists: has_more by offset', () => {
		expect(v2PageOf({ object: 'Accounts', data: [{ id: 'acc_1' }], has_more: true }, null)).toEqual({ items: [{ id: 'acc_1' }], next: { offset: 1 } });
		expect(v2PageOf({ object: 'Accounts', data: [{ id: 'acc_2' }], has_more: false }, { offset: 1 })).toEqual({ items: [{ id: 'acc_2' }], next: null });
	});

	test('not a v2 list → undefined; the next query keeps every filter', () => {
		expect(v2PageOf({ items: [], cursor: null }, null)).toBeUndefined();
		expect(v2PageOf(null, null)).toBeUndefined();
		expect(v2PageQuery({ limit: 250, is_unread: true }, null)).toEqual({ limit: 250, is_unread: true });
		expect(v2PageQuery({ limit: 250, is_unread: true }, { cursor: 'c2' })).toEqual({ limit: 250, is_unread: true, cursor: 'c2' });
		expect(v2PageQuery({ limit: '100' }, { offset: 200 })).toEqual({ limit: '100', offset: '200' });
	});
});

describe('v2 errors', () => {
	const axiosLike = (status: number, data: unknown, headers: Record<string, string> = {}) =>
		Object.assign(new Error(`Request failed with status code ${status}`), { isAxiosError: true, response: { status, data, headers } });

	test("Unipile's words, the type, advice for it and the request id", () => {
		const body = { object: 'Error', type: 'provider/invalid_authorization', status: 401, title: 'Invalid authorization', detail: 'The account session expired.', req_id: 'req_8f2a' };
		const error = unipileError(node, describeFailure(axiosLike(401, body)), { method: 'GET' });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Invalid authorization: The account session expired. [provider/invalid_authorization]');
		expect(error.description).toMatch(/must be reconnected.*Create Hosted Auth Link/);
		expect(error.description).toMatch(/Unipile request ID: req_8f2a\.$/);
		expect(error.httpCode).toBe('401');
	});

	test('a v2 type without advice of its own takes the advice of its v1 namesake; 429 is explained', () => {
		const notFound = unipileError(node, describeFailure(axiosLike(404, { object: 'Error', type: 'api/resource_not_found', status: 404, title: 'Not found', req_id: 'r1' })), {});
		expect(notFound.description).toMatch(/^Check the ID/);
		const limited = unipileError(node, describeFailure(axiosLike(429, { object: 'Error', type: 'api/too_many_requests', status: 429, title: 'Too many requests', req_id: 'r2' }, { 'retry-after': '120' })), { retries: 0 });
		expect(limited.message).toBe('Too many requests [api/too_many_requests]');
		expect(limited.description).toMatch(/rate-limiting this API key.*asked to wait 120 s.*Unipile request ID: r2\./);
	});
});
