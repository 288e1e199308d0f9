/**
 * LinkedIn URLs wherever a person, a company or a post is asked for, on v1 and v2, through n8n's engine against the
 * sandbox: the identifier Unipile receives, the error (naming the form expected) for a URL of another kind, and Send
 * Invitation / Chat → Start resolving profile URLs and public identifiers to provider IDs once per person per execution.
 */
import { nodeRequests } from './helpers/accountLookups';
import { loadPackage, runNode } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';
import { samplePost } from './sandbox/linkedin';

type Any = any;

let sandbox: Sandbox;
let v1Account: string;
/** A v1 LinkedIn contact: provider ID and public identifier. */
let v1Person: { providerId: string; publicIdentifier: string };
let v2Account: string;
let v2Person: { id: string; publicIdentifier: string };

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const v1 = () => ({ dsn: sandbox.url, apiKey: sandbox.apiKey });
const v2 = () => ({ apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url });
// Without Unipile LinkedIn's account-kind lookups (asserted in test/accountKinds.test.ts); Chat → Start's own lookup is asserted below on the raw log.
const sent = () => nodeRequests(sandbox).map((r) => ({ method: r.method, path: r.path, query: r.query, json: r.json }));

async function v2Get(path: string): Promise<Any> {
	const res = await fetch(`${sandbox.url}/v2${path}`, { headers: { 'X-API-KEY': sandbox.v2.apiKey, 'Cache-Control': 'no-store' } });
	return await res.json();
}

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 6, messagesPerChat: 1 });
	await loadPackage();
	const store: Any = sandbox.store;
	v1Account = store.sortedAccounts().find((a: Any) => a.type === 'LINKEDIN').id;
	const handle = [...store.handles.entries()].find(([key]: [string]) => key.startsWith(`${v1Account}/`) && !key.endsWith('/sandra-box'));
	v1Person = { publicIdentifier: handle[0].split('/')[1], providerId: store.attendeeById.get(handle[1]).provider_id };
	v2Account = sandbox.v2.accounts.find((a: Any) => a.provider === 'linkedin' && a.status === 'running')!.id;
	const chat = (await v2Get(`/${v2Account}/chats?limit=50`)).data.find((c: Any) => c.user_id);
	const user = await v2Get(`/${v2Account}/users/${chat.user_id}`);
	v2Person = { id: user.id, publicIdentifier: user.public_identifier };
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearRequests();
});

async function linkedin(api: 'v1' | 'v2', parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	sandbox.clearRequests();
	return await runNode({
		credentials: api === 'v1' ? v1() : v2(),
		nodeType: 'CUSTOM.unipileLinkedIn',
		parameters: { authentication: api === 'v1' ? 'unipileApi' : 'unipileApiV2', accountId: byId(api === 'v1' ? v1Account : v2Account), ...parameters } as Any,
		...extra,
	});
}

