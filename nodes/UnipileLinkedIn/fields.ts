import {
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { accountLocator } from '../shared/descriptions';

type Show = { resource: string[]; operation: string[] };

/** The LinkedIn account every call goes through: in the query of GET/DELETE, in the body of POST (in the path on v2). */
export function linkedinAccount(show: Show, where: 'query' | 'body' = 'query'): INodeProperties {
	return accountLocator({
		required: true,
		description: 'The Unipile LinkedIn account to act with',
		displayOptions: { show },
		routing: { send: { type: where, property: 'account_id' } },
	});
}

export function simplifyField(show: Show): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: { show },
		description: 'Whether to return a simplified version of the response instead of the raw data',
	};
}

/**
 * postReceive of the operations with a Simplify toggle. Runs on each Unipile answer: a page (v1 `{items, cursor}`,
 * v2 `{data, next_cursor | total_count}`) keeps its envelope (the transport unwraps and pages it), a single object is
 * simplified itself. v2's objects have their own shapes: `simplifyV2` gives the same output fields from them.
 */
export function simplifyWith(simplify: (entry: IDataObject) => IDataObject, simplifyV2: (entry: IDataObject) => IDataObject) {
	return async function (this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
		if (this.getNodeParameter('simplify', true) !== true) return items;
		const onV2 = this.getNodeParameter('authentication', 'unipileApi') === 'unipileApiV2';
		const simplifyEntry = onV2 ? simplifyV2 : simplify;
		const list = onV2 ? 'data' : 'items';
		return items.map((item) => {
			const { json } = item;
			if (Array.isArray(json[list])) return { ...item, json: { ...json, [list]: (json[list] as IDataObject[]).map(simplifyEntry) } };
			return { ...item, json: simplifyEntry(json) };
		});
	};
}

/** Drops keys whose value is undefined, so a simplified item has no empty columns Unipile never sent. */
export function compact(entry: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as IDataObject;
}

/**
 * preSend: refuses a text over LinkedIn's limit before anything is sent, naming the field and the count.
 * `parameter` may be a path into a collection (`options.message`).
 */
export function maxLength(parameter: string, label: string, max: number, what: string) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const value = this.getNodeParameter(parameter, '') as unknown;
		const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
		if (text.length > max) {
			throw new NodeOperationError(this.getNode(), `"${label}" is ${text.length} characters long; LinkedIn allows at most ${max}`, {
				itemIndex: this.getItemIndex(),
				description: `Shorten "${label}" by ${text.length - max} characters: ${what}`,
			});
		}
		return requestOptions;
	};
}

/** preSend: optional body fields left empty are not sent (Unipile would read "" as a value). */
export function withoutEmpty(...fields: string[]) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const body = requestOptions.body as IDataObject | undefined;
		if (body && typeof body === 'object') {
			for (const field of fields) if (typeof body[field] === 'string' && (body[field] as string).trim() === '') delete body[field];
		}
		return requestOptions;
	};
}
