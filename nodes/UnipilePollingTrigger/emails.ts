import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';
import { downloadMessageAttachments } from '../shared/binary';
import { unipilePages } from '../shared/pager';
import {
	currentState,
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
	type UnipileMessage,
} from './pollState';

const PAGE_SIZE = 250;

/** Account types of mailboxes, as Unipile reports them (a Gmail account reads GOOGLE_OAUTH). */
export const MAIL_ACCOUNT_TYPES = ['GOOGLE', 'GOOGLE_OAUTH', 'OUTLOOK', 'MAIL', 'ICLOUD', 'EXCHANGE'];

/** What the trigger watches in one mailbox: a folder by its provider ID, or every folder of a role (inbox…). */
export interface EmailWatch {
	role: string;
	folder: string;
}

/** Each watched mailbox is its own stream with its own exactly-once state; the key says what its query was. */
export function emailStreamKey(accountId: string, watch: EmailWatch): string {
	return `emails:${accountId}:${watch.folder ? `folder:${watch.folder}` : `role:${watch.role || 'all'}`}`;
}

/**
 * The email streams' states as saved: `{emailStreams: {accountId: PollState}}`. Anything else (the messages
 * mode's state, an older shape) gives no state, so each mailbox seeds again.
 */
export function savedEmailStates(saved: IDataObject): Record<string, unknown> {
	const streams = saved.emailStreams;
	return typeof streams === 'object' && streams !== null && !Array.isArray(streams) ? (streams as Record<string, unknown>) : {};
}

/** The pure poll logic reads an item's id and `timestamp`; an email's time is its `date`. */
export function asTimed(email: IDataObject): UnipileMessage {
	return { id: String(email.id), timestamp: String(email.date) };
}

/** The mailboxes to watch: the chosen accounts, or every mail account of the API key. */
async function mailAccounts(this: IPollFunctions, chosen: string[]): Promise<string[]> {
	if (chosen.length > 0) return chosen;
	const ids: string[] = [];
	for await (const page of unipilePages.call(this, { path: '/accounts', qs: { limit: PAGE_SIZE } })) {
		for (const account of page.items) if (MAIL_ACCOUNT_TYPES.includes(String(account.type))) ids.push(String(account.id));
	}
	return ids;
}

function emailQuery(accountId: string, watch: EmailWatch): IDataObject {
	const qs: IDataObject = { account_id: accountId, limit: PAGE_SIZE };
	if (watch.folder) qs.folder = watch.folder;
	else if (watch.role) qs.role = watch.role;
	return qs;
}

/**
 * Pages of one mailbox until `done` says so or the list ends (`complete`), or until another page would end past
 * `readBy`; any failed page throws before anything is kept.
 */
async function readEmails(
	this: IPollFunctions,
	qs: IDataObject,
	done: (pages: MessagePage[]) => boolean,
	byId: Map<string, IDataObject>,
	readBy = Infinity,
): Promise<{ pages: MessagePage[]; complete: boolean }> {
	const pages: MessagePage[] = [];
	let started = Date.now();
	for await (const page of unipilePages.call(this, { path: '/emails', qs })) {
		for (const email of page.items) byId.set(String(email.id), email);
		pages.push({ items: page.items.map(asTimed), cursor: page.cursor });
		if (page.cursor === null || done(pages)) return { pages, complete: true };
		const now = Date.now();
		if (!hasTimeFor(now, now - started, readBy)) return { pages, complete: false };
		started = now;
	}
	return { pages, complete: true };
}

const emailsOf = (pages: MessagePage[]) => pages.flatMap((page) => page.items);

/** "Fetch Test Event": the newest email of the watched mailboxes. */
export async function latestEmail(this: IPollFunctions, chosen: string[], watch: EmailWatch): Promise<IDataObject> {
	const candidates: IDataObject[] = [];
	for (const accountId of await mailAccounts.call(this, chosen)) {
		for await (const page of unipilePages.call(this, { path: '/emails', qs: { ...emailQuery(accountId, watch), limit: 1 } })) {
			candidates.push(...page.items);
			break;
		}
	}
	candidates.sort((a, b) => Date.parse(String(b.date)) - Date.parse(String(a.date)));
	if (candidates.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No email found to use as a test event', {
			description: 'Send an email to one of the watched mailboxes first (or check the folder chosen), then fetch the test event again.',
		});
	}
	return candidates[0];
}

