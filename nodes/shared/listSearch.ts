import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { providerLabel } from './descriptions';
import { unipilePages, unipileV2Pages, type PageToken } from './pager';
import { credentialTypeOf } from './transport';

/** Unipile pages of this size; the editor asks for the next one with the cursor as its paginationToken. */
const PAGE_SIZE = 100;
/** With a search text, pages are read until this many entries match (or the list ends), so one scroll shows something. */
const ENOUGH_MATCHES = 20;

const keepAll = () => true;

/**
 * One or more Unipile pages as picker entries. Unipile lists have no text search, so the filter is applied here,
 * case-insensitively, to the entry's name and ID.
 */
async function search(
	this: ILoadOptionsFunctions,
	path: string,
	toItem: (entry: IDataObject) => INodeListSearchItems,
	filter: string | undefined,
	paginationToken: string | undefined,
	wanted: (entry: IDataObject) => boolean = keepAll,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	// Filtered lists (an account kind) read on like a search: a page of WhatsApp accounts alone would show nothing.
	const filtered = wanted !== keepAll;
	const results: INodeListSearchItems[] = [];
	const keep = (entries: IDataObject[]) => {
		for (const entry of entries) {
			if (!wanted(entry)) continue;
			const item = toItem(entry);
			if (needle === '' || `${item.name} ${String(item.value)}`.toLowerCase().includes(needle)) results.push(item);
		}
		return (needle === '' && filtered === false) || results.length >= ENOUGH_MATCHES;
	};
	if (credentialTypeOf(this) === 'unipileV2Api') {
		// v2 pages by cursor or offset: the editor keeps where the next page starts as its token.
		let next: PageToken | null = null;
		const start = paginationToken ? (JSON.parse(paginationToken) as PageToken) : undefined;
		for await (const page of unipileV2Pages.call(this, { path, qs: { limit: String(PAGE_SIZE) }, start })) {
			next = page.next;
			if (keep(page.items)) break;
		}
		return next === null ? { results } : { results, paginationToken: JSON.stringify(next) };
	}
	let cursor: string | null = null;
	for await (const page of unipilePages.call(this, { path, qs: { limit: PAGE_SIZE }, cursor: paginationToken })) {
		cursor = page.cursor;
		if (keep(page.items)) break;
	}
	return cursor === null ? { results } : { results, paginationToken: cursor };
}

/** On v2 a chat list is one account's: the Account chosen in the node. */
function v2ChatsPath(this: ILoadOptionsFunctions): string {
	const accountId = String(this.getCurrentNodeParameter('accountId', { extractValue: true }) ?? '').trim();
	if (accountId === '') {
		throw new NodeOperationError(this.getNode(), 'Choose the Account first', { description: 'Unipile API v2 lists the chats of one account: pick it in Account ID, then open this list again.' });
	}
	return `/${encodeURIComponent(accountId)}/chats`;
}

/** The Account picker; `wanted` keeps only some accounts (see searchAccountsOf in accountKinds.ts). */
export async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
	wanted?: (account: IDataObject) => boolean,
): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		credentialTypeOf(this) === 'unipileV2Api' ? '/accounts/' : '/accounts',
		(account) => ({
			// v1 names the provider in `type` (WHATSAPP), v2 in `provider` (whatsapp).
			name: `${providerLabel(account.type ?? String(account.provider ?? '').toUpperCase())} · ${String(account.name || account.id)}`,
			value: String(account.id),
		}),
		filter,
		paginationToken,
		wanted,
	);
}

export async function searchChats(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const onV2 = credentialTypeOf(this) === 'unipileV2Api';
	return await search.call(
		this,
		onV2 ? v2ChatsPath.call(this) : '/chats',
		(chat) => ({
			// A one-to-one WhatsApp chat often has no name: its attendee's provider ID (the phone) says who it is; on v2 its peer.
			name: `${providerLabel(chat.account_type ?? String(chat.provider ?? '').toUpperCase())} · ${String(chat.name || (chat.user as IDataObject | undefined)?.display_name || chat.attendee_provider_id || chat.provider_id || chat.id)}`,
			value: String(chat.id),
		}),
		filter,
		paginationToken,
	);
}

export const unipileListSearch = { searchAccounts, searchChats };

/** Every account as options of a multi-select (the triggers' Accounts), all pages read. */
export async function accountOptions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options: INodePropertyOptions[] = [];
	if (credentialTypeOf(this) === 'unipileV2Api') {
		// v2's Core list names the provider in `provider` (whatsapp), v1 in `type` (WHATSAPP).
		for await (const page of unipileV2Pages.call(this, { path: '/accounts/', qs: { limit: '250' } })) {
			for (const account of page.items) options.push({ name: `${String(account.name ?? account.id)} (${String(account.provider ?? 'account')})`, value: String(account.id) });
		}
		return options;
	}
	for await (const page of unipilePages.call(this, { path: '/accounts', qs: { limit: 250 } })) {
		for (const account of page.items) options.push({ name: `${String(account.name ?? account.id)} (${String(account.type ?? 'account')})`, value: String(account.id) });
	}
	return options;
}
