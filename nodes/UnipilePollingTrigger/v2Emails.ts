/**
 * Watch → New Emails on Unipile API v2. Each watched mailbox is read on its own: the folder watched
 * (`GET /v2/{account_id}/folders/{folder_id}/emails`, its id found in `GET /v2/{account_id}/folders` by the Folder ID
 * given or by the Folder Role) or the whole mailbox (`GET /v2/{account_id}/emails`; Starred as `is_starred=true`, v2
 * has no starred folder), newest first, `after` the mailbox's floor (its watermark minus the Lookback Window).
 * `after` is exclusive, and Gmail reads it as a date: on Gmail (and on a mailbox whose provider is not known) the day
 * before is asked and the answer filtered exactly, so an email of the floor's day is not lost. Every read bypasses
 * Unipile's 1-hour GET cache.
 *
 * Each mailbox keeps the v1 poller's state (pollState.ts) under its own key, within the v2 poller's per-account state
 * (v2Messages.ts): the same rules (watermark from data only, `seen` for the window, slices for a backlog bigger than a
 * poll, accounts taking turns within the reading share) apply.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { downloadMessageAttachments } from '../shared/binary';
import { unipileV2Pages } from '../shared/pager';
import { V2_NO_CACHE } from '../shared/v2';
import { dayWider, findFolder, v2Folders, withinDates } from '../shared/v2Email';
import { asTimed, type EmailWatch } from './emails';
import {
	hasTimeFor,
	narrowSlice,
	planPoll,
	queryAfter,
	queryBefore,
	readShareUsed,
	seedState,
	topScanComplete,
	type MessagePage,
	type PollDeadlines,
	type PollPlan,
	type PollState,
} from './pollState';
import { currentV2State, ReadClock, readableAccounts, v2Accounts, type V2PollState } from './v2Messages';

/** Below every provider's ceiling ("a ceiling, not a guarantee"): pages may come back shorter. */
const PAGE_SIZE = 100;

/** v1's Folder Role values as v2 folder roles (v2 names spam JUNK on Outlook and IMAP). */
const V2_ROLES: Record<string, string[]> = {
	archive: ['ARCHIVE'],
	important: ['IMPORTANT'],
	inbox: ['INBOX'],
	sent: ['SENT'],
	spam: ['SPAM', 'JUNK'],
};

export interface V2Mailbox {
	id: string;
	/** From the account list; when not known (a chosen account the list does not have), Gmail's date-only `after` is assumed. */
	provider?: string;
}

export function v2EmailStreamKey(accountIds: string[], watch: EmailWatch): string {
	return `v2:emails:${[...accountIds].sort().join(',')}:${watch.folder ? `folder:${watch.folder}` : `role:${watch.role || 'all'}`}`;
}

/** Where one mailbox's watched emails are listed; undefined when it has no such folder (nothing to watch there). */
async function listOf(this: IPollFunctions, accountId: string, watch: EmailWatch): Promise<{ path: string; qs: IDataObject } | undefined> {
	const account = `/${encodeURIComponent(accountId)}`;
	if (!watch.folder && !watch.role) return { path: `${account}/emails`, qs: {} };
	if (!watch.folder && watch.role === 'starred') return { path: `${account}/emails`, qs: { is_starred: 'true' } };
	const folders = await v2Folders(this, accountId, undefined, V2_NO_CACHE);
	const folder = watch.folder
		? findFolder(folders, watch.folder)
		: (V2_ROLES[watch.role] ?? [watch.role.toUpperCase()]).map((role) => folders.find((f) => String(f.role ?? '').toUpperCase() === role)).find((f) => f !== undefined);
	return folder ? { path: `${account}/folders/${encodeURIComponent(String(folder.id))}/emails`, qs: {} } : undefined;
}

interface MailboxRead {
	emails: IDataObject[];
	pages: MessagePage[];
	complete: boolean;
}

/**
 * One mailbox's emails strictly between `after` and `before` (each optional), newest first, until `done` says so or
 * the list ends, or until another page would end past the clock's deadline (`complete` false).
 */
