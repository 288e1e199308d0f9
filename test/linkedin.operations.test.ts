/**
 * Unipile LinkedIn through n8n's real engine against the sandbox: the request each operation sends, what it outputs,
 * Return All page sizes, Simplify, and the checks that refuse bad input before anything is sent.
 */
import type { INodeParameters } from 'n8n-workflow';
import { nodeRequests } from './helpers/accountLookups';
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type ILoadOptionsFunctions, type INode, type INodeListSearchResult, type INodeType } from 'n8n-workflow';
import { additionalDataFor, loadPackage, nodeTypes, runNode, type RunOptions } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';
import { acceptSentInvitation, accountState, COMPANIES, invitableMembers, LOCATIONS, OWN_FOLLOWERS, RECEIVED_SEEDED, RELATIONS_SEEDED, samplePost } from './sandbox/linkedin';

type Any = any;
const ACC = 'acc_linkedin_1';
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 4, messagesPerChat: 1 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

async function run(parameters: INodeParameters, extra: Partial<RunOptions> = {}) {
	sandbox.clearRequests();
	return await runNode({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, nodeType: 'CUSTOM.unipileLinkedIn', parameters: { accountId: ACC, ...parameters }, ...extra });
}

const sent = () => nodeRequests(sandbox).map((r) => [r.method, r.path, r.query, r.json]);
const state = () => accountState(sandbox.store, ACC);

describe('User', () => {
	test('Get Profile: simplified by default (ids to act on, name, headline, company, location, URLs), full when off', async () => {
		const m = state().members[3];
		const simple = await run({ resource: 'user', operation: 'getProfile', identifier: m.public_identifier, options: { linkedinSections: ['experience'], notify: true } });
		expect(simple.error).toBeUndefined();
		expect(sent()).toEqual([['GET', `/users/${m.public_identifier}`, { account_id: ACC, linkedin_sections: 'experience', notify: 'true' }, undefined]]);
		expect(simple.items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				provider_id: m.provider_id,
				public_identifier: m.public_identifier,
				name: `${m.first_name} ${m.last_name}`,
				headline: m.headline,
				company: m.company,
				location: m.location,
				network_distance: 'FIRST_DEGREE',
				public_profile_url: `https://www.linkedin.com/in/${m.public_identifier}`,
			}),
		]);
		expect(simple.items[0].json.work_experience).toBeUndefined();
		const full = await run({ resource: 'user', operation: 'getProfile', identifier: m.provider_id, simplify: false });
		expect(full.items[0].json).toEqual(expect.objectContaining({ object: 'UserProfile', provider_id: m.provider_id, is_premium: expect.any(Boolean) }));
	});

	test('Get Own Profile and Get InMail Balance', async () => {
		const own = await run({ resource: 'user', operation: 'getOwnProfile' });
		expect(sent()).toEqual([['GET', '/users/me', { account_id: ACC }, undefined]]);
		expect(own.items[0].json).toEqual(expect.objectContaining({ object: 'AccountOwnerProfile', provider: 'LINKEDIN' }));
		const balance = await run({ resource: 'user', operation: 'getInmailBalance' });
		expect(sent()).toEqual([['GET', '/linkedin/inmail_balance', { account_id: ACC }, undefined]]);
		expect(balance.items.map((i) => i.json)).toEqual([{ object: 'LinkedinInmailBalance', premium: 15, recruiter: null, sales_navigator: null }]);
	});

	test('Get Relations: Return All pages 1,000 at a time, filter kept on every page; simplified with provider_id', async () => {
		const all = await run({ resource: 'user', operation: 'getRelations', returnAll: true });
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(RELATIONS_SEEDED);
		expect(nodeRequests(sandbox).map((r) => r.query.limit)).toEqual(['1000', '1000']);
		const first = state().relations[0];
		expect(all.items[0].json).toEqual({
			provider_id: first.member.provider_id,
			public_identifier: first.member.public_identifier,
			name: `${first.member.first_name} ${first.member.last_name}`,
			first_name: first.member.first_name,
			last_name: first.member.last_name,
			headline: first.member.headline,
			public_profile_url: `https://www.linkedin.com/in/${first.member.public_identifier}`,
			...(first.member.profile_picture_url ? { profile_picture_url: first.member.profile_picture_url } : {}),
			connected_at: new Date(first.created_at).toISOString(),
		});
		const name = first.member.first_name;
		const filtered = await run({ resource: 'user', operation: 'getRelations', filter: name, returnAll: true, simplify: false });
		expect(filtered.items.length).toBeGreaterThan(0);
		expect(filtered.items.every((i) => `${i.json.first_name} ${i.json.last_name}`.includes(name))).toBe(true);
		expect(nodeRequests(sandbox).every((r) => r.query.filter === name)).toBe(true);
		expect(filtered.items[0].json.object).toBe('UserRelation');
		const limited = await run({ resource: 'user', operation: 'getRelations', limit: 7 });
		expect(limited.items).toHaveLength(7);
		expect(sent()).toEqual([['GET', '/users/relations', { account_id: ACC, limit: '7' }, undefined]]);
	});

	test('Get Followers (100 a page) and Get Following of a member', async () => {
		const all = await run({ resource: 'user', operation: 'getFollowers', returnAll: true });
		expect(all.items).toHaveLength(OWN_FOLLOWERS);
		expect(nodeRequests(sandbox).map((r) => r.query.limit)).toEqual(['100', '100', '100']);
		const m = state().members[9];
		await run({ resource: 'user', operation: 'getFollowing', userId: m.provider_id, limit: 5 });
		expect(sent()).toEqual([['GET', '/users/following', { account_id: ACC, user_id: m.provider_id, limit: '5' }, undefined]]);
	});
});

