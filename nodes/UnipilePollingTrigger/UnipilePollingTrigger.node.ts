import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { downloadMessageAttachments } from '../shared/binary';
import { chatLocator } from '../shared/descriptions';
import { accountOptions, searchChats } from '../shared/listSearch';
import { authenticationProperty } from '../shared/node';
import { unipileCredentialTests } from '../shared/credentialTest';
import { unipilePages } from '../shared/pager';
import { credentialTypeOf } from '../shared/transport';
import { emailItems, latestEmail, pollEmails, type EmailWatch } from './emails';
import {
	currentState,
	hasTimeFor,
	isWanted,
	narrowSlice,
	planPoll,
	pollDeadlines,
	queryAfter,
	queryBefore,
	readShareUsed,
	seedState,
	streamKey,
	topScanComplete,
	type MessagePage,
	type PollState,
	type UnipileMessage,
} from './pollState';
import { canonicalJson, pollGuard } from './pollGuard';
import { latestV2Email, pollV2Emails } from './v2Emails';
import { latestV2Message, noSample, pollV2Messages, v2StreamKey, type V2Stream } from './v2Messages';

const PAGE_SIZE = 250;

interface TriggerOptions {
	includeOwnMessages?: boolean;
	includeEvents?: boolean;
	downloadAttachments?: boolean;
	binaryPropertyPrefix?: string;
	lookbackMinutes?: number;
}

interface Stream {
	/** Path under the base URL: all messages, or one chat's. */
	path: string;
	/** `account_id` sent to the server (exactly one account watched). */
	accountId?: string;
	/** Accounts filtered client-side (several watched). */
	clientAccountIds?: string[];
	key: string;
}

function accountIdsParameter(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return [...new Set(list.map((id) => String(id).trim()).filter((id) => id !== ''))];
}

function streamOf(this: IPollFunctions): Stream {
	const chatId = String(this.getNodeParameter('chatId', '', { extractValue: true }) ?? '').trim();
	if (chatId) return { path: `/chats/${encodeURIComponent(chatId)}/messages`, key: streamKey({ chatId }) };
	const accountIds = accountIdsParameter(this.getNodeParameter('accountIds', []));
	return {
		path: '/messages',
		accountId: accountIds.length === 1 ? accountIds[0] : undefined,
		clientAccountIds: accountIds.length > 1 ? accountIds : undefined,
		key: streamKey({ accountIds }),
	};
}

/**
 * Pages until `done` says so or the list ends (`complete`), or until another page would end past `readBy`;
 * any failed page throws before anything is kept.
 */
async function readPages(
	this: IPollFunctions,
	stream: Stream,
	query: IDataObject,
	done: (pages: MessagePage[]) => boolean,
	readBy = Infinity,
): Promise<{ pages: MessagePage[]; complete: boolean }> {
	const qs: IDataObject = { ...query, limit: PAGE_SIZE };
	if (stream.accountId) qs.account_id = stream.accountId;
	const pages: MessagePage[] = [];
	let started = Date.now();
	for await (const page of unipilePages.call(this, { path: stream.path, qs })) {
		pages.push(page as unknown as MessagePage);
		if (page.cursor === null || done(pages)) return { pages, complete: true };
		const now = Date.now();
		if (!hasTimeFor(now, now - started, readBy)) return { pages, complete: false };
		started = now;
	}
	return { pages, complete: true };
}

async function toItem(this: IPollFunctions, message: UnipileMessage, options: TriggerOptions): Promise<INodeExecutionData> {
	const item: INodeExecutionData = { json: message as unknown as IDataObject };
	if (options.downloadAttachments) {
		const prefix = options.binaryPropertyPrefix?.trim() || 'attachment_';
		const { binary } = await downloadMessageAttachments.call(this, message as unknown as IDataObject, {
			propertyName: (index) => `${prefix}${index}`,
			skipMissing: true,
		});
		if (Object.keys(binary).length > 0) item.binary = binary;
	}
	return item;
}

/** How many of each account's (or the chat's) latest messages "Fetch Test Event" reads, looking for one the trigger would start on. */
const SAMPLE_SCAN = 100;

/**
 * "Fetch Test Event": the latest message of the watched stream that passes the filters a real poll applies (own
 * messages, events, accounts), so the sample is what the workflow would start on; state stays as it was.
 */
