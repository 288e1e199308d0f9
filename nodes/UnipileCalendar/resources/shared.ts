import { DateTime } from 'luxon';
import {
	type IDisplayOptions,
	type IDataObject,
	type IExecuteSingleFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { accountLocator, pathParam } from '../../shared/descriptions';
import { credentialTypeOf } from '../../shared/transport';
import { hiddenOnV2 } from '../../shared/v2';

/** `/calendars/{calendarId}` with the picked calendar, URI-encoded (v1; v2's paths are in the route tables). */
export const calendarUrl = `=/calendars/${pathParam('calendarId')}`;

/** The account, sent as `account_id` in the query on v1 (every calendar route takes it); in the path on v2. */
export function calendarAccount(show: IDisplayOptions['show'], description: string): INodeProperties {
	return accountLocator({ required: true, description, displayOptions: { show }, routing: { send: { type: 'query', property: 'account_id' } } });
}

/** The calendar picker: the chosen account's calendars, or an ID. */
export function calendarLocator(show: IDisplayOptions['show'], description: string): INodeProperties {
	return {
		displayName: 'Calendar',
		name: 'calendarId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show },
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchCalendars', searchable: true } },
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. primary or AAMkAGI2TG93AAA=' },
		],
	};
}

/** Why calendar create/update/delete, event cancel and RSVP are refused on v1 (`notOnV1`): v1 has no such route. */
export const ON_V2_ONLY = 'Unipile API v1 has no such route. Choose "Unipile API V2" in Authentication (with a Unipile V2 API credential) to use it.';

/**
 * v1 lists: the calendar routes are documented answering `{data, next_cursor}` (v2's shape) where the other v1 lists
 * answer `{object, items, cursor}`: either becomes the v1 list the transport pages through.
 */
export async function v1List(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (credentialTypeOf(this) === 'unipileV2Api') return items;
	return items.map((item) => {
		const body = item.json;
		if (Array.isArray(body.items) || !Array.isArray(body.data)) return item;
		const cursor = typeof body.next_cursor === 'string' && body.next_cursor !== '' ? body.next_cursor : typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : null;
		return { ...item, json: { object: 'List', items: body.data, cursor } };
	});
}

/**
 * Shown on v1 instead of the fields of an operation only v2 has (a workflow moved from v2 to v1 keeps the operation);
 * the transport refuses such an item before anything is sent (`notOnV1` in the v2 route tables).
 */
export function v1UnavailableNotice(name: string, resource: string, operations: Record<string, string>): INodeProperties {
	return hiddenOnV2({
		displayName: `${Object.values(operations).join(', ')}: available on Unipile API V2 only (choose it in Authentication)`,
		name,
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: [resource], operation: Object.keys(operations) } },
	});
}

/** Delete, Cancel and RSVP answer nothing (204) on v2 and a small object on v1: one item saying it was done. */
export function doneItem(what: string) {
	return async function (this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
		const answer = items[0]?.json;
		const empty = answer === undefined || (answer as unknown) === '' || (typeof answer === 'object' && Object.keys(answer).length === 0);
		const id = String(this.getNodeParameter(what === 'calendar' ? 'calendarId' : 'eventId', '', { extractValue: true }) ?? '').trim();
		return [{ json: { success: true, [`${what}Id`]: id, ...(empty ? {} : (answer as IDataObject)) } }];
	};
}

/** An event's start or end as one ISO string: the date of an all-day event, else the moment with its offset. */
function momentOf(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value !== 'object' || value === null) return null;
	const time = value as IDataObject;
	if (typeof time.date === 'string') return time.date;
	if (typeof time.date_time !== 'string') return null;
	const zone = typeof time.timezone === 'string' ? time.timezone : typeof time.time_zone === 'string' ? time.time_zone : 'UTC';
	const parsed = DateTime.fromISO(time.date_time, { zone });
	return parsed.isValid ? parsed.toISO() : time.date_time;
}

/** Simplify: `{id, title, start, end, attendees (emails), location, link (the online meeting's)}`. */
export function simplifyEvent(event: IDataObject): IDataObject {
	const attendees = Array.isArray(event.attendees) ? (event.attendees as IDataObject[]) : [];
	const conference = event.conference as IDataObject | undefined;
	return {
		id: event.id,
		title: event.title ?? '',
		start: momentOf(event.start),
		end: momentOf(event.end),
		attendees: attendees.map((attendee) => attendee.email ?? attendee.identifier).filter((email) => typeof email === 'string'),
		location: event.location ?? null,
		link: conference?.url ?? null,
	};
}

/** Simplify on: each event (or each event of a page) reduced to `simplifyEvent`. */
export async function simplifyEvents(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (this.getNodeParameter('simplify', true) !== true) return items;
	return items.map((item) => {
		const json = item.json;
		if (Array.isArray(json.items)) return { ...item, json: { ...json, items: (json.items as IDataObject[]).map(simplifyEvent) } };
		if (Array.isArray(json.data)) return { ...item, json: { ...json, data: (json.data as IDataObject[]).map(simplifyEvent) } };
		return { ...item, json: simplifyEvent(json) };
	});
}