async function readMailbox(
	this: IPollFunctions,
	mailbox: V2Mailbox,
	list: { path: string; qs: IDataObject },
	bounds: { after?: string; before?: string },
	done: (pages: MessagePage[]) => boolean,
	clock: ReadClock,
): Promise<MailboxRead> {
	const dateOnly = !mailbox.provider || mailbox.provider === 'google';
	const qs: IDataObject = { ...list.qs, limit: String(PAGE_SIZE) };
	if (bounds.after) qs.after = dateOnly ? dayWider(bounds.after, 'after') : bounds.after;
	if (bounds.before) qs.before = dateOnly ? dayWider(bounds.before, 'before') : bounds.before;
	const emails: IDataObject[] = [];
	const pages: MessagePage[] = [];
	for await (const page of unipileV2Pages.call(this, { path: list.path, qs, headers: V2_NO_CACHE })) {
		const kept = page.items.filter((email) => (typeof email.id === 'string' || typeof email.id === 'number') && Number.isFinite(Date.parse(String(email.date))) && withinDates(email, bounds.after, bounds.before));
		emails.push(...kept);
		pages.push({ items: kept.map(asTimed), cursor: page.next === null ? null : 'more' });
		if (page.next === null || done(pages)) return { emails, pages, complete: true };
		if (!clock.more()) return { emails, pages, complete: false };
	}
	return { emails, pages, complete: true };
}

/**
 * The mailboxes watched, with their providers: every running mailbox from the account list, or the chosen ones. A
 * chosen mailbox's provider is learnt from the account list once (`known`, saved with the state): an account's
 * provider does not change, and an idle poll then costs no Core request.
 */
async function watchedMailboxes(this: IPollFunctions, accountIds: string[], known: Record<string, string> = {}): Promise<V2Mailbox[]> {
	if (accountIds.length === 0) return await readableAccounts.call(this, true);
	if (accountIds.some((id) => known[id] === undefined)) {
		const listed = new Map<string, string>();
		for (const account of await v2Accounts.call(this)) if (typeof account.id === 'string') listed.set(account.id, String(account.provider ?? '').toLowerCase());
		// An account the list does not have is remembered as unknown ('') too: it is not asked again each poll.
		for (const id of accountIds) known[id] ??= listed.get(id) ?? '';
	}
	return accountIds.map((id) => ({ id, provider: known[id] }));
}

/** The item n8n gets: the v2 Email, with the account it came from (v2 emails do not say it). */
async function toItem(this: IPollFunctions, accountId: string, email: IDataObject, attachmentPrefix: string | undefined): Promise<INodeExecutionData> {
	const item: INodeExecutionData = { json: { ...email, account_id: accountId } };
	if (attachmentPrefix !== undefined) {
		const base = `/${encodeURIComponent(accountId)}/emails/${encodeURIComponent(String(email.id))}`;
		const { binary } = await downloadMessageAttachments.call(this, email, {
			propertyName: (index) => `${attachmentPrefix}${index}`,
			skipMissing: true,
			email: true,
			attachmentPath: (attachmentId) => `${base}/attachments/${encodeURIComponent(attachmentId)}`,
		});
		if (Object.keys(binary).length > 0) item.binary = binary;
	}
	return item;
}

/** "Fetch Test Event": the newest watched email of the watched mailboxes; state stays as it was. */
export async function latestV2Email(this: IPollFunctions, accountIds: string[], watch: EmailWatch, attachmentPrefix: string | undefined): Promise<INodeExecutionData> {
	let newest: { accountId: string; email: IDataObject } | undefined;
	for (const mailbox of await watchedMailboxes.call(this, accountIds)) {
		const list = await listOf.call(this, mailbox.id, watch);
		if (!list) continue;
		for await (const page of unipileV2Pages.call(this, { path: list.path, qs: { ...list.qs, limit: '1' }, headers: V2_NO_CACHE })) {
			const email = page.items[0];
			if (email && (!newest || Date.parse(String(email.date)) > Date.parse(String(newest.email.date)))) newest = { accountId: mailbox.id, email };
			break;
		}
	}
	if (!newest) {
		throw new NodeOperationError(this.getNode(), 'No email found to use as a test event', {
			description: 'Send an email to one of the watched mailboxes first (or check the folder chosen), then fetch the test event again.',
		});
	}
	return await toItem.call(this, newest.accountId, newest.email, attachmentPrefix);
}

interface Fresh {
	accountId: string;
	email: IDataObject;
	ms: number;
}

/**
 * One poll on v2. Nothing is written to `staticData` before every read (and file) is in hand, as on v1. The first poll
 * (or one after the watched accounts or folder changed) seeds every mailbox; a mailbox that appears later (newly
 * connected) is seeded on its own, so its history is not taken for new emails.
 */
