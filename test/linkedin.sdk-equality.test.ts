/**
 * For every users/posts/company call the official SDK offers, the SDK and Unipile LinkedIn send the same request to
 * the sandbox (method, path, query, JSON body; for Create Post the multipart parts) for the same inputs, and the
 * node's request passes the SDK's own request validators where it has them.
 */
import type { INodeParameters } from 'n8n-workflow';
import { nodeRequests } from './helpers/accountLookups';
import { UnipileClient } from 'unipile-node-sdk';
import { runNode } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';
import { accountState, COMPANIES, invitableMembers, samplePost } from './sandbox/linkedin';
import { expectValid, sdkModule, type Validator } from './helpers/sdk-schemas';

type Any = any;
const validator = (file: string, name: string): Validator => sdkModule(file)[name];

const ACC = 'acc_linkedin_1';
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 4, messagesPerChat: 1 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

type Logged = Sandbox['requests'][number];
const request = (r: Logged) => ({ method: r.method, path: r.path, query: r.query, json: r.json });
/** Multipart parts without the MIME type: the SDK sends its files as untyped blobs, the node with their real type. */
const parts = (r: Logged) => r.form?.map((p) => ('fileName' in p ? { name: p.name, fileName: p.fileName, size: p.size, sha256: p.sha256 } : p));

async function sdk(call: (client: UnipileClient) => Promise<unknown>): Promise<Logged> {
	sandbox.clearRequests();
	await call(new UnipileClient(sandbox.url, sandbox.apiKey)).catch(() => undefined);
	expect(nodeRequests(sandbox)).toHaveLength(1);
	return nodeRequests(sandbox)[0];
}

async function node(parameters: INodeParameters, items?: Any[]): Promise<Logged> {
	sandbox.clearRequests();
	const result = await runNode({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, nodeType: 'CUSTOM.unipileLinkedIn', parameters: { accountId: ACC, ...parameters }, items });
	expect(result.error).toBeUndefined();
	expect(nodeRequests(sandbox)).toHaveLength(1);
	return nodeRequests(sandbox)[0];
}


/** The SDK's query validators type numbers and booleans; the query string carries them as text. */
function typedQuery(query: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, k === 'limit' ? Number(v) : v === 'true' ? true : v === 'false' ? false : v]));
}

describe('users', () => {
	test('getOwnProfile', async () => {
		const theirs = await sdk((c) => c.users.getOwnProfile(ACC));
		expect(request(await node({ resource: 'user', operation: 'getOwnProfile' }))).toEqual(request(theirs));
	});

	test('getAllRelations (with a limit; Return All uses the SDK maximum, 1,000)', async () => {
		const theirs = await sdk((c) => c.users.getAllRelations({ account_id: ACC, limit: 25 }));
		const ours = await node({ resource: 'user', operation: 'getRelations', limit: 25 });
		expect(request(ours)).toEqual(request(theirs));
		expectValid(validator('users/user-relations-list.types.js', 'UserRelationsListQueryValidator'), typedQuery(ours.query));
		const max = await sdk((c) => c.users.getAllRelations({ account_id: ACC, limit: 1000 }));
		sandbox.clearRequests();
		await runNode({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, nodeType: 'CUSTOM.unipileLinkedIn', parameters: { accountId: ACC, resource: 'user', operation: 'getRelations', returnAll: true } });
		expect(request(nodeRequests(sandbox)[0])).toEqual(request(max));
	});

	test('getProfile (as in the Unipile node: sections comma-joined)', async () => {
		const m = accountState(sandbox.store, ACC).members[4];
		const theirs = await sdk((c) => c.users.getProfile({ account_id: ACC, identifier: m.public_identifier, linkedin_api: 'sales_navigator', linkedin_sections: ['experience', 'skills'] }));
		const ours = await node({ resource: 'user', operation: 'getProfile', identifier: m.public_identifier, options: { linkedinApi: 'sales_navigator', linkedinSections: ['experience', 'skills'] } });
		expect(request(ours)).toEqual(request(theirs));
	});
});

describe('invitations', () => {
	test('sendInvitation (with a note)', async () => {
		const [a, b] = invitableMembers(sandbox.store, ACC);
		const theirs = await sdk((c) => c.users.sendInvitation({ account_id: ACC, provider_id: a.provider_id, message: 'Hello there' }));
		const ours = await node({ resource: 'invitation', operation: 'send', providerId: b.provider_id, message: 'Hello there' });
		expect(request(ours)).toEqual({ ...request(theirs), json: { ...(theirs.json as Any), provider_id: b.provider_id } });
		expectValid(validator('users/user-invite.types.js', 'UserInviteBodyValidator'), ours.json);
	});

	test('getAllInvitationsSent', async () => {
		const theirs = await sdk((c) => c.users.getAllInvitationsSent({ account_id: ACC, limit: 20 }));
		const ours = await node({ resource: 'invitation', operation: 'getAllSent', limit: 20 });
		expect(request(ours)).toEqual(request(theirs));
		expectValid(validator('users/user-invitation-sent-list.types.js', 'UserInvitationSentListQueryValidator'), typedQuery(ours.query));
	});

	test('cancelInvitationSent', async () => {
		const [a, b] = invitableMembers(sandbox.store, ACC);
		const first: Any = await new UnipileClient(sandbox.url, sandbox.apiKey).users.sendInvitation({ account_id: ACC, provider_id: a.provider_id });
		const second: Any = await new UnipileClient(sandbox.url, sandbox.apiKey).users.sendInvitation({ account_id: ACC, provider_id: b.provider_id });
		const theirs = await sdk((c) => c.users.cancelInvitationSent({ account_id: ACC, invitation_id: first.invitation_id }));
		const ours = await node({ resource: 'invitation', operation: 'cancel', invitationId: second.invitation_id });
		expect(request(ours)).toEqual({ ...request(theirs), path: `/users/invite/sent/${second.invitation_id}` });
		expect(theirs.status).toBe(200);
		expect(ours.status).toBe(200);
	});
});

