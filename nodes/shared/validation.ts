import { DateTime } from 'luxon';
import {
	NodeHelpers,
	NodeOperationError,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeProperties,
} from 'n8n-workflow';

/**
 * Unipile wants `YYYY-MM-DDTHH:MM:SS.sssZ`. Users give n8n date pickers (no zone: the workflow's time zone),
 * ISO strings with offsets, Luxon DateTimes from expressions ($now) or JS Dates.
 */
export function toUnipileDate(value: unknown, timezone: string): string | undefined {
	let date: DateTime | undefined;
	if (DateTime.isDateTime(value)) date = value;
	else if (value instanceof Date) date = DateTime.fromJSDate(value);
	else if (typeof value === 'string' && value.trim() !== '') date = DateTime.fromISO(value.trim(), { zone: timezone });
	else if (typeof value === 'number') date = DateTime.fromMillis(value);
	if (!date?.isValid) return undefined;
	return date.toUTC().toISO({ includeOffset: false, suppressMilliseconds: false }) + 'Z';
}

export function invalidDate(node: INode, field: string, value: unknown, itemIndex: number): NodeOperationError {
	return new NodeOperationError(node, `"${field}" is not a valid date: ${JSON.stringify(String(value))}`, {
		itemIndex,
		description:
			'Use an ISO 8601 date such as 2026-01-31T09:30:00Z, a date picked in the field, or an expression like {{ $now.minus({ days: 1 }) }}',
	});
}

/** The DSN and key are checked before anything is sent; the key itself never appears in a message. */
export function checkCredentials(node: INode, credentials: { dsn?: unknown; apiKey?: unknown }, baseUrl: string): void {
	const fix = 'Open the Unipile API credential and fix it.';
	if (typeof credentials.apiKey !== 'string' || credentials.apiKey.trim() === '') {
		throw new NodeOperationError(node, 'The API Key of the Unipile API credential is empty', {
			description: `Paste an access token from the Unipile dashboard (Access Tokens). ${fix}`,
		});
	}
	const dsn = typeof credentials.dsn === 'string' ? credentials.dsn.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(baseUrl);
	} catch {
		url = undefined;
	}
	const wellFormed =
		dsn !== '' &&
		!/\s/.test(dsn) &&
		url !== undefined &&
		(url.protocol === 'https:' || url.protocol === 'http:') &&
		url.hostname !== '' &&
		url.pathname === '/api/v1' &&
		url.search === '' &&
		url.hash === '' &&
		url.username === '' &&
		url.password === '';
	if (!wellFormed) {
		throw new NodeOperationError(node, `The DSN of the Unipile API credential is not valid: ${JSON.stringify(dsn)}`, {
			description: `Use the DSN shown at the top of your Unipile dashboard, such as api1.unipile.com:13111 (https://api1.unipile.com:13111 also works). ${fix}`,
		});
	}
}

/** The v2 credential's key and base URL are checked before anything is sent; the key never appears in a message. */
export function checkV2Credentials(node: INode, credentials: { apiKey?: unknown; baseUrl?: unknown }, baseUrl: string): void {
	const fix = 'Open the Unipile V2 API credential and fix it.';
	if (typeof credentials.apiKey !== 'string' || credentials.apiKey.trim() === '') {
		throw new NodeOperationError(node, 'The API Key of the Unipile V2 API credential is empty', {
			description: `Paste an API key of your Unipile v2 application (dashboard → API Keys). ${fix}`,
		});
	}
	let url: URL | undefined;
	try {
		url = new URL(baseUrl);
	} catch {
		url = undefined;
	}
	const given = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	const wellFormed =
		!/\s/.test(given) &&
		url !== undefined &&
		(url.protocol === 'https:' || url.protocol === 'http:') &&
		url.hostname !== '' &&
		url.pathname.endsWith('/v2') &&
		url.search === '' &&
		url.hash === '' &&
		url.username === '' &&
		url.password === '';
	if (!wellFormed) {
		throw new NodeOperationError(node, `The Base URL of the Unipile V2 API credential is not valid: ${JSON.stringify(given)}`, {
			description: `Leave it at https://api.unipile.com (or the address of your proxy or local sandbox). ${fix}`,
		});
	}
}

/**
 * The properties that need checking among those shown for the node's parameters. Which are shown depends only on
 * the parameters as saved (not on the item), so it is worked out once per set of parameters, not for every item.
 */
const shownByParameters = new Map<string, INodeProperties[]>();
function shownProperties(node: INode, getProperties: () => INodeProperties[]): INodeProperties[] {
	const key = `${node.type}\u0000${JSON.stringify(node.parameters)}`;
	let shown = shownByParameters.get(key);
	if (shown === undefined) {
		shown = getProperties().filter(
			(property) =>
				(property.type === 'number' || (property.required && (property.type === 'string' || property.type === 'resourceLocator'))) &&
				NodeHelpers.displayParameter(node.parameters, property, node, null, node.parameters),
		);
		// A long-running n8n sees many workflows: keep the memory bounded.
		if (shownByParameters.size >= 100) shownByParameters.delete(shownByParameters.keys().next().value as string);
		shownByParameters.set(key, shown);
	}
	return shown;
}

/**
 * Checks the parameters shown for the current operation before anything is sent: a required field must not be
 * empty once trimmed (an expression can give '' for one item), and numbers must be whole and within their bounds.
 * Driven by the node's own description, so every operation gets it without a list to keep in sync.
 */
export function checkParameters(getProperties: () => INodeProperties[]) {
	return async function (
		this: IExecuteSingleFunctions,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const node = this.getNode();
		const itemIndex = this.getItemIndex();
		for (const property of shownProperties(node, getProperties)) {
			if (property.type === 'number') {
				const { minValue, maxValue } = property.typeOptions ?? {};
				if (minValue === undefined && maxValue === undefined) continue;
				const raw = this.getNodeParameter(property.name, property.default) as unknown;
				const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
				if (raw === '' && !property.required) continue;
				if (
					typeof value !== 'number' ||
					!Number.isInteger(value) ||
					(minValue !== undefined && value < minValue) ||
					(maxValue !== undefined && value > maxValue)
				) {
					throw new NodeOperationError(
						node,
						`"${property.displayName}" must be a whole number from ${minValue ?? '…'} to ${maxValue ?? '…'}, not ${JSON.stringify(raw)}`,
						{
							itemIndex,
							description: `Set "${property.displayName}" to a value in range${property.name === 'limit' ? ', or turn on Return All to get everything' : ''}.`,
						},
					);
				}
			} else if (property.required && (property.type === 'string' || property.type === 'resourceLocator')) {
				const raw = this.getNodeParameter(property.name, '', { extractValue: true }) as unknown;
				const empty =
					raw === undefined ||
					raw === null ||
					(typeof raw === 'string' && raw.trim() === '') ||
					(Array.isArray(raw) && raw.length === 0);
				if (empty) {
					throw new NodeOperationError(node, `"${property.displayName}" is empty`, {
						itemIndex,
						description: `Enter a value for "${property.displayName}". If it comes from an expression, check that the input item ${itemIndex} has the field the expression reads.`,
					});
				}
			}
		}
		return requestOptions;
	};
}
