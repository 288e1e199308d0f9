/**
 * One account's calendars and events, as the sandbox keeps them for both APIs (test/sandbox/calendar.ts for v1,
 * test/sandbox/v2/calendar.ts for v2). Shapes and rules are written from `@unipile/sdk`'s types.gen.ts
 * (CreateCalendarEventData, UpdateCalendarEventData, CalendarEvent, Calendar, SetCalendarEventRsvpData,
 * CancelCalendarEventData); v1 is documented with the same objects (`CalendarEvent`, `{data, next_cursor}` lists),
 * so one book serves both. Bodies are strict: unknown fields, wrong types and malformed times are refused.
 */

export interface CalendarRec {
	object: 'Calendar';
	id: string;
	name: string;
	description?: string;
	is_read_only: boolean;
	is_owned_by_user: boolean;
	is_default: boolean;
	background_color: string;
	text_color?: string;
	timezone?: string;
}

export type EventTime = { type: 'datetime'; date_time: string; timezone?: string } | { type: 'date'; date: string; timezone?: string };

export interface EventAttendee {
	email: string;
	display_name?: string;
	is_organizer: boolean;
	is_self: boolean;
	is_optional: boolean;
	is_resource: boolean;
	type: 'required' | 'optional' | 'resource';
	response_status: 'yes' | 'no' | 'maybe' | 'noreply';
}

export interface EventRec {
	object: 'CalendarEvent';
	id: string;
	calendar_id: string;
	created_at: string;
	updated_at: string;
	title: string;
	body?: string;
	location?: string;
	is_cancelled: boolean;
	is_all_day: boolean;
	is_attendees_list_hidden: boolean;
	attendees: EventAttendee[];
	start: EventTime;
	end: EventTime;
	recurrence?: string[];
	organizer: { email: string; display_name?: string };
	conference?: { provider: string; hosting: 'native' | 'description'; conference_id?: string; url: string };
	visibility: 'public' | 'private';
	transparency: 'opaque' | 'transparent';
	event_type: string;
	timezone?: string;
}

type Fail = (detail: string) => Error;
const seedError: Fail = (detail) => new Error(`sandbox seed: ${detail}`);

const CONFERENCE_PROVIDERS = ['google_meet', 'zoom', 'skype', 'teams', 'unknown'];
const EVENT_FIELDS = ['title', 'body', 'location', 'background_color', 'transparency', 'visibility', 'conference', 'is_attendees_list_hidden', 'attendees', 'recurrence', 'start', 'end', 'notify', 'timezone'];
const CALENDAR_FIELDS = ['name', 'description', 'background_color', 'timezone'];
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function isZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** The UTC epoch ms of a wall-clock time in an IANA zone (or of a `…Z` time). */
function instantOf(time: EventTime): number {
	if (time.type === 'date') return Date.parse(`${time.date}T00:00:00Z`);
	if (time.date_time.endsWith('Z')) return Date.parse(time.date_time);
	const zone = time.timezone ?? 'UTC';
	const asUtc = Date.parse(`${time.date_time}Z`);
	// The zone's offset at that moment, by formatting the guess in the zone.
	const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(asUtc));
	const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
	const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return asUtc - (shown - asUtc);
}

export class CalendarBook {
	calendars: CalendarRec[] = [];
	events: EventRec[] = [];
	private serial = 0;

