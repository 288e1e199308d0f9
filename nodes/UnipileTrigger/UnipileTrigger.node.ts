import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IBinaryData,
	type IDataObject,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { fileNameFromDisposition } from '../Unipile/shared/binary';
import { chatLocator } from '../Unipile/shared/descriptions';
import { searchChats } from '../Unipile/shared/listSearch';
import { unipileApiRequest } from '../Unipile/shared/transport';
import {
	currentState,
	isWanted,
	planPoll,
	queryAfter,
	seedState,
	streamKey,
	topScanComplete,
	type MessagePage,
	type PollState,
	type UnipileMessage,
} from './pollState';

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

async function unipileGet(this: IPollFunctions, path: string, qs: IDataObject): Promise<IDataObject> {
	return (await unipileApiRequest.call(this, { method: 'GET', path, qs, json: true })) as IDataObject;
}

function asPage(this: IPollFunctions, body: IDataObject): MessagePage {
	if (!Array.isArray(body?.items)) {
		throw new NodeOperationError(this.getNode(), 'Unipile answered without a message list', {
			description: JSON.stringify(body).slice(0, 300),
		});
	}
	const cursor = typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : null;
	return { items: body.items as UnipileMessage[], cursor };
}

/** Pages until `done` says so or the cursor ends; any failed page throws before anything is kept. */
async function readPages(
	this: IPollFunctions,
	stream: Stream,
	query: IDataObject,
	done: (pages: MessagePage[]) => boolean,
): Promise<MessagePage[]> {
	const qs: IDataObject = { ...query, limit: PAGE_SIZE };
	if (stream.accountId) qs.account_id = stream.accountId;
	const pages: MessagePage[] = [];
	let cursor: string | null = null;
	do {
		const page: MessagePage = asPage.call(this, await unipileGet.call(this, stream.path, cursor ? { ...qs, cursor } : qs));
		pages.push(page);
		cursor = page.cursor;
	} while (cursor !== null && !done(pages));
	return pages;
}

async function downloadAttachments(
	this: IPollFunctions,
	message: UnipileMessage,
	prefix: string,
): Promise<INodeExecutionData['binary']> {
	const attachments = Array.isArray(message.attachments) ? (message.attachments as IDataObject[]) : [];
	const binary: Record<string, IBinaryData> = {};
	for (const [index, attachment] of attachments.entries()) {
		if (typeof attachment?.id !== 'string' || attachment.unavailable === 1 || attachment.unavailable === true) continue;
		let response: IN8nHttpFullResponse;
		try {
			response = (await unipileApiRequest.call(this, {
				method: 'GET',
				path: `/messages/${encodeURIComponent(message.id)}/attachments/${encodeURIComponent(attachment.id)}`,
				headers: { accept: '*/*' },
				encoding: 'arraybuffer',
				json: false,
				returnFullResponse: true,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			// A file the provider no longer has must not block every later message; anything else is retried next poll.
			if (error instanceof NodeApiError && error.httpCode === '404') continue;
			throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error);
		}
		const body = response.body as ArrayBuffer | Buffer;
		const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
		const header = (name: string) => {
			const value = response.headers?.[name];
			return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
		};
		const mimeType =
			header('content-type')?.split(';')[0].trim() || (typeof attachment.mimetype === 'string' ? attachment.mimetype : undefined);
		const fileName =
			fileNameFromDisposition(header('content-disposition')) ??
			(typeof attachment.file_name === 'string' ? attachment.file_name : undefined);
		binary[`${prefix}${index}`] = await this.helpers.prepareBinaryData(buffer, fileName, mimeType);
	}
	return Object.keys(binary).length > 0 ? binary : undefined;
}

async function toItems(this: IPollFunctions, messages: UnipileMessage[], options: TriggerOptions): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (const message of messages) {
		const item: INodeExecutionData = { json: message as unknown as IDataObject };
		if (options.downloadAttachments) {
			const binary = await downloadAttachments.call(this, message, options.binaryPropertyPrefix?.trim() || 'attachment_');
			if (binary) item.binary = binary;
		}
		items.push(item);
	}
	return items;
}

/** "Fetch Test Event": the latest message of the watched stream; state stays as it was. */
async function latestMessage(this: IPollFunctions, stream: Stream): Promise<UnipileMessage> {
	const perAccount = stream.clientAccountIds ?? [stream.accountId];
	const candidates: UnipileMessage[] = [];
	for (const accountId of perAccount) {
		const qs: IDataObject = { limit: 1 };
		if (accountId) qs.account_id = accountId;
		candidates.push(...asPage.call(this, await unipileGet.call(this, stream.path, qs)).items);
	}
	candidates.sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
	if (candidates.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No message found to use as a test event', {
			description: 'Send a message to one of the watched accounts (or to the chosen chat) first, then fetch the test event again.',
		});
	}
	return candidates[0];
}

