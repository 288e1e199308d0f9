/**
 * Unipile LinkedIn on Unipile API v2 (Authentication → Unipile API V2, the V2 API credential): every operation runs
 * through n8n's engine against the sandbox's v2 LinkedIn routes, asserting the request Unipile receives (method, path,
 * query, JSON body field by field) and the items n8n outputs; the filter pickers suggest v2 values; our limits and
 * the invitation/quota advice hold with v2's error types. The same parameters with a v1 credential still run on v1
 * (linkedin.operations.test.ts).
 */
import { createHash } from 'node:crypto';
import { nodeRequests } from './helpers/accountLookups';
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type INode, type INodeListSearchResult, type INodeType, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { additionalDataFor, loadPackage, nodeTypes, runNode, type RunOptions } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { V2_COMPANIES, V2_LOCATIONS, type V2LinkedinState } from './sandbox/v2/linkedin';
import { User } from './sandbox/v2/schemas';

type Any = any;

let sandbox: Sandbox;
let credentials: { apiKey: string; baseUrl: string };
let ACC: string;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 2, messagesPerChat: 1, v2: { chatsPerAccount: 3, messagesPerChat: 2 } } as Any);
	credentials = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	await loadPackage();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.clearRequests();
	ACC = sandbox.v2.accounts.find((a: Any) => a.provider === 'linkedin' && a.status === 'running')!.id;
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
async function run(parameters: Record<string, unknown>, extra: Partial<RunOptions> = {}) {
	sandbox.clearRequests();
	return await runNode({ credentials, nodeType: 'CUSTOM.unipileLinkedIn', parameters: { authentication: 'unipileApiV2', accountId: byId(ACC), ...parameters } as Any, ...extra });
}
const sent = () => nodeRequests(sandbox).map((r) => [r.method, r.path, r.query, r.json]);
const base = () => `/v2/${ACC}`;