async function latestMessage(this: IPollFunctions, stream: Stream, options: TriggerOptions): Promise<UnipileMessage> {
	const filter = { includeOwnMessages: options.includeOwnMessages === true, includeEvents: options.includeEvents === true, accountIds: stream.clientAccountIds };
	const perAccount = stream.clientAccountIds ?? [stream.accountId];
	const candidates: UnipileMessage[] = [];
	for (const accountId of perAccount) {
		const qs: IDataObject = { limit: SAMPLE_SCAN };
		if (accountId) qs.account_id = accountId;
		for await (const page of unipilePages.call(this, { path: stream.path, qs })) {
			const wanted = (page.items as unknown as UnipileMessage[]).find((message) => isWanted(message, filter));
			if (wanted) candidates.push(wanted);
			break;
		}
	}
	candidates.sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
	if (candidates.length === 0) throw noSample(this, options);
	return candidates[0];
}

function windowOf(this: IPollFunctions, options: TriggerOptions): number {
	const lookbackMinutes = Number(options.lookbackMinutes ?? 60);
	if (!Number.isFinite(lookbackMinutes) || lookbackMinutes < 1) {
		throw new NodeOperationError(this.getNode(), 'Lookback Window must be at least 1 minute');
	}
	return lookbackMinutes * 60_000;
}

function emailWatchOf(this: IPollFunctions): EmailWatch {
	return { role: String(this.getNodeParameter('role', 'inbox') ?? ''), folder: String(this.getNodeParameter('folder', '') ?? '').trim() };
}

/** Watch → New Emails: each chosen mailbox (all mailboxes when none is chosen) polled as its own stream. */
async function pollNewEmails(this: IPollFunctions, options: TriggerOptions): Promise<INodeExecutionData[][] | null> {
	const accountIds = accountIdsParameter(this.getNodeParameter('accountIds', []));
	const watch = emailWatchOf.call(this);
	const attachmentPrefix = options.downloadAttachments ? options.binaryPropertyPrefix?.trim() || 'attachment_' : undefined;
	if (this.getMode() === 'manual') return [await emailItems.call(this, [await latestEmail.call(this, accountIds, watch)], attachmentPrefix)];
	const windowMs = windowOf.call(this, options);
	const deadlines = pollDeadlines(Date.now(), this.getPollBudgetMs?.());
	const staticData = this.getWorkflowStaticData('node');
	const { items, states } = await pollEmails.call(this, staticData, accountIds, watch, windowMs, attachmentPrefix, deadlines);
	for (const key of Object.keys(staticData)) delete staticData[key];
	staticData.emailStreams = states as unknown as IDataObject;
	return items.length > 0 ? [items] : null;
}

/**
 * The chat picker: on v2 a chat list is one account's, the one account chosen in Account Names or IDs (the shared
 * picker reads it from an `accountId` parameter, which this node does not have).
 */
async function searchWatchedChats(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	if (credentialTypeOf(this) !== 'unipileV2Api') return await searchChats.call(this, filter, paginationToken);
	const accountIds = accountIdsParameter(this.getCurrentNodeParameter('accountIds'));
	if (accountIds.length !== 1) {
		throw new NodeOperationError(this.getNode(), "Choose the chat's account first", {
			description: 'On Unipile API v2 a chat belongs to one account: choose exactly one account in "Account Names or IDs", then open this list again.',
		});
	}
	const context: ILoadOptionsFunctions = Object.create(this);
	context.getCurrentNodeParameter = (name, options) => (name === 'accountId' ? accountIds[0] : this.getCurrentNodeParameter(name, options));
	return await searchChats.call(context, filter, paginationToken);
}

/** n8n persists this very object: replace its content in place, never the reference. */
function saveState(staticData: IDataObject, state: PollState): void {
	for (const key of Object.keys(staticData)) delete staticData[key];
	Object.assign(staticData, state);
}

function v2StreamOf(this: IPollFunctions): V2Stream {
	const chatId = String(this.getNodeParameter('chatId', '', { extractValue: true }) ?? '').trim() || undefined;
	const accountIds = accountIdsParameter(this.getNodeParameter('accountIds', []));
	return { key: v2StreamKey(accountIds, chatId), accountIds, chatId };
}

/** Watch → New Emails on Unipile API v2 (see v2Emails.ts): the same parameters as on v1. */
async function pollV2NewEmails(this: IPollFunctions, options: TriggerOptions): Promise<INodeExecutionData[][] | null> {
	const accountIds = accountIdsParameter(this.getNodeParameter('accountIds', []));
	const watch = emailWatchOf.call(this);
	const attachmentPrefix = options.downloadAttachments ? options.binaryPropertyPrefix?.trim() || 'attachment_' : undefined;
	if (this.getMode() === 'manual') return [[await latestV2Email.call(this, accountIds, watch, attachmentPrefix)]];
	const windowMs = windowOf.call(this, options);
	const deadlines = pollDeadlines(Date.now(), this.getPollBudgetMs?.());
	return await pollV2Emails.call(this, this.getWorkflowStaticData('node'), accountIds, watch, windowMs, attachmentPrefix, deadlines);
}