describe('URL forms of a person, a company and a post', () => {
	test('v1: profile URLs (scheme, www, country subdomain, trailing slash, query) and a Sales Navigator lead URL become the identifier in the path', async () => {
		const slug = v1Person.publicIdentifier;
		for (const given of [`https://www.linkedin.com/in/${slug}/`, `linkedin.com/in/${slug}`, `http://fr.linkedin.com/in/${slug}?trk=public_profile`, `www.linkedin.com/in/${slug}/#about`]) {
			const { error, items } = await linkedin('v1', { resource: 'user', operation: 'getProfile', identifier: given });
			expect(error).toBeUndefined();
			expect(sent()).toEqual([{ method: 'GET', path: `/users/${slug}`, query: { account_id: v1Account }, json: undefined }]);
			expect(items[0].json.provider_id).toBe(v1Person.providerId);
		}
		await linkedin('v1', { resource: 'user', operation: 'getProfile', identifier: `https://www.linkedin.com/sales/lead/${v1Person.providerId},NAME_SEARCH,x1y2` });
		expect(sent()[0].path).toBe(`/users/${v1Person.providerId}`);
		await linkedin('v1', { resource: 'user', operation: 'getProfile', identifier: `https://www.linkedin.com/sales/people/${v1Person.providerId},name` });
		expect(sent()[0].path).toBe(`/users/${v1Person.providerId}`);
	});

	test('v1: a company URL in Company → Get, post URLs (feed/update and posts/…-activity-…) in Post → Get', async () => {
		await linkedin('v1', { resource: 'company', operation: 'get', identifier: 'https://www.linkedin.com/company/unipile/about/' });
		expect(sent()[0]).toMatchObject({ method: 'GET', path: '/linkedin/company/unipile' });
		await linkedin('v1', { resource: 'post', operation: 'get', postId: 'https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678/' });
		expect(sent()[0]).toMatchObject({ method: 'GET', path: '/posts/urn:li:activity:7123456789012345678' });
		await linkedin('v1', { resource: 'post', operation: 'get', postId: 'https://www.linkedin.com/posts/jane-doe_growth-activity-7123456789012345678-AbCd?utm_source=share' });
		expect(sent()[0]).toMatchObject({ method: 'GET', path: '/posts/urn:li:activity:7123456789012345678' });
	});

	test('bad forms are refused before sending, naming the field and the form expected (v1 and v2)', async () => {
		for (const api of ['v1', 'v2'] as const) {
			const company = await linkedin(api, { resource: 'user', operation: 'getProfile', identifier: 'https://www.linkedin.com/company/unipile' });
			expect(company.error?.message).toBe('"Identifier" is not a LinkedIn person (a company URL was given)');
			expect(company.error?.description).toContain('a profile URL (https://www.linkedin.com/in/john-doe-1a2b3c)');
			const other = await linkedin(api, { resource: 'company', operation: 'get', identifier: 'https://example.com/company/unipile' });
			expect(other.error?.message).toBe('"Identifier" is not a LinkedIn company (example.com is not linkedin.com)');
			expect(other.error?.description).toContain('a company URL (https://www.linkedin.com/company/unipile)');
			const post = await linkedin(api, { resource: 'post', operation: 'getComments', postId: 'https://www.linkedin.com/in/jane-doe' });
			expect(post.error?.message).toBe('"Post ID" is not a LinkedIn post (a profile URL was given)');
			expect(post.error?.description).toContain('https://www.linkedin.com/feed/update/urn:li:activity:');
			const path = await linkedin(api, { resource: 'user', operation: 'getProfile', identifier: 'https://www.linkedin.com/feed/' });
			expect(path.error?.message).toBe('"Identifier" is not a LinkedIn person (its path is not one of these forms)');
			expect(nodeRequests(sandbox)).toEqual([]);
		}
	});

	test('v2: the identifier from the URL goes in the v2 path (Get Profile, Company → Get, Post → Get Comments)', async () => {
		const { error, items } = await linkedin('v2', { resource: 'user', operation: 'getProfile', identifier: `https://uk.linkedin.com/in/${v2Person.publicIdentifier}/?originalSubdomain=uk` });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'GET', path: `/v2/${v2Account}/users/${v2Person.publicIdentifier}`, query: {}, json: undefined }]);
		expect(items[0].json.provider_id).toBe(v2Person.id);
		await linkedin('v2', { resource: 'company', operation: 'get', identifier: 'linkedin.com/company/unipile' });
		expect(sent()[0]).toMatchObject({ method: 'GET', path: `/v2/${v2Account}/linkedin/company/unipile` });
		await linkedin('v2', { resource: 'post', operation: 'getComments', postId: 'https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678' });
		expect(sent()[0]).toMatchObject({ method: 'GET', path: `/v2/${v2Account}/posts/urn:li:activity:7123456789012345678/comments` });
	});
});

