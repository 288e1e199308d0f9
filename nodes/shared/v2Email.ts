/**
 * What the Email node's v2 routes and the Polling Trigger's v2 email poller both need: an account's folders, a folder
 * as users name it on either API, and Gmail's date-only `after`/`before` asked a day wider and then filtered exactly.
 */
import type { IDataObject } from 'n8n-workflow';
import { unipileV2Pages } from './pager';
import type { UnipileContext } from './transport';

/** The account's folders on v2 (`GET /v2/{account_id}/folders`), every page. */
export async function v2Folders(context: UnipileContext, accountId: string, itemIndex?: number, headers?: IDataObject): Promise<IDataObject[]> {
	const folders: IDataObject[] = [];
	const path = `/${encodeURIComponent(accountId)}/folders`;
	for await (const page of unipileV2Pages.call(context, { path, qs: { limit: '250' }, itemIndex, ...(headers ? { headers } : {}) })) folders.push(...page.items);
	return folders;
}

/**
 * A folder as users give it on either API: its v2 id, its role (`INBOX`, `sent`…: what v1's folder filters named), or
 * its name. Undefined when the account has no such folder.
 */
export function findFolder(folders: IDataObject[], given: string): IDataObject | undefined {
	const wanted = given.trim();
	const lower = wanted.toLowerCase();
	return (
		folders.find((folder) => String(folder.id) === wanted) ??
		folders.find((folder) => typeof folder.role === 'string' && folder.role.toLowerCase() === lower) ??
		folders.find((folder) => String(folder.name ?? '').toLowerCase() === lower)
	);
}

const DAY_MS = 86_400_000;

/**
 * Gmail reads `after`/`before` as a date (its time dropped) and both are exclusive: asked as given, emails of that
 * same day would be lost. The day before `after` and the day after `before` are asked instead (a full day either way
 * also covers the mailbox's time zone), and `withinDates` then keeps exactly what was asked. Done for every provider
 * when the provider is not known: the exact filter makes it right on all of them.
 */
export function dayWider(value: unknown, bound: 'after' | 'before'): string | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) return value;
	const day = Math.floor(ms / DAY_MS) * DAY_MS;
	return new Date(bound === 'after' ? day - DAY_MS : day + 2 * DAY_MS).toISOString();
}

/** Whether an email's `date` is strictly between `after` and `before` (each optional), as v2's filters mean them. */
export function withinDates(email: IDataObject, after: unknown, before: unknown): boolean {
	const date = Date.parse(String(email.date ?? ''));
	if (Number.isNaN(date)) return true;
	const afterMs = Date.parse(String(after ?? ''));
	const beforeMs = Date.parse(String(before ?? ''));
	return (Number.isNaN(afterMs) || date > afterMs) && (Number.isNaN(beforeMs) || date < beforeMs);
}