/** Watch → New Messages (or New Emails) on Unipile API v2 (see v2Messages.ts). */
async function pollV2(this: IPollFunctions, options: TriggerOptions): Promise<INodeExecutionData[][] | null> {
	if (this.getNodeParameter('watch', 'messages') === 'emails') return await pollV2NewEmails.call(this, options);
	const stream = v2StreamOf.call(this);
	if (this.getMode() === 'manual') return [[await latestV2Message.call(this, stream, options)]];
	const windowMs = windowOf.call(this, options);
	const deadlines = pollDeadlines(Date.now(), this.getPollBudgetMs?.());
	return await pollV2Messages.call(this, this.getWorkflowStaticData('node'), stream, options, windowMs, deadlines);
}

/** One poll, as n8n would run it without the guard: the messages (or emails) since the saved state. */
async function pollOnce(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	if (credentialTypeOf(this) === 'unipileV2Api') return await pollV2.call(this, options);
	if (this.getNodeParameter('watch', 'messages') === 'emails') return await pollNewEmails.call(this, options);
	const stream = streamOf.call(this);

	if (this.getMode() === 'manual') {
		return [[await toItem.call(this, await latestMessage.call(this, stream, options), options)]];
	}

	const windowMs = windowOf.call(this, options);
	const deadlines = pollDeadlines(Date.now(), this.getPollBudgetMs?.());
	const staticData = this.getWorkflowStaticData('node');
	const state = currentState(staticData, stream.key);

	// Nothing is written to staticData before every page (and file) is in hand: n8n keeps this object even when a poll throws.
	// Seeding reads the whole window whatever the budget: a partial seed would later replay what it missed.
	if (state === undefined) {
		const { pages } = await readPages.call(this, stream, {}, (read) => topScanComplete(read, windowMs));
		saveState(staticData, seedState(stream.key, pages.flatMap((page) => page.items), windowMs));
		return null;
	}

	const after = queryAfter(state, windowMs);
	const before = queryBefore(state);
	const { pages, complete } = after
		? await readPages.call(this, stream, before ? { after, before } : { after }, () => false, deadlines.readBy)
		: await readPages.call(this, stream, {}, (read) => topScanComplete(read, windowMs));
	if (!complete) {
		// A backlog bigger than one poll: deliver nothing yet, and read a smaller, older slice next time.
		saveState(staticData, narrowSlice(state, pages));
		return null;
	}
	const plan = planPoll(state, pages.flatMap((page) => page.items), windowMs, readShareUsed(deadlines, Date.now()));
	const filter = {
		includeOwnMessages: options.includeOwnMessages === true,
		includeEvents: options.includeEvents === true,
		accountIds: stream.clientAccountIds,
	};
	// Files are fetched oldest first until the budget's delivery share is used; the rest wait for the next poll.
	const items: INodeExecutionData[] = [];
	let delivered = 0;
	let lastItemMs = 0;
	for (const message of plan.fresh) {
		if (isWanted(message, filter)) {
			if (items.length > 0 && !hasTimeFor(Date.now(), lastItemMs, deadlines.deliverBy)) break;
			const started = Date.now();
			items.push(await toItem.call(this, message, options));
			lastItemMs = Date.now() - started;
		}
		delivered++;
	}
	saveState(staticData, plan.through(delivered));
	return items.length > 0 ? [items] : null;
}