async function control(path: string, body: object): Promise<Any> {
	const res = await fetch(`${sandbox.url}/_sandbox/v2/linkedin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return await res.json();
}
const state = async (): Promise<V2LinkedinState> => await control('state', { accountId: ACC });

describe('User on v2', () => {
	test('Get Profile: variant and with_sections from LinkedIn API and Sections; simplified into the v1 fields, full when off; Notify is v1-only', async () => {
		const m = (await state()).members[3];
		const simple = await run({ resource: 'user', operation: 'getProfile', identifier: m.user.public_identifier, options: { linkedinApi: 'sales_navigator', linkedinSections: ['experience', 'skills'], notify: true } });
		expect(simple.error).toBeUndefined();
		expect(sent()).toEqual([['GET', `${base()}/users/${m.user.public_identifier}`, { variant: 'linkedin_sales_navigator', with_sections: ['linkedin_experience', 'linkedin_skills'] }, undefined]]);
		expect(simple.items.map((i) => i.json)).toEqual([
			{
				provider_id: m.user.id,
				public_identifier: m.user.public_identifier,
				name: m.user.display_name,
				first_name: m.user.first_name,
				last_name: m.user.last_name,
				headline: m.headline,
				company: V2_COMPANIES.find((c) => c.id === m.company_id)!.name,
				position: m.headline.split(' at ')[0],
				network_distance: 'FIRST_DEGREE',
				is_relationship: true,
				public_profile_url: m.user.profile_url,
			},
		]);
		const full = await run({ resource: 'user', operation: 'getProfile', identifier: m.user.id, simplify: false, options: { linkedinSections: ['*'] } });
		expect(sent()).toEqual([['GET', `${base()}/users/${m.user.id}`, { with_sections: 'linkedin_*' }, undefined]]);
		expect(full.items[0].json).toEqual(expect.objectContaining({ object: 'UserProfile', id: m.user.id, specifics: expect.objectContaining({ member_id: m.user.id, experience: expect.any(Array) }) }));
		// v2 has no About section (every profile carries its `description`): About alone asks for no section.
		await run({ resource: 'user', operation: 'getProfile', identifier: m.user.id, options: { linkedinSections: ['about', 'education'] } });
		expect(sent()).toEqual([['GET', `${base()}/users/${m.user.id}`, { with_sections: 'linkedin_education' }, undefined]]);
		const about = await run({ resource: 'user', operation: 'getProfile', identifier: m.user.id, options: { linkedinSections: ['about'] } });
		expect(about.error).toBeUndefined();
		expect(sent()).toEqual([['GET', `${base()}/users/${m.user.id}`, {}, undefined]]);
	});

	test('Get Own Profile (users/me) and Get InMail Balance (inmail-credits)', async () => {
		const own = await run({ resource: 'user', operation: 'getOwnProfile' });
		expect(sent()).toEqual([['GET', `${base()}/users/me`, {}, undefined]]);
		expect(own.items[0].json).toEqual(expect.objectContaining({ object: 'UserProfile', specifics: expect.objectContaining({ network_distance: 'SELF' }) }));
		const credits = await run({ resource: 'user', operation: 'getInmailBalance' });
		expect(sent()).toEqual([['GET', `${base()}/linkedin/inmail-credits`, {}, undefined]]);
		expect(credits.items.map((i) => i.json)).toEqual([{ object: 'InmailCredits', credits: { classic: 15 } }]);
	});

	test('Get Relations: Return All follows the cursor (filters kept), Filter is v2 search, simplified as on v1', async () => {
		const st = await state();
		const all = await run({ resource: 'user', operation: 'getRelations', returnAll: true });
		expect(all.error).toBeUndefined();
		expect(all.items.map((i) => i.json.provider_id)).toEqual(st.relations.map((r) => r.user.id));
		const requests = nodeRequests(sandbox);
		// 40 relations, one page: Return All's v1 page size (1,000) is v2's maximum (250).
		expect(requests.map((q) => q.query)).toEqual([{ limit: '250' }]);
		const r = st.relations[0];
		expect(all.items[0].json).toEqual({
			provider_id: r.user.id,
			public_identifier: r.user.public_identifier,
			name: r.user.display_name,
			first_name: r.user.first_name,
			last_name: r.user.last_name,
			headline: r.user.description,
			public_profile_url: r.user.profile_url,
			connected_at: r.created_at,
		});
		// A Limit over one provider page is filled from the next pages, by cursor.
		const limited = await run({ resource: 'user', operation: 'getRelations', limit: 3, filter: r.user.first_name, simplify: false });
		expect(limited.items.length).toBeGreaterThan(0);
		expect(limited.items.every((i) => (i.json.user as Any).display_name.includes(r.user.first_name!))).toBe(true);
		expect(sent()[0]).toEqual(['GET', `${base()}/users/me/relations`, { limit: '3', search: r.user.first_name }, undefined]);
		expect(limited.items[0].json).toEqual(expect.objectContaining({ object: 'UserRelation', user: expect.objectContaining({ object: 'User' }) }));
	});

	test("Get Followers and Get Following: the account's own (me) or another member's", async () => {
		const st = await state();
		const followers = await run({ resource: 'user', operation: 'getFollowers', limit: 25 });
		expect(followers.items.map((i) => i.json.id)).toEqual(st.followers.slice(0, 25).map((u) => u.id));
		expect(sent()).toEqual([['GET', `${base()}/users/me/followers`, { limit: '25' }, undefined]]);
		const other = st.members[5].user.id;
		const following = await run({ resource: 'user', operation: 'getFollowing', userId: ` ${other} `, returnAll: true });
		expect(following.error).toBeUndefined();
		expect(following.items.length).toBeGreaterThan(0);
		expect(sent()[0]).toEqual(['GET', `${base()}/users/${other}/following`, { limit: '100' }, undefined]);
	});
});

describe('Company on v2', () => {
	test('Get: the company profile by public identifier or ID', async () => {
		const { items, error } = await run({ resource: 'company', operation: 'get', identifier: 'unipile' });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([['GET', `${base()}/linkedin/company/unipile`, {}, undefined]]);
		expect(items[0].json).toEqual(expect.objectContaining({ object: 'CompanyProfile', id: '4882', name: 'Unipile' }));
	});
});

describe('Invitation on v2 (relation requests)', () => {
	test('Send: user_id and message (201 RelationRequest); User Email is v1-only; a note over 300 characters is refused before sending', async () => {
		const st = await state();
		const target = st.members[46].user;
		const { items, error } = await run({ resource: 'invitation', operation: 'send', providerId: ` ${target.id} `, message: 'Hello, glad to connect', userEmail: 'x@example.com' });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/users/me/relation-requests`, {}, { user_id: target.id, message: 'Hello, glad to connect' }]]);
		expect(nodeRequests(sandbox)[0].status).toBe(201);
		expect(items[0].json).toEqual(expect.objectContaining({ object: 'RelationRequest', type: 'sent', user: expect.objectContaining({ id: target.id }), message: 'Hello, glad to connect' }));
		const noNote = await run({ resource: 'invitation', operation: 'send', providerId: st.members[47].user.id });
		expect(noNote.error).toBeUndefined();
		expect(nodeRequests(sandbox)[0].json).toEqual({ user_id: st.members[47].user.id });
		const long = await run({ resource: 'invitation', operation: 'send', providerId: st.members[48].user.id, message: 'x'.repeat(301) });
		expect(long.error?.message).toBe('"Message" is 301 characters long; LinkedIn allows at most 300');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test("Send: v2's refusals keep the advice of v1's (already pending, a relation, the quota), sent once", async () => {
		const st = await state();
		const pending = await run({ resource: 'invitation', operation: 'send', providerId: st.requests.find((r) => r.type === 'sent')!.user.id });
		expect(pending.error?.description).toMatch(/already pending.*Invitation → Cancel/s);
		expect(pending.error?.message).toMatch(/\[provider\/already_invited_recently\]$/);
		expect(nodeRequests(sandbox)).toHaveLength(1);
		const relation = await run({ resource: 'invitation', operation: 'send', providerId: st.relations[0].user.id });
		expect(relation.error?.description).toMatch(/does not let this account invite this person/);
		expect(relation.error?.description).not.toMatch(/User Email/);
		await control('quota', { accountId: ACC, dailyInvitations: 0 });
		const quota = await run({ resource: 'invitation', operation: 'send', providerId: st.members[50].user.id });
		expect(quota.error?.description).toMatch(/limit for this action is reached.*invitations/s);
		expect(nodeRequests(sandbox)).toHaveLength(1);
	});

	test('Send with Continue On Fail: each person gets their own outcome; a request cut off after Unipile handled it is never sent twice', async () => {
		const st = await state();
		const people = [st.members[46].user.id, st.relations[0].user.id, st.members[47].user.id];
		const { items, error } = await run({ resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}' }, { items: people.map((id) => ({ id })), continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items.map((i) => (i.json.object as string) ?? (i.json.error ? 'error' : '?'))).toEqual(['RelationRequest', 'error', 'RelationRequest']);
		expect(nodeRequests(sandbox).map((r) => (r.json as Any).user_id)).toEqual(people);
		// The connection drops after the request was made: the node reports it and does not send it again.
		sandbox.injectFault({ method: 'POST', path: `${base()}/users/me/relation-requests`, dropAfterHandling: true });
		const dropped = await run({ resource: 'invitation', operation: 'send', providerId: st.members[48].user.id });
		expect(dropped.error).toBeDefined();
		expect(nodeRequests(sandbox)).toHaveLength(1);
		expect((await state()).requests.filter((r) => r.user.id === st.members[48].user.id)).toHaveLength(1);
	});

	test('Get Many Sent / Received: one route with type; Cancel is a POST …/cancel; Handle accepts or declines without a shared secret', async () => {
		const st = await state();
		const sentList = await run({ resource: 'invitation', operation: 'getAllSent', returnAll: true });
		expect(sent()).toEqual([['GET', `${base()}/users/me/relation-requests`, { type: 'sent', limit: '100' }, undefined]]);
		expect(sentList.items.map((i) => i.json.id)).toEqual(st.requests.filter((r) => r.type === 'sent').map((r) => r.id));
		const received = await run({ resource: 'invitation', operation: 'getAllReceived', limit: 2 });
		expect(sent()).toEqual([['GET', `${base()}/users/me/relation-requests`, { type: 'received', limit: '2' }, undefined]]);
		expect(received.items.map((i) => i.json.type)).toEqual(['received', 'received']);

		const cancel = await run({ resource: 'invitation', operation: 'cancel', invitationId: sentList.items[0].json.id });
		expect(cancel.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/users/me/relation-requests/${sentList.items[0].json.id}/cancel`, {}, undefined]]);
		expect(cancel.items[0].json).toEqual({ object: 'RelationRequestCanceled' });

		// Handle right after Get Many Received: the v1 default expression for the shared secret is not sent on v2.
		const [first, second] = received.items;
		const accept = await run({ resource: 'invitation', operation: 'handle', invitationId: first.json.id, action: 'accept' }, { items: [first.json] });
		expect(accept.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/users/me/relation-requests/${first.json.id}/accept`, {}, undefined]]);
		expect(accept.items[0].json).toEqual({ object: 'RelationRequestConfirmed' });
		const decline = await run({ resource: 'invitation', operation: 'handle', invitationId: second.json.id, action: 'decline' });
		expect(sent()).toEqual([['POST', `${base()}/users/me/relation-requests/${second.json.id}/cancel`, {}, undefined]]);
		expect(decline.items[0].json).toEqual({ object: 'RelationRequestCanceled' });
		const after = await state();
		expect(after.relations[0].user.id).toBe((first.json.user as Any).id);
		expect(after.requests.some((r) => r.id === second.json.id)).toBe(false);
	});
});

