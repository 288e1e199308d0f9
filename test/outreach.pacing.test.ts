/**
 * Sending Limits (daily caps and send windows) on the operations that reach people, through n8n's engine against the
 * sandbox on Unipile API v1 and v2: an item over the account's cap or outside the window is not sent (no request
 * reaches Unipile) and comes out as `{sent: false, reason, nextWindow}`; the count is kept in the workflow's static
 * data, carried from one execution to the next as n8n saves it after a production execution. The windows are chosen
 * around the real current time (nothing here moves the node's clock).
 */
import type { IDataObject } from 'n8n-workflow';
import { isAccountLookup, nodeRequests } from './helpers/accountLookups';
import { loadPackage, runNode, type RunOptions, type UnipileCredentialData } from './harness/engine';
import { startSandbox, type LoggedRequest, type Sandbox } from './sandbox/server';
import { invitableMembers } from './sandbox/linkedin';

type Any = any;
let sandbox: Sandbox;
const V1_ACC = 'acc_linkedin_1';
let V2_ACC: string;
const requestTimes: number[] = [];

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 2, messagesPerChat: 1, v2: { chatsPerAccount: 2, messagesPerChat: 1 }, onRequest: (request: LoggedRequest) => { if (!isAccountLookup(request)) requestTimes.push(Date.now()); } } as Any);
	await loadPackage();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	V2_ACC = sandbox.v2.accounts.find((a: Any) => a.provider === 'linkedin' && a.status === 'running')!.id;
});