describe('Invitation', () => {
	test('Send: provider_id and the note in the JSON body; the same person again → advice to wait or withdraw', async () => {
		const [a] = invitableMembers(sandbox.store, ACC);
		const first = await run({ resource: 'invitation', operation: 'send', providerId: ` ${a.provider_id} `, message: `Hi ${a.first_name}!` });
		expect(first.error).toBeUndefined();
		expect(sent()).toEqual([['POST', '/users/invite', {}, { account_id: ACC, provider_id: a.provider_id, message: `Hi ${a.first_name}!` }]]);
		expect(first.items[0].json).toEqual(expect.objectContaining({ object: 'UserInvitationSent', invitation_id: state().sent[0].id }));
		const again = await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id });
		expect(again.error?.message).toContain('errors/already_invited_recently');
		expect(again.error?.description).toMatch(/pending/i);
		expect(again.error?.description).toMatch(/Cancel/);
		expect(nodeRequests(sandbox)).toHaveLength(1);
	});

	test('Send: no note and no email sends neither', async () => {
		const [a] = invitableMembers(sandbox.store, ACC);
		await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id, message: '', userEmail: '' });
		expect(sent()).toEqual([['POST', '/users/invite', {}, { account_id: ACC, provider_id: a.provider_id }]]);
		const [b] = invitableMembers(sandbox.store, ACC);
		await run({ resource: 'invitation', operation: 'send', providerId: b.provider_id, userEmail: 'b@example.com' });
		expect(nodeRequests(sandbox)[0].json).toEqual({ account_id: ACC, provider_id: b.provider_id, user_email: 'b@example.com' });
	});

	test('Send: a note over 300 characters and an empty provider ID are refused before sending, naming the field and the count', async () => {
		const [a] = invitableMembers(sandbox.store, ACC);
		const long = await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id, message: 'x'.repeat(301) });
		expect(long.error?.message).toBe('"Message" is 301 characters long; LinkedIn allows at most 300');
		expect(long.error?.description).toContain('Shorten "Message" by 1 character');
		const empty = await run({ resource: 'invitation', operation: 'send', providerId: '={{ $json.missing }}' });
		expect(empty.error?.message).toBe('"Provider ID" is empty');
		expect(nodeRequests(sandbox)).toHaveLength(0);
		const exact = await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id, message: 'x'.repeat(300) });
		expect(exact.error).toBeUndefined();
	});

	test('Continue On Fail, per item: good people invited, the rest carry their own error', async () => {
		const [a, b] = invitableMembers(sandbox.store, ACC);
		const relation = state().relations[0].member;
		const items = [{ id: a.provider_id, note: 'Hello' }, { id: relation.provider_id, note: 'Hi' }, { id: b.provider_id, note: 'y'.repeat(400) }, { id: '', note: 'x' }, { id: b.provider_id, note: 'ok' }];
		const result = await run({ resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', message: '={{ $json.note }}' }, { items, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(result.items[0].json.object).toBe('UserInvitationSent');
		expect(String(result.items[1].json.error)).toContain('cannot_invite_attendee');
		expect(String(result.items[2].json.error)).toContain('400 characters');
		expect(String(result.items[3].json.error)).toContain('"Provider ID" is empty');
		expect(result.items[4].json.object).toBe('UserInvitationSent');
		expect(nodeRequests(sandbox).map((r) => (r.json as Any).provider_id)).toEqual([a.provider_id, relation.provider_id, b.provider_id]);
	});

	test('Get Many Sent, Cancel (gone from the list), and a re-invite → cannot_resend_yet with advice', async () => {
		const [a, b] = invitableMembers(sandbox.store, ACC);
		await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id });
		await run({ resource: 'invitation', operation: 'send', providerId: b.provider_id });
		const list = await run({ resource: 'invitation', operation: 'getAllSent', returnAll: true });
		expect(sent()).toEqual([['GET', '/users/invite/sent', { account_id: ACC, limit: '100' }, undefined]]);
		expect(list.items.map((i) => i.json.invited_user_id)).toEqual([b.provider_id, a.provider_id]);
		const id = String(list.items[1].json.id);
		const cancel = await run({ resource: 'invitation', operation: 'cancel', invitationId: id });
		expect(sent()).toEqual([['DELETE', `/users/invite/sent/${id}`, { account_id: ACC }, undefined]]);
		expect(cancel.items[0].json).toEqual({ object: 'InvitationCanceled' });
		expect((await run({ resource: 'invitation', operation: 'getAllSent', limit: 10 })).items.map((i) => i.json.id)).not.toContain(id);
		const again = await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id });
		expect(again.error?.message).toContain('errors/cannot_resend_yet');
		expect(again.error?.description).toMatch(/withdr/i);
	});

	test('Get Many Received → Handle: the shared secret comes from the item; accept makes a relation', async () => {
		const received = await run({ resource: 'invitation', operation: 'getAllReceived', returnAll: true });
		expect(received.items).toHaveLength(RECEIVED_SEEDED);
		const [first, second] = received.items.map((i) => i.json as Any);
		const accepted = await run({ resource: 'invitation', operation: 'handle', invitationId: '={{ $json.id }}', action: 'accept' }, { items: [first] });
		expect(accepted.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `/users/invite/received/${first.id}`, {}, { provider: 'LINKEDIN', account_id: ACC, action: 'accept', shared_secret: first.specifics.shared_secret }]]);
		expect(state().relations[0].member.provider_id).toBe(first.inviter.inviter_id);
		const declined = await run({ resource: 'invitation', operation: 'handle', invitationId: second.id, action: 'decline' }, { items: [second] });
		expect(declined.items[0].json).toEqual(expect.objectContaining({ status: 'DECLINED' }));
		const noSecret = await run({ resource: 'invitation', operation: 'handle', invitationId: 'x', action: 'accept' });
		expect(noSecret.error?.message).toBe('"Shared Secret" is empty');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('quota and subscription errors become advice: limit_exceeded, insufficient_credits, not_allowed_inmail, feature_not_subscribed, 429', async () => {
		const [a] = invitableMembers(sandbox.store, ACC);
		state().dailyInvitationQuota = 0;
		const limited = await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id });
		expect(limited.error?.message).toContain('errors/limit_exceeded');
		expect(limited.error?.description).toMatch(/invitation/i);
		expect(limited.error?.description).toMatch(/week/);
		for (const [type, words] of [
			['insufficient_credits', /InMail credits/],
			['not_allowed_inmail', /InMail/],
			['cannot_invite_attendee', /already/],
			['action_already_performed', /already/],
		] as const) {
			sandbox.injectFault({ path: '/users/invite', status: 422, body: { title: 'Unprocessable', type: `errors/${type}`, status: 422 } });
			const result = await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id });
			expect(result.error?.message).toContain(`errors/${type}`);
			expect(result.error?.description).toMatch(words);
		}
		state().dailyInvitationQuota = null;
		const sn = await run({ resource: 'search', operation: 'search', api: 'sales_navigator', keywords: 'cto' });
		expect(sn.error?.message).toContain('errors/feature_not_subscribed');
		expect(sn.error?.description).toMatch(/Sales Navigator/);
		sandbox.injectFault({ path: '/users/invite', status: 429, retryAfter: 120 });
		const throttled = await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id });
		expect(throttled.error?.message).toContain('errors/too_many_requests');
		expect(throttled.error?.description).toMatch(/120 s/);
		expect(nodeRequests(sandbox).filter((r) => r.path === '/users/invite')).toHaveLength(1);
	});
});

