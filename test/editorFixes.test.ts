/**
 * Small editor fixes, checked where the editor gets them (the node descriptions) and where they act (the engine):
 * Hosted Auth Link's Expires On has a default a week ahead (no red field, a valid date sent); the Account field
 * comes first in every LinkedIn operation; Chat → Update's action reads as a list.
 */
import type { INodeProperties, INodeType } from 'n8n-workflow';
import { loadPackage, nodeTypes, runNode } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
	await loadPackage();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

const description = (type: string) => (nodeTypes().getByNameAndVersion(type, 1) as INodeType).description;

/** The parameters shown for a resource and operation, in the editor's order (top-level `show` by resource and operation). */
function shown(properties: INodeProperties[], resource: string, operation: string): string[] {
	return properties
		.filter((p) => {
			const show = p.displayOptions?.show;
			if (!show || p.name === 'operation') return false;
			if (show.resource && !(show.resource as string[]).includes(resource)) return false;
			if (show.operation && !(show.operation as string[]).includes(operation)) return false;
			return Boolean(show.resource || show.operation);
		})
		.map((p) => p.name);
}

test('Hosted Auth Link: Expires On defaults to a week ahead, and that default is sent as a valid UTC date (v1 and v2)', async () => {
	const field = description('CUSTOM.unipile').properties.find((p) => p.name === 'expiresOn')!;
	expect(field.required).toBe(true);
	expect(field.default).toBe('={{ $now.plus({ days: 7 }).toISO() }}');
	const before = Date.now();
	const v1 = await runNode({ credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey }, parameters: { resource: 'account', operation: 'createHostedAuthLink' } });
	expect(v1.error).toBeUndefined();
	const sent = Date.parse(String((sandbox.requests[0].json as { expiresOn: string }).expiresOn));
	expect(String((sandbox.requests[0].json as { expiresOn: string }).expiresOn)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	expect(sent - before).toBeGreaterThan(7 * 86_400_000 - 60_000);
	expect(sent - before).toBeLessThan(7 * 86_400_000 + 60_000);
	sandbox.clearRequests();
	const v2 = await runNode({
		credentials: { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url },
		parameters: { authentication: 'unipileApiV2', resource: 'account', operation: 'createHostedAuthLink', redirectUri: 'https://example.com/done' },
	});
	expect(v2.error).toBeUndefined();
	const expires = Date.parse(String((sandbox.requests[0].json as { expires_on: string }).expires_on));
	expect(expires - before).toBeGreaterThan(7 * 86_400_000 - 60_000);
});

test('Unipile LinkedIn: Account ID is the first field of every operation', () => {
	const { properties } = description('CUSTOM.unipileLinkedIn');
	const operations = properties.filter((p) => p.name === 'operation');
	const checked: string[] = [];
	for (const op of operations) {
		const resource = (op.displayOptions!.show!.resource as string[])[0];
		for (const option of op.options as Array<{ value: string }>) {
			const fields = shown(properties, resource, option.value);
			if (!fields.includes('accountId')) continue;
			expect([`${resource}/${option.value}`, fields[0]]).toEqual([`${resource}/${option.value}`, 'accountId']);
			checked.push(`${resource}/${option.value}`);
		}
	}
	expect(checked).toEqual(expect.arrayContaining(['user/getProfile', 'company/get', 'post/get', 'post/getAll', 'post/comment', 'post/react', 'post/getComments', 'post/getReactions', 'post/create']));
});

test('Chat → Update says what it updates (n8n\'s sentence-case lint allows no commas in an action: "or" joins the list)', () => {
	const operation = description('CUSTOM.unipile').properties.find((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[]).includes('chat'))!;
	const update = (operation.options as Array<{ value: string; action: string; description: string }>).find((o) => o.value === 'update')!;
	expect(update.action).toBe('Update the read or mute or archive or pin status of a chat');
	expect(update.description).toBe('Mark a chat read or unread, mute, archive or pin it');
});
