import {
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INodeProperties,
} from 'n8n-workflow';

/**
 * `routing.request.headers` of an operation Unipile takes as multipart/form-data. Its fields declare where they go
 * with `routing.send` like any other; the transport turns the body RoutingNode built into FormData (`toFormData`).
 */
export const MULTIPART = { 'content-type': 'multipart/form-data' };

export function isMultipart(headers: IHttpRequestOptions['headers']): boolean {
	return Object.entries(headers ?? {}).some(
		([name, value]) => name.toLowerCase() === 'content-type' && String(value).startsWith('multipart/form-data'),
	);
}

/** Body fields that name binary properties of the input item, with the label users see, filled by `binaryFields`. */
const FILE_FIELDS = new Map<string, { label: string; multiple: boolean }>();

/**
 * A parameter naming input binary fields whose files go in the multipart body field `bodyProperty`, each with its
 * file name and MIME type. `multiple`: a comma-separated list (or an array from an expression), else one name.
 */
export function binaryFields(field: {
	displayName: string;
	name: string;
	bodyProperty: string;
	multiple: boolean;
	description: string;
	placeholder?: string;
	displayOptions?: INodeProperties['displayOptions'];
}): INodeProperties {
	FILE_FIELDS.set(field.bodyProperty, { label: field.displayName, multiple: field.multiple });
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'string',
		default: '',
		placeholder: field.placeholder ?? (field.multiple ? 'e.g. data, invoice' : 'e.g. data'),
		description: field.description,
		...(field.displayOptions ? { displayOptions: field.displayOptions } : {}),
		routing: { send: { type: 'body', property: field.bodyProperty } },
	};
}

/** The files shared by Chat → Start and Message → Send (entries of their Options collection). */
export const messageFileOptions: INodeProperties[] = [
	binaryFields({
		displayName: 'Attachments (Input Binary Fields)',
		name: 'attachments',
		bodyProperty: 'attachments',
		multiple: true,
		description:
			'Names of binary fields of the incoming item to send as attachments, separated by commas. Each file keeps its file name and MIME type.',
	}),
	binaryFields({
		displayName: 'Video Message (Input Binary Field)',
		name: 'videoMessage',
		bodyProperty: 'video_message',
		multiple: false,
		placeholder: 'e.g. video',
		description: 'Name of the binary field holding a video to send as a video message (LinkedIn)',
	}),
	binaryFields({
		displayName: 'Voice Message (Input Binary Field)',
		name: 'voiceMessage',
		bodyProperty: 'voice_message',
		multiple: false,
		placeholder: 'e.g. voice',
		description: 'Name of the binary field holding an audio file to send as a voice message (LinkedIn)',
	}),
];

/** A comma-separated string or an array, as trimmed non-empty entries. */
export function listEntries(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return list
		.filter((entry) => entry !== undefined && entry !== null)
		.map((entry) => String(entry).trim())
		.filter((entry) => entry !== '');
}


/** Whether a body value sends anything: blank strings, empty lists and objects send nothing. */
function sendsSomething(value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (typeof value === 'string') return value.trim() !== '';
	if (Array.isArray(value)) return value.some(sendsSomething);
	if (typeof value === 'object') return Object.values(value).some(sendsSomething);
	return true;
}

async function appendFile(this: IExecuteSingleFunctions, form: FormData, field: string, propertyName: string) {
	const label = FILE_FIELDS.get(field)?.label ?? field;
	const binary = this.getInputData().binary ?? {};
	if (binary[propertyName] === undefined) {
		throw new NodeOperationError(this.getNode(), `${label}: the input item has no binary field "${propertyName}"`, {
			itemIndex: this.getItemIndex(),
			description: `"${label}" names binary fields of the incoming item. Available: ${Object.keys(binary).join(', ') || 'none'}`,
		});
	}
	const file = this.helpers.assertBinaryData(propertyName);
	const buffer = await this.helpers.getBinaryDataBuffer(propertyName);
	const blob = new Blob([new Uint8Array(buffer)], { type: file.mimeType || 'application/octet-stream' });
	form.append(field, blob, file.fileName ?? propertyName);
}

/** Unipile's form encoding: text as is, booleans as 'true'/'false', one part per array entry, objects as `a[b]`. */
function appendValue(form: FormData, name: string, value: unknown): void {
	if (!sendsSomething(value)) return;
	if (Array.isArray(value)) {
		for (const entry of value) appendValue(form, name, typeof entry === 'string' ? entry.trim() : entry);
	} else if (typeof value === 'object' && value !== null) {
		for (const [key, entry] of Object.entries(value)) appendValue(form, `${name}[${key}]`, entry);
	} else {
		form.append(name, String(value));
	}
}

/** The body RoutingNode built, as the multipart form Unipile expects; binary fields become files. */
export async function toFormData(this: IExecuteSingleFunctions, body: IDataObject): Promise<FormData> {
	const form = new FormData();
	for (const [field, value] of Object.entries(body)) {
		const files = FILE_FIELDS.get(field);
		if (files) {
			for (const name of listEntries(files.multiple ? value : [value])) await appendFile.call(this, form, field, name);
		} else {
			appendValue(form, field, value);
		}
	}
	return form;
}

/**
 * A preSend putting the body's fields in the order Unipile's SDK sends them (`linkedin.api` orders a nested field);
 * fields not named keep their order after those. Parameters come in the order the editor lists them, which is
 * alphabetical inside a collection.
 */
export function fieldOrder(order: string[]) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const body = (requestOptions.body ?? {}) as IDataObject;
		const sorted: IDataObject = {};
		for (const path of order) {
			const [key, nested] = path.split('.');
			if (!(key in body)) continue;
			if (nested === undefined) {
				sorted[key] = body[key];
			} else {
				const source = body[key] as IDataObject;
				if (nested in source) sorted[key] = { ...(sorted[key] as IDataObject), [nested]: source[nested] };
			}
		}
		for (const [key, value] of Object.entries(body)) {
			if (!(key in sorted)) sorted[key] = value;
			else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
				sorted[key] = { ...(sorted[key] as IDataObject), ...(value as IDataObject) };
			}
		}
		requestOptions.body = sorted;
		return requestOptions;
	};
}

/**
 * A preSend refusing a request that would send none of `fields` (checked on the body RoutingNode built, before
 * anything is sent), with the fix.
 */
export function requireOneOf(fields: string[], message: string, description: string) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const body = (requestOptions.body ?? {}) as IDataObject;
		if (!fields.some((field) => sendsSomething(body[field]))) {
			throw new NodeOperationError(this.getNode(), message, { itemIndex: this.getItemIndex(), description });
		}
		return requestOptions;
	};
}

/** Text or at least one file: an empty message is refused before it is sent. */
export const somethingToSend = requireOneOf(
	['text', 'attachments', 'voice_message', 'video_message'],
	'Nothing to send: "Text" is empty and no file is attached',
	'Enter a text, or name a binary field of the input item in Options → Attachments, Voice Message or Video Message.',
);
