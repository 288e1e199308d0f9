import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { unipileApiRequest, type UnipileContext } from './transport';

/** One page of a Unipile list. */
export interface UnipilePage<T = IDataObject> {
	items: T[];
	/** The cursor of the next page; null on the last one. */
	cursor: string | null;
}

/** `{object: "…List", items, cursor}`; a few lists (a chat's attendees) come without a cursor. */
export function isUnipileList(body: unknown): body is { items: IDataObject[]; cursor?: string | null } {
	if (typeof body !== 'object' || body === null || !Array.isArray((body as IDataObject).items)) return false;
	const { object } = body as IDataObject;
	return 'cursor' in body || (typeof object === 'string' && object.endsWith('List'));
}

export function nextCursor(body: unknown): string | null {
	const cursor = (body as { cursor?: unknown } | null)?.cursor;
	return typeof cursor === 'string' && cursor !== '' ? cursor : null;
}

/**
 * The one cursor loop: fetches a page, hands it to the caller, and fetches the next while `cursorOf` gives a cursor
 * and the caller keeps iterating (a caller with its own stop rule simply breaks out).
 */
export async function* followCursor<P, C = string>(
	fetchPage: (cursor: C | null) => Promise<P>,
	cursorOf: (page: P) => C | null,
	startCursor: C | null = null,
): AsyncGenerator<P> {
	let cursor = startCursor;
	do {
		const page = await fetchPage(cursor);
		yield page;
		cursor = cursorOf(page);
	} while (cursor !== null);
}

/**
 * The pages of a Unipile list read from code (triggers, pickers). `qs` (filters, `limit`) goes with every page:
 * Unipile ignores filters once a cursor is sent, but resending them is harmless and keeps us correct if it didn't.
 */
export async function* unipilePages(
	this: UnipileContext,
	request: { path: string; qs?: IDataObject; cursor?: string; itemIndex?: number },
): AsyncGenerator<UnipilePage> {
	const fetchPage = async (cursor: string | null): Promise<UnipilePage> => {
		const qs = cursor === null ? { ...request.qs } : { ...request.qs, cursor };
		const body = await unipileApiRequest.call(this, { method: 'GET', path: request.path, qs, json: true }, request.itemIndex);
		if (!isUnipileList(body)) {
			throw new NodeOperationError(this.getNode(), `Unipile answered ${request.path} without a list`, {
				description: JSON.stringify(body).slice(0, 300),
				itemIndex: request.itemIndex,
			});
		}
		return { items: body.items, cursor: nextCursor(body) };
	};
	yield* followCursor(fetchPage, (page) => page.cursor, request.cursor || null);
}

/** Where the next page of a v2 list starts: after a cursor, or at an offset; null once the list is read. */
export type PageToken = { cursor: string } | { offset: number };

/**
 * A v2 list answer as one page. Account lists answer `{data, total_count?, next_cursor?}`: a `next_cursor` to follow
 * (absent or null on the last page), or, for providers that page by offset, the next page `data.length` further
 * until `total_count` is reached or `data` comes back empty; Core lists answer `{object, data, has_more}`, by offset.
 * A first page with neither a cursor nor a count is the only page unless it is full (`limit` items): then the next
 * is asked by offset. Undefined when the body is not a v2 list.
 */
export function v2PageOf(body: unknown, sent: PageToken | null, limit?: number): UnipileV2Page | undefined {
	if (typeof body !== 'object' || body === null || !Array.isArray((body as IDataObject).data)) return undefined;
	const { data, has_more: hasMore, next_cursor: cursor, total_count: total } = body as { data: IDataObject[]; has_more?: unknown; next_cursor?: unknown; total_count?: unknown };
	const offset = sent !== null && 'offset' in sent ? sent.offset : 0;
	const further = data.length > 0 ? { offset: offset + data.length } : null;
	let next: PageToken | null;
	if (typeof hasMore === 'boolean') next = hasMore ? further : null;
	else if (typeof cursor === 'string' && cursor !== '') next = { cursor };
	else if ('next_cursor' in (body as IDataObject) || (sent !== null && 'cursor' in sent)) next = null;
	else if (typeof total === 'number') next = offset + data.length < total ? further : null;
	else if (sent !== null || (limit !== undefined && data.length >= limit)) next = further;
	else next = null;
	return { items: data, next };
}

export interface UnipileV2Page<T = IDataObject> {
	items: T[];
	next: PageToken | null;
}

/** The query of the page that starts at `token`: every filter of `qs` kept, the cursor or offset added. */
export function v2PageQuery(qs: IDataObject, token: PageToken | null): IDataObject {
	if (token === null) return { ...qs };
	return 'cursor' in token ? { ...qs, cursor: token.cursor } : { ...qs, offset: String(token.offset) };
}

/** The pages of a v2 list read from code (triggers, pickers), every filter of `qs` sent with each page. */
export async function* unipileV2Pages(
	this: UnipileContext,
	request: { path: string; qs?: IDataObject; itemIndex?: number; headers?: IDataObject; start?: PageToken },
): AsyncGenerator<UnipileV2Page> {
	const fetchPage = async (token: PageToken | null): Promise<UnipileV2Page> => {
		const body = await unipileApiRequest.call(
			this,
			{ method: 'GET', path: request.path, qs: v2PageQuery(request.qs ?? {}, token), json: true, ...(request.headers ? { headers: request.headers } : {}) },
			request.itemIndex,
		);
		const limit = Number(request.qs?.limit);
		const page = v2PageOf(body, token, Number.isFinite(limit) ? limit : undefined);
		if (!page) {
			throw new NodeOperationError(this.getNode(), `Unipile answered ${request.path} without a list`, {
				description: JSON.stringify(body).slice(0, 300),
				itemIndex: request.itemIndex,
			});
		}
		return page;
	};
	yield* followCursor(fetchPage, (page) => page.next, request.start ?? null);
}
