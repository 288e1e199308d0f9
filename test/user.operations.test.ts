import { startSandbox, type Sandbox } from './sandbox/server';
import { runNode } from './harness/engine';
import { nodeRequest, sdkRequest } from './helpers/sdk-vs-node';

let sandbox: Sandbox;
let credentials: { dsn: string; apiKey: string };

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 30, messagesPerChat: 1 });
	credentials = { dsn: sandbox.dsn, apiKey: sandbox.apiKey };
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

function contactOf(accountId: string) {
	const attendee = sandbox.store.sortedAttendees().find((a) => a.account_id === accountId && !a.is_self);
	if (!attendee) throw new Error(`no contact for ${accountId}`);
	return attendee;
}

async function rawProfile(identifier: string, query: Record<string, string>) {
	const response = await fetch(`${sandbox.url}/api/v1/users/${encodeURIComponent(identifier)}?${new URLSearchParams(query)}`, {
		headers: { 'X-API-KEY': sandbox.apiKey },
	});
	return await response.json();
}

describe('User → Get Profile', () => {
	test('only the required fields: identifier in the path, account_id in the query, nothing else', async () => {
		const contact = contactOf('acc_whatsapp_1');
		const { items, error } = await runNode({
			credentials,
			parameters: { resource: 'user', operation: 'getProfile', identifier: contact.provider_id, accountId: 'acc_whatsapp_1' },
		});
		expect(error).toBeUndefined();
		expect(sandbox.requests.map((r) => [r.method, r.path, r.query, r.json])).toEqual([
			['GET', `/users/${contact.provider_id}`, { account_id: 'acc_whatsapp_1' }, undefined],
		]);
		expect(items.map((item) => item.json)).toEqual([await rawProfile(contact.provider_id, { account_id: 'acc_whatsapp_1' })]);
	});

	test('LinkedIn API and sections: linkedin_api, and the sections comma-joined in one value', async () => {
		const contact = contactOf('acc_linkedin_1');
		const { items, error } = await runNode({
			credentials,
			parameters: {
				resource: 'user',
				operation: 'getProfile',
				identifier: contact.provider_id,
				accountId: 'acc_linkedin_1',
				options: { linkedinApi: 'sales_navigator', linkedinSections: ['experience', 'skills', 'about'] },
			},
		});
		expect(error).toBeUndefined();
		expect(sandbox.requests[0].query).toEqual({
			account_id: 'acc_linkedin_1',
			linkedin_api: 'sales_navigator',
			linkedin_sections: 'experience,skills,about',
		});
		expect(items).toHaveLength(1);
		expect(items[0].json.provider).toBe('LINKEDIN');
	});

	test('"All Sections" sends the wildcard alone; an empty section list sends nothing', async () => {
		const contact = contactOf('acc_linkedin_1');
		const base = { resource: 'user', operation: 'getProfile', identifier: contact.provider_id, accountId: 'acc_linkedin_1' };
		await runNode({ credentials, parameters: { ...base, options: { linkedinSections: ['skills', '*'] } } });
		await runNode({ credentials, parameters: { ...base, options: { linkedinSections: [] } } });
		expect(sandbox.requests.map((r) => r.query)).toEqual([
			{ account_id: 'acc_linkedin_1', linkedin_sections: '*' },
			{ account_id: 'acc_linkedin_1' },
		]);
	});

	test("Unipile's error reaches the user: an unknown user", async () => {
		const { error } = await runNode({
			credentials,
			parameters: { resource: 'user', operation: 'getProfile', identifier: 'nobody-here', accountId: 'acc_linkedin_1' },
		});
		expect(error?.httpCode).toBe('404');
	});
});

describe('User: the same requests as the official SDK', () => {
	test('users.getProfile with every option', async () => {
		const contact = contactOf('acc_linkedin_1');
		const sdk = await sdkRequest(sandbox, (c) =>
			c.users.getProfile({
				identifier: contact.provider_id,
				account_id: 'acc_linkedin_1',
				linkedin_api: 'recruiter',
				linkedin_sections: ['experience', 'education', 'languages', 'skills', 'certifications', 'about'],
			}),
		);
		const ours = await nodeRequest(sandbox, {
			resource: 'user',
			operation: 'getProfile',
			identifier: contact.provider_id,
			accountId: 'acc_linkedin_1',
			options: { linkedinApi: 'recruiter', linkedinSections: ['experience', 'education', 'languages', 'skills', 'certifications', 'about'] },
		});
		expect({ ...ours, result: undefined }).toEqual({ ...sdk, result: undefined });
	});

	test('users.getProfile with the wildcard section', async () => {
		const contact = contactOf('acc_linkedin_1');
		const sdk = await sdkRequest(sandbox, (c) =>
			c.users.getProfile({ identifier: contact.provider_id, account_id: 'acc_linkedin_1', linkedin_sections: '*' }),
		);
		const ours = await nodeRequest(sandbox, {
			resource: 'user',
			operation: 'getProfile',
			identifier: contact.provider_id,
			accountId: 'acc_linkedin_1',
			options: { linkedinSections: ['*'] },
		});
		expect({ ...ours, result: undefined }).toEqual({ ...sdk, result: undefined });
	});

	test('users.getProfile with only the required inputs', async () => {
		const contact = contactOf('acc_instagram_1');
		const sdk = await sdkRequest(sandbox, (c) => c.users.getProfile({ identifier: contact.provider_id, account_id: 'acc_instagram_1' }));
		const ours = await nodeRequest(sandbox, {
			resource: 'user',
			operation: 'getProfile',
			identifier: contact.provider_id,
			accountId: 'acc_instagram_1',
		});
		expect({ ...ours, result: undefined }).toEqual({ ...sdk, result: undefined });
		expect(ours.result.items).toHaveLength(1);
	});
});
