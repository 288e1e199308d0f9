import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';
import { providerLabel } from './descriptions';
import { unipilePages } from './pager';

/** Unipile pages of this size; the editor asks for the next one with the cursor as its paginationToken. */
const PAGE_SIZE = 100;
/** With a search text, pages are read until this many entries match (or the list ends), so one scroll shows something. */
const ENOUGH_MATCHES = 20;

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
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = [];
	let cursor: string | null = null;
	for await (const page of unipilePages.call(this, { path, qs: { limit: PAGE_SIZE }, cursor: paginationToken })) {
		for (const entry of page.items) {
			const item = toItem(entry);
			if (needle === '' || `${item.name} ${String(item.value)}`.toLowerCase().includes(needle)) results.push(item);
		}
		cursor = page.cursor;
		if (needle === '' || results.length >= ENOUGH_MATCHES) break;
	}
	return cursor === null ? { results } : { results, paginationToken: cursor };
}

export async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		'/accounts',
		(account) => ({
			name: `${providerLabel(account.type)} · ${String(account.name || account.id)}`,
			value: String(account.id),
		}),
		filter,
		paginationToken,
	);
}

export async function searchChats(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		'/chats',
		(chat) => ({
			// A one-to-one WhatsApp chat often has no name: its attendee's provider ID (the phone) says who it is.
			name: `${providerLabel(chat.account_type)} · ${String(chat.name || chat.attendee_provider_id || chat.provider_id || chat.id)}`,
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
	for await (const page of unipilePages.call(this, { path: '/accounts', qs: { limit: 250 } })) {
		for (const account of page.items) options.push({ name: `${String(account.name ?? account.id)} (${String(account.type ?? 'account')})`, value: String(account.id) });
	}
	return options;
}
