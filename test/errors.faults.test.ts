import { inspect } from 'node:util';
import type { INodeParameters, INodeType } from 'n8n-workflow';
import { MAX_RETRIES, RETRY_AFTER_CAP_SECONDS } from '../dist/nodes/shared/errors';
import { nodeTypes, runNode, type RunResult } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

const SECRET = 'sk-live-7f3a9c1e-very-secret-unipile-key';
let sandbox: Sandbox;
let credentials: { dsn: string; apiKey: string };

beforeAll(async () => {
	sandbox = await startSandbox({ apiKey: SECRET });
	credentials = { dsn: sandbox.url, apiKey: SECRET };
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.clearFaults();
	sandbox.clearRequests();
});

const chatGetAll = { resource: 'chat', operation: 'getAll', limit: 3 };
const chatId = () => sandbox.store.chats[0].id;
const sendText = (text: string): INodeParameters => ({ resource: 'message', operation: 'send', chatId: chatId(), text });
const countSent = (text: string) => sandbox.store.messages.filter((message) => message.text === text).length;
const requestsTo = (method: string, path: string) => sandbox.requests.filter((r) => r.method === method && r.path === path);

/** Everything n8n keeps of a run — output items, errors, execution data — as one string to search. */
function everything(result: RunResult): string {
	return inspect(result, { depth: null, maxStringLength: null, maxArrayLength: null });
}

describe('Unipile problem+json becomes a clear n8n error', () => {
	const cases = [
		{ type: 'disconnected_account', status: 401, title: 'Disconnected account', detail: 'The account appears to be disconnected from the provider service.', advice: 'Account → Reconnect' },
		{ type: 'invalid_credentials', status: 401, title: 'Invalid credentials', detail: 'The provided credentials are invalid.', advice: 'Check the API Key and DSN' },
		{ type: 'expired_credentials', status: 401, title: 'Expired credentials', detail: 'Credentials have expired.', advice: 'Reconnect it' },
		{ type: 'no_connection_with_recipient', status: 422, title: 'No connection with recipient', detail: 'You must be connected to this user.', advice: 'send an invitation first' },
		{ type: 'limit_exceeded', status: 422, title: 'Limit exceeded', detail: 'Weekly invitation limit reached.', advice: 'space the actions out' },
		{ type: 'feature_not_subscribed', status: 403, title: 'Feature not subscribed', detail: 'Recruiter is not available for this account.', advice: 'subscribe to the feature' },
	];
	test.each(cases)('$type: title, detail and type in the message, what to do in the description', async (problem) => {
		sandbox.injectFault({
			path: '/chats',
			status: problem.status,
			times: 2,
			body: { title: problem.title, detail: problem.detail, type: `errors/${problem.type}`, status: problem.status },
		});
		const result = await runNode({ credentials, parameters: chatGetAll });
		expect(result.error?.message).toBe(`${problem.title}: ${problem.detail} [errors/${problem.type}]`);
		expect(result.error?.description).toContain(problem.advice);
		expect(result.error?.httpCode).toBe(String(problem.status));
		// n8n itself sends a request once more after a 401, having re-run the credential's pre-authentication.
		expect(sandbox.requests).toHaveLength(problem.status === 401 ? 2 : 1);
	});

	test('a real 404 from the sandbox keeps Unipile’s words', async () => {
		const { error } = await runNode({ credentials, parameters: { resource: 'chat', operation: 'get', chatId: 'does-not-exist' } });
		expect(error?.message).toMatch(/^.+: .*does-not-exist.* \[errors\/resource_not_found\]$/);
		expect(error?.description).toContain('Check the ID');
	});

	test('a wrong key: invalid credentials, with the fix, and not the key', async () => {
		const { error } = await runNode({ credentials: { ...credentials, apiKey: 'not-the-key' }, parameters: chatGetAll });
		expect(error?.message).toContain('[errors/invalid_credentials]');
		expect(error?.description).toContain('API Key');
		expect(error?.httpCode).toBe('401');
	});
});

describe('in n8n, where the package has its own copy of n8n-workflow', () => {
	// n8n loads a community package with the n8n-workflow it installed beside it: n8n's RoutingNode then does not
	// recognise our NodeApiError (another class) and wraps it again. The status must survive that.
	test('an error from Unipile keeps its HTTP status, words and advice', async () => {
		let Unipile: new () => INodeType = undefined as never;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			({ Unipile } = require('../dist/nodes/Unipile/Unipile.node.js'));
		});
		const foreign = new Unipile();
		nodeTypes().add('CUSTOM.unipileWithOwnWorkflowCopy', foreign);
		const { error } = await runNode({
			credentials: { ...credentials, apiKey: 'not-the-key' },
			parameters: chatGetAll,
			nodeType: 'CUSTOM.unipileWithOwnWorkflowCopy',
		});
		expect(error?.httpCode).toBe('401');
		expect(error?.message).toContain('[errors/invalid_credentials]');
		expect(error?.description).toContain('API Key');
		const { error: notFound } = await runNode({
			credentials,
			parameters: { resource: 'chat', operation: 'get', chatId: 'does-not-exist' },
			nodeType: 'CUSTOM.unipileWithOwnWorkflowCopy',
		});
		expect(notFound?.httpCode).toBe('404');
		expect(notFound?.message).toContain('[errors/resource_not_found]');
	});
});

