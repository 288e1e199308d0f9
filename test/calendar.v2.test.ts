/**
 * The Unipile Calendar node on Unipile API v2: every operation runs through n8n's engine against the sandbox's v2
 * calendar routes (test/sandbox/v2/calendar.ts, written from the v2 SDK's types), asserting the request Unipile
 * receives (method, path, query, JSON body field by field) and the items n8n outputs. Calendars and events are state:
 * what Create makes, Get Many lists; what Delete removes is gone; Cancel marks the event cancelled.
 */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type INode, type INodeType, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { additionalDataFor, loadPackage, nodeTypes, runNode } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';
import { nodeRequests } from './helpers/accountLookups';

type Any = any;

let sandbox: Sandbox;
let credentials: { apiKey: string; baseUrl: string };

beforeAll(async () => {
	sandbox = await startSandbox();
	credentials = { apiKey: sandbox.v2.apiKey, baseUrl: sandbox.url };
	await loadPackage();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.clearRequests();
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const account = (provider: string) => sandbox.v2.accounts.find((a: Any) => a.provider === provider && a.status === 'running')!;
const run = async (parameters: Record<string, unknown>, extra: { items?: Any; continueOnFail?: boolean; timezone?: string } = {}) =>
	await runNode({ credentials, parameters: { authentication: 'unipileApiV2', ...parameters } as Any, nodeType: 'CUSTOM.unipileCalendar', ...extra });
const sent = () => nodeRequests(sandbox).map((r) => ({ method: r.method, path: r.path, query: r.query, json: r.json }));
async function stored(accountId: string): Promise<{ calendars: Any[]; events: Any[] }> {
	return (await (await fetch(`${sandbox.url}/_sandbox/v2/calendars/${accountId}`)).json()) as Any;
}
const primary = (acc: Any) => acc.name as string;

describe('Calendar on v2', () => {
	test('Get Many lists the seeded calendars; Return All follows the cursor pages', async () => {
		const acc = account('google');
		const { items, error } = await run({ resource: 'calendar', operation: 'getAll', accountId: byId(acc.id), returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.name)).toEqual([primary(acc), 'Team holidays']);
		expect(items[0].json).toMatchObject({ object: 'Calendar', id: primary(acc), is_default: true, timezone: 'Europe/Paris' });
		expect(sent()).toEqual([{ method: 'GET', path: `/v2/${acc.id}/calendars`, query: { limit: '250' }, json: undefined }]);

		sandbox.clearRequests();
		const limited = await run({ resource: 'calendar', operation: 'getAll', accountId: byId(acc.id), returnAll: false, limit: 1 });
		expect(limited.items).toHaveLength(1);
		expect(sent()).toEqual([{ method: 'GET', path: `/v2/${acc.id}/calendars`, query: { limit: '1' }, json: undefined }]);
	});

	test('Create → Get Many shows it → Update → Get → Delete → gone', async () => {
		const acc = account('google');
		const created = await run({ resource: 'calendar', operation: 'create', accountId: byId(acc.id), name: ' Sales meetings ', additionalFields: { description: 'Booked from n8n', timeZone: 'America/New_York', backgroundColor: '#1a73e8' } });
		expect(created.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'POST', path: `/v2/${acc.id}/calendars`, query: {}, json: { name: 'Sales meetings', description: 'Booked from n8n', timezone: 'America/New_York', background_color: '#1a73e8' } }]);
		const id = created.items[0].json.id as string;
		expect(created.items[0].json).toMatchObject({ object: 'Calendar', name: 'Sales meetings', is_owned_by_user: true });

		const listed = await run({ resource: 'calendar', operation: 'getAll', accountId: byId(acc.id), returnAll: true });
		expect(listed.items.map((i) => i.json.id)).toContain(id);

		sandbox.clearRequests();
		const updated = await run({ resource: 'calendar', operation: 'update', accountId: byId(acc.id), calendarId: { __rl: true, mode: 'list', value: id }, updateFields: { name: 'Sales' } });
		expect(updated.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'PATCH', path: `/v2/${acc.id}/calendars/${id}`, query: {}, json: { name: 'Sales' } }]);
		const got = await run({ resource: 'calendar', operation: 'get', accountId: byId(acc.id), calendarId: byId(id) });
		expect(got.items[0].json).toMatchObject({ id, name: 'Sales' });

		sandbox.clearRequests();
		const deleted = await run({ resource: 'calendar', operation: 'delete', accountId: byId(acc.id), calendarId: byId(id) });
		expect(deleted.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'DELETE', path: `/v2/${acc.id}/calendars/${id}`, query: {}, json: undefined }]);
		expect(deleted.items.map((i) => i.json)).toEqual([{ success: true, calendarId: id }]);
		expect((await stored(acc.id)).calendars.map((c: Any) => c.id)).not.toContain(id);
	});

	test('Update with no field, a bad time zone or a bad color is refused before sending', async () => {
		const acc = account('google');
		const none = await run({ resource: 'calendar', operation: 'update', accountId: byId(acc.id), calendarId: byId(primary(acc)), updateFields: {} });
		expect(none.error?.message).toBe('Nothing to update: no field was chosen');
		const zone = await run({ resource: 'calendar', operation: 'create', accountId: byId(acc.id), name: 'X', additionalFields: { timeZone: 'Paris' } });
		expect(zone.error?.message).toBe('"Time Zone" is not a time zone: "Paris"');
		expect(nodeRequests(sandbox)).toHaveLength(0);
	});
});