	constructor(
		readonly owner: { email: string; display_name?: string },
		private readonly provider: 'google' | 'outlook',
		private readonly now: () => string,
	) {
		const primary = this.addCalendar({ name: owner.email, is_default: true, timezone: 'Europe/Paris', background_color: '#039be5' });
		this.addCalendar({ name: 'Team holidays', description: 'Shared by the team', is_read_only: true, is_owned_by_user: false, background_color: '#33b679' });
		const seeds: Array<[string, string, string, string[], string?]> = [
			['Weekly sync', '2026-12-01T09:00:00', '2026-12-01T09:30:00', ['ada@example.com', 'grace@example.org'], 'Room 3'],
			['Intro call with Acme', '2026-12-02T14:00:00', '2026-12-02T14:45:00', ['buyer@acme.example']],
			['Lunch with Alan', '2026-12-04T12:30:00', '2026-12-04T13:30:00', ['alan@example.net'], 'Le Bistro'],
			['Quarterly review', '2026-12-08T10:00:00', '2026-12-08T12:00:00', ['ada@example.com', 'katherine@example.com']],
			['Demo for Globex', '2026-12-10T16:00:00', '2026-12-10T16:30:00', ['cto@globex.example']],
		];
		for (const [title, start, end, attendees, location] of seeds) {
			this.insert(primary.id, {
				title,
				start: { type: 'datetime', date_time: start, timezone: 'Europe/Paris' },
				end: { type: 'datetime', date_time: end, timezone: 'Europe/Paris' },
				attendees: this.attendees(attendees.map((email) => ({ email })), seedError),
				...(location ? { location } : {}),
				...(title.startsWith('Intro') ? { conference: this.conference({ provider: this.provider === 'google' ? 'google_meet' : 'teams' }, seedError) } : {}),
			});
		}
		this.insert(primary.id, { title: 'Company offsite', start: { type: 'date', date: '2026-12-15' }, end: { type: 'date', date: '2026-12-16' }, attendees: [] });
	}

	private id(prefix: string): string {
		this.serial += 1;
		return `${prefix}${this.provider === 'google' ? 'g' : 'o'}${String(this.serial).padStart(6, '0')}sbx`;
	}

	addCalendar(fields: Partial<CalendarRec> & { name: string }): CalendarRec {
		const calendar: CalendarRec = {
			object: 'Calendar',
			id: fields.is_default ? this.owner.email : this.id('cal'),
			is_read_only: false,
			is_owned_by_user: true,
			is_default: false,
			background_color: '#7986cb',
			...fields,
		};
		this.calendars.push(calendar);
		return calendar;
	}

	/** `primary` names the account's default calendar, as on Google (Unipile's route examples use it too). */
	calendar(id: string, fail404: Fail): CalendarRec {
		const calendar = this.calendars.find((c) => c.id === id || (id === 'primary' && c.is_default));
		if (!calendar) throw fail404(`Calendar ${id} not found.`);
		return calendar;
	}

	event(calendarId: string, eventId: string, fail404: Fail): EventRec {
		const { id } = this.calendar(calendarId, fail404);
		const event = this.events.find((e) => e.calendar_id === id && e.id === eventId);
		if (!event) throw fail404(`Event ${eventId} not found in calendar ${calendarId}.`);
		return event;
	}

	// ------------------------------------------------------------------------------------------- calendars

	createCalendar(body: Record<string, unknown>, fail: Fail): CalendarRec {
		const fields = this.calendarFields(body, fail, true);
		return this.addCalendar(fields as CalendarRec);
	}

	updateCalendar(id: string, body: Record<string, unknown>, fail: Fail, fail404: Fail): CalendarRec {
		const calendar = this.calendar(id, fail404);
		if (calendar.is_read_only) throw fail(`Calendar ${id} is read-only.`);
		Object.assign(calendar, this.calendarFields(body, fail, false));
		return calendar;
	}

	deleteCalendar(id: string, fail: Fail, fail404: Fail): void {
		const calendar = this.calendar(id, fail404);
		if (calendar.is_default) throw fail('The primary calendar cannot be deleted.');
		this.calendars = this.calendars.filter((c) => c !== calendar);
		this.events = this.events.filter((e) => e.calendar_id !== id);
	}

	private calendarFields(body: Record<string, unknown>, fail: Fail, create: boolean): Partial<CalendarRec> {
		for (const key of Object.keys(body)) if (!CALENDAR_FIELDS.includes(key)) throw fail(`${key}: unknown body field (allowed: ${CALENDAR_FIELDS.join(', ')})`);
		const out: Partial<CalendarRec> = {};
		if (body.name !== undefined || create) {
			if (typeof body.name !== 'string' || body.name.trim() === '') throw fail('name: required, a non-empty string');
			out.name = body.name;
		}
		if (body.description !== undefined) {
			if (typeof body.description !== 'string') throw fail('description: must be a string');
			out.description = body.description;
		}
		if (body.background_color !== undefined) {
			if (typeof body.background_color !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(body.background_color)) throw fail('background_color: must be a hexadecimal color (#rrggbb)');
			out.background_color = body.background_color;
		}
		if (body.timezone !== undefined) {
			if (typeof body.timezone !== 'string' || !isZone(body.timezone)) throw fail(`timezone: not an IANA time zone: ${JSON.stringify(body.timezone)}`);
			out.timezone = body.timezone;
		}
		return out;
	}

