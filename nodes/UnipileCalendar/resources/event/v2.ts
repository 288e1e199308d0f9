import type { V2Route } from '../../../shared/v2';
import { ON_V2_ONLY } from '../shared';

const eventsPath = '/{accountId}/calendars/{calendarId}/events';
const eventPath = `${eventsPath}/{eventId}`;
/** Create and Update send the same fields on both APIs (built in index.ts). */
const EVENT_BODY = { title: 'title', body: 'body', location: 'location', attendees: 'attendees', start: 'start', end: 'end', conference: 'conference', notify: 'notify' };

export const eventV2: Record<string, V2Route> = {
	cancel: { method: 'POST', path: `${eventPath}/cancel`, body: { comment: 'comment' }, notOnV1: ON_V2_ONLY },
	create: { method: 'POST', path: eventsPath, body: EVENT_BODY, keepEmpty: ['attendees'] },
	delete: { method: 'DELETE', path: eventPath },
	get: { method: 'GET', path: eventPath },
	getAll: { method: 'GET', path: eventsPath, query: { limit: 'limit', start: 'start', end: 'end' }, list: true },
	rsvp: { method: 'POST', path: `${eventPath}/rsvp`, body: { status: 'status', comment: 'comment' }, notOnV1: ON_V2_ONLY },
	update: { method: 'PATCH', path: eventPath, body: EVENT_BODY, keepEmpty: ['conference'] },
};