describe('posts and company', () => {
	test('getAllPosts (member and company)', async () => {
		const m = accountState(sandbox.store, ACC).members[2];
		const person = await sdk((c) => c.users.getAllPosts({ account_id: ACC, identifier: m.provider_id, is_company: false, limit: 10 }));
		const ours = await node({ resource: 'post', operation: 'getAll', identifier: m.provider_id, limit: 10 });
		expect(request(ours)).toEqual(request(person));
		expectValid(validator('users/user-post-list.types.js', 'UserPostListQueryValidator'), typedQuery(ours.query));
		const company = await sdk((c) => c.users.getAllPosts({ account_id: ACC, identifier: COMPANIES[1].id, is_company: true, limit: 100 }));
		expect(request(await node({ resource: 'post', operation: 'getAll', identifier: COMPANIES[1].id, isCompany: true, limit: 100 }))).toEqual(request(company));
	});

	test('getPost', async () => {
		const post = samplePost(sandbox.store, ACC);
		const theirs = await sdk((c) => c.users.getPost({ account_id: ACC, post_id: post.social_id }));
		const ours = await node({ resource: 'post', operation: 'get', postId: post.social_id });
		// The SDK leaves the colons of the social ID as they are; the node percent-encodes them (the same path once decoded).
		expect(request(ours)).toEqual(request(theirs));
		expect(decodeURIComponent(ours.rawPath)).toBe(decodeURIComponent(theirs.rawPath));
	});

	test('getAllPostComments', async () => {
		const post = samplePost(sandbox.store, ACC, { withComments: true });
		const theirs = await sdk((c) => c.users.getAllPostComments({ account_id: ACC, post_id: post.social_id, limit: 30 }));
		const ours = await node({ resource: 'post', operation: 'getComments', postId: post.social_id, limit: 30 });
		expect(request(ours)).toEqual(request(theirs));
		expectValid(validator('posts/comment-list.types.js', 'PostCommentListQueryValidator'), typedQuery(ours.query));
	});

	test('sendPostComment', async () => {
		const post = samplePost(sandbox.store, ACC, { withComments: true });
		const theirs = await sdk((c) => c.users.sendPostComment({ account_id: ACC, post_id: post.social_id, text: 'Well said' }));
		const ours = await node({ resource: 'post', operation: 'comment', postId: post.social_id, text: 'Well said' });
		expect(request(ours)).toEqual(request(theirs));
		expectValid(validator('posts/comment-send.types.js', 'commentPostBodyValidator'), ours.json);
	});

	test('sendPostReaction', async () => {
		const post = samplePost(sandbox.store, ACC);
		const theirs = await sdk((c) => c.users.sendPostReaction({ account_id: ACC, post_id: post.social_id, reaction_type: 'insightful' }));
		const ours = await node({ resource: 'post', operation: 'react', postId: post.social_id, reactionType: 'insightful' });
		expect(request(ours)).toEqual(request(theirs));
		expectValid(validator('users/reaction-add.types.js', 'addPostReactionBodyValidator'), ours.json);
	});

	test('createPost (text and two files, in the SDK order)', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000002', 'hex');
		const jpg = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
		const theirs = await sdk((c) => c.users.createPost({ account_id: ACC, text: 'Launch day', attachments: [['a.png', png], ['b.jpg', jpg]] } as Any));
		const items = [{ json: {}, binaryFiles: { one: { data: png.toString('base64'), fileName: 'a.png', mimeType: 'image/png' }, two: { data: jpg.toString('base64'), fileName: 'b.jpg', mimeType: 'image/jpeg' } } }];
		const ours = await node({ resource: 'post', operation: 'create', text: 'Launch day', attachments: 'one, two' }, items);
		expect(request(ours)).toEqual(request(theirs));
		expect(parts(ours)).toEqual(parts(theirs));
		expect(theirs.status).toBe(201);
		expect(ours.form?.filter((p) => 'mimeType' in p).map((p) => (p as Any).mimeType)).toEqual(['image/png', 'image/jpeg']);
	});

	test('getCompanyProfile', async () => {
		const theirs = await sdk((c) => c.users.getCompanyProfile({ account_id: ACC, identifier: 'initech' }));
		expect(request(await node({ resource: 'company', operation: 'get', identifier: 'initech' }))).toEqual(request(theirs));
	});
});