/** Emails as trigger items; with `attachmentPrefix`, their files as binary fields `<prefix><index>`. */
export async function emailItems(this: IPollFunctions, emails: IDataObject[], attachmentPrefix?: string, deliverBy = Infinity): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	let lastItemMs = 0;
	for (const email of emails) {
		if (items.length > 0 && !hasTimeFor(Date.now(), lastItemMs, deliverBy)) break;
		const started = Date.now();
		const item: INodeExecutionData = { json: email };
		if (attachmentPrefix !== undefined) {
			const { binary } = await downloadMessageAttachments.call(this, email, { propertyName: (index) => `${attachmentPrefix}${index}`, skipMissing: true, email: true });
			if (Object.keys(binary).length > 0) item.binary = binary;
		}
		items.push(item);
		lastItemMs = Date.now() - started;
	}
	return items;
}

/**
 * One poll over every watched mailbox, within the poll's time budget as the message stream does it: every mailbox is
 * read before any state changes (a failed page throws and leaves the saved states as they were); a mailbox whose
 * read the budget cuts short delivers nothing and reads a smaller, older slice next time; files are fetched oldest
 * first until the delivery share is used, and each mailbox's state moves only past what was delivered. The new
 * states are returned for the caller to save after delivery.
 */
export async function pollEmails(
	this: IPollFunctions,
	saved: IDataObject,
	chosen: string[],
	watch: EmailWatch,
	windowMs: number,
	attachmentPrefix: string | undefined,
	deadlines: PollDeadlines,
): Promise<{ items: INodeExecutionData[]; states: Record<string, PollState> }> {
	const previous = savedEmailStates(saved);
	const states: Record<string, PollState> = {};
	const plans = new Map<string, PollPlan>();
	const fresh: Array<{ accountId: string; email: IDataObject }> = [];
	for (const accountId of await mailAccounts.call(this, chosen)) {
		const key = emailStreamKey(accountId, watch);
		const state = currentState(previous[accountId], key);
		const byId = new Map<string, IDataObject>();
		const qs = emailQuery(accountId, watch);
		// Seeding reads the whole window whatever the budget: a partial seed would later replay what it missed.
		if (state === undefined) {
			const { pages } = await readEmails.call(this, qs, (read) => topScanComplete(read, windowMs), byId);
			states[accountId] = seedState(key, emailsOf(pages), windowMs);
			continue;
		}
		const after = queryAfter(state, windowMs);
		const before = queryBefore(state);
		const { pages, complete } = after
			? await readEmails.call(this, before ? { ...qs, after, before } : { ...qs, after }, () => false, byId, deadlines.readBy)
			: await readEmails.call(this, qs, (read) => topScanComplete(read, windowMs), byId);
		if (!complete) {
			states[accountId] = narrowSlice(state, pages);
			continue;
		}
		const planned = planPoll(state, emailsOf(pages), windowMs, readShareUsed(deadlines, Date.now()));
		plans.set(accountId, planned);
		states[accountId] = planned.next;
		for (const email of planned.fresh) fresh.push({ accountId, email: byId.get(email.id)! });
	}
	// A stable sort: each mailbox's emails keep their order, so what is delivered of a mailbox is its oldest.
	fresh.sort((a, b) => Date.parse(String(a.email.date)) - Date.parse(String(b.email.date)));
	const items = await emailItems.call(this, fresh.map((f) => f.email), attachmentPrefix, deadlines.deliverBy);
	if (items.length < fresh.length) {
		const delivered = new Map<string, number>();
		for (const { accountId } of fresh.slice(0, items.length)) delivered.set(accountId, (delivered.get(accountId) ?? 0) + 1);
		for (const [accountId, plan] of plans) states[accountId] = plan.through(delivered.get(accountId) ?? 0);
	}
	return { items, states };
}
