import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { isLinkedInProviderId, linkedinIdOf, linkedinProviderIdOf } from '../../../shared/linkedinUrls';
import { credentialTypeOf, unipileApiRequest, type UnipileContext } from '../../../shared/transport';
import { V2_NO_CACHE } from '../../../shared/v2';

/**
 * A read of these outreach steps. On v2 it asks for the current state (`Cache-Control: no-cache`): Unipile answers reads
 * from a cache up to an hour old, and a reply that came in since would not be seen.
 */
const get = async (context: IExecuteSingleFunctions, path: string, qs: IDataObject = {}) =>
	await unipileApiRequest.call<UnipileContext, [{ path: string; qs: IDataObject; headers: IDataObject }, number], Promise<IDataObject>>(
		context,
		{ path, qs, headers: { accept: 'application/json', ...(credentialTypeOf(context) === 'unipileV2Api' ? V2_NO_CACHE : {}) } },
		context.getItemIndex(),
	);

/**
 * The 1-to-1 chat of the account with a person (their provider ID), or null: v2 `GET /v2/{account_id}/users/{id}/chat`
 * (ChatLookup); v1 the person's chats (`GET /chat_attendees/{id}/chats?account_id=`), the first that is not a group.
 */
export async function existingChatWith(context: IExecuteSingleFunctions, accountId: string, personId: string): Promise<string | null> {
	if (credentialTypeOf(context) === 'unipileV2Api') {
		const lookup = await get(context, `/${encodeURIComponent(accountId)}/users/${encodeURIComponent(personId)}/chat`);
		const found = (Array.isArray(lookup.data) ? (lookup.data as IDataObject[]) : [])[0];
		return found?.chat_id ? String(found.chat_id) : null;
	}
	try {
		const chats = await get(context, `/chat_attendees/${encodeURIComponent(personId)}/chats`, { account_id: accountId, limit: 100 });
		// v1's chat type: 0 one-to-one, 1 group, 2 channel.
		const found = (Array.isArray(chats.items) ? (chats.items as IDataObject[]) : []).find((chat) => Number(chat.type ?? 0) === 0 && (chat.account_id === undefined || chat.account_id === accountId));
		return found?.id ? String(found.id) : null;
	} catch (error) {
		// Someone the account never wrote with is no attendee yet: no chat.
		if (Number((error as { httpCode?: unknown }).httpCode) === 404) return null;
		throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), error as Error);
	}
}

/** Chat → Start with Reuse Existing Chat: the chat it sent into, per item (v1's MessageSent has no chat ID). */
const reusedChats = new WeakMap<object, Map<number, string>>();

/**
 * Chat → Start, Reuse Existing Chat on v1: when the account already has a 1-to-1 chat with the one person given, the
 * message goes into it (`POST /chats/{id}/messages`: text and files; the start-only fields are dropped).
 */
export async function reuseChatPreSend(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	if (this.getNodeParameter('reuseExistingChat', false) !== true || credentialTypeOf(this) === 'unipileV2Api') return requestOptions;
	const body = requestOptions.body as IDataObject;
	const people = Array.isArray(body.attendees_ids) ? (body.attendees_ids as string[]) : [];
	if (people.length !== 1) return requestOptions;
	const chatId = await existingChatWith(this, String(body.account_id ?? ''), people[0]);
	if (chatId === null) return requestOptions;
	reusedFor(this).set(this.getItemIndex(), chatId);
	requestOptions.url = `/chats/${encodeURIComponent(chatId)}/messages`;
	requestOptions.body = Object.fromEntries(Object.entries(body).filter(([field]) => ['text', 'attachments', 'voice_message', 'video_message'].includes(field)));
	return requestOptions;
}

export function reusedFor(context: IExecuteSingleFunctions): Map<number, string> {
	// One map per run of the node (its input data object is the run's own).
	const key = context.getInputData() as unknown as object;
	let map = reusedChats.get(key);
	if (!map) reusedChats.set(key, (map = new Map()));
	return map;
}

/** Chat → Start's output says whether it reused a chat, and which (only with Reuse Existing Chat on: outputs stay as they were). */
export async function reusedChatOutput(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (this.getNodeParameter('reuseExistingChat', false) !== true) return items;
	const reused = reusedFor(this).get(this.getItemIndex());
	return items.map((item) => {
		const json = item.json;
		if (json.object === 'ChatStarted') return { ...item, json: { ...json, reused: false } };
		return { ...item, json: { ...json, chat_id: json.chat_id ?? reused ?? null, reused: true } };
	});
}