/** n8n persists this very object: replace its content in place, never the reference. */
function saveState(staticData: IDataObject, state: PollState): void {
	for (const key of Object.keys(staticData)) delete staticData[key];
	Object.assign(staticData, state);
}

export class UnipileTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Unipile Trigger',
		name: 'unipileTrigger',
		icon: { light: 'file:../../icons/unipile.svg', dark: 'file:../../icons/unipile.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["chatId"] ? "New messages in chat" : "New messages" }}',
		description: 'Starts the workflow when a new WhatsApp, LinkedIn, Instagram, Messenger, Telegram or X message arrives through Unipile',
		defaults: { name: 'Unipile Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'unipileApi', required: true }],
		properties: [
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
			chatLocator({ description: 'Watch only this chat. When set, the accounts above are ignored.' }),
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
							'Prefix of the binary fields that receive downloaded files: attachment_0 holds the first attachment of the message, attachment_1 the second, and so on',
					},
					{
						displayName: 'Download Attachments',
						name: 'downloadAttachments',
						type: 'boolean',
						default: false,
						description: 'Whether to download the files attached to each message into binary fields, with their file name and MIME type',
					},
					{
						displayName: 'Include Events',
						name: 'includeEvents',
						type: 'boolean',
						default: false,
						description: 'Whether to also trigger on events such as reactions and group changes',
					},
					{
						displayName: 'Include My Own Messages',
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
		listSearch: { searchChats },
		loadOptions: {
			async getAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const options: INodePropertyOptions[] = [];
				let cursor: string | undefined;
				do {
					const body = (await unipileApiRequest.call(this, {
						method: 'GET',
						path: '/accounts',
						qs: cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE },
						json: true,
					})) as { items?: IDataObject[]; cursor?: string | null };
					for (const account of body.items ?? []) {
						options.push({ name: `${account.name ?? account.id} (${account.type ?? 'account'})`, value: String(account.id) });
					}
					cursor = typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined;
				} while (cursor);
				return options;
			},
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const stream = streamOf.call(this);

		if (this.getMode() === 'manual') {
			return [await toItems.call(this, [await latestMessage.call(this, stream)], options)];
		}

		const lookbackMinutes = Number(options.lookbackMinutes ?? 60);
		if (!Number.isFinite(lookbackMinutes) || lookbackMinutes < 1) {
			throw new NodeOperationError(this.getNode(), 'Lookback Window must be at least 1 minute');
		}
		const windowMs = lookbackMinutes * 60_000;
		const staticData = this.getWorkflowStaticData('node');
		const state = currentState(staticData, stream.key);

		// Nothing is written to staticData before every page (and file) is in hand: n8n keeps this object even when a poll throws.
		if (state === undefined) {
			const pages = await readPages.call(this, stream, {}, (read) => topScanComplete(read, windowMs));
			saveState(staticData, seedState(stream.key, pages.flatMap((page) => page.items), windowMs));
			return null;
		}

		const after = queryAfter(state, windowMs);
		const pages = after
			? await readPages.call(this, stream, { after }, () => false)
			: await readPages.call(this, stream, {}, (read) => topScanComplete(read, windowMs));
		const { fresh, next } = planPoll(state, pages.flatMap((page) => page.items), windowMs);
		const wanted = fresh.filter((message) =>
			isWanted(message, {
				includeOwnMessages: options.includeOwnMessages === true,
				includeEvents: options.includeEvents === true,
				accountIds: stream.clientAccountIds,
			}),
		);
		const items = await toItems.call(this, wanted, options);
		saveState(staticData, next);
		return items.length > 0 ? [items] : null;
	}
}
