/**
 * The sandbox's Unipile API v2 calendar routes (Google and Outlook accounts), an area of the v2 environment. Written
 * from `@unipile/sdk` types.gen.ts (rows 82–94 of REFERENCE-V2-ROUTES.md); the calendars and events themselves live in
 * ../calendarBook.ts (shared with the v1 routes):
 *
 * - `GET|POST /v2/{acc}/calendars` (list pages Google by cursor, Outlook by offset; create answers 201),
 *   `GET|PATCH|DELETE /v2/{acc}/calendars/{calendar_id}` (delete answers 204).
 * - `GET|POST /v2/{acc}/calendars/{calendar_id}/events` (filters `start`, `end` as ISO 8601 UTC, `is_cancelled`; at most
 *   4 events a page whatever the limit, as a provider may answer fewer; create answers 201), `GET|PATCH|DELETE …/events/{event_id}` (delete 204), `POST …/rsvp {status, comment?}`,
 *   `POST …/cancel {comment?}`, `POST …/restore` (204 each).
 * - Each seeded (and later) Google/Outlook account has its primary calendar (id = its address, Europe/Paris), a
 *   read-only "Team holidays" calendar, and six events in December 2026.
 * - Test control: `GET /_sandbox/v2/calendars/{accountId}` → `{calendars, events}` as stored (cancelled ones too).
 */
import { CalendarBook, EVENTS_PAGE_MAX, eventKey } from '../calendarBook';
import { bad, notFound, V2Error, V2Query } from './http';
import type { Ctx, Result, V2Area, V2Environment } from './env';
import type { V2AccountRec, V2Provider } from './store';

const CALENDAR_PROVIDERS: readonly V2Provider[] = ['google', 'outlook'];
const LIST_FILTERS = ['is_cancelled', 'title', 'description', 'ical_uid', 'location', 'start', 'end', 'busy', 'updated_before', 'updated_after', 'attendees', 'event_type', 'expand_recurring'];

export class V2CalendarArea implements V2Area {
	private books = new Map<string, CalendarBook>();

	constructor(private readonly env: V2Environment) {}

	reset(): void {
		this.books.clear();
	}

	private book(acc: V2AccountRec): CalendarBook {
		let book = this.books.get(acc.account.id);
		if (!book) {
			const email = acc.account.name ?? acc.owner.id;
			book = new CalendarBook({ email, display_name: acc.owner.display_name }, acc.account.provider === 'google' ? 'google' : 'outlook', () => this.env.store.now());
			this.books.set(acc.account.id, book);
		}
		return book;
	}

	route(ctx: Ctx): Result | undefined {
		const { method, segs } = ctx;
		const n = segs.length;
		if (n < 2 || segs[0] === 'accounts' || segs[0] === 'auth' || segs[1] !== 'calendars') return undefined;
		const acc = this.env.methodsAccount(segs[0], CALENDAR_PROVIDERS);
		const book = this.book(acc);
		const provider = acc.account.provider;
		const body = (): Record<string, unknown> => ctx.body();
		const noBody = () => {
			if (ctx.entry.json !== undefined) throw bad('this route takes no body');
		};
		if (n === 2) {
			if (method === 'GET') {
				ctx.query.only(['offset', 'cursor', 'limit']);
				const page = this.env.page(ctx, provider, `calendars ${acc.account.id}`, {}, () => book.calendars.map((c, i) => ({ c, k: String(9999 - i).padStart(5, '0') })), (x) => x.k);
				return { status: 200, json: { ...page, data: page.data.map((x) => x.c) } };
			}
			if (method === 'POST') {
				ctx.query.only([]);
				return { status: 201, json: book.createCalendar(body(), bad) };
			}
			return undefined;
		}
		const calendarId = segs[2];
		if (n === 3) {
			if (method === 'GET') {
				ctx.query.only([]);
				return { status: 200, json: book.calendar(calendarId, notFound) };
			}
			if (method === 'PATCH') {
				ctx.query.only([]);
				return { status: 200, json: book.updateCalendar(calendarId, body(), bad, notFound) };
			}
			if (method === 'DELETE') {
				ctx.query.only([]);
				noBody();
				book.deleteCalendar(calendarId, bad, notFound);
				return { status: 204, json: '' };
			}
			return undefined;
		}
		if (segs[3] !== 'events') return undefined;
		if (n === 4) {
			if (method === 'GET') {
				const q = ctx.query.only([...LIST_FILTERS, 'offset', 'cursor', 'limit']);
				book.calendar(calendarId, notFound);
				const filters: Record<string, string> = {};
				for (const name of ['start', 'end'] as const) {
					const v = q.date(name);
					if (v !== undefined) filters[name] = v;
				}
				const cancelled = q.bool('is_cancelled');
				if (cancelled !== undefined) filters.is_cancelled = String(cancelled);
				for (const name of LIST_FILTERS.filter((f) => !['start', 'end', 'is_cancelled'].includes(f))) if (q.params.has(name)) throw bad(`${name}: this filter is not supported by the sandbox`);
				// At most EVENTS_PAGE_MAX a page, whatever the limit asked (validated first).
				const asked = q.int('limit', 1, 250);
				const params = new URLSearchParams(q.params);
				params.set('limit', String(Math.min(asked ?? 20, EVENTS_PAGE_MAX)));
				const page = this.env.page({ ...ctx, query: new V2Query(params) }, provider, `events ${acc.account.id} ${calendarId}`, filters, (f) => book.listEvents(calendarId, f), eventKey);
				return { status: 200, json: page };
			}
			if (method === 'POST') {
				ctx.query.only([]);
				return { status: 201, json: book.createEvent(calendarId, body(), bad, notFound) };
			}
			return undefined;
		}
		const eventId = segs[4];
		if (n === 5) {
			ctx.query.only([]);
			if (method === 'GET') return { status: 200, json: book.event(calendarId, eventId, notFound) };
			if (method === 'PATCH') return { status: 200, json: book.updateEvent(calendarId, eventId, body(), bad, notFound) };
			if (method === 'DELETE') {
				noBody();
				book.deleteEvent(calendarId, eventId, notFound);
				return { status: 204, json: '' };
			}
			return undefined;
		}
		if (n === 6 && method === 'POST') {
			ctx.query.only([]);
			if (segs[5] === 'rsvp') {
				book.rsvp(calendarId, eventId, body(), bad, notFound);
				return { status: 204, json: '' };
			}
			if (segs[5] === 'cancel') {
				book.cancelEvent(calendarId, eventId, ctx.entry.json === undefined ? {} : body(), bad, notFound);
				return { status: 204, json: '' };
			}
			if (segs[5] === 'restore') {
				noBody();
				const event = book.event(calendarId, eventId, notFound);
				if (provider === 'outlook') throw new V2Error(405, 'provider/method_not_allowed', 'Outlook cannot restore a cancelled event.');
				event.is_cancelled = false;
				return { status: 204, json: '' };
			}
		}
		return undefined;
	}

	control(method: string, path: string): [number, unknown] | undefined {
		const match = /^\/_sandbox\/v2\/calendars\/([^/]+)$/.exec(path);
		if (!match || method !== 'GET') return undefined;
		const acc = this.env.methodsAccount(decodeURIComponent(match[1]), CALENDAR_PROVIDERS);
		const book = this.book(acc);
		return [200, { calendars: book.calendars, events: book.events }];
	}
}
