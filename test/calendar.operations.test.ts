/**
 * The Unipile Calendar node on Unipile API v1 (Authentication → Unipile API V1 (DSN)): every v1 operation runs through
 * n8n's engine against the sandbox's v1 calendar routes (test/sandbox/calendar.ts), asserting the request Unipile
 * receives and the items n8n outputs. The v1 SDK (unipile-node-sdk 1.9.3) has no calendar method, so there is no
 * SDK-equality test here: the routes follow Unipile's v1 calendar guide and the public v1 route descriptions
 * (`account_id` in the query, lists as `{data, next_cursor}`). Operations v1 lacks are refused before sending.
 */
import { loadPackage, runNode } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';
import { nodeRequests } from './helpers/accountLookups';

type Any = any;

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ chats: 2, messagesPerChat: 1 });
	await loadPackage();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearRequests();
	sandbox.clearFaults();
});

const GOOGLE = 'acc_google_1';
const PRIMARY = 'sandra.box@example.com';
const run = async (parameters: Record<string, unknown>, extra: { items?: Any; continueOnFail?: boolean; timezone?: string } = {}) =>
	await runNode({ credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey }, parameters: { authentication: 'unipileApi', ...parameters } as Any, nodeType: 'CUSTOM.unipileCalendar', ...extra });
const sent = () => nodeRequests(sandbox).map((r) => ({ method: r.method, path: r.path, query: r.query, json: r.json }));
const eventBase = { resource: 'event', accountId: GOOGLE, calendarId: { __rl: true, mode: 'list', value: PRIMARY } };

