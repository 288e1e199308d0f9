/**
 * The sandbox's Unipile API v1 calendar routes, for the Google (GOOGLE_OAUTH) and Outlook mail accounts:
 * `GET /calendars?account_id=`, `GET /calendars/:id?account_id=`, `GET|POST /calendars/:id/events?account_id=`,
 * `GET|PATCH|DELETE /calendars/:id/events/:event_id?account_id=`. The v1 SDK (1.9.3) has no calendar method or schema;
 * these follow Unipile's v1 "Calendars & Events" guide (`GET /api/v1/calendars?account_id=…`, paged) and the public
 * descriptions of the v1 OpenAPI routes: `account_id` in the query, lists answered `{data, next_cursor}` (events at most 4 a page, as a provider may answer
 * fewer than asked), the same
 * `Calendar` and `CalendarEvent` objects and event body as v2 (so one book, ./calendarBook.ts, serves both), delete
 * answered `{object: "CalendarEventDeleted"}`. v1 documents no calendar create/update/delete, cancel or RSVP.
 * Only type imports from routes.ts/data.ts (routes.ts spreads CALENDAR_ROUTES).
 */
import type { SandboxStore } from './data';
import type { Route, RouteContext, RouteResult } from './routes';
import { invalid, notFound, paginate, Query } from './http';
import { CalendarBook, EVENTS_PAGE_MAX, eventKey } from './calendarBook';

const CALENDAR_TYPES = ['GOOGLE_OAUTH', 'GOOGLE', 'OUTLOOK'];
/** One set of books per generation of the store: `store.mail` is rebuilt on every reset. */
const booksOf = new WeakMap<object, Map<string, CalendarBook>>();

function book(ctx: RouteContext): { book: CalendarBook; accountId: string } {
	const accountId = ctx.query.required('account_id');
	const store: SandboxStore = ctx.store;
	const account = store.accountById.get(accountId);
	if (!account) throw notFound(`account_id: account ${JSON.stringify(accountId)} not found`);
	if (!CALENDAR_TYPES.includes(account.type)) throw invalid(`account_id: calendars are available for Google and Microsoft accounts, not ${account.type}`);
	let books = booksOf.get(store.mail);
	if (!books) booksOf.set(store.mail, (books = new Map()));
	let found = books.get(accountId);
	if (!found) {
		const email = String(account.connection_params?.mail?.username ?? account.name);
		found = new CalendarBook({ email, display_name: account.name }, account.type === 'OUTLOOK' ? 'outlook' : 'google', () => new Date().toISOString());
		books.set(accountId, found);
	}
	return { book: found, accountId };
}

const ok = (json: unknown, status = 200): RouteResult => ({ status, json });
const r = (method: string, path: string, handler: (ctx: RouteContext) => RouteResult): Route => ({ method, pattern: path.split('/').filter(Boolean), handler });

function listCalendars(ctx: RouteContext): RouteResult {
	ctx.query.only(['account_id', 'limit', 'cursor']);
	const { book: b, accountId } = book(ctx);
	const page = paginate(ctx.query, `calendars ${accountId}`, () => ({}), () => b.calendars, (c) => [String(9999 - b.calendars.indexOf(c)).padStart(5, '0'), c.id]);
	return ok(page.cursor ? { data: page.items, next_cursor: page.cursor } : { data: page.items });
}

function listEvents(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'limit', 'cursor', 'start', 'end', 'is_cancelled']);
	const { book: b, accountId } = book(ctx);
	b.calendar(ctx.params.calendar_id, notFound);
	const parse = () => {
		const filters: { start?: string; end?: string; is_cancelled?: string } = {};
		const start = q.date('start');
		const end = q.date('end');
		if (start) filters.start = start;
		if (end) filters.end = end;
		const cancelled = q.one('is_cancelled');
		if (cancelled !== undefined) {
			if (cancelled !== 'true' && cancelled !== 'false') throw invalid('is_cancelled: must be true or false');
			filters.is_cancelled = cancelled;
		}
		return filters;
	};
	// At most EVENTS_PAGE_MAX a page, whatever the limit asked (validated first).
	const params = new URLSearchParams(q.params);
	params.set('limit', String(Math.min(q.limit() ?? 100, EVENTS_PAGE_MAX)));
	const page = paginate(new Query(params), `events ${accountId} ${ctx.params.calendar_id}`, parse, (f) => b.listEvents(ctx.params.calendar_id, f), (e) => [eventKey(e), '']);
	return ok(page.cursor ? { data: page.items, next_cursor: page.cursor } : { data: page.items });
}

export const CALENDAR_ROUTES: Route[] = [
	r('GET', '/calendars', listCalendars),
	r('GET', '/calendars/:calendar_id', (ctx) => {
		ctx.query.only(['account_id']);
		return ok(book(ctx).book.calendar(ctx.params.calendar_id, notFound));
	}),
	r('GET', '/calendars/:calendar_id/events', listEvents),
	r('POST', '/calendars/:calendar_id/events', (ctx) => {
		ctx.query.only(['account_id']);
		const { book: b } = book(ctx);
		return ok(b.createEvent(ctx.params.calendar_id, ctx.json(), invalid, notFound), 201);
	}),
	r('GET', '/calendars/:calendar_id/events/:event_id', (ctx) => {
		ctx.query.only(['account_id']);
		return ok(book(ctx).book.event(ctx.params.calendar_id, ctx.params.event_id, notFound));
	}),
	r('PATCH', '/calendars/:calendar_id/events/:event_id', (ctx) => {
		ctx.query.only(['account_id']);
		const { book: b } = book(ctx);
		return ok(b.updateEvent(ctx.params.calendar_id, ctx.params.event_id, ctx.json(), invalid, notFound));
	}),
	r('DELETE', '/calendars/:calendar_id/events/:event_id', (ctx) => {
		ctx.query.only(['account_id']);
		book(ctx).book.deleteEvent(ctx.params.calendar_id, ctx.params.event_id, notFound);
		return ok({ object: 'CalendarEventDeleted' });
	}),
];