describe('Post on v2', () => {
	test('Get and Get Many (the member\'s posts, by cursor; Is Company is v1-only), simplified into the v1 fields', async () => {
		const st = await state();
		const author = st.members[0].user;
		const theirs = st.posts.filter((p) => p.post.author.id === author.id);
		const list = await run({ resource: 'post', operation: 'getAll', identifier: author.public_identifier, isCompany: true, returnAll: true });
		expect(list.error).toBeUndefined();
		expect(sent()).toEqual([['GET', `${base()}/users/${author.public_identifier}/posts`, { limit: '100' }, undefined]]);
		expect(list.items.map((i) => i.json.id)).toEqual(theirs.map((p) => p.post.id));
		const p = theirs[0].post as Any;
		expect(list.items[0].json).toEqual({
			id: p.id,
			social_id: p.id,
			text: p.text,
			date: p.created_at,
			author_name: author.display_name,
			author_public_identifier: author.public_identifier,
			author_is_company: false,
			share_url: p.share_url,
			reaction_counter: p.reactions_counter.reduce((s: number, r: Any) => s + r.count, 0),
			comment_counter: p.comments_counter,
			repost_counter: p.reposts_counter,
			is_repost: false,
			attachments: 0,
		});
		const got = await run({ resource: 'post', operation: 'get', postId: p.id });
		expect(sent()).toEqual([['GET', `${base()}/posts/${p.id}`, {}, undefined]]);
		expect(got.items[0].json).toEqual(expect.objectContaining({ object: 'Post', id: p.id }));
	});

	test('Create: text and files as base64 in the JSON body (201 Post), the bytes identical; a text over 3,000 characters is refused', async () => {
		const png = Buffer.from('89504e470d0a1a0a-sandbox-image');
		const pdf = Buffer.from('%PDF-1.4 slides');
		const { items, error } = await run({ resource: 'post', operation: 'create', text: 'Our news', attachments: 'photo, deck' }, {
			items: [{ json: {}, binaryFiles: { photo: { data: png.toString('base64'), fileName: 'photo.png', mimeType: 'image/png' }, deck: { data: pdf.toString('base64'), fileName: 'deck.pdf', mimeType: 'application/pdf' } } }],
		});
		expect(error).toBeUndefined();
		const [req] = nodeRequests(sandbox);
		expect([req.method, req.path, req.status, req.headers['content-type']]).toEqual(['POST', `${base()}/posts`, 201, expect.stringMatching(/^application\/json/)]);
		expect(req.json).toEqual({
			text: 'Our news',
			attachments: [
				{ content: png.toString('base64'), content_type: 'image/png', filename: 'photo.png' },
				{ content: pdf.toString('base64'), content_type: 'application/pdf', filename: 'deck.pdf' },
			],
		});
		expect(req.attachments!.map((a: Any) => a.sha256)).toEqual([png, pdf].map((b) => createHash('sha256').update(b).digest('hex')));
		expect(items[0].json).toEqual(expect.objectContaining({ object: 'Post', text: 'Our news', attachments: expect.any(Array) }));
		const plain = await run({ resource: 'post', operation: 'create', text: 'Just text' });
		expect(nodeRequests(sandbox)[0].json).toEqual({ text: 'Just text' });
		expect(plain.error).toBeUndefined();
		const long = await run({ resource: 'post', operation: 'create', text: 'y'.repeat(3001) });
		expect(long.error?.message).toBe('"Text" is 3001 characters long; LinkedIn allows at most 3000');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('Comment (201), reply to a comment (its own route), Get Comments and the replies; a comment over 1,250 characters is refused', async () => {
		const st = await state();
		const p = st.posts[0];
		const comment = await run({ resource: 'post', operation: 'comment', postId: p.post.id, text: 'Great post' });
		expect(comment.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/posts/${p.post.id}/comments`, {}, { text: 'Great post' }]]);
		expect(nodeRequests(sandbox)[0].status).toBe(201);
		expect(comment.items[0].json).toEqual(expect.objectContaining({ object: 'Comment', text: 'Great post', is_sender: true }));
		const parent = p.comments[0].id;
		const reply = await run({ resource: 'post', operation: 'comment', postId: p.post.id, commentId: parent, text: 'Agreed' });
		expect(reply.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/posts/${p.post.id}/comments/${parent}`, {}, { text: 'Agreed' }]]);

		const comments = await run({ resource: 'post', operation: 'getComments', postId: p.post.id, returnAll: true });
		expect(sent()).toEqual([['GET', `${base()}/posts/${p.post.id}/comments`, { limit: '100' }, undefined]]);
		expect(comments.items.map((i) => i.json.text)).toContain('Great post');
		expect(comments.items.map((i) => i.json.text)).not.toContain('Agreed');
		expect(comments.items.find((i) => i.json.id === parent)!.json.reply_counter).toBe(1);
		const replies = await run({ resource: 'post', operation: 'getComments', postId: p.post.id, commentId: parent, limit: 5 });
		expect(sent()).toEqual([['GET', `${base()}/posts/${p.post.id}/comments/${parent}/replies`, { limit: '5' }, undefined]]);
		expect(replies.items.map((i) => i.json.text)).toEqual(['Agreed']);

		const long = await run({ resource: 'post', operation: 'comment', postId: p.post.id, text: 'z'.repeat(1251) });
		expect(long.error?.message).toBe('"Text" is 1251 characters long; LinkedIn allows at most 1250');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('React with linkedin_* values to a post or one of its comments; Get Reactions of either', async () => {
		const st = await state();
		const p = st.posts[4];
		const react = await run({ resource: 'post', operation: 'react', postId: p.post.id, reactionType: 'celebrate' });
		expect(react.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/posts/${p.post.id}/reactions`, {}, { reaction: 'linkedin_celebrate' }]]);
		expect(react.items[0].json).toEqual({ object: 'PostReactionAdded' });
		const again = await run({ resource: 'post', operation: 'react', postId: p.post.id, reactionType: 'like' });
		expect(again.error?.description).toMatch(/already done/);
		const commentId = p.comments[1].id;
		const onComment = await run({ resource: 'post', operation: 'react', postId: p.post.id, commentId, reactionType: 'insightful' });
		expect(onComment.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/posts/${p.post.id}/comments/${commentId}/reactions`, {}, { reaction: 'linkedin_insightful' }]]);

		const reactions = await run({ resource: 'post', operation: 'getReactions', postId: p.post.id, returnAll: true });
		expect(sent()).toEqual([['GET', `${base()}/posts/${p.post.id}/reactions`, { limit: '100' }, undefined]]);
		expect(reactions.items).toHaveLength(p.reactions.length + 1);
		expect(reactions.items[0].json).toEqual({ object: 'Reaction', value: 'linkedin_celebrate', is_sender: true, sender: expect.objectContaining({ id: st.owner.id }) });
		const ofComment = await run({ resource: 'post', operation: 'getReactions', postId: p.post.id, commentId, limit: 10 });
		expect(sent()).toEqual([['GET', `${base()}/posts/${p.post.id}/comments/${commentId}/reactions`, { limit: '10' }, undefined]]);
		expect(ofComment.items.map((i) => i.json.value)).toEqual(['linkedin_insightful']);
	});
});