describe('Event on v2', () => {
	test('Create: a time without offset is read in Time Zone; attendees as people type them; Google Meet asked for', async () => {
		const acc = account('google');
		const { items, error } = await run({
			resource: 'event',
			operation: 'create',
			accountId: byId(acc.id),
			calendarId: byId(primary(acc)),
			title: 'Intro call',
			start: '2026-12-20T10:00:00',
			end: '2026-12-20T10:30:00',
			timeZone: 'Europe/Paris',
			attendees: 'Ada Lovelace <ada@example.com>; bob@example.com',
			additionalFields: { description: 'Agenda: pricing', location: 'Online', conference: 'google_meet', notify: 'none' },
		});
		expect(error).toBeUndefined();
		expect(sent()).toEqual([
			{
				method: 'POST',
				path: `/v2/${acc.id}/calendars/${primary(acc)}/events`,
				query: {},
				json: {
					title: 'Intro call',
					body: 'Agenda: pricing',
					location: 'Online',
					attendees: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
					start: { type: 'datetime', date_time: '2026-12-20T10:00:00', timezone: 'Europe/Paris' },
					end: { type: 'datetime', date_time: '2026-12-20T10:30:00', timezone: 'Europe/Paris' },
					conference: { provider: 'google_meet' },
					notify: 'none',
				},
			},
		]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ object: 'CalendarEvent', title: 'Intro call', conference: { provider: 'google_meet', hosting: 'native' } });
		const events = (await stored(acc.id)).events;
		expect(events.map((e: Any) => e.id)).toContain(items[0].json.id);
	});

	test('Create: Luxon DateTimes and an offset are converted into Time Zone; the workflow zone is the default; date-only is all-day', async () => {
		const acc = account('google');
		const luxon = await run({
			resource: 'event',
			operation: 'create',
			accountId: byId(acc.id),
			calendarId: byId(primary(acc)),
			title: 'A',
			start: "={{ DateTime.fromISO('2026-12-21T09:00:00Z') }}",
			end: "={{ new Date('2026-12-21T10:00:00Z') }}",
			timeZone: 'America/New_York',
		});
		expect(luxon.error).toBeUndefined();
		expect((sent()[0].json as Any).start).toEqual({ type: 'datetime', date_time: '2026-12-21T04:00:00', timezone: 'America/New_York' });
		expect((sent()[0].json as Any).end).toEqual({ type: 'datetime', date_time: '2026-12-21T05:00:00', timezone: 'America/New_York' });

		sandbox.clearRequests();
		const offset = await run({ resource: 'event', operation: 'create', accountId: byId(acc.id), calendarId: byId(primary(acc)), title: 'B', start: '2026-12-21T09:00:00+01:00', end: '2026-12-21T10:00:00+01:00' }, { timezone: 'Asia/Tokyo' });
		expect(offset.error).toBeUndefined();
		expect((sent()[0].json as Any).start).toEqual({ type: 'datetime', date_time: '2026-12-21T17:00:00', timezone: 'Asia/Tokyo' });

		sandbox.clearRequests();
		const allDay = await run({ resource: 'event', operation: 'create', accountId: byId(acc.id), calendarId: byId(primary(acc)), title: 'Holiday', start: '2026-12-24', end: '2026-12-24' });
		expect(allDay.error).toBeUndefined();
		expect(sent()[0].json).toMatchObject({ start: { type: 'date', date: '2026-12-24' }, end: { type: 'date', date: '2026-12-24' }, attendees: [] });
		expect(allDay.items[0].json).toMatchObject({ is_all_day: true });
	});

	test('bad dates, End before Start, a bad attendee or a bad zone fail before sending, naming the field; Continue On Fail per item', async () => {
		const acc = account('google');
		const base = { resource: 'event', operation: 'create', accountId: byId(acc.id), calendarId: byId(primary(acc)), title: 'X', start: '2026-12-20T10:00:00', end: '2026-12-20T11:00:00' };
		const badStart = await run({ ...base, start: 'next tuesday' });
		expect(badStart.error?.message).toBe('"Start" is not a valid date: "next tuesday"');
		expect(badStart.error?.description).toContain('2026-05-28T10:00:00');
		const backwards = await run({ ...base, end: '2026-12-20T09:00:00' });
		expect(backwards.error?.message).toMatch(/^"End" \(2026-12-20T09:00:00.000Z\) must be after "Start"/);
		const mixed = await run({ ...base, end: '2026-12-21' });
		expect(mixed.error?.message).toBe('"Start" and "End" must both be dates (an all-day event) or both date-times');
		const badAttendee = await run({ ...base, attendees: 'ada@example.com, not-an-address' });
		expect(badAttendee.error?.message).toBe('Attendees: "not-an-address" is not an email address');
		const zone = await run({ ...base, timeZone: 'Mars/Olympus' });
		expect(zone.error?.message).toBe('"Time Zone" is not a time zone: "Mars/Olympus"');
		const noStart = await run({ ...base, start: '={{ $json.missing }}' });
		expect(noStart.error?.message).toBe('"Start" is empty');
		expect(nodeRequests(sandbox)).toHaveLength(0);

		const perItem = await run(
			{ ...base, start: '={{ $json.start }}', end: '={{ $json.end }}' },
			{ continueOnFail: true, items: [{ json: { start: '2026-12-22T10:00:00', end: '2026-12-22T11:00:00' } }, { json: { start: '2026-12-22T10:00:00', end: '2026-12-22T08:00:00' } }] },
		);
		expect(perItem.items).toHaveLength(2);
		expect(perItem.items[0].json).toMatchObject({ object: 'CalendarEvent', title: 'X' });
		expect(String(perItem.items[1].json.error)).toMatch(/"End" .* must be after "Start"/);
		expect(nodeRequests(sandbox)).toHaveLength(1);
	});

	test('Get Many: the time range as ISO UTC in the query, Simplify, Return All across cursor pages', async () => {
		const acc = account('google');
		const all = await run({ resource: 'event', operation: 'getAll', accountId: byId(acc.id), calendarId: byId(primary(acc)), returnAll: true, simplify: false });
		expect(all.items.map((i) => i.json.title)).toEqual(['Weekly sync', 'Intro call with Acme', 'Lunch with Alan', 'Quarterly review', 'Demo for Globex', 'Company offsite']);

		sandbox.clearRequests();
		const { items, error } = await run({
			resource: 'event',
			operation: 'getAll',
			accountId: byId(acc.id),
			calendarId: byId(primary(acc)),
			returnAll: false,
			limit: 3,
			start: '2026-12-02',
			end: '2026-12-31T00:00:00',
			timeZone: 'Europe/Paris',
		});
		expect(error).toBeUndefined();
		expect(sent()[0]).toEqual({ method: 'GET', path: `/v2/${acc.id}/calendars/${primary(acc)}/events`, query: { limit: '3', start: '2026-12-01T23:00:00.000Z', end: '2026-12-30T23:00:00.000Z' }, json: undefined });
		expect(items.map((i) => i.json)).toEqual([
			{ id: expect.any(String), title: 'Intro call with Acme', start: '2026-12-02T14:00:00.000+01:00', end: '2026-12-02T14:45:00.000+01:00', attendees: [primary(acc), 'buyer@acme.example'], location: null, link: expect.stringMatching(/^https:\/\/meet\.google\.com\//) },
			{ id: expect.any(String), title: 'Lunch with Alan', start: '2026-12-04T12:30:00.000+01:00', end: '2026-12-04T13:30:00.000+01:00', attendees: [primary(acc), 'alan@example.net'], location: 'Le Bistro', link: null },
			{ id: expect.any(String), title: 'Quarterly review', start: '2026-12-08T10:00:00.000+01:00', end: '2026-12-08T12:00:00.000+01:00', attendees: [primary(acc), 'ada@example.com', 'katherine@example.com'], location: null, link: null },
		]);

		// Return All: the sandbox answers at most 4 events a page (Google by cursor): every event once, every filter kept.
		sandbox.clearRequests();
		const paged = await run({ resource: 'event', operation: 'getAll', accountId: byId(acc.id), calendarId: byId(primary(acc)), returnAll: true, start: '2026-12-02T00:00:00Z' });
		expect(paged.items.map((i) => i.json.title)).toEqual(['Intro call with Acme', 'Lunch with Alan', 'Quarterly review', 'Demo for Globex', 'Company offsite']);
		const query = { limit: '250', start: '2026-12-02T00:00:00.000Z' };
		expect(nodeRequests(sandbox).map((r) => r.query)).toEqual([query, { ...query, cursor: expect.any(String) }]);
	});

	test('a Limit is filled from the next page when a page comes back short', async () => {
		const acc = account('google');
		const calendarId = primary(acc);
		const created: string[] = [];
		for (let i = 0; i < 3; i++) {
			const res = await run({ resource: 'event', operation: 'create', accountId: byId(acc.id), calendarId: byId(calendarId), title: `Slot ${i}`, start: `2027-01-0${i + 1}T10:00:00Z`, end: `2027-01-0${i + 1}T11:00:00Z` });
			expect(res.error).toBeUndefined();
			created.push(res.items[0].json.id as string);
		}
		// 9 events; a Limit of 5 with pages of at most 4: the Limit is filled from the next page.
		sandbox.clearRequests();
		const limited = await run({ resource: 'event', operation: 'getAll', accountId: byId(acc.id), calendarId: byId(calendarId), returnAll: false, limit: 5, simplify: false });
		expect(limited.items).toHaveLength(5);
		expect(nodeRequests(sandbox).map((r) => r.query)).toEqual([{ limit: '5' }, { limit: '5', cursor: expect.any(String) }]);
		const later = await run({ resource: 'event', operation: 'getAll', accountId: byId(acc.id), calendarId: byId(calendarId), returnAll: true, start: '2027-01-01T00:00:00Z' });
		expect(later.items.map((i) => i.json.id)).toEqual(created);
	});

	test('Get, Update (times, attendees, removing the meeting), Delete → gone', async () => {
		const acc = account('google');
		const calendarId = primary(acc);
		const created = await run({ resource: 'event', operation: 'create', accountId: byId(acc.id), calendarId: byId(calendarId), title: 'Call', start: '2026-12-20T10:00:00Z', end: '2026-12-20T10:30:00Z', attendees: 'ada@example.com', additionalFields: { conference: 'google_meet' } });
		const id = created.items[0].json.id as string;
		const path = `/v2/${acc.id}/calendars/${calendarId}/events/${id}`;

		sandbox.clearRequests();
		const got = await run({ resource: 'event', operation: 'get', accountId: byId(acc.id), calendarId: byId(calendarId), eventId: id });
		expect(sent()).toEqual([{ method: 'GET', path, query: {}, json: undefined }]);
		expect(got.items[0].json).toEqual({ id, title: 'Call', start: '2026-12-20T10:00:00.000Z', end: '2026-12-20T10:30:00.000Z', attendees: [calendarId, 'ada@example.com'], location: null, link: expect.stringMatching(/^https:\/\/meet\.google\.com\//) });

		sandbox.clearRequests();
		const updated = await run({ resource: 'event', operation: 'update', accountId: byId(acc.id), calendarId: byId(calendarId), eventId: id, timeZone: 'UTC', updateFields: { title: 'Call (moved)', start: '2026-12-21T15:00:00', end: '2026-12-21T16:00:00', attendees: 'grace@example.org', conference: 'remove' } });
		expect(updated.error).toBeUndefined();
		expect(sent()).toEqual([
			{
				method: 'PATCH',
				path,
				query: {},
				json: { title: 'Call (moved)', attendees: [{ email: 'grace@example.org' }], start: { type: 'datetime', date_time: '2026-12-21T15:00:00', timezone: 'UTC' }, end: { type: 'datetime', date_time: '2026-12-21T16:00:00', timezone: 'UTC' }, conference: null },
			},
		]);
		expect(updated.items[0].json).toMatchObject({ title: 'Call (moved)', start: { date_time: '2026-12-21T15:00:00' } });
		expect(updated.items[0].json.conference).toBeUndefined();

		const nothing = await run({ resource: 'event', operation: 'update', accountId: byId(acc.id), calendarId: byId(calendarId), eventId: id, updateFields: {} });
		expect(nothing.error?.message).toBe('Nothing to update: no field was chosen');

		sandbox.clearRequests();
		const deleted = await run({ resource: 'event', operation: 'delete', accountId: byId(acc.id), calendarId: byId(calendarId), eventId: id });
		expect(deleted.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'DELETE', path, query: {}, json: undefined }]);
		expect(deleted.items.map((i) => i.json)).toEqual([{ success: true, eventId: id }]);
		expect((await stored(acc.id)).events.map((e: Any) => e.id)).not.toContain(id);
		const gone = await run({ resource: 'event', operation: 'get', accountId: byId(acc.id), calendarId: byId(calendarId), eventId: id });
		expect(gone.error?.httpCode).toBe('404');
	});

	test('Cancel marks the event cancelled (Get Many then leaves it out); RSVP sends the answer', async () => {
		const acc = account('outlook');
		const calendarId = primary(acc);
		const events = (await stored(acc.id)).events;
		const target = events.find((e: Any) => e.title === 'Weekly sync');
		const path = `/v2/${acc.id}/calendars/${calendarId}/events/${target.id}`;

		sandbox.clearRequests();
		const rsvp = await run({ resource: 'event', operation: 'rsvp', accountId: byId(acc.id), calendarId: byId(calendarId), eventId: target.id, status: 'maybe', comment: ' Running late ' });
		expect(rsvp.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'POST', path: `${path}/rsvp`, query: {}, json: { status: 'maybe', comment: 'Running late' } }]);
		expect(rsvp.items.map((i) => i.json)).toEqual([{ success: true, eventId: target.id }]);

		sandbox.clearRequests();
		const cancel = await run({ resource: 'event', operation: 'cancel', accountId: byId(acc.id), calendarId: byId(calendarId), eventId: target.id, comment: 'Sorry, moved to next week' });
		expect(cancel.error).toBeUndefined();
		expect(sent()).toEqual([{ method: 'POST', path: `${path}/cancel`, query: {}, json: { comment: 'Sorry, moved to next week' } }]);
		expect((await stored(acc.id)).events.find((e: Any) => e.id === target.id).is_cancelled).toBe(true);
		const listed = await run({ resource: 'event', operation: 'getAll', accountId: byId(acc.id), calendarId: byId(calendarId), returnAll: true });
		expect(listed.items.map((i) => i.json.id)).not.toContain(target.id);
	});

	test('the calendar picker lists the chosen account\'s calendars', async () => {
		const acc = account('google');
		const node: INode = {
			id: 'n',
			name: 'Unipile Calendar',
			type: 'CUSTOM.unipileCalendar',
			typeVersion: 1,
			position: [0, 0],
			parameters: { authentication: 'unipileApiV2', resource: 'event', operation: 'getAll', accountId: byId(acc.id) },
			credentials: { unipileV2Api: { id: '1', name: 'Unipile V2' } },
		};
		const types = nodeTypes();
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: types });
		const context = new LoadOptionsContext(workflow, node, { ...additionalDataFor(credentials), currentNodeParameters: node.parameters } as IWorkflowExecuteAdditionalData, 'parameters.calendarId');
		const type = types.getByNameAndVersion('CUSTOM.unipileCalendar', 1) as INodeType;
		const found = await type.methods!.listSearch!.searchCalendars.call(context as Any, 'team');
		expect(found.results).toEqual([{ name: 'Team holidays', value: expect.stringMatching(/^cal/) }]);
		expect(nodeRequests(sandbox)[0]).toMatchObject({ method: 'GET', path: `/v2/${acc.id}/calendars`, query: { limit: '100' } });
	});
});
