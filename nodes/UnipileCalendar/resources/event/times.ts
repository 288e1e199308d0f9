import { DateTime, IANAZone } from 'luxon';
import { NodeOperationError, type IExecuteSingleFunctions } from 'n8n-workflow';

/**
 * An event's start or end as Unipile takes it (the same object on v1 and v2): a wall-clock time with its IANA time
 * zone (Unipile's docs: "date_time … without timezone", "timezone … an IANA time zone ID"), or a date for an all-day
 * event.
 */
export type EventTime = { type: 'datetime'; date_time: string; timezone: string } | { type: 'date'; date: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const EXAMPLE =
	'Use an ISO 8601 date-time such as 2026-05-28T10:00:00 (read in the Time Zone) or 2026-05-28T10:00:00+02:00, a date such as 2026-05-28 for an all-day event, or an expression like {{ $now.plus({ days: 1 }).set({ hour: 10, minute: 0 }) }}';

/** The time zone to read and send times in: the node's Time Zone, else the workflow's. Refused when not an IANA zone. */
export function eventTimeZone(context: IExecuteSingleFunctions, parameter = 'timeZone'): string {
	const given = String(context.getNodeParameter(parameter, '') ?? '').trim();
	const zone = given === '' ? context.getTimezone() : given;
	if (!IANAZone.isValidZone(zone)) {
		throw new NodeOperationError(context.getNode(), `"Time Zone" is not a time zone: ${JSON.stringify(zone)}`, {
			itemIndex: context.getItemIndex(),
			description: 'Use an IANA time zone name such as Europe/Paris, America/New_York or UTC, or leave it empty for the workflow\'s time zone.',
		});
	}
	return zone;
}

/**
 * What users give n8n date fields — ISO strings (with or without an offset), date-only strings, Luxon DateTimes or JS
 * Dates from expressions, epoch milliseconds — as a moment in `zone`; undefined when it is not a date.
 */
function parse(value: unknown, zone: string): { time: DateTime; allDay: boolean } | undefined {
	let time: DateTime | undefined;
	let allDay = false;
	if (DateTime.isDateTime(value)) time = value.setZone(zone);
	else if (value instanceof Date) time = DateTime.fromJSDate(value, { zone });
	else if (typeof value === 'number') time = DateTime.fromMillis(value, { zone });
	else if (typeof value === 'string' && value.trim() !== '') {
		const text = value.trim();
		allDay = DATE_ONLY.test(text);
		time = DateTime.fromISO(text, { zone });
	} else if (typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function') {
		// A DateTime of another Luxon copy (n8n's expression engine has its own).
		time = DateTime.fromISO(String((value as { toISO: () => string }).toISO()), { zone });
	}
	return time?.isValid ? { time, allDay } : undefined;
}

export function invalidTime(context: IExecuteSingleFunctions, label: string, value: unknown): NodeOperationError {
	const shown = value instanceof Date || DateTime.isDateTime(value) ? String(value) : typeof value === 'string' ? value : JSON.stringify(value);
	return new NodeOperationError(context.getNode(), `"${label}" is not a valid date: ${JSON.stringify(shown ?? '')}`, {
		itemIndex: context.getItemIndex(),
		description: EXAMPLE,
	});
}

/** A start or end for the event body, or the error naming the field. */
export function toEventTime(context: IExecuteSingleFunctions, label: string, value: unknown, zone: string): { time: EventTime; at: DateTime; allDay: boolean } {
	const parsed = parse(value, zone);
	if (!parsed) throw invalidTime(context, label, value);
	const { time, allDay } = parsed;
	return allDay
		? { time: { type: 'date', date: time.toFormat('yyyy-LL-dd') }, at: time, allDay }
		: { time: { type: 'datetime', date_time: time.toFormat("yyyy-LL-dd'T'HH:mm:ss"), timezone: zone }, at: time, allDay };
}

/** Start and End together: both all-day or both timed, End after Start (an all-day event may end on its start date). */
export function checkOrder(context: IExecuteSingleFunctions, start: ReturnType<typeof toEventTime>, end: ReturnType<typeof toEventTime>): void {
	const itemIndex = context.getItemIndex();
	if (start.allDay !== end.allDay) {
		throw new NodeOperationError(context.getNode(), '"Start" and "End" must both be dates (an all-day event) or both date-times', {
			itemIndex,
			description: 'Give 2026-05-28 and 2026-05-28 for a one-day event, or 2026-05-28T10:00:00 and 2026-05-28T11:00:00 for a timed one.',
		});
	}
	const ordered = start.allDay ? end.at.startOf('day') >= start.at.startOf('day') : end.at > start.at;
	if (!ordered) {
		throw new NodeOperationError(context.getNode(), `"End" (${end.at.toISO()}) must be after "Start" (${start.at.toISO()})`, {
			itemIndex,
			description: start.allDay ? 'For an all-day event End is the last day (inclusive): the same date as Start for one day.' : 'Set End later than Start, e.g. {{ $json.start.plus({ minutes: 30 }) }}.',
		});
	}
}

/** A list filter (Get Many's Start and End) as an ISO 8601 UTC date-time, `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export function toFilterTime(context: IExecuteSingleFunctions, label: string, value: unknown, zone: string): string {
	const parsed = parse(value, zone);
	if (!parsed) throw invalidTime(context, label, value);
	return parsed.time.toUTC().toISO({ suppressMilliseconds: false, includeOffset: false }) + 'Z';
}