describe('retries', () => {
	test('429 with Retry-After: waits, sends again, succeeds', async () => {
		sandbox.injectFault({ path: '/chats', status: 429, retryAfter: 1 });
		const { items, error } = await runNode({ credentials, parameters: chatGetAll });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(requestsTo('GET', '/chats').map((r) => r.status)).toEqual([429, 200]);
	});

	test('429 that does not stop: bounded retries, then the error says so', async () => {
		sandbox.injectFault({ path: '/chats', status: 429, retryAfter: 0, times: 10 });
		const { error } = await runNode({ credentials, parameters: chatGetAll });
		expect(requestsTo('GET', '/chats')).toHaveLength(MAX_RETRIES + 1);
		expect(error?.message).toContain('[errors/too_many_requests]');
		expect(error?.description).toContain(`retried ${MAX_RETRIES} times`);
		expect(error?.httpCode).toBe('429');
	});

	test(`Retry-After beyond the cap (${RETRY_AFTER_CAP_SECONDS} s) is not waited for inside the run`, async () => {
		sandbox.injectFault({ path: '/chats', status: 429, retryAfter: 600 });
		const { error } = await runNode({ credentials, parameters: chatGetAll });
		expect(sandbox.requests).toHaveLength(1);
		expect(error?.description).toContain('asked to wait 600 s');
	});

	test('503 on a GET is retried', async () => {
		sandbox.injectFault({ path: '/chats', status: 503, retryAfter: 0, times: 2 });
		const { items } = await runNode({ credentials, parameters: chatGetAll });
		expect(items).toHaveLength(3);
		expect(requestsTo('GET', '/chats').map((r) => r.status)).toEqual([503, 503, 200]);
	});

	test('504 on a GET without Retry-After is retried with backoff', async () => {
		sandbox.injectFault({ path: '/chats', status: 504 });
		const { items } = await runNode({ credentials, parameters: chatGetAll });
		expect(items).toHaveLength(3);
		expect(requestsTo('GET', '/chats')).toHaveLength(2);
	});

	test('a dropped connection on a GET is retried', async () => {
		sandbox.injectFault({ path: '/chats', drop: true });
		const { items } = await runNode({ credentials, parameters: chatGetAll });
		expect(items).toHaveLength(3);
		expect(requestsTo('GET', '/chats').map((r) => r.status)).toEqual([0, 200]);
	});

	test('a slow answer past the timeout on a GET is retried', async () => {
		sandbox.injectFault({ path: '/chats', delayMs: 1500 });
		const { items, error } = await runNode({ credentials, parameters: { ...chatGetAll, requestOptions: { timeout: 300 } } });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(requestsTo('GET', '/chats').length).toBe(2);
	});

	test('nothing listening at the DSN: retried (nothing was sent), then named', async () => {
		const closed = await startSandbox();
		const dsn = closed.url;
		await closed.close();
		const { error } = await runNode({ credentials: { dsn, apiKey: SECRET }, parameters: sendText('never') });
		expect(error?.message).toBe(`Could not reach Unipile at ${new URL(dsn).host} (ECONNREFUSED)`);
		expect(error?.description).toContain('Check the DSN');
		expect(error?.description).toContain(`retried ${MAX_RETRIES} times`);
	});
});