describe('Send Invitation and Chat → Start resolve people to provider IDs, once per person per execution', () => {
	test('v1 Send Invitation: a URL and the same public identifier are one profile lookup; a provider ID none', async () => {
		const slug = v1Person.publicIdentifier;
		const { items } = await linkedin(
			'v1',
			{ resource: 'invitation', operation: 'send', providerId: '={{ $json.person }}' },
			{ items: [{ person: `https://www.linkedin.com/in/${slug}/` }, { person: slug }, { person: `https://www.linkedin.com/in/${slug.toUpperCase()}` }], continueOnFail: true },
		);
		const lookups = sent().filter((r) => r.method === 'GET');
		expect(lookups).toEqual([{ method: 'GET', path: `/users/${slug}`, query: { account_id: v1Account }, json: undefined }]);
		const invites = sent().filter((r) => r.method === 'POST');
		expect(invites).toHaveLength(3);
		for (const invite of invites) expect(invite).toMatchObject({ path: '/users/invite', json: { provider_id: v1Person.providerId, account_id: v1Account } });
		expect(items).toHaveLength(3);
		// A fresh execution looks the person up again (the cache is per execution).
		await linkedin('v1', { resource: 'invitation', operation: 'send', providerId: slug }, { continueOnFail: true });
		expect(sent().filter((r) => r.method === 'GET')).toHaveLength(1);
		await linkedin('v1', { resource: 'invitation', operation: 'send', providerId: v1Person.providerId }, { continueOnFail: true });
		expect(sent().filter((r) => r.method === 'GET')).toEqual([]);
	});

	test('v2 Send Invitation: GET /v2/{account}/users/{public identifier} once, then relation requests with the user id', async () => {
		const slug = v2Person.publicIdentifier;
		await linkedin('v2', { resource: 'invitation', operation: 'send', providerId: '={{ $json.person }}' }, { items: [{ person: `https://www.linkedin.com/in/${slug}` }, { person: slug }], continueOnFail: true });
		expect(sent().filter((r) => r.method === 'GET')).toEqual([{ method: 'GET', path: `/v2/${v2Account}/users/${slug}`, query: {}, json: undefined }]);
		const invites = sent().filter((r) => r.method === 'POST');
		expect(invites.length).toBeGreaterThanOrEqual(1);
		for (const invite of invites) expect(invite).toMatchObject({ path: `/v2/${v2Account}/users/me/relation-requests`, json: { user_id: v2Person.id } });
	});

	test('v1 Chat → Start: a profile URL and a public identifier on a LinkedIn account become the provider ID (one lookup per person)', async () => {
		sandbox.clearRequests();
		const { error } = await runNode({
			credentials: v1(),
			parameters: { authentication: 'unipileApi', resource: 'chat', operation: 'start', accountId: byId(v1Account), attendeesIds: '={{ $json.person }}', text: 'Hello' } as Any,
			items: [{ person: `https://www.linkedin.com/in/${v1Person.publicIdentifier}` }, { person: v1Person.publicIdentifier }],
		});
		expect(error).toBeUndefined();
		expect(sandbox.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([`/users/${v1Person.publicIdentifier}`, `/accounts/${v1Account}`]);
		const starts = sandbox.requests.filter((r) => r.method === 'POST');
		expect(starts).toHaveLength(2);
		for (const start of starts) expect(start.form?.find((field) => field.name === 'attendees_ids')).toEqual({ name: 'attendees_ids', value: v1Person.providerId });
	});

	test('v2 Chat → Start: a profile URL becomes users_ids', async () => {
		sandbox.clearRequests();
		const { error } = await runNode({
			credentials: v2(),
			parameters: { authentication: 'unipileApiV2', resource: 'chat', operation: 'start', accountId: byId(v2Account), attendeesIds: `https://www.linkedin.com/in/${v2Person.publicIdentifier}/`, text: 'Hello' } as Any,
		});
		expect(error).toBeUndefined();
		expect(sent()).toEqual([
			{ method: 'GET', path: `/v2/${v2Account}/users/${v2Person.publicIdentifier}`, query: {}, json: undefined },
			expect.objectContaining({ method: 'POST', path: `/v2/${v2Account}/chats/send`, json: { users_ids: v2Person.id, text: 'Hello' } }),
		]);
	});
});

describe('Post → Comment: Mentions', () => {
	test('v1: mentions [{name, profile_id}] beside the text with its {{0}} placeholders; a profile URL is looked up; a missing placeholder is refused before sending', async () => {
		const post = samplePost(sandbox.store, v1Account);
		const { error } = await linkedin('v1', {
			resource: 'post',
			operation: 'comment',
			postId: post.social_id,
			text: 'Thanks {{0}} and {{1}}!',
			mentions: { mention: [{ name: 'Yusuf', person: `https://www.linkedin.com/in/${v1Person.publicIdentifier}` }, { name: 'Ann', person: 'ACoAAAnnProvider1234567' }] },
		});
		expect(error).toBeUndefined();
		expect(sent()).toEqual([
			{ method: 'GET', path: `/users/${v1Person.publicIdentifier}`, query: { account_id: v1Account }, json: undefined },
			{
				method: 'POST',
				path: `/posts/${post.social_id}/comments`,
				query: {},
				json: { account_id: v1Account, text: 'Thanks {{0}} and {{1}}!', mentions: [{ name: 'Yusuf', profile_id: v1Person.providerId }, { name: 'Ann', profile_id: 'ACoAAAnnProvider1234567' }] },
			},
		]);
		const missing = await linkedin('v1', { resource: 'post', operation: 'comment', postId: post.social_id, text: 'Thanks!', mentions: { mention: [{ name: 'Ann', person: 'ACoAAAnnProvider1234567' }] } });
		expect(missing.error?.message).toBe('"Text" has no {{0}} for mention 1 (Ann)');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('v2: each {{i}} becomes @provider_id in the text (v2 has no mentions field)', async () => {
		const res = await fetch(`${sandbox.url}/_sandbox/v2/linkedin/state`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: v2Account }) });
		const postId = ((await res.json()) as Any).posts[0].post.id;
		const { error } = await linkedin('v2', { resource: 'post', operation: 'comment', postId, text: 'Welcome {{0}}', mentions: { mention: [{ name: 'Omar', person: v2Person.publicIdentifier }] } });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([
			{ method: 'GET', path: `/v2/${v2Account}/users/${v2Person.publicIdentifier}`, query: {}, json: undefined },
			{ method: 'POST', path: `/v2/${v2Account}/posts/${postId}/comments`, query: {}, json: { text: `Welcome @${v2Person.id}` } },
		]);
	});
});
