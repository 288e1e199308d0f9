import {
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
} from 'n8n-workflow';
import { executionCache } from './executionCache';
import { searchAccounts } from './listSearch';
import { credentialTypeOf, unipileApiRequest, type UnipileContext } from './transport';

/**
 * The accounts a node works with. `types`: the account's type as v1 reports it (`type`: GOOGLE_OAUTH, MAIL…) and
 * its provider as v2 reports it (`provider`: google, imap…), both upper-cased; `names`: how messages name them.
 */
export interface AccountKind {
	types: string[];
	names: string;
}

/** Mailboxes (Unipile Email): a Gmail account reads GOOGLE_OAUTH on v1, google on v2; an IMAP one MAIL on v1, imap on v2. */
export const MAIL_ACCOUNTS: AccountKind = { types: ['GOOGLE', 'GOOGLE_OAUTH', 'OUTLOOK', 'MAIL', 'IMAP', 'ICLOUD', 'EXCHANGE'], names: 'Google, Outlook and IMAP' };

/** Calendars: Google and Outlook accounts (v2 `google`/`outlook`). */
export const CALENDAR_ACCOUNTS: AccountKind = { types: ['GOOGLE', 'GOOGLE_OAUTH', 'OUTLOOK'], names: 'Google and Outlook' };

export const LINKEDIN_ACCOUNTS: AccountKind = { types: ['LINKEDIN'], names: 'LinkedIn' };

/** An account entry's type, upper-cased: v1 names it in `type` (WHATSAPP), v2 in `provider` (whatsapp). */
export function accountTypeIn(account: IDataObject): string {
	return String(account.type ?? account.provider ?? '').toUpperCase();
}

/**
 * An account's type (v1 `GET /accounts/{id}`, v2 `GET /v2/accounts/{id}`), asked once per account per execution:
 * the account-kind check, LinkedIn's public-identifier resolution and Email Reply's threading share the answer.
 */
export async function accountTypeOf(context: IExecuteSingleFunctions, accountId: string): Promise<string> {
	const cache = executionCache(context);
	const key = `account ${credentialTypeOf(context)} ${accountId}`;
	let found = cache.get(key);
	if (!found) {
		found = (async () => {
			const account = await unipileApiRequest.call<UnipileContext, [{ path: string }, number], Promise<IDataObject>>(context, { path: `/accounts/${encodeURIComponent(accountId)}` }, context.getItemIndex());
			return accountTypeIn(account);
		})();
		cache.set(key, found);
		found.catch(() => cache.delete(key));
	}
	return await found;
}

/**
 * The Account picker of a node that works with one kind of account: only the accounts of that kind (pages are read
 * on until enough of them are found, as with a search text). A node uses it as
 * `listSearch: { searchAccounts: searchAccountsOf(MAIL_ACCOUNTS) }`, with `accountOfKind` in resourceProperties' checks.
 */
export function searchAccountsOf(kind: AccountKind) {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await searchAccounts.call(this, filter, paginationToken, (account) => kind.types.includes(accountTypeIn(account)));
	};
}

/**
 * A request's `preSend` refusing, before anything is sent, an Account ID of another kind (typed by hand, mapped, or
 * saved before the picker was filtered): the message names the field, the account's type and the fix. One account
 * lookup per account per execution. Operations without an Account ID pass untouched.
 */
export function accountOfKind(kind: AccountKind, product: string) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		// Operations without an Account ID (e.g. v1's Email → Get by ID) have nothing to check; extractValue would throw there.
		if (!this.getNodeParameter('accountId', '')) return requestOptions;
		const raw = this.getNodeParameter('accountId', '', { extractValue: true }) as unknown;
		const accountId = typeof raw === 'string' ? raw.trim() : '';
		if (accountId === '') return requestOptions;
		const type = await accountTypeOf(this, accountId);
		if (type !== '' && !kind.types.includes(type)) {
			throw new NodeOperationError(this.getNode(), `Account ID: account ${accountId} is a ${type} account; ${product} works with ${kind.names} accounts: choose one of those`, {
				itemIndex: this.getItemIndex(),
				description: `Pick the account from the Account ID list (it shows only ${kind.names} accounts), or connect one to Unipile first.`,
			});
		}
		return requestOptions;
	};
}
