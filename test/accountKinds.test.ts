/**
 * Unipile Email and Unipile LinkedIn work with one kind of account: their Account pickers list only those accounts
 * (v1 and v2, through n8n-core's LoadOptionsContext), and an Account ID of another kind (typed, mapped, or saved
 * before the filter) is refused before the operation's first request, after one account lookup per account per
 * execution, naming the field, the account's type and the fix. Continue On Fail gives the refused item its error.
 */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type IDataObject, type ILoadOptionsFunctions, type INode, type INodeListSearchResult, type INodeType, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { additionalDataFor, loadPackage, nodeTypes, runNode, type UnipileCredentialData } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

let sandbox: Sandbox;
let v1: UnipileCredentialData;
let v2: UnipileCredentialData;
beforeAll(async () => {
	sandbox = await startSandbox({ chats: 20, messagesPerChat: 1 });
	v1 = { dsn: sandbox.url, apiKey: sandbox.apiKey };
	v2 = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	await loadPackage();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const MAIL_V1 = ['GOOGLE', 'GOOGLE_OAUTH', 'OUTLOOK', 'MAIL', 'IMAP'];
const MAIL_V2 = ['google', 'outlook', 'imap'];
const calls = () => sandbox.requests.map((r) => `${r.method} ${r.path}`);

/** The Account picker of a node as the editor calls it: LoadOptionsContext, the node's credential, every page. */
async function picker(type: string, credentials: UnipileCredentialData): Promise<string[]> {
	const onV2 = !('dsn' in credentials);
	const node: INode = {
		id: 'n1',
		name: 'Node',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: onV2 ? 'unipileApiV2' : 'unipileApi' },
		credentials: { [onV2 ? 'unipileV2Api' : 'unipileApi']: { id: 'cred-1', name: 'Unipile account' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
	const context = new LoadOptionsContext(workflow, node, { ...additionalDataFor(credentials), currentNodeParameters: node.parameters } as IWorkflowExecuteAdditionalData, 'parameters.accountId') as ILoadOptionsFunctions;
	const search = (nodeTypes().getByNameAndVersion(type, 1) as INodeType).methods!.listSearch!.searchAccounts;
	const ids: string[] = [];
	let token: string | undefined;
	do {
		const page = (await search.call(context, undefined, token)) as INodeListSearchResult;
		ids.push(...page.results.map((r) => String(r.value)));
		token = page.paginationToken as string | undefined;
	} while (token);
	return ids.sort();
}

async function v1Accounts(): Promise<IDataObject[]> {
	const res = await fetch(`${sandbox.url}/api/v1/accounts?limit=250`, { headers: { 'X-API-KEY': sandbox.apiKey } });
	return ((await res.json()) as { items: IDataObject[] }).items;
}

describe('Account pickers list only the accounts the node works with', () => {
	test('v1: Unipile Email lists the Google, Outlook and IMAP mailboxes; Unipile LinkedIn the LinkedIn accounts', async () => {
		const accounts = await v1Accounts();
		const mail = accounts.filter((a) => MAIL_V1.includes(String(a.type))).map((a) => String(a.id)).sort();
		expect(mail.length).toBeGreaterThan(1);
		expect(accounts.length).toBeGreaterThan(mail.length);
		expect(await picker('CUSTOM.unipileEmail', v1)).toEqual(mail);
		expect(await picker('CUSTOM.unipileLinkedIn', v1)).toEqual(accounts.filter((a) => a.type === 'LINKEDIN').map((a) => String(a.id)).sort());
		// The Unipile node keeps listing every account.
		expect(await picker('CUSTOM.unipile', v1)).toEqual(accounts.map((a) => String(a.id)).sort());
	});

	test('v2: the same kinds by v2 provider (google, outlook, imap; linkedin)', async () => {
		const accounts = sandbox.v2.accounts;
		const mail = accounts.filter((a) => MAIL_V2.includes(a.provider)).map((a) => a.id).sort();
		expect(mail.length).toBeGreaterThan(1);
		expect(await picker('CUSTOM.unipileEmail', v2)).toEqual(mail);
		expect(await picker('CUSTOM.unipileLinkedIn', v2)).toEqual(accounts.filter((a) => a.provider === 'linkedin').map((a) => a.id).sort());
	});
});

describe('an Account ID of another kind is refused before sending', () => {
	test('v1 Unipile Email with a WhatsApp account: one lookup, then the error naming the field, the type and the fix', async () => {
		const { error } = await runNode({ credentials: v1, parameters: { resource: 'email', operation: 'getAll', accountId: byId('acc_whatsapp_1'), limit: 5 }, nodeType: 'CUSTOM.unipileEmail' });
		expect(error?.message).toBe('Account ID: account acc_whatsapp_1 is a WHATSAPP account; Unipile Email works with Google, Outlook and IMAP accounts: choose one of those');
		expect(error?.description).toMatch(/Account ID list/);
		expect(calls()).toEqual(['GET /accounts/acc_whatsapp_1']);
	});

	test('v2 Unipile LinkedIn with a WhatsApp account, and v2 Unipile Email with a LinkedIn one', async () => {
		const whatsapp = sandbox.v2.accounts.find((a) => a.provider === 'whatsapp')!.id;
		const linkedin = sandbox.v2.accounts.find((a) => a.provider === 'linkedin')!.id;
		const li = await runNode({ credentials: v2, parameters: { authentication: 'unipileApiV2', resource: 'user', operation: 'getProfile', accountId: byId(whatsapp), identifier: 'john-doe' }, nodeType: 'CUSTOM.unipileLinkedIn' });
		expect(li.error?.message).toBe(`Account ID: account ${whatsapp} is a WHATSAPP account; Unipile LinkedIn works with LinkedIn accounts: choose one of those`);
		expect(calls()).toEqual([`GET /v2/accounts/${whatsapp}`]);
		sandbox.clearRequests();
		const mail = await runNode({ credentials: v2, parameters: { authentication: 'unipileApiV2', resource: 'email', operation: 'send', accountId: byId(linkedin), to: 'ada@example.com', subject: 'x', body: 'x' }, nodeType: 'CUSTOM.unipileEmail' });
		expect(mail.error?.message).toBe(`Account ID: account ${linkedin} is a LINKEDIN account; Unipile Email works with Google, Outlook and IMAP accounts: choose one of those`);
		expect(calls()).toEqual([`GET /v2/accounts/${linkedin}`]);
	});

	test('one lookup per account per execution, before its first request; Continue On Fail: the refused item gets its error, the others run', async () => {
		const { items, error } = await runNode({
			credentials: v1,
			parameters: { resource: 'email', operation: 'getAll', accountId: byId('={{ $json.account }}'), limit: 1 },
			nodeType: 'CUSTOM.unipileEmail',
			items: [{ account: 'acc_google_1' }, { account: 'acc_whatsapp_1' }, { account: 'acc_google_1' }, { account: 'acc_whatsapp_1' }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		// RoutingNode prepares the items before their requests go out: each account is looked up once, before any request with it.
		expect(calls().filter((call) => call.startsWith('GET /accounts/')).sort()).toEqual(['GET /accounts/acc_google_1', 'GET /accounts/acc_whatsapp_1']);
		expect(calls()[0]).toBe('GET /accounts/acc_google_1');
		expect(calls().indexOf('GET /emails')).toBeGreaterThan(calls().indexOf('GET /accounts/acc_google_1'));
		expect(calls().filter((call) => call === 'GET /emails')).toHaveLength(2);
		expect(sandbox.requests.filter((r) => r.path === '/emails').map((r) => r.query.account_id)).toEqual(['acc_google_1', 'acc_google_1']);
		const errors = items.filter((item) => item.json.error !== undefined).map((item) => String(item.json.error));
		expect(errors).toHaveLength(2);
		for (const message of errors) expect(message).toContain('acc_whatsapp_1 is a WHATSAPP account');
		expect(items.filter((item) => item.json.error === undefined)).toHaveLength(2);
	});

	test('a LinkedIn account passes on LinkedIn, and a mailbox on Email (the lookup is the only extra request)', async () => {
		const ok = await runNode({ credentials: v1, parameters: { resource: 'email', operation: 'getAll', accountId: byId('acc_outlook_1'), limit: 1 }, nodeType: 'CUSTOM.unipileEmail' });
		expect(ok.error).toBeUndefined();
		expect(calls()).toEqual(['GET /accounts/acc_outlook_1', 'GET /emails']);
	});
});