describe('Search on v2', () => {
	test('Classic people: its own route, filters renamed (company → current_company, Pro Bono → open_to_volunteering), paging by cursor alone (10 a page, no limit in the query)', async () => {
		const { items, error } = await run({
			resource: 'search',
			operation: 'search',
			api: 'classic',
			category: 'people',
			keywords: 'at',
			filters: { location: [{ id: { __rl: true, mode: 'list', value: V2_LOCATIONS[0].id } }], company: [{ id: byId(V2_COMPANIES[0].id) }] },
			moreFilters: { networkDistance: [1, 2], openTo: ['proBono'], titleKeywords: 'Head' },
			returnAll: true,
		});
		expect(error).toBeUndefined();
		const [first] = nodeRequests(sandbox);
		expect([first.method, first.path, first.query]).toEqual(['POST', `${base()}/linkedin/search/people`, {}]);
		expect(first.json).toEqual({
			keywords: 'at',
			location: [V2_LOCATIONS[0].id],
			current_company: [V2_COMPANIES[0].id],
			network_distance: [1, 2],
			open_to_volunteering: true,
			advanced_keywords: { title: 'Head' },
		});
		expect(items.length).toBeGreaterThan(0);
		expect(items[0].json).toEqual(expect.objectContaining({ type: 'PEOPLE', provider_id: expect.stringMatching(/^ACoAA/), name: expect.any(String), network_distance: expect.stringMatching(/DEGREE$/) }));

		// LinkedIn gives 10 a page: the next pages by next_cursor, the body sent again.
		const all = await run({ resource: 'search', operation: 'search', api: 'classic', category: 'people', keywords: 'a', returnAll: true, simplify: false });
		const pages = nodeRequests(sandbox).map((r) => [r.query, r.json]);
		expect(pages[0]).toEqual([{}, { keywords: 'a' }]);
		expect(pages[1]).toEqual([{ cursor: expect.any(String) }, { keywords: 'a' }]);
		expect(pages.length).toBeGreaterThan(2);
		expect(all.items.length).toBeGreaterThan(20);
		expect(all.items[0].json.object).toBe('PeopleSearchResult');

		// A Limit above a page counts items: pages follow until it is reached, no `limit` sent.
		const fifteen = await run({ resource: 'search', operation: 'search', api: 'classic', category: 'people', keywords: 'a', limit: 15, simplify: false });
		expect(fifteen.items).toHaveLength(15);
		expect(nodeRequests(sandbox).map((r) => r.query)).toEqual([{}, { cursor: expect.any(String) }]);

		// "Connections Of" is one member on v2 (a string); two are refused before sending.
		const member = (await run({ resource: 'search', operation: 'search', api: 'classic', category: 'people', keywords: 'a', limit: 1, simplify: false })).items[0].json.id as string;
		const of = await run({ resource: 'search', operation: 'search', api: 'classic', category: 'people', filters: { connectionsOf: [{ id: byId(member) }] }, limit: 5 });
		expect(of.error).toBeUndefined();
		expect(nodeRequests(sandbox)[0].json).toEqual({ connections_of: member });
		const two = await run({ resource: 'search', operation: 'search', api: 'classic', category: 'people', filters: { connectionsOf: [{ id: byId(member) }, { id: byId('x') }] }, limit: 5 });
		expect(two.error?.message).toBe('"Connections Of" takes one member on Unipile API v2');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test("Classic companies, posts and jobs: each route's own filters and paging (companies by cursor, posts' limit at most 49, jobs by offset up to 50); a filter the route lacks is refused before sending", async () => {
		const companies = await run({ resource: 'search', operation: 'search', api: 'classic', category: 'companies', keywords: 'uni', filters: { industry: [{ id: byId('4') }] }, limit: 5 });
		expect(companies.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/linkedin/search/companies`, {}, { keywords: 'uni', industry: ['4'] }]]);
		const lacking = await run({ resource: 'search', operation: 'search', api: 'classic', category: 'companies', keywords: 'uni', filters: { school: [{ id: byId('1') }] }, limit: 5 });
		expect(lacking.error?.message).toBe('"School" is not a filter of Classic companies search on Unipile API v2');
		expect(lacking.error?.description).toMatch(/takes keywords, location, industry/);
		expect(nodeRequests(sandbox)).toHaveLength(0);

		const posts = await run({ resource: 'search', operation: 'search', api: 'classic', category: 'posts', keywords: 'a', returnAll: true, simplify: false });
		expect(posts.error).toBeUndefined();
		expect(nodeRequests(sandbox)[0].query).toEqual({ limit: '49' });

		const jobs = await run({ resource: 'search', operation: 'search', api: 'classic', category: 'jobs', keywords: 'engineer', filters: { company: [{ id: byId(V2_COMPANIES[0].id) }] }, limit: 5 });
		expect(jobs.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/linkedin/search/jobs`, { limit: '5' }, { keywords: 'engineer', company: [V2_COMPANIES[0].id] }]]);
	});

	test('Sales Navigator people: ID filters as {include}, Connections Of a list, first and last name keywords as lists, paging by offset; filters it lacks are refused', async () => {
		const sn = await run({
			resource: 'search',
			operation: 'search',
			api: 'sales_navigator',
			category: 'people',
			keywords: 'a',
			filters: { location: [{ id: byId(V2_LOCATIONS[0].id) }], company: [{ id: byId(V2_COMPANIES[0].id) }], connectionsOf: [{ id: byId('ACoAAB1relation') }] },
			moreFilters: { networkDistance: [2], firstNameKeywords: 'Ava' },
			limit: 5,
			simplify: false,
		});
		expect(sn.error).toBeUndefined();
		expect(sent()).toEqual([
			[
				'POST',
				`${base()}/linkedin/sales-navigator/search/people`,
				{ limit: '5' },
				{ keywords: 'a', location: { include: [V2_LOCATIONS[0].id] }, current_company: { include: [V2_COMPANIES[0].id] }, connections_of: ['ACoAAB1relation'], network_distance: [2], first_name: ['Ava'] },
			],
		]);
		const all = await run({ resource: 'search', operation: 'search', api: 'sales_navigator', category: 'people', keywords: 'a', returnAll: true, simplify: false });
		expect(all.error).toBeUndefined();
		expect(nodeRequests(sandbox).map((r) => r.query).slice(0, 2)).toEqual([{ limit: '100' }, ...(nodeRequests(sandbox).length > 1 ? [{ limit: '100', offset: '100' }] : [])]);
		expect(all.items[0].json).toEqual(expect.objectContaining({ object: 'PeopleSearchResult', product: 'sales_navigator' }));
		const lacking = await run({ resource: 'search', operation: 'search', api: 'sales_navigator', category: 'people', keywords: 'a', moreFilters: { titleKeywords: 'CTO' }, filters: { service: [{ id: byId('50') }] }, limit: 5 });
		expect(lacking.error?.message).toBe('"Service", "Title Keywords" are not filters of Sales Navigator people search on Unipile API v2');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test("Recruiter people: ID filters as {id} objects, industries as {include}; filters Recruiter lacks are refused", async () => {
		const recruiter = await run({
			resource: 'search',
			operation: 'search',
			api: 'recruiter',
			category: 'people',
			keywords: 'a',
			filters: { location: [{ id: byId(V2_LOCATIONS[0].id) }], company: [{ id: byId(V2_COMPANIES[0].id) }], industry: [{ id: byId('4') }] },
			limit: 5,
			simplify: false,
		});
		expect(recruiter.error).toBeUndefined();
		expect(sent()).toEqual([
			['POST', `${base()}/linkedin/recruiter/search/people`, { limit: '5' }, { keywords: 'a', location: [{ id: V2_LOCATIONS[0].id }], current_company: [{ id: V2_COMPANIES[0].id }], industry: { include: ['4'] } }],
		]);
		const lacking = await run({ resource: 'search', operation: 'search', api: 'recruiter', category: 'people', keywords: 'a', moreFilters: { openTo: ['proBono'] }, limit: 5 });
		expect(lacking.error?.message).toBe('"Open To" is not a filter of Recruiter people search on Unipile API v2');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('Sales Navigator companies, Recruiter people (by cursor), a search URL per product; a category the product lacks and Board Member are refused before sending', async () => {
		const sn = await run({ resource: 'search', operation: 'search', api: 'sales_navigator', category: 'companies', keywords: 'uni', limit: 5 });
		expect(sn.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/linkedin/sales-navigator/search/companies`, { limit: '5' }, { keywords: 'uni' }]]);
		expect(sn.items.map((i) => i.json.name)).toEqual(['Unipile']);

		const recruiter = await run({ resource: 'search', operation: 'search', api: 'recruiter', category: 'people', keywords: 'a', returnAll: true, simplify: false });
		expect(recruiter.error).toBeUndefined();
		expect(nodeRequests(sandbox).every((r) => r.path === `${base()}/linkedin/recruiter/search/people`)).toBe(true);
		expect(nodeRequests(sandbox)[0].query).toEqual({ limit: '100' });

		for (const [url, path] of [
			['https://www.linkedin.com/search/results/people/?keywords=founder', '/linkedin/search'],
			['https://www.linkedin.com/sales/search/people?keywords=founder', '/linkedin/sales-navigator/search'],
			['https://www.linkedin.com/talent/search/?keywords=founder', '/linkedin/recruiter/search'],
		]) {
			const byUrl = await run({ resource: 'search', operation: 'search', searchBy: 'url', url, limit: 10 });
			expect(byUrl.error).toBeUndefined();
			expect(sent()).toEqual([['POST', `${base()}${path}`, { limit: '10' }, { url }]]);
		}

		const lacking = await run({ resource: 'search', operation: 'search', api: 'recruiter', category: 'companies', keywords: 'x', limit: 5 });
		expect(lacking.error?.message).toBe('search → search is not available on Unipile API v2');
		expect(lacking.error?.description).toMatch(/Recruiter searches people on Unipile API v2, not companies/);
		const board = await run({ resource: 'search', operation: 'search', api: 'classic', category: 'people', keywords: 'x', moreFilters: { openTo: ['boardMember'] }, limit: 5 });
		expect(board.error?.message).toMatch(/Board Member/);
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test("Get Parameters: classic and Sales Navigator a GET with type and keywords, Recruiter's a POST with them in the body", async () => {
		const classic = await run({ resource: 'search', operation: 'getParameters', type: 'LOCATION', keywords: 'paris', limit: 5 });
		expect(classic.error).toBeUndefined();
		expect(sent()).toEqual([['GET', `${base()}/linkedin/search/parameters`, { type: 'LOCATION', keywords: 'paris', limit: '5' }, undefined]]);
		expect(classic.items.map((i) => i.json)).toEqual([{ object: 'SearchParameter', id: V2_LOCATIONS[1].id, name: V2_LOCATIONS[1].name }]);
		await run({ resource: 'search', operation: 'getParameters', type: 'COMPANY', keywords: 'micro', service: 'SALES_NAVIGATOR', limit: 5 });
		expect(sent()).toEqual([['GET', `${base()}/linkedin/sales-navigator/search/parameters`, { type: 'COMPANY', keywords: 'micro', limit: '5' }, undefined]]);
		const recruiter = await run({ resource: 'search', operation: 'getParameters', type: 'COMPANY', keywords: 'micro', service: 'RECRUITER', returnAll: true });
		expect(recruiter.error).toBeUndefined();
		expect(sent()).toEqual([['POST', `${base()}/linkedin/recruiter/search/parameters`, { limit: '100' }, { source: 'SEARCH', type: 'COMPANY', keywords: 'micro' }]]);
		expect(recruiter.items.map((i) => i.json.name)).toEqual(['Microsoft']);

		// What v2 does not list is refused before sending: a type the product lacks, classic without words.
		const people = await run({ resource: 'search', operation: 'getParameters', type: 'PEOPLE', keywords: 'ava', service: 'SALES_NAVIGATOR', limit: 5 });
		expect(people.error?.message).toBe('Sales Navigator has no "PEOPLE" search parameters on Unipile API v2');
		const empty = await run({ resource: 'search', operation: 'getParameters', type: 'INDUSTRY', limit: 5 });
		expect(empty.error?.message).toBe('"Keywords" is empty');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('The filter pickers suggest v2 values through the chosen account and product', async () => {
		const pickerContext = (parameters: Record<string, unknown>) => {
			const node: INode = { id: 'n1', name: 'Unipile LinkedIn', type: 'CUSTOM.unipileLinkedIn', typeVersion: 1, position: [0, 0], parameters: parameters as Any, credentials: { unipileV2Api: { id: 'c', name: 'Unipile v2' } } };
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
			return new LoadOptionsContext(workflow, node, { ...additionalDataFor(credentials), currentNodeParameters: node.parameters } as IWorkflowExecuteAdditionalData, 'parameters.filters');
		};
		const search = (name: string) => (nodeTypes().getByNameAndVersion('CUSTOM.unipileLinkedIn', 1) as INodeType).methods!.listSearch![name] as (this: LoadOptionsContext, filter?: string) => Promise<INodeListSearchResult>;
		const params = { authentication: 'unipileApiV2', resource: 'search', operation: 'search', accountId: byId(ACC) };
		sandbox.clearRequests();
		const locations = await search('searchLocations').call(pickerContext({ ...params, api: 'classic' }), 'fr');
		expect(locations.results).toEqual([{ name: 'France', value: V2_LOCATIONS[0].id }, { name: V2_LOCATIONS[1].name, value: V2_LOCATIONS[1].id }]);
		expect(sent()).toEqual([['GET', `${base()}/linkedin/search/parameters`, { type: 'LOCATION', keywords: 'fr', limit: '100' }, undefined]]);
		sandbox.clearRequests();
		const companies = await search('searchCompanies').call(pickerContext({ ...params, api: 'recruiter' }), 'ama');
		expect(companies.results).toEqual([{ name: 'Amazon', value: '1586' }]);
		expect(sent()).toEqual([['POST', `${base()}/linkedin/recruiter/search/parameters`, { limit: '100' }, { source: 'SEARCH', type: 'COMPANY', keywords: 'ama' }]]);
		sandbox.clearRequests();
		await search('searchIndustries').call(pickerContext({ ...params, api: 'sales_navigator' }));
		expect(sent()).toEqual([['GET', `${base()}/linkedin/sales-navigator/search/parameters`, { type: 'INDUSTRY', limit: '100' }, undefined]]);
		// Classic's list needs words: nothing is asked before the user types. Connections Of suggests RELATION parameters.
		sandbox.clearRequests();
		expect((await search('searchIndustries').call(pickerContext({ ...params, api: 'classic' }))).results).toEqual([]);
		expect(nodeRequests(sandbox)).toHaveLength(0);
		const relations = await search('searchRelations').call(pickerContext({ ...params, api: 'classic' }), 'ava');
		expect(relations.results).toEqual([{ name: 'Ava Adams', value: 'ACoAAB1relation' }]);
		expect(sent()).toEqual([['GET', `${base()}/linkedin/search/parameters`, { type: 'RELATION', keywords: 'ava', limit: '100' }, undefined]]);
		const accounts = await search('searchAccounts').call(pickerContext(params));
		expect(accounts.results.map((r) => r.value)).toContain(ACC);
	});
});

describe('the sandbox', () => {
	test("sends people as v2's User (closed schema) inside relations, follows, requests, posts, comments and reactions", async () => {
		const user = TypeCompiler.Compile(User);
		const get = async (path: string) => ((await (await fetch(`${sandbox.url}/v2/${ACC}${path}`, { headers: { 'X-API-KEY': sandbox.v2.apiKey } })).json()) as Any).data as Any[];
		const post = (await get('/users/me/posts'))[0];
		const people = [
			...(await get('/users/me/relations')).map((r) => r.user),
			...(await get('/users/me/followers')),
			...(await get('/users/me/following')),
			...(await get('/users/me/relation-requests?type=received')).map((r) => r.user),
			post.author,
			...(await get(`/posts/${encodeURIComponent(post.id)}/comments`)).map((c) => c.author),
			...(await get(`/posts/${encodeURIComponent(post.id)}/reactions`)).map((r) => r.sender),
		];
		expect(people.length).toBeGreaterThan(70);
		for (const person of people) expect([...user.Errors(person)].map((e) => `${e.path} ${e.message}`)).toEqual([]);
	});
});

describe('Both APIs', () => {
	test('Bypass Unipile Cache on reads; a disconnected account answers provider/invalid_authorization with the reconnect advice', async () => {
		await run({ resource: 'company', operation: 'get', identifier: '1035', bypassCache: true });
		expect(nodeRequests(sandbox).map((r) => r.headers['cache-control'])).toEqual(['no-cache']);
		const disconnected = sandbox.v2.accounts.find((a: Any) => a.provider === 'linkedin' && a.status === 'disconnected')!.id;
		const { error } = await run({ resource: 'user', operation: 'getOwnProfile', accountId: byId(disconnected) });
		expect(error?.description).toMatch(/must be reconnected/);
	});

	test('The same parameters with a v1 credential still go to v1', async () => {
		sandbox.clearRequests();
		const { error } = await runNode({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, nodeType: 'CUSTOM.unipileLinkedIn', parameters: { accountId: 'acc_linkedin_1', resource: 'user', operation: 'getInmailBalance' } as Any });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([['GET', '/linkedin/inmail_balance', { account_id: 'acc_linkedin_1' }, undefined]]);
	});
});
