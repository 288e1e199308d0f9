import { NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeListSearchResult } from 'n8n-workflow';
import { credentialTypeOf, unipileApiRequest } from '../shared/transport';

/**
 * Calendar's picker: the calendars of the Account chosen in the node (v1 `GET /calendars?account_id=`, v2
 * `GET /v2/{account_id}/calendars`), filtered by name or ID here. Accounts have a handful of calendars: one page of
 * 100, the next by the list's cursor.
 */
export async function searchCalendars(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const accountId = String(this.getCurrentNodeParameter('accountId', { extractValue: true }) ?? '').trim();
	if (accountId === '') {
		throw new NodeOperationError(this.getNode(), 'Choose the Account first', { description: 'Calendars belong to an account: pick it in Account ID, then open this list again.' });
	}
	const onV2 = credentialTypeOf(this) === 'unipileV2Api';
	const qs: IDataObject = onV2 ? { limit: '100' } : { account_id: accountId, limit: 100 };
	if (paginationToken) qs.cursor = paginationToken;
	const body = (await unipileApiRequest.call(this, { method: 'GET', path: onV2 ? `/${encodeURIComponent(accountId)}/calendars` : '/calendars', qs, json: true })) as IDataObject;
	// v1 and v2 are both documented answering `{data, next_cursor}`; v1's other lists answer `{items, cursor}`.
	const entries = (Array.isArray(body.data) ? body.data : Array.isArray(body.items) ? body.items : []) as IDataObject[];
	const next = typeof body.next_cursor === 'string' && body.next_cursor !== '' ? body.next_cursor : typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined;
	const needle = (filter ?? '').trim().toLowerCase();
	const results = entries
		.map((calendar) => ({ name: `${String(calendar.name || calendar.id)}${calendar.is_default === true ? ' (default)' : ''}`, value: String(calendar.id) }))
		.filter((item) => needle === '' || `${item.name} ${item.value}`.toLowerCase().includes(needle));
	return next ? { results, paginationToken: next } : { results };
}