describe('an outreach message never goes out twice', () => {
	test('Send Message under 503: one request, not retried, a clear error', async () => {
		sandbox.injectFault({ method: 'POST', path: `/chats/${chatId()}/messages`, status: 503, retryAfter: 0, times: 5 });
		const { error } = await runNode({ credentials, parameters: sendText('hello-503') });
		expect(requestsTo('POST', `/chats/${chatId()}/messages`)).toHaveLength(1);
		expect(error?.message).toContain('[errors/service_unavailable]');
		expect(error?.httpCode).toBe('503');
	});

	test('Send Message when the connection drops: not retried, and the error says it may have gone out', async () => {
		sandbox.injectFault({ method: 'POST', path: `/chats/${chatId()}/messages`, drop: true });
		const { error } = await runNode({ credentials, parameters: sendText('hello-drop') });
		expect(requestsTo('POST', `/chats/${chatId()}/messages`)).toHaveLength(1);
		expect(error?.description).toContain('may or may not have been processed');
	});

	test('Send Message answered too slowly: not resent, so exactly one message exists', async () => {
		sandbox.injectFault({ method: 'POST', path: `/chats/${chatId()}/messages`, delayMs: 1200 });
		const { error } = await runNode({ credentials, parameters: { ...sendText('hello-slow'), requestOptions: { timeout: 300 } } });
		expect(error).toBeDefined();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(requestsTo('POST', `/chats/${chatId()}/messages`)).toHaveLength(1);
		expect(countSent('hello-slow')).toBe(1);
	});

	test('Send Message under 429 (not processed) is resent once and delivered once', async () => {
		sandbox.injectFault({ method: 'POST', path: `/chats/${chatId()}/messages`, status: 429, retryAfter: 0 });
		const { items, error } = await runNode({ credentials, parameters: sendText('hello-429') });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ object: 'MessageSent' });
		expect(requestsTo('POST', `/chats/${chatId()}/messages`).map((r) => r.status)).toEqual([429, 201]);
		expect(countSent('hello-429')).toBe(1);
	});

	test('Start Chat under 503 is not retried', async () => {
		sandbox.injectFault({ method: 'POST', path: '/chats', status: 503, retryAfter: 0, times: 5 });
		const { error } = await runNode({
			credentials,
			parameters: { resource: 'chat', operation: 'start', accountId: 'acc_whatsapp_1', attendeesIds: '33600000000@s.whatsapp.net', text: 'hi' },
		});
		expect(requestsTo('POST', '/chats')).toHaveLength(1);
		expect(error?.httpCode).toBe('503');
	});

	test('Forward under 503 is not retried', async () => {
		const message = sandbox.store.messages.find((m) => m.account_id === 'acc_whatsapp_1')!;
		sandbox.injectFault({ method: 'POST', status: 503, retryAfter: 0, times: 5 });
		await runNode({ credentials, parameters: { resource: 'message', operation: 'forward', messageId: message.id, chatId: chatId() } });
		expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
	});
});

describe('Continue On Fail', () => {
	test('each failing item gets its error as JSON; the other items complete', async () => {
		const chats = sandbox.store.chats;
		const { items, error } = await runNode({
			credentials,
			continueOnFail: true,
			items: [{ chat: chats[0].id }, { chat: '  ' }, { chat: 'no-such-chat' }, { chat: chats[1].id }],
			parameters: { resource: 'chat', operation: 'get', chatId: '={{ $json.chat }}' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(4);
		expect(items[0].json.id).toBe(chats[0].id);
		expect(items[1].json.error).toBe('"Chat ID" is empty');
		expect(String(items[2].json.error)).toContain('[errors/resource_not_found]');
		expect(items[3].json.id).toBe(chats[1].id);
		expect(sandbox.requests.map((r) => r.path)).toEqual(expect.arrayContaining([`/chats/${chats[0].id}`, '/chats/no-such-chat', `/chats/${chats[1].id}`]));
		expect(sandbox.requests).toHaveLength(3);
	});

	test('without it, the first failing item stops the node', async () => {
		const { error, items } = await runNode({
			credentials,
			items: [{ chat: 'no-such-chat' }, { chat: sandbox.store.chats[0].id }],
			parameters: { resource: 'chat', operation: 'get', chatId: '={{ $json.chat }}' },
		});
		expect(items).toHaveLength(0);
		expect(error?.message).toContain('[errors/resource_not_found]');
	});
});

describe('the API key appears nowhere', () => {
	test('in no output, error or execution data, across successes, Unipile errors, faults and bad input', async () => {
		const chat = sandbox.store.chats[0];
		const runs: RunResult[] = [];
		runs.push(await runNode({ credentials, parameters: { resource: 'chat', operation: 'get', chatId: chat.id } }));
		runs.push(await runNode({ credentials, parameters: { resource: 'chat', operation: 'get', chatId: 'nope' } }));
		runs.push(await runNode({ credentials, continueOnFail: true, parameters: { resource: 'chat', operation: 'get', chatId: 'nope' } }));
		sandbox.injectFault({ path: '/chats', status: 429, retryAfter: 0, times: 10 });
		runs.push(await runNode({ credentials, continueOnFail: true, parameters: chatGetAll }));
		sandbox.clearFaults();
		sandbox.injectFault({ method: 'POST', drop: true });
		runs.push(await runNode({ credentials, parameters: sendText('secret-check') }));
		runs.push(await runNode({ credentials, parameters: { ...chatGetAll, limit: 0 } }));
		runs.push(await runNode({ credentials: { ...credentials, dsn: 'bad dsn' }, parameters: chatGetAll }));
		runs.push(await runNode({ credentials: { ...credentials, apiKey: SECRET + 'x' }, parameters: chatGetAll }));
		runs.push(await runNode({ credentials, parameters: { resource: 'message', operation: 'getAttachment', messageId: 'm', attachmentId: 'a' } }));
		expect(runs.filter((run) => run.error || run.items.some((item) => item.json.error))).toHaveLength(8);
		for (const run of runs) expect(everything(run)).not.toContain(SECRET);
		// The sandbox did receive it, so the search above would have found it had it leaked.
		expect(sandbox.requests.some((r) => r.headers['x-api-key'] === SECRET)).toBe(true);
	});
});
