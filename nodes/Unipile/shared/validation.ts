import { DateTime } from 'luxon';
import { NodeOperationError, type INode } from 'n8n-workflow';

/**
 * Unipile wants `YYYY-MM-DDTHH:MM:SS.sssZ`. Users give n8n date pickers (no zone: the workflow's time zone),
 * ISO strings with offsets, Luxon DateTimes from expressions ($now) or JS Dates.
 */
export function toUnipileDate(value: unknown, timezone: string): string | undefined {
	let date: DateTime | undefined;
	if (DateTime.isDateTime(value)) date = value;
	else if (value instanceof Date) date = DateTime.fromJSDate(value);
	else if (typeof value === 'string' && value.trim() !== '') date = DateTime.fromISO(value.trim(), { zone: timezone });
	else if (typeof value === 'number') date = DateTime.fromMillis(value);
	if (!date?.isValid) return undefined;
	return date.toUTC().toISO({ includeOffset: false, suppressMilliseconds: false }) + 'Z';
}

export function invalidDate(node: INode, field: string, value: unknown, itemIndex: number): NodeOperationError {
	return new NodeOperationError(node, `"${field}" is not a valid date: ${JSON.stringify(String(value))}`, {
		itemIndex,
		description: 'Use an ISO 8601 date such as 2026-01-31T09:30:00Z, a date picked in the field, or an expression like {{ $now.minus({ days: 1 }) }}',
	});
}