	// ------------------------------------------------------------------------------------------- events

	private time(value: unknown, name: string, fail: Fail): EventTime {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(`${name}: must be an object {type: "datetime", date_time, timezone?} or {type: "date", date, timezone?}`);
		const o = value as Record<string, unknown>;
		if (o.timezone !== undefined && (typeof o.timezone !== 'string' || !isZone(o.timezone))) throw fail(`${name}.timezone: not an IANA time zone: ${JSON.stringify(o.timezone)}`);
		if (o.type === 'datetime') {
			for (const key of Object.keys(o)) if (!['type', 'date_time', 'timezone'].includes(key)) throw fail(`${name}.${key}: unknown field (allowed: type, date_time, timezone)`);
			if (typeof o.date_time !== 'string' || !DATE_TIME.test(o.date_time) || Number.isNaN(Date.parse(o.date_time.endsWith('Z') ? o.date_time : `${o.date_time}Z`)))
				throw fail(`${name}.date_time: must be an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS), got ${JSON.stringify(o.date_time)}`);
			return o.timezone === undefined ? { type: 'datetime', date_time: o.date_time } : { type: 'datetime', date_time: o.date_time, timezone: o.timezone as string };
		}
		if (o.type === 'date') {
			for (const key of Object.keys(o)) if (!['type', 'date', 'timezone'].includes(key)) throw fail(`${name}.${key}: unknown field (allowed: type, date, timezone)`);
			if (typeof o.date !== 'string' || !DATE.test(o.date) || Number.isNaN(Date.parse(o.date))) throw fail(`${name}.date: must be a date YYYY-MM-DD, got ${JSON.stringify(o.date)}`);
			return o.timezone === undefined ? { type: 'date', date: o.date } : { type: 'date', date: o.date, timezone: o.timezone as string };
		}
		throw fail(`${name}.type: must be "datetime" or "date", got ${JSON.stringify(o.type)}`);
	}

	private attendees(value: unknown, fail: Fail): EventAttendee[] {
		if (!Array.isArray(value)) throw fail('attendees: must be an array of {email, type?}');
		return value.map((entry, i) => {
			if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw fail(`attendees[${i}]: must be an object {email, type?}`);
			const o = entry as Record<string, unknown>;
			for (const key of Object.keys(o)) if (!['email', 'type'].includes(key)) throw fail(`attendees[${i}].${key}: unknown field (allowed: email, type)`);
			if (typeof o.email !== 'string' || !EMAIL.test(o.email)) throw fail(`attendees[${i}].email: not an email address: ${JSON.stringify(o.email)}`);
			if (o.type !== undefined && o.type !== 'required' && o.type !== 'optional') throw fail(`attendees[${i}].type: must be required or optional`);
			const type = (o.type ?? 'required') as 'required' | 'optional';
			return { email: o.email, is_organizer: false, is_self: false, is_optional: type === 'optional', is_resource: false, type, response_status: 'noreply' };
		});
	}

	private conference(value: unknown, fail: Fail): EventRec['conference'] {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('conference: must be an object {provider, conference_id?, url?}');
		const o = value as Record<string, unknown>;
		for (const key of Object.keys(o)) if (!['provider', 'conference_id', 'url'].includes(key)) throw fail(`conference.${key}: unknown field (allowed: provider, conference_id, url)`);
		if (typeof o.provider !== 'string' || !CONFERENCE_PROVIDERS.includes(o.provider)) throw fail(`conference.provider: must be one of ${CONFERENCE_PROVIDERS.join(', ')}`);
		if (o.url !== undefined) {
			if (typeof o.url !== 'string' || !/^https:\/\/[^\s@/]+(\/\S*)?$/.test(o.url)) throw fail('conference.url: must be an absolute credential-free HTTPS URL');
			return { provider: o.provider, hosting: 'description', url: o.url, ...(typeof o.conference_id === 'string' ? { conference_id: o.conference_id } : {}) };
		}
		const native = (this.provider === 'google' && o.provider === 'google_meet') || (this.provider === 'outlook' && (o.provider === 'teams' || o.provider === 'skype'));
		if (!native) throw fail(`conference.provider: ${o.provider} cannot be generated on ${this.provider} calendars; give the url of an existing conference`);
		const code = `${this.id('m').slice(-9)}`;
		return o.provider === 'google_meet'
			? { provider: 'google_meet', hosting: 'native', conference_id: code, url: `https://meet.google.com/${code.slice(0, 3)}-${code.slice(3, 7)}-${code.slice(7)}` }
			: { provider: o.provider, hosting: 'native', conference_id: code, url: `https://teams.microsoft.com/l/meetup-join/${code}` };
	}