const v1 = (): UnipileCredentialData => ({ dsn: sandbox.dsn, apiKey: sandbox.apiKey });
const v2 = (): UnipileCredentialData => ({ apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

async function run(api: 'v1' | 'v2', parameters: Record<string, unknown>, extra: Partial<RunOptions> = {}) {
	sandbox.clearRequests();
	requestTimes.length = 0;
	return await runNode({
		credentials: api === 'v1' ? v1() : v2(),
		nodeType: 'CUSTOM.unipileLinkedIn',
		parameters: (api === 'v1' ? { authentication: 'unipileApi', accountId: V1_ACC, ...parameters } : { authentication: 'unipileApiV2', accountId: byId(V2_ACC), ...parameters }) as Any,
		...extra,
	});
}

async function v2Control(path: string, body: object): Promise<Any> {
	const res = await fetch(`${sandbox.url}/_sandbox/v2/linkedin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return await res.json();
}

/** People each API can invite: v1's members not yet invited, v2's members (from index 46, as the LinkedIn v2 tests). */
async function invitable(api: 'v1' | 'v2', count: number): Promise<string[]> {
	if (api === 'v1') return invitableMembers(sandbox.store, V1_ACC).slice(0, count).map((m) => m.provider_id);
	const st = await v2Control('state', { accountId: V2_ACC });
	return st.members.slice(46, 46 + count).map((m: Any) => m.user.id);
}

const invitedIds = (api: 'v1' | 'v2') => nodeRequests(sandbox).map((r) => (r.json as Any)[api === 'v1' ? 'provider_id' : 'user_id']);
const invitePath = (api: 'v1' | 'v2') => (api === 'v1' ? '/users/invite' : `/v2/${V2_ACC}/users/me/relation-requests`);
const accountOf = (api: 'v1' | 'v2') => (api === 'v1' ? V1_ACC : V2_ACC);

/** Today's date in UTC as the counter stores it, and the next UTC midnight. */
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nextUtcMidnight = () => {
	const n = new Date();
	return new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate() + 1)).toISOString();
};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

describe.each(['v1', 'v2'] as const)('Send Invitation with Sending Limits on %s', (api) => {
	test('cap reached mid-batch: the first items are sent, the rest come out sent=false with the reason and the next window, no request for them; the next execution (static data carried) sends none; a new day sends again', async () => {
		const people = await invitable(api, 7);
		const staticData: IDataObject = {};
		const pacing = { dailyCap: 3, timeZone: 'UTC' };
		const first = await run(api, { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing }, { items: people.slice(0, 5).map((id) => ({ id })), staticData, mode: 'trigger' });
		expect(first.error).toBeUndefined();
		expect(nodeRequests(sandbox).map((r) => [r.method, r.path])).toEqual(Array(3).fill(['POST', invitePath(api)]));
		expect(invitedIds(api)).toEqual(people.slice(0, 3));
		expect(first.items.map((i) => i.json.sent)).toEqual([true, true, true, false, false]);
		expect(first.items[0].json).toEqual(expect.objectContaining({ object: api === 'v1' ? 'UserInvitationSent' : 'RelationRequest', sent: true }));
		const nextWindow = nextUtcMidnight();
		for (const [index, item] of first.items.slice(3).entries()) {
			expect(item.json).toEqual({
				sent: false,
				reason: 'daily_cap_reached',
				nextWindow,
				accountId: accountOf(api),
				counter: 'invitation',
				sentToday: 3,
				dailyCap: 3,
				timeZone: 'UTC',
				item: { id: people[3 + index] },
			});
		}
		const today = utcDay(Date.now());
		expect((staticData.global as Any)?.unipileSendingLimits).toEqual({ [`invitation:${accountOf(api)}`]: { day: today, count: 3 } });
		// What makes n8n save the static data after a production execution (its ObservableObject's mark).
		expect((staticData as Any).__dataChanged).toBe(true);

		// The next execution of the workflow starts from the static data n8n saved: the cap is used up for today.
		const second = await run(api, { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing }, { items: people.slice(3, 5).map((id) => ({ id })), staticData, mode: 'trigger' });
		expect(nodeRequests(sandbox)).toHaveLength(0);
		expect(second.items.map((i) => [i.json.sent, i.json.reason, i.json.nextWindow])).toEqual(Array(2).fill([false, 'daily_cap_reached', nextWindow]));

		// A new day: yesterday's count no longer holds.
		((staticData.global as Any)?.unipileSendingLimits as Any)[`invitation:${accountOf(api)}`].day = utcDay(Date.now() - 86_400_000);
		const third = await run(api, { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing }, { items: people.slice(3, 7).map((id) => ({ id })), staticData, mode: 'trigger' });
		expect(invitedIds(api)).toEqual(people.slice(3, 6));
		expect(third.items.map((i) => i.json.sent)).toEqual([true, true, true, false]);
		expect((staticData.global as Any)?.unipileSendingLimits).toEqual({ [`invitation:${accountOf(api)}`]: { day: today, count: 3 } });
	});

	test('window closed: not a sending day, or outside the hours (in the chosen time zone) → nothing sent, each item marked with when the window opens', async () => {
		const people = await invitable(api, 2);
		const items = people.map((id) => ({ id }));
		// Etc/GMT-14 is UTC+14: its "today" is often UTC's tomorrow.
		const local = new Date(Date.now() + 14 * 3_600_000);
		const todayThere = WEEKDAYS[local.getUTCDay()];
		const weekdays = WEEKDAYS.filter((day) => day !== todayThere);
		const closedDay = await run(api, { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing: { weekdays, fromHour: 9, toHour: 18, timeZone: 'Etc/GMT-14' } }, { items });
		expect(closedDay.error).toBeUndefined();
		expect(nodeRequests(sandbox)).toHaveLength(0);
		const tomorrowNineThere = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1, 9) - 14 * 3_600_000).toISOString();
		expect(closedDay.items.map((i) => [i.json.sent, i.json.reason, i.json.nextWindow, i.json.timeZone, i.json.dailyCap])).toEqual(
			Array(2).fill([false, 'not_a_sending_day', tomorrowNineThere, 'Etc/GMT-14', null]),
		);

		// Hours that do not include now (UTC, the workflow's time zone here): before 02:00 the window is 12–13 today,
		// else 00–01 tomorrow.
		const now = new Date();
		const early = now.getUTCHours() < 2;
		const hours = early ? { fromHour: 12, toHour: 13 } : { fromHour: 0, toHour: 1 };
		const opens = early
			? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12)).toISOString()
			: nextUtcMidnight();
		const closedHours = await run(api, { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing: hours }, { items, timezone: 'UTC' });
		expect(nodeRequests(sandbox)).toHaveLength(0);
		expect(closedHours.items.map((i) => [i.json.sent, i.json.reason, i.json.nextWindow, i.json.timeZone])).toEqual(Array(2).fill([false, 'outside_hours', opens, 'UTC']));

		// Open now (every day, all day): sent.
		const open = await run(api, { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing: { weekdays: WEEKDAYS, fromHour: 0, toHour: 24 } }, { items });
		expect(invitedIds(api)).toEqual(people);
		expect(open.items.map((i) => i.json.sent)).toEqual([true, true]);
	});
});

describe('Sending Limits: failures, Continue On Fail, delays, separate counters, bad settings', () => {
	test('a send Unipile refuses does not use the cap; Continue On Fail gives each item its outcome (v2)', async () => {
		const st = await v2Control('state', { accountId: V2_ACC });
		const people = [st.members[46].user.id, st.relations[0].user.id, st.members[47].user.id, st.members[48].user.id];
		const staticData: IDataObject = {};
		const { items, error } = await run('v2', { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing: { dailyCap: 2 } }, { items: people.map((id) => ({ id })), continueOnFail: true, staticData });
		expect(error).toBeUndefined();
		// The relation is refused by Unipile (an error item); the two others are sent; the fourth is over the cap.
		expect(invitedIds('v2')).toEqual(people.slice(0, 3));
		expect(items.map((i) => (i.json.error ? 'error' : i.json.sent))).toEqual([true, 'error', true, false]);
		expect(items[3].json).toEqual(expect.objectContaining({ reason: 'daily_cap_reached', sentToday: 2 }));
		expect(((staticData.global as Any)?.unipileSendingLimits as Any)[`invitation:${V2_ACC}`].count).toBe(2);

		// Without Continue On Fail the refusal fails the node as before.
		const stopped = await run('v2', { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing: { dailyCap: 5 } }, { items: [{ id: st.relations[0].user.id }] });
		expect(stopped.error?.description).toMatch(/does not let this account invite this person/);
	});

	test('the random delay comes between sends: the second send at least the minimum after the first (lower bound only, no timed upper bound)', async () => {
		const people = await invitable('v1', 3);
		const started = Date.now();
		const { items } = await run('v1', { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing: { dailyCap: 2, minDelaySeconds: 1, maxDelaySeconds: 1 } }, { items: people.map((id) => ({ id })) });
		expect(items.map((i) => i.json.sent)).toEqual([true, true, false]);
		expect(requestTimes).toHaveLength(2);
		// Lower bounds only: the second send came at least 1 s after the first.
		expect(requestTimes[1] - requestTimes[0]).toBeGreaterThanOrEqual(1000);
		expect(started).toBeLessThanOrEqual(requestTimes[0]);
	});

	test('Comment and React count apart on the same account; Start Chat and Send Message share the account\'s message counter (v2 Unipile node)', async () => {
		const st = await v2Control('state', { accountId: V2_ACC });
		const post = st.posts[4].post.id;
		const staticData: IDataObject = {};
		const comment = await run('v2', { resource: 'post', operation: 'comment', postId: post, text: '={{ $json.t }}', pacing: { dailyCap: 1 } }, { items: [{ t: 'one' }, { t: 'two' }], staticData });
		expect(comment.items.map((i) => i.json.sent)).toEqual([true, false]);
		expect(nodeRequests(sandbox).map((r) => r.json)).toEqual([{ text: 'one' }]);
		const react = await run('v2', { resource: 'post', operation: 'react', postId: post, reactionType: 'like', pacing: { dailyCap: 1 } }, { staticData });
		expect(react.items.map((i) => i.json.sent)).toEqual([true]);
		expect(Object.keys((staticData.global as Any)?.unipileSendingLimits as IDataObject).sort()).toEqual([`comment:${V2_ACC}`, `reaction:${V2_ACC}`]);

		const acc = sandbox.v2.accounts.find((a: Any) => a.provider === 'whatsapp' && a.status === 'running')!;
		const chats = (await (await fetch(`${sandbox.url}/v2/${acc.id}/chats?limit=5`, { headers: { 'X-API-KEY': sandbox.v2.apiKey } })).json()) as Any;
		const unipile = (parameters: Record<string, unknown>) =>
			runNode({ credentials: v2(), staticData, parameters: { authentication: 'unipileApiV2', accountId: byId(acc.id), ...parameters } as Any });
		sandbox.clearRequests();
		const start = await unipile({ resource: 'chat', operation: 'start', attendeesIds: 'ACoAAPeople1', text: 'Hello', pacing: { dailyCap: 2 } });
		expect(start.items[0].json.sent).toBe(true);
		const message = await unipile({ resource: 'message', operation: 'send', chatId: byId(chats.data[0].id), text: 'Hi', pacing: { dailyCap: 2 } });
		expect(message.items[0].json.sent).toBe(true);
		const over = await unipile({ resource: 'message', operation: 'send', chatId: byId(chats.data[0].id), text: 'Again', pacing: { dailyCap: 2 } });
		expect(over.items[0].json).toEqual(expect.objectContaining({ sent: false, reason: 'daily_cap_reached', counter: 'message', accountId: acc.id }));
		expect(nodeRequests(sandbox).map((r) => r.method + ' ' + r.path)).toEqual([`POST /v2/${acc.id}/chats/send`, `POST /v2/${acc.id}/chats/${chats.data[0].id}/messages/send`]);
	});

	test('Send Message on v1 counts on Options → Account; without it a Daily Cap is refused before sending', async () => {
		const chat = sandbox.store.chats.find((c: Any) => c.account_id === V1_ACC) ?? sandbox.store.chats[0];
		const unipile = (parameters: Record<string, unknown>) =>
			runNode({ credentials: v1(), parameters: { authentication: 'unipileApi', resource: 'message', operation: 'send', chatId: chat.id, text: 'Hi', ...parameters } as Any });
		sandbox.clearRequests();
		const refused = await unipile({ pacing: { dailyCap: 5 } });
		expect(refused.error?.message).toBe('Sending Limits → Daily Cap needs the account');
		expect(refused.error?.description).toMatch(/Options → Account/);
		expect(nodeRequests(sandbox)).toHaveLength(0);
		const sent = await unipile({ pacing: { dailyCap: 5 }, options: { accountId: chat.account_id } });
		expect(sent.error).toBeUndefined();
		expect(sent.items[0].json.sent).toBe(true);
		expect(nodeRequests(sandbox)).toHaveLength(1);
	});

	test('bad settings are refused before sending, naming the field and the fix', async () => {
		const [person] = await invitable('v1', 1);
		const cases: Array<[IDataObject, RegExp]> = [
			[{ timeZone: 'Mars/Olympus' }, /Sending Limits → Time Zone "Mars\/Olympus" is not a time zone/],
			[{ fromHour: 18, toHour: 9 }, /Sending Limits → From Hour \(18\) must be before To Hour \(9\)/],
			[{ minDelaySeconds: 10, maxDelaySeconds: 2 }, /Random Delay Max \(Seconds\) \(2\) is below Random Delay Min \(10\)/],
		];
		for (const [pacing, message] of cases) {
			const result = await run('v1', { resource: 'invitation', operation: 'send', providerId: person, pacing });
			expect(result.error?.message).toMatch(message);
			expect(nodeRequests(sandbox)).toHaveLength(0);
		}
	});

	test('a manual run counts within the run: the cap holds among its items (n8n does not save a manual run\'s static data, so nothing carries over)', async () => {
		const people = await invitable('v1', 3);
		const staticData: IDataObject = {};
		const { items } = await run('v1', { resource: 'invitation', operation: 'send', providerId: '={{ $json.id }}', pacing: { dailyCap: 2 } }, { items: people.map((id) => ({ id })), staticData, mode: 'manual' });
		expect(items.map((i) => i.json.sent)).toEqual([true, true, false]);
		expect(invitedIds('v1')).toEqual(people.slice(0, 2));
	});

	test('no limits set: the operation behaves as before (no sent field, no static data)', async () => {
		const [person] = await invitable('v1', 1);
		const staticData: IDataObject = {};
		const { items } = await run('v1', { resource: 'invitation', operation: 'send', providerId: person }, { staticData });
		expect(items[0].json.sent).toBeUndefined();
		expect(staticData).toEqual({});
	});
});