export async function pollV2Emails(
	this: IPollFunctions,
	staticData: IDataObject,
	accountIds: string[],
	watch: EmailWatch,
	windowMs: number,
	attachmentPrefix: string | undefined,
	deadlines: PollDeadlines,
): Promise<INodeExecutionData[][] | null> {
	const key = v2EmailStreamKey(accountIds, watch);
	const saved = currentV2State(staticData, key);
	const mailboxes = await watchedMailboxes.call(this, accountIds, { ...(saved?.providers ?? {}) });
	const providers: Record<string, string> = {};
	for (const mailbox of mailboxes) if (mailbox.provider !== undefined) providers[mailbox.id] = mailbox.provider;
	const next: Record<string, PollState> = {};
	// A mailbox not listed now (disconnected, errored) keeps its state: when it comes back, it goes on from there.
	if (saved) Object.assign(next, saved.accounts);
	const plans = new Map<string, PollPlan>();
	const byId = new Map<string, IDataObject>();
	const seedClock = new ReadClock(Infinity);
	const clock = new ReadClock(deadlines.readBy);
	const first = saved?.startWith === undefined ? -1 : mailboxes.findIndex((m) => m.id === saved.startWith);
	const inTurn = first > 0 ? [...mailboxes.slice(first), ...mailboxes.slice(0, first)] : mailboxes;
	let startWith: string | undefined;
	for (const mailbox of inTurn) {
		// Past the reading share, the mailboxes not reached keep their state (a new one stays unseeded) until the next poll.
		if (startWith === undefined && !clock.more()) startWith = mailbox.id;
		if (startWith !== undefined) continue;
		const list = await listOf.call(this, mailbox.id, watch);
		if (!list) continue;
		const state = saved?.accounts[mailbox.id];
		const accountKey = `${key} ${mailbox.id}`;
		if (state === undefined || state.key !== accountKey) {
			// A mailbox's seed reads its whole window whatever the budget: a partial seed would later replay what it missed.
			const { pages } = await readMailbox.call(this, mailbox, list, {}, (read) => topScanComplete(read, windowMs), seedClock);
			next[mailbox.id] = seedState(accountKey, pages.flatMap((page) => page.items), windowMs);
			continue;
		}
		const after = queryAfter(state, windowMs);
		const before = queryBefore(state);
		const read = after
			? await readMailbox.call(this, mailbox, list, { after, before }, () => false, clock)
			: await readMailbox.call(this, mailbox, list, {}, (pages) => topScanComplete(pages, windowMs), seedClock);
		if (!read.complete) {
			// A backlog bigger than one poll: this mailbox delivers nothing yet, and reads a smaller, older slice next time.
			next[mailbox.id] = narrowSlice(state, read.pages);
			continue;
		}
		for (const email of read.emails) byId.set(`${mailbox.id} ${String(email.id)}`, email);
		plans.set(mailbox.id, planPoll(state, read.pages.flatMap((page) => page.items), windowMs, readShareUsed(deadlines, Date.now())));
	}

	const items: INodeExecutionData[] = [];
	const delivered = new Map<string, number>();
	if (saved) {
		// Oldest first across mailboxes; each mailbox's part of it stays a prefix of its own plan (a stable sort).
		const fresh: Fresh[] = [...plans].flatMap(([accountId, plan]) =>
			plan.fresh.map((timed) => ({ accountId, email: byId.get(`${accountId} ${timed.id}`)!, ms: Date.parse(timed.timestamp) })),
		);
		fresh.sort((a, b) => a.ms - b.ms);
		let lastItemMs = 0;
		for (const { accountId, email } of fresh) {
			if (items.length > 0 && !hasTimeFor(Date.now(), lastItemMs, deadlines.deliverBy)) break;
			const started = Date.now();
			items.push(await toItem.call(this, accountId, email, attachmentPrefix));
			lastItemMs = Date.now() - started;
			delivered.set(accountId, (delivered.get(accountId) ?? 0) + 1);
		}
	}
	for (const [accountId, plan] of plans) next[accountId] = plan.through(delivered.get(accountId) ?? 0);

	const state: V2PollState = { version: 1, api: 'v2', key, accounts: next, providers };
	if (startWith !== undefined) state.startWith = startWith;
	for (const name of Object.keys(staticData)) delete staticData[name];
	Object.assign(staticData, state);
	return items.length > 0 ? [items] : null;
}
