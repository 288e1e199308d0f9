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
export async function* followCursor<P>(
	fetchPage: (cursor: string | null) => Promise<P>,
	cursorOf: (page: P) => string | null,
	startCursor: string | null = null,
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