	private eventFields(body: Record<string, unknown>, fail: Fail, create: boolean): Partial<EventRec> & { notify?: string } {
		for (const key of Object.keys(body)) if (!EVENT_FIELDS.includes(key)) throw fail(`${key}: unknown body field (allowed: ${EVENT_FIELDS.join(', ')})`);
		const out: Partial<EventRec> & { notify?: string } = {};
		if (create || body.title !== undefined) {
			if (typeof body.title !== 'string' || body.title.trim() === '') throw fail('title: required, a non-empty string');
			out.title = body.title;
		}
		for (const name of ['body', 'location'] as const) {
			if (body[name] === undefined) continue;
			if (typeof body[name] !== 'string') throw fail(`${name}: must be a string`);
			out[name] = body[name] as string;
		}
		if (create && body.attendees === undefined) throw fail('attendees: required, an array of {email, type?}');
		if (body.attendees !== undefined) out.attendees = this.attendees(body.attendees, fail);
		if (create && (body.start === undefined || body.end === undefined)) throw fail(`${body.start === undefined ? 'start' : 'end'}: required`);
		if (body.start !== undefined) out.start = this.time(body.start, 'start', fail);
		if (body.end !== undefined) out.end = this.time(body.end, 'end', fail);
		if (body.conference === null && !create) out.conference = undefined;
		else if (body.conference !== undefined) out.conference = this.conference(body.conference, fail);
		if (body.visibility !== undefined && body.visibility !== 'public' && body.visibility !== 'private') throw fail('visibility: must be public or private');
		if (body.transparency !== undefined && body.transparency !== 'opaque' && body.transparency !== 'transparent') throw fail('transparency: must be opaque or transparent');
		if (body.notify !== undefined && !['all', 'externalOnly', 'none'].includes(String(body.notify))) throw fail('notify: must be all, externalOnly or none');
		if (body.notify !== undefined && this.provider !== 'google') throw fail('notify: only available for google');
		if (body.timezone !== undefined && (typeof body.timezone !== 'string' || !isZone(body.timezone))) throw fail('timezone: not an IANA time zone');
		if (body.visibility !== undefined) out.visibility = body.visibility as EventRec['visibility'];
		if (body.transparency !== undefined) out.transparency = body.transparency as EventRec['transparency'];
		return out;
	}

	private checkTimes(start: EventTime, end: EventTime, fail: Fail): void {
		if (start.type !== end.type) throw fail('start, end: must both be date-times or both dates');
		const ok = start.type === 'date' ? instantOf(end) >= instantOf(start) : instantOf(end) > instantOf(start);
		if (!ok) throw fail('end: must be after start');
	}

	private insert(calendarId: string, fields: Record<string, unknown>): EventRec {
		const at = this.now();
		const start = fields.start as EventTime;
		const end = fields.end as EventTime;
		const zone = start.type === 'datetime' && end.type === 'datetime' && start.timezone === end.timezone ? start.timezone : undefined;
		const event: EventRec = {
			object: 'CalendarEvent',
			id: this.id('evt'),
			calendar_id: calendarId,
			created_at: at,
			updated_at: at,
			title: String(fields.title),
			...(fields.body !== undefined ? { body: String(fields.body) } : {}),
			...(fields.location !== undefined ? { location: String(fields.location) } : {}),
			is_cancelled: false,
			is_all_day: start.type === 'date',
			is_attendees_list_hidden: false,
			attendees: [
				{ email: this.owner.email, display_name: this.owner.display_name, is_organizer: true, is_self: true, is_optional: false, is_resource: false, type: 'required', response_status: 'yes' },
				...((fields.attendees ?? []) as EventAttendee[]),
			],
			start,
			end,
			organizer: { ...this.owner },
			visibility: (fields.visibility as EventRec['visibility']) ?? 'public',
			transparency: (fields.transparency as EventRec['transparency']) ?? 'opaque',
			event_type: 'default',
			...(zone ? { timezone: zone } : {}),
		};
		if (fields.conference) event.conference = fields.conference as EventRec['conference'];
		this.events.push(event);
		return event;
	}