/** A message as Check Reply reports it. */
function replyOf(message: IDataObject): IDataObject {
	return { text: message.text ?? null, timestamp: message.timestamp ?? null, message_id: message.id ?? null };
}

const MAX_PAGES = 10;

/** The messages of a chat after a date, page after page (at most MAX_PAGES pages of 100/250). */
async function messagesAfter(context: IExecuteSingleFunctions, accountId: string, chatId: string, since: string): Promise<IDataObject[]> {
	const onV2 = credentialTypeOf(context) === 'unipileV2Api';
	const path = onV2 ? `/${encodeURIComponent(accountId)}/chats/${encodeURIComponent(chatId)}/messages` : `/chats/${encodeURIComponent(chatId)}/messages`;
	const messages: IDataObject[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const answer = await get(context, path, { after: since, limit: onV2 ? '250' : 100, ...(cursor ? { cursor } : {}) });
		messages.push(...((onV2 ? answer.data : answer.items) as IDataObject[] | undefined ?? []));
		const next = onV2 ? answer.next_cursor : answer.cursor;
		if (typeof next !== 'string' || next === '') break;
		cursor = next;
	}
	return messages;
}

/** n8n's per-item view of a code operation, as the shared request helpers take it. */
function itemContext(context: IExecuteFunctions, itemIndex: number): IExecuteSingleFunctions {
	return Object.assign(Object.create(context) as IExecuteSingleFunctions, {
		getItemIndex: () => itemIndex,
		getNodeParameter: (name: string, fallback?: unknown, options?: IDataObject) => context.getNodeParameter(name, itemIndex, fallback, options),
	});
}

/**
 * Chat → Check Reply: whether a person answered since a date, in a chat given or in the account's 1-to-1 chat with
 * them; the account's own messages (`is_sender`) are not replies. No chat with the person is `replied: false`.
 */
export async function checkReply(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	const items = this.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const context = itemContext(this, itemIndex);
			const accountId = String(this.getNodeParameter('accountId', itemIndex, '', { extractValue: true }) ?? '').trim();
			const chatGiven = String(this.getNodeParameter('replyChatId', itemIndex, '') ?? '').trim();
			const person = String(this.getNodeParameter('person', itemIndex, '') ?? '').trim();
			const sinceRaw = this.getNodeParameter('since', itemIndex, '') as unknown;
			const since = new Date(String(sinceRaw ?? ''));
			const refuse = (message: string, description: string) => new NodeOperationError(this.getNode(), message, { itemIndex, description });
			if (accountId === '') throw refuse('"Account ID" is empty', 'Choose the account the conversation is on.');
			if (chatGiven === '' && person === '') throw refuse('Give "Person" or "Chat ID"', 'Person: the provider ID or LinkedIn profile URL of the person; or the Chat ID of the conversation.');
			if (String(sinceRaw ?? '').trim() === '' || Number.isNaN(since.getTime())) throw refuse(`"Since" is not a date: ${JSON.stringify(sinceRaw)}`, 'Give the date the message was sent, e.g. 2026-01-31T09:00:00Z or {{ $json.sent_at }}.');
			let chatId: string | null = chatGiven || null;
			if (chatId === null) {
				const value = linkedinIdOf(context, person, 'profile', 'Person', itemIndex);
				const personId = /linkedin\.com/i.test(person) && !isLinkedInProviderId(value) ? await linkedinProviderIdOf(context, person, accountId, 'Person') : value;
				chatId = await existingChatWith(context, accountId, personId);
			}
			const replies = chatId === null ? [] : (await messagesAfter(context, accountId, chatId, since.toISOString())).filter((message) => !message.is_sender && new Date(String(message.timestamp)).getTime() > since.getTime());
			replies.sort((a, b) => new Date(String(b.timestamp)).getTime() - new Date(String(a.timestamp)).getTime());
			output.push({ json: { replied: replies.length > 0, reply_count: replies.length, last_reply: replies.length > 0 ? replyOf(replies[0]) : null, chat_id: chatId }, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!this.continueOnFail()) throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}