describe('never twice', () => {
	test('Send Invitation: a 503 or a dropped connection is not retried (it may have gone through); a 429 is', async () => {
		const [a, b, c] = invitableMembers(sandbox.store, ACC);
		sandbox.injectFault({ path: '/users/invite', status: 503 });
		const unavailable = await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id });
		expect(unavailable.error?.message).toContain('errors/service_unavailable');
		expect(nodeRequests(sandbox)).toHaveLength(1);
		sandbox.injectFault({ path: '/users/invite', drop: true });
		const dropped = await run({ resource: 'invitation', operation: 'send', providerId: b.provider_id });
		expect(dropped.error?.description).toMatch(/not sent again/);
		expect(nodeRequests(sandbox)).toHaveLength(1);
		sandbox.injectFault({ path: '/users/invite', status: 429, retryAfter: 0 });
		const throttled = await run({ resource: 'invitation', operation: 'send', providerId: c.provider_id });
		expect(throttled.error).toBeUndefined();
		expect(nodeRequests(sandbox).map((r) => r.status)).toEqual([429, 201]);
		expect(state().sent.map((i) => i.member.provider_id)).toEqual([c.provider_id]);
	});
});

describe('Post', () => {
	test('Get Many of a company: Return All pages 100 at a time; Simplify keeps what people map', async () => {
		const c = COMPANIES[0];
		const all = await run({ resource: 'post', operation: 'getAll', identifier: c.public_identifier, isCompany: true, returnAll: true });
		expect(all.error).toBeUndefined();
		expect(nodeRequests(sandbox).map((r) => r.query)).toEqual([
			{ account_id: ACC, is_company: 'true', limit: '100' },
			expect.objectContaining({ account_id: ACC, is_company: 'true', limit: '100', cursor: expect.any(String) }),
		]);
		expect(all.items.length).toBeGreaterThan(100);
		expect(Object.keys(all.items[0].json)).toEqual(expect.arrayContaining(['id', 'social_id', 'text', 'date', 'author_name', 'share_url', 'reaction_counter', 'comment_counter']));
		expect(all.items[0].json.author_name).toBe(c.name);
		const full = await run({ resource: 'post', operation: 'getAll', identifier: state().members[2].provider_id, limit: 2, simplify: false });
		expect(nodeRequests(sandbox)[0].query).toEqual({ account_id: ACC, is_company: 'false', limit: '2' });
		expect(full.items[0].json.object).toBe('Post');
	});

	test('Get by social id; Comment (1,250 max, checked first), reply, Get Comments and replies', async () => {
		const post = samplePost(sandbox.store, ACC, { withComments: true });
		const got = await run({ resource: 'post', operation: 'get', postId: post.social_id });
		expect(sent()).toEqual([['GET', `/posts/${post.social_id}`, { account_id: ACC }, undefined]]);
		expect(nodeRequests(sandbox)[0].rawPath).toBe(`/api/v1/posts/${encodeURIComponent(post.social_id)}`);
		expect(got.items[0].json.id).toBe(post.id);
		const tooLong = await run({ resource: 'post', operation: 'comment', postId: post.social_id, text: 'z'.repeat(1251) });
		expect(tooLong.error?.message).toBe('"Text" is 1251 characters long; LinkedIn allows at most 1250');
		expect(nodeRequests(sandbox)).toHaveLength(0);
		await run({ resource: 'post', operation: 'comment', postId: post.social_id, text: 'Great post', commentId: '' });
		expect(sent()).toEqual([['POST', `/posts/${post.social_id}/comments`, {}, { account_id: ACC, text: 'Great post' }]]);
		const comments = await run({ resource: 'post', operation: 'getComments', postId: post.social_id, returnAll: true });
		expect(nodeRequests(sandbox)[0].query).toEqual({ account_id: ACC, limit: '100' });
		expect(comments.items[0].json.text).toBe('Great post');
		const parent = String(comments.items[1].json.id);
		await run({ resource: 'post', operation: 'comment', postId: post.social_id, text: 'A reply', commentId: parent });
		expect(nodeRequests(sandbox)[0].json).toEqual({ account_id: ACC, text: 'A reply', comment_id: parent });
		const replies = await run({ resource: 'post', operation: 'getComments', postId: post.social_id, commentId: parent, limit: 5 });
		expect(nodeRequests(sandbox)[0].query).toEqual({ account_id: ACC, comment_id: parent, limit: '5' });
		expect(replies.items.map((i) => i.json.text)).toEqual(['A reply']);
	});

	test('React (post and comment) and Get Reactions', async () => {
		const post = samplePost(sandbox.store, ACC, { withComments: true });
		await run({ resource: 'post', operation: 'react', postId: post.social_id, reactionType: 'celebrate' });
		expect(sent()).toEqual([['POST', '/posts/reaction', {}, { account_id: ACC, post_id: post.social_id, reaction_type: 'celebrate' }]]);
		const reactions = await run({ resource: 'post', operation: 'getReactions', postId: post.social_id, limit: 3 });
		expect(sent()).toEqual([['GET', `/posts/${post.social_id}/reactions`, { account_id: ACC, limit: '3' }, undefined]]);
		expect(reactions.items[0].json).toEqual(expect.objectContaining({ value: 'PRAISE' }));
		const comment = (await run({ resource: 'post', operation: 'getComments', postId: post.social_id, limit: 1 })).items[0].json;
		await run({ resource: 'post', operation: 'react', postId: post.social_id, commentId: comment.id as string });
		expect(nodeRequests(sandbox)[0].json).toEqual({ account_id: ACC, post_id: post.social_id, reaction_type: 'like', comment_id: comment.id });
		await run({ resource: 'post', operation: 'getReactions', postId: post.social_id, commentId: comment.id as string, returnAll: true });
		expect(nodeRequests(sandbox)[0].query).toEqual({ account_id: ACC, comment_id: comment.id, limit: '100' });
	});

	test('Create: multipart with the text and the input files, each with its name and type', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
		const items = [{ json: {}, binaryFiles: { photo: { data: png.toString('base64'), fileName: 'team.png', mimeType: 'image/png' }, deck: { data: Buffer.from('%PDF-1.4 x').toString('base64'), fileName: 'deck.pdf', mimeType: 'application/pdf' } } }];
		const created = await run({ resource: 'post', operation: 'create', text: 'We are hiring!', attachments: 'photo, deck' }, { items });
		expect(created.error).toBeUndefined();
		expect(nodeRequests(sandbox)[0]).toEqual(expect.objectContaining({ method: 'POST', path: '/posts', query: {} }));
		expect(nodeRequests(sandbox)[0].form).toEqual([
			{ name: 'text', value: 'We are hiring!' },
			{ name: 'account_id', value: ACC },
			expect.objectContaining({ name: 'attachments', fileName: 'team.png', mimeType: 'image/png', size: png.length }),
			expect.objectContaining({ name: 'attachments', fileName: 'deck.pdf', mimeType: 'application/pdf' }),
		]);
		expect(created.items[0].json).toEqual(expect.objectContaining({ object: 'PostCreated', post_id: expect.any(String) }));
		const missing = await run({ resource: 'post', operation: 'create', text: 'x', attachments: 'nothere' }, { items });
		expect(missing.error?.message).toContain('no binary field "nothere"');
		const long = await run({ resource: 'post', operation: 'create', text: 'x'.repeat(3001) });
		expect(long.error?.message).toContain('3001 characters');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});
});