	createEvent(calendarId: string, body: Record<string, unknown>, fail: Fail, fail404: Fail): EventRec {
		const calendar = this.calendar(calendarId, fail404);
		if (calendar.is_read_only) throw fail(`Calendar ${calendarId} is read-only.`);
		const fields = this.eventFields(body, fail, true);
		this.checkTimes(fields.start!, fields.end!, fail);
		return this.insert(calendar.id, fields as Record<string, unknown>);
	}

	updateEvent(calendarId: string, eventId: string, body: Record<string, unknown>, fail: Fail, fail404: Fail): EventRec {
		const event = this.event(calendarId, eventId, fail404);
		const fields = this.eventFields(body, fail, false);
		this.checkTimes(fields.start ?? event.start, fields.end ?? event.end, fail);
		const { notify: _notify, attendees, ...rest } = fields;
		Object.assign(event, rest, { updated_at: this.now() });
		if ('conference' in fields && fields.conference === undefined) delete event.conference;
		if (attendees) event.attendees = [event.attendees.find((a) => a.is_self)!, ...attendees].filter(Boolean);
		event.is_all_day = event.start.type === 'date';
		return event;
	}

	deleteEvent(calendarId: string, eventId: string, fail404: Fail): void {
		const event = this.event(calendarId, eventId, fail404);
		this.events = this.events.filter((e) => e !== event);
	}

	cancelEvent(calendarId: string, eventId: string, body: Record<string, unknown>, fail: Fail, fail404: Fail): void {
		for (const key of Object.keys(body)) if (key !== 'comment') throw fail(`${key}: unknown body field (allowed: comment)`);
		if (body.comment !== undefined && typeof body.comment !== 'string') throw fail('comment: must be a string');
		const event = this.event(calendarId, eventId, fail404);
		event.is_cancelled = true;
		event.updated_at = this.now();
	}

	rsvp(calendarId: string, eventId: string, body: Record<string, unknown>, fail: Fail, fail404: Fail): void {
		for (const key of Object.keys(body)) if (!['status', 'comment'].includes(key)) throw fail(`${key}: unknown body field (allowed: status, comment)`);
		if (body.status !== 'yes' && body.status !== 'maybe' && body.status !== 'no') throw fail('status: required, one of yes, maybe, no');
		if (body.comment !== undefined && typeof body.comment !== 'string') throw fail('comment: must be a string');
		const event = this.event(calendarId, eventId, fail404);
		const self = event.attendees.find((a) => a.is_self);
		if (self) self.response_status = body.status;
		event.updated_at = this.now();
	}

	/** Events of a calendar by start, first first; `start`/`end` bound the range; cancelled ones only when asked. */
	listEvents(calendarId: string, filters: { start?: string; end?: string; is_cancelled?: string }): EventRec[] {
		calendarId = this.calendars.find((c) => c.id === calendarId || (calendarId === 'primary' && c.is_default))?.id ?? calendarId;
		const from = filters.start ? Date.parse(filters.start) : -Infinity;
		const to = filters.end ? Date.parse(filters.end) : Infinity;
		return this.events
			.filter((e) => e.calendar_id === calendarId)
			.filter((e) => (filters.is_cancelled === 'true' ? true : !e.is_cancelled))
			.filter((e) => instantOf(e.start) >= from && instantOf(e.end) <= to)
			.sort((a, b) => instantOf(a.start) - instantOf(b.start) || (a.id < b.id ? 1 : -1));
	}
}

/**
 * Calendar providers answer fewer events a page than asked ("the limit is a ceiling, not a guarantee"): the sandbox
 * answers at most this many, so Return All and Limit are seen following the pages.
 */
export const EVENTS_PAGE_MAX = 4;

/** A newest-first paging key for events listed first-first (the sandbox pagers walk keys downwards). */
export function eventKey(event: EventRec): string {
	return `${String(1e15 - instantOf(event.start)).padStart(16, '0')}|${event.id}`;
}