describe('Unipile Calendar on v1', () => {
	test('Calendar → Get Many: account_id in the query, `{data, next_cursor}` becomes one item per calendar; Get', async () => {
		const { items, error } = await run({ resource: 'calendar', operation: 'getAll', accountId: GOOGLE, returnAll: true });
		expect(error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'GET', path: '/calendars', query: { account_id: GOOGLE, limit: '250' }, json: undefined }]);
		expect(items.map((i) => i.json.name)).toEqual([PRIMARY, 'Team holidays']);

		sandbox.clearRequests();
		const one = await run({ resource: 'calendar', operation: 'getAll', accountId: GOOGLE, returnAll: false, limit: 1 });
		expect(one.items).toHaveLength(1);
		expect(sent()).toEqual([{ method: 'GET', path: '/calendars', query: { account_id: GOOGLE, limit: '1' }, json: undefined }]);

		sandbox.clearRequests();
		const got = await run({ resource: 'calendar', operation: 'get', accountId: GOOGLE, calendarId: { __rl: true, mode: 'id', value: PRIMARY } });
		expect(sent()).toEqual([{ method: 'GET', path: `/calendars/${PRIMARY}`, query: { account_id: GOOGLE }, json: undefined }]);
		expect(got.items[0].json).toMatchObject({ object: 'Calendar', id: PRIMARY, is_default: true });
	});

	test('Event → Create sends the same body as v2, with account_id in the query; Get Many then lists it; Delete → gone', async () => {
		const created = await run({
			...eventBase,
			operation: 'create',
			title: 'Demo',
			start: '2026-12-18T15:00:00',
			end: '2026-12-18T15:30:00',
			timeZone: 'Europe/Paris',
			attendees: '"Hopper, Grace" <grace@example.org>',
			additionalFields: { location: 'Online', conference: 'google_meet' },
		});
		expect(created.error).toBeUndefined();
		expect(sent()).toEqual([
			{
				method: 'POST',
				path: `/calendars/${PRIMARY}/events`,
				query: { account_id: GOOGLE },
				json: {
					title: 'Demo',
					location: 'Online',
					attendees: [{ email: 'grace@example.org' }],
					start: { type: 'datetime', date_time: '2026-12-18T15:00:00', timezone: 'Europe/Paris' },
					end: { type: 'datetime', date_time: '2026-12-18T15:30:00', timezone: 'Europe/Paris' },
					conference: { provider: 'google_meet' },
				},
			},
		]);
		const id = created.items[0].json.id as string;
		expect(created.items[0].json).toMatchObject({ object: 'CalendarEvent', title: 'Demo', calendar_id: PRIMARY });

		sandbox.clearRequests();
		const listed = await run({ ...eventBase, operation: 'getAll', returnAll: true, start: '2026-12-18', end: '2026-12-19', timeZone: 'Europe/Paris' });
		expect(listed.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'GET', path: `/calendars/${PRIMARY}/events`, query: { account_id: GOOGLE, limit: '250', start: '2026-12-17T23:00:00.000Z', end: '2026-12-18T23:00:00.000Z' }, json: undefined }]);
		expect(listed.items.map((i) => i.json)).toEqual([
			{ id, title: 'Demo', start: '2026-12-18T15:00:00.000+01:00', end: '2026-12-18T15:30:00.000+01:00', attendees: [PRIMARY, 'grace@example.org'], location: 'Online', link: expect.stringMatching(/^https:\/\/meet\.google\.com\//) },
		]);

		sandbox.clearRequests();
		const deleted = await run({ ...eventBase, operation: 'delete', eventId: id });
		expect(deleted.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'DELETE', path: `/calendars/${PRIMARY}/events/${id}`, query: { account_id: GOOGLE }, json: undefined }]);
		expect(deleted.items.map((i) => i.json)).toEqual([{ success: true, eventId: id, object: 'CalendarEventDeleted' }]);
		const after = await run({ ...eventBase, operation: 'getAll', returnAll: true, simplify: false });
		expect(after.items.map((i) => i.json.id)).not.toContain(id);
	});

	test('Event → Get Many: Return All follows next_cursor with every filter; Limit stops after one page', async () => {
		// The sandbox answers at most 4 events a page (a ceiling, as providers do): Return All reads two pages.
		const all = await run({ ...eventBase, operation: 'getAll', returnAll: true, simplify: false, start: '2026-11-30T00:00:00Z' });
		expect(all.items.map((i) => i.json.title)).toEqual(['Weekly sync', 'Intro call with Acme', 'Lunch with Alan', 'Quarterly review', 'Demo for Globex', 'Company offsite']);
		const query = { account_id: GOOGLE, limit: '250', start: '2026-11-30T00:00:00.000Z' };
		expect(nodeRequests(sandbox).map((r) => r.query)).toEqual([query, { ...query, cursor: expect.any(String) }]);
		sandbox.clearRequests();
		const limited = await run({ ...eventBase, operation: 'getAll', returnAll: false, limit: 2, start: '2026-12-01T00:00:00Z' });
		expect(limited.items.map((i) => i.json.title)).toEqual(['Weekly sync', 'Intro call with Acme']);
		expect(nodeRequests(sandbox)).toHaveLength(1);
		expect(nodeRequests(sandbox)[0].query).toEqual({ account_id: GOOGLE, limit: '2', start: '2026-12-01T00:00:00.000Z' });
	});

	test('Event → Get Many also takes v1\'s usual `{object, items, cursor}` list shape (the v1 calendar answer is not in the v1 SDK)', async () => {
		const event = (id: string, title: string) => ({ object: 'CalendarEvent', id, title, start: { type: 'date', date: '2026-12-24' }, end: { type: 'date', date: '2026-12-24' }, attendees: [] });
		sandbox.injectFault({ method: 'GET', path: `/calendars/${PRIMARY}/events`, status: 200, body: { object: 'CalendarEventList', items: [event('e1', 'One')], cursor: 'page2' } });
		sandbox.injectFault({ method: 'GET', path: `/calendars/${PRIMARY}/events`, status: 200, body: { object: 'CalendarEventList', items: [event('e2', 'Two')], cursor: null } });
		const { items, error } = await run({ ...eventBase, operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{ id: 'e1', title: 'One', start: '2026-12-24', end: '2026-12-24', attendees: [], location: null, link: null },
			{ id: 'e2', title: 'Two', start: '2026-12-24', end: '2026-12-24', attendees: [], location: null, link: null },
		]);
		expect(nodeRequests(sandbox).map((r) => r.query)).toEqual([{ account_id: GOOGLE, limit: '250' }, { account_id: GOOGLE, limit: '250', cursor: 'page2' }]);
	});

	test('Event → Get and Update (PATCH, only the fields given)', async () => {
		const listed = await run({ ...eventBase, operation: 'getAll', returnAll: true, simplify: false });
		const lunch = listed.items.find((i) => i.json.title === 'Lunch with Alan')!.json;
		sandbox.clearRequests();
		const got = await run({ ...eventBase, operation: 'get', eventId: lunch.id, simplify: false });
		expect(sent()).toEqual([{ method: 'GET', path: `/calendars/${PRIMARY}/events/${lunch.id}`, query: { account_id: GOOGLE }, json: undefined }]);
		expect(got.items[0].json).toMatchObject({ id: lunch.id, title: 'Lunch with Alan', location: 'Le Bistro' });

		sandbox.clearRequests();
		const updated = await run({ ...eventBase, operation: 'update', eventId: lunch.id, updateFields: { location: 'Chez Paul', description: 'Table for 2' } });
		expect(updated.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'PATCH', path: `/calendars/${PRIMARY}/events/${lunch.id}`, query: { account_id: GOOGLE }, json: { body: 'Table for 2', location: 'Chez Paul' } }]);
		expect(updated.items[0].json).toMatchObject({ location: 'Chez Paul', body: 'Table for 2', title: 'Lunch with Alan' });
	});

	test('what v1 lacks (calendar create/update/delete, cancel, RSVP) is refused before sending', async () => {
		const createCalendar = await run({ resource: 'calendar', operation: 'create', accountId: GOOGLE, name: 'Sales' });
		expect(createCalendar.error?.message).toBe('Calendar → Create is not available on Unipile API v1');
		expect(createCalendar.error?.description).toContain('Unipile API V2');
		const deleteCalendar = await run({ resource: 'calendar', operation: 'delete', accountId: GOOGLE, calendarId: { __rl: true, mode: 'id', value: PRIMARY } });
		expect(deleteCalendar.error?.message).toBe('Calendar → Delete is not available on Unipile API v1');
		const cancel = await run({ ...eventBase, operation: 'cancel', eventId: 'evt1' });
		expect(cancel.error?.message).toBe('Event → Cancel is not available on Unipile API v1');
		const rsvp = await run({ ...eventBase, operation: 'rsvp', eventId: 'evt1', status: 'yes' });
		expect(rsvp.error?.message).toBe('Event → RSVP is not available on Unipile API v1');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});

	test('bad input fails before sending; Continue On Fail answers per item; an account without calendars gets Unipile\'s words', async () => {
		const bad = await run({ ...eventBase, operation: 'create', title: 'X', start: '2026-13-40T10:00:00', end: '2026-12-18T11:00:00' });
		expect(bad.error?.message).toBe('"Start" is not a valid date: "2026-13-40T10:00:00"');
		const badFilter = await run({ ...eventBase, operation: 'getAll', returnAll: true, start: 'yesterday' });
		expect(badFilter.error?.message).toBe('"Start" is not a valid date: "yesterday"');
		const badUrl = await run({ ...eventBase, operation: 'create', title: 'X', start: '2026-12-18T10:00:00', end: '2026-12-18T11:00:00', additionalFields: { conference: 'zoom', conferenceUrl: 'http://zoom.us/j/1' } });
		expect(badUrl.error?.message).toBe('"Conference URL" is not an HTTPS link: "http://zoom.us/j/1"');
		expect(nodeRequests(sandbox)).toHaveLength(0);

		const items = [{ json: { who: 'ada@example.com' } }, { json: { who: 'not an address' } }, { json: { who: 'Bob <bob@example.com>' } }];
		const perItem = await run({ ...eventBase, operation: 'create', title: 'Call', start: '2026-12-19T10:00:00Z', end: '2026-12-19T10:30:00Z', attendees: '={{ $json.who }}' }, { items, continueOnFail: true });
		expect(perItem.items).toHaveLength(3);
		expect(perItem.items[0].json).toMatchObject({ title: 'Call', attendees: [{ email: PRIMARY }, { email: 'ada@example.com' }] });
		expect(perItem.items[1].json.error).toBe('Attendees: "not an address" is not an email address');
		expect(perItem.items[2].json).toMatchObject({ attendees: [{ email: PRIMARY }, { email: 'bob@example.com' }] });
		expect(nodeRequests(sandbox)).toHaveLength(2);

		sandbox.clearRequests();
		const whatsapp = await run({ resource: 'calendar', operation: 'getAll', accountId: 'acc_whatsapp_1', returnAll: true });
		expect(whatsapp.error?.message).toBe('Account ID: account acc_whatsapp_1 is a WHATSAPP account; Unipile Calendar works with Google and Outlook accounts: choose one of those');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});
});