describe('Company and Search', () => {
	test('Company → Get', async () => {
		const got = await run({ resource: 'company', operation: 'get', identifier: 'globex' });
		expect(sent()).toEqual([['GET', '/linkedin/company/globex', { account_id: ACC }, undefined]]);
		expect(got.items[0].json).toEqual(expect.objectContaining({ object: 'CompanyProfile', name: 'Globex' }));
	});

	test('Search by keywords and picked filters: one JSON body; Return All pages 50 at a time with the body kept', async () => {
		const all = await run({
			resource: 'search',
			operation: 'search',
			keywords: 'at',
			filters: { location: [{ id: { __rl: true, mode: 'list', value: LOCATIONS[1].id } }], industry: [{ id: { __rl: true, mode: 'id', value: '4' } }, { id: { __rl: true, mode: 'id', value: '96' } }] },
			moreFilters: { networkDistance: [1, 2], profileLanguage: 'en, FR', titleKeywords: 'engineer' },
			returnAll: true,
		});
		expect(all.error).toBeUndefined();
		const body = { api: 'classic', category: 'people', keywords: 'at', location: [LOCATIONS[1].id], industry: ['4', '96'], network_distance: [1, 2], profile_language: ['en', 'fr'], advanced_keywords: { title: 'engineer' } };
		expect(nodeRequests(sandbox)[0]).toEqual(expect.objectContaining({ method: 'POST', path: '/linkedin/search', query: { account_id: ACC, limit: '50' }, json: body }));
		expect(nodeRequests(sandbox).slice(1).every((r) => r.query.limit === '50' && typeof r.query.cursor === 'string')).toBe(true);
		expect(all.items.length).toBeGreaterThan(50);
		expect(nodeRequests(sandbox).length).toBe(Math.ceil(all.items.length / 50));
		expect(all.items.every((i) => i.json.location === LOCATIONS[1].title && ['DISTANCE_1', 'DISTANCE_2'].includes(i.json.network_distance as string))).toBe(true);
		expect(Object.keys(all.items[0].json)).toEqual(expect.arrayContaining(['provider_id', 'name', 'headline', 'company', 'location', 'public_profile_url']));
	});

	test('Search by URL; neither URL nor parameters, a bad URL, or a Limit over the page size → refused before sending', async () => {
		const byUrl = await run({ resource: 'search', operation: 'search', searchBy: 'url', url: 'https://www.linkedin.com/search/results/people/?keywords=founder', limit: 5, simplify: false });
		expect(sent()).toEqual([['POST', '/linkedin/search', { account_id: ACC, limit: '5' }, { url: 'https://www.linkedin.com/search/results/people/?keywords=founder' }]]);
		expect(byUrl.items.every((i) => i.json.type === 'PEOPLE' && /founder/i.test(String(i.json.headline)))).toBe(true);
		const nothing = await run({ resource: 'search', operation: 'search' });
		expect(nothing.error?.message).toBe('Nothing to search for: no Keywords, no filter and no URL');
		const emptyUrl = await run({ resource: 'search', operation: 'search', searchBy: 'url', url: '' });
		expect(emptyUrl.error?.message).toMatch(/URL/);
		const badUrl = await run({ resource: 'search', operation: 'search', searchBy: 'url', url: 'https://example.com/?q=x' });
		expect(badUrl.error?.message).toContain('is not a LinkedIn search URL');
		const tooMany = await run({ resource: 'search', operation: 'search', keywords: 'x', limit: 80 });
		expect(tooMany.error?.message).toBe('"Limit" is 80; this search returns at most 50 results per request');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('Sales Navigator search: Return All pages 100 at a time; Get Parameters Return All asks for 100', async () => {
		state().subscriptions.sales_navigator = true;
		const sn = await run({ resource: 'search', operation: 'search', api: 'sales_navigator', filters: { location: [{ id: { __rl: true, mode: 'id', value: LOCATIONS[0].id } }] }, returnAll: true });
		expect(sn.error).toBeUndefined();
		expect(nodeRequests(sandbox)[0].json).toEqual({ api: 'sales_navigator', category: 'people', location: [LOCATIONS[0].id] });
		expect(nodeRequests(sandbox).every((r) => r.query.limit === '100')).toBe(true);
		expect(nodeRequests(sandbox).length).toBeGreaterThan(1);
		expect(sn.items.length).toBeGreaterThan(100);
		await run({ resource: 'search', operation: 'getParameters', type: 'INDUSTRY', returnAll: true });
		expect(nodeRequests(sandbox)[0].query).toEqual({ account_id: ACC, type: 'INDUSTRY', service: 'CLASSIC', limit: '100' });
	});

	test('an account that is not LinkedIn: refused before sending (one account lookup), the error names the account and its type', async () => {
		const result = await run({ resource: 'user', operation: 'getRelations', accountId: { __rl: true, mode: 'list', value: 'acc_whatsapp_1' }, limit: 5 });
		expect(result.error?.message).toContain('acc_whatsapp_1 is a WHATSAPP account');
		expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /accounts/acc_whatsapp_1']);
	});

	test('Search companies, and Get Parameters', async () => {
		const companies = await run({ resource: 'search', operation: 'search', category: 'companies', keywords: 'globex', limit: 10 });
		expect(companies.items.map((i) => i.json)).toEqual([expect.objectContaining({ type: 'COMPANY', id: '2048', name: 'Globex' })]);
		const params = await run({ resource: 'search', operation: 'getParameters', type: 'LOCATION', keywords: 'paris', limit: 10 });
		expect(sent()).toEqual([['GET', '/linkedin/search/parameters', { account_id: ACC, type: 'LOCATION', keywords: 'paris', service: 'CLASSIC', limit: '10' }, undefined]]);
		expect(params.items.map((i) => i.json)).toEqual([expect.objectContaining({ id: LOCATIONS[1].id, title: LOCATIONS[1].title })]);
	});
});

describe('the outreach loop', () => {
	test('invite, the person accepts, Get Relations shows them first: ready to start a chat', async () => {
		const [a] = invitableMembers(sandbox.store, ACC);
		await run({ resource: 'invitation', operation: 'send', providerId: a.provider_id, message: 'Hi!' });
		acceptSentInvitation(sandbox.store, ACC, a.provider_id);
		const rel = await run({ resource: 'user', operation: 'getRelations', limit: 1 });
		expect(rel.items[0].json.provider_id).toBe(a.provider_id);
	});
});

describe('the node as n8n loads it', () => {
	test('the credentials of the Unipile node and its icons, usable as a tool, its codex filed under Communication and Sales', async () => {
		const loader = await loadPackage();
		const linkedin = loader.types.nodes.find((node) => node.name === 'unipileLinkedIn')!;
		const unipile = loader.types.nodes.find((node) => node.name === 'unipile')!;
		// Both nodes take either credential, chosen by Authentication.
		expect(linkedin).toEqual(expect.objectContaining({ displayName: 'Unipile LinkedIn', usableAsTool: true }));
		expect(linkedin.credentials).toEqual(unipile.credentials);
		expect(unipile.credentials!.map((c) => c.name)).toEqual(['unipileApi', 'unipileV2Api']);
		expect(linkedin.icon).toEqual(unipile.icon);
		expect(linkedin.codex).toEqual(expect.objectContaining({ categories: ['Communication', 'Sales'], alias: expect.arrayContaining(['LinkedIn', 'Sales Navigator']), resources: unipile.codex!.resources }));
		const resources = linkedin.properties.find((p) => p.name === 'resource')!.options!.map((o) => (o as { value: string }).value);
		expect(resources).toEqual(['company', 'invitation', 'post', 'search', 'user']);
		const operations = Object.fromEntries(resources.map((r) => [r, linkedin.properties.filter((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r)).flatMap((p) => p.options!.map((o) => (o as { value: string }).value)).sort()]));
		expect(operations).toEqual({
			company: ['get'],
			invitation: ['cancel', 'getAllReceived', 'getAllSent', 'handle', 'send'],
			post: ['comment', 'create', 'get', 'getAll', 'getComments', 'getReactions', 'react'],
			search: ['getParameters', 'search'],
			user: ['getFollowers', 'getFollowing', 'getInmailBalance', 'getOwnProfile', 'getProfile', 'getRelations'],
		});
	});
});

describe('search filter pickers (as the editor calls them: LoadOptionsContext, real HTTP)', () => {
	type Search = (this: ILoadOptionsFunctions, filter?: string) => Promise<INodeListSearchResult>;
	async function pick(method: string, parameters: INodeParameters, filter?: string) {
		await loadPackage();
		const node: INode = { id: 'n1', name: 'Node', type: 'CUSTOM.unipileLinkedIn', typeVersion: 1, position: [0, 0], parameters, credentials: { unipileApi: { id: 'cred-1', name: 'Unipile account' } } };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
		const context = new LoadOptionsContext(workflow, node, additionalDataFor({ dsn: sandbox.dsn, apiKey: sandbox.apiKey }), 'parameters.filters');
		const search = (nodeTypes().getByNameAndVersion('CUSTOM.unipileLinkedIn', 1) as INodeType).methods!.listSearch![method] as Search;
		sandbox.clearRequests();
		return await search.call(context, filter);
	}
	const base = { authentication: 'unipileApi', resource: 'search', operation: 'search', accountId: { __rl: true, mode: 'list', value: ACC } };

	test('a location typed → LinkedIn suggestions with their IDs, for the product the search runs on', async () => {
		expect(await pick('searchLocations', base, 'paris')).toEqual({ results: [{ name: LOCATIONS[1].title, value: LOCATIONS[1].id }] });
		expect(nodeRequests(sandbox).map((r) => [r.path, r.query])).toEqual([['/linkedin/search/parameters', { account_id: ACC, type: 'LOCATION', limit: '100', service: 'CLASSIC', keywords: 'paris' }]]);
		state().subscriptions.sales_navigator = true;
		await pick('searchCompanies', { ...base, api: 'sales_navigator' }, 'glob');
		expect(nodeRequests(sandbox)[0].query).toEqual(expect.objectContaining({ type: 'COMPANY', service: 'SALES_NAVIGATOR', keywords: 'glob' }));
		expect((await pick('searchIndustries', base)).results.length).toBeGreaterThan(1);
	});

	test('no account picked yet → says so, sends nothing', async () => {
		await expect(pick('searchSchools', { resource: 'search', operation: 'search' })).rejects.toThrow('Pick the LinkedIn account first');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});
});