export class UnipilePollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Unipile Polling Trigger',
		name: 'unipilePollingTrigger',
		icon: { light: 'file:../../icons/unipile.svg', dark: 'file:../../icons/unipile.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["watch"] === "emails" ? "New emails" : $parameter["chatId"] ? "New messages in chat" : "New messages" }}',
		description: 'Checks Unipile every minute or more for new WhatsApp, LinkedIn, Instagram, Messenger, Telegram or X messages, or new emails. Use Unipile Trigger instead when Unipile can reach this n8n instance: it starts within a second.',
		defaults: { name: 'Unipile Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'unipileApi', required: true, testedBy: 'unipileApiTest', displayOptions: { show: { authentication: ['unipileApi'] } } },
			{ name: 'unipileV2Api', required: true, testedBy: 'unipileV2ApiTest', displayOptions: { show: { authentication: ['unipileApiV2'] } } },
		],
		properties: [
			authenticationProperty,
			{
				displayName: 'Watch',
				name: 'watch',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'New Messages', value: 'messages', description: 'Messages of messaging accounts (WhatsApp, LinkedIn, …)' },
					{ name: 'New Emails', value: 'emails', description: 'Emails arriving in mailboxes (Gmail, Outlook, IMAP)' },
				],
				default: 'messages',
				description: 'What starts the workflow: new messages of messaging accounts, or new emails of mailboxes (each email once)',
			},
			{
				displayName: 'Account Names or IDs',
				name: 'accountIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getAccounts' },
				default: [],
				description:
					'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Leave empty to watch all accounts. An expression may give an array or a comma-separated list of account IDs.',
			},
			chatLocator({
				description: 'Watch only this chat. When set, the accounts above are ignored on Unipile API v1; on v2 a chat belongs to one account: choose exactly that account above.',
				displayOptions: { hide: { watch: ['emails'] } },
			}),
			{
				displayName: 'Folder Role',
				name: 'role',
				type: 'options',
				options: [
					{ name: 'All Folders', value: '' },
					{ name: 'Archive', value: 'archive' },
					{ name: 'Important', value: 'important' },
					{ name: 'Inbox', value: 'inbox' },
					{ name: 'Sent', value: 'sent' },
					{ name: 'Spam', value: 'spam' },
					{ name: 'Starred', value: 'starred' },
				],
				default: 'inbox',
				description: 'Which folders of each mailbox to watch, by their role',
				displayOptions: { show: { watch: ['emails'] } },
			},
			{
				displayName: 'Folder ID',
				name: 'folder',
				type: 'string',
				default: '',
				placeholder: 'e.g. INBOX',
				description:
					'Watch only this folder: its provider ID, from Unipile Email → Folder → Get Many (on Unipile API v2 also its role or name). Replaces Folder Role; for mailboxes that have this folder.',
				displayOptions: { show: { watch: ['emails'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Attachment Field Prefix',
						name: 'binaryPropertyPrefix',
						type: 'string',
						default: 'attachment_',
						description:
							'Prefix of the binary fields that receive downloaded files: attachment_0 holds the first attachment of the message (or email), attachment_1 the second, and so on',
					},
					{
						displayName: 'Download Attachments',
						name: 'downloadAttachments',
						type: 'boolean',
						default: false,
						description: 'Whether to download the files attached to each message (or email) into binary fields, with their file name and MIME type',
					},
					{
						displayName: 'Include Events',
						displayOptions: { hide: { '/watch': ['emails'] } },
						name: 'includeEvents',
						type: 'boolean',
						default: false,
						description: 'Whether to also trigger on events such as reactions and group changes',
					},
					{
						displayName: 'Include My Own Messages',
						displayOptions: { hide: { '/watch': ['emails'] } },
						name: 'includeOwnMessages',
						type: 'boolean',
						default: false,
						description:
							'Whether to also trigger on messages sent from the connected accounts. Leave off for auto-replies, so a reply does not trigger the workflow again.',
					},
					{
						displayName: 'Lookback Window (Minutes)',
						name: 'lookbackMinutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 60,
						description:
							'How far behind the newest message each poll looks. Messages Unipile back-fills after an account reconnects carry their original, older timestamps: they still trigger if they are within this window. Larger windows catch longer outages at the cost of bigger queries.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: unipileCredentialTests,
		listSearch: { searchChats: searchWatchedChats },
		loadOptions: {
			getAccounts: accountOptions,
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (this.getMode() === 'manual') return await pollOnce.call(this);
		const key = `${this.getWorkflow().id ?? ''}:${this.getNode().id ?? this.getNode().name}`;
		const before = canonicalJson(this.getWorkflowStaticData('node'));
		const verdict = pollGuard.enter(key, before, Date.now());
		if (!verdict.go) {
			this.logger?.debug(`Unipile Polling Trigger: poll skipped, ${verdict.reason === 'running' ? 'another poll of this trigger is running' : "the last poll's state is not saved yet"}`);
			return null;
		}
		let result: INodeExecutionData[][] | null = null;
		try {
			result = await pollOnce.call(this);
			return result;
		} finally {
			const after = canonicalJson(this.getWorkflowStaticData('node'));
			pollGuard.leave(key, verdict.token, result !== null && after !== before ? after : undefined, Date.now());
		}
	}
}
