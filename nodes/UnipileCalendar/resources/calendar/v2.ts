import type { V2Route } from '../../../shared/v2';
import { ON_V2_ONLY } from '../shared';

const calendarPath = '/{accountId}/calendars/{calendarId}';
const CALENDAR_BODY = { name: 'name', description: 'description', timezone: 'timezone', background_color: 'background_color' };

export const calendarV2: Record<string, V2Route> = {
	create: { method: 'POST', path: '/{accountId}/calendars', body: CALENDAR_BODY, notOnV1: ON_V2_ONLY },
	delete: { method: 'DELETE', path: calendarPath, notOnV1: ON_V2_ONLY },
	get: { method: 'GET', path: calendarPath },
	getAll: { method: 'GET', path: '/{accountId}/calendars', query: { limit: 'limit' }, list: true },
	update: { method: 'PATCH', path: calendarPath, body: CALENDAR_BODY, notOnV1: ON_V2_ONLY },
};
