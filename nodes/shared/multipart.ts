import { randomBytes } from 'node:crypto';
import {
	NodeOperationError,
	type IBinaryData,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INodeProperties,
} from 'n8n-workflow';
import { readableClassOf, type Readable } from './stream';

/**
 * `routing.request.headers` of an operation Unipile takes as multipart/form-data. Its fields declare where they go
 * with `routing.send` like any other; the transport turns the body RoutingNode built into a multipart body (`toMultipart`).
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

/** A part of the multipart body: a text field, or a file from a binary field of the input item. */
type Part = { name: string; value: string } | { name: string; file: IBinaryData; propertyName: string };

function filePart(this: IExecuteSingleFunctions, field: string, propertyName: string): Part {
	const label = FILE_FIELDS.get(field)?.label ?? field;
	const binary = this.getInputData().binary ?? {};
	if (binary[propertyName] === undefined) {
		throw new NodeOperationError(this.getNode(), `${label}: the input item has no binary field "${propertyName}"`, {
			itemIndex: this.getItemIndex(),
			description: `"${label}" names binary fields of the incoming item. Available: ${Object.keys(binary).join(', ') || 'none'}`,
		});
	}
	return { name: field, file: this.helpers.assertBinaryData(propertyName), propertyName };
}

/** Unipile's form encoding: text as is, booleans as 'true'/'false', one part per array entry, objects as `a[b]`. */
function textParts(parts: Part[], name: string, value: unknown): void {
	if (!sendsSomething(value)) return;
	if (Array.isArray(value)) {
		for (const entry of value) textParts(parts, name, typeof entry === 'string' ? entry.trim() : entry);
	} else if (typeof value === 'object' && value !== null) {
		for (const [key, entry] of Object.entries(value)) textParts(parts, `${name}[${key}]`, entry);
	} else {
		parts.push({ name, value: String(value) });
	}
}

const CRLF = '\r\n';

/** As axios and browsers write a form-data name: CR, LF and double quotes percent-encoded. */
function escapeName(name: string): string {
	return name.replace(/[\r\n"]/g, (c) => ({ '\r': '%0D', '\n': '%0A', '"': '%22' })[c] ?? c);
}

function fileNameOf(part: Extract<Part, { file: IBinaryData }>): string {
	return part.file.fileName ?? part.propertyName;
}

function mimeTypeOf(part: Extract<Part, { file: IBinaryData }>): string {
	return (part.file.mimeType || 'application/octet-stream').replace(/[\r\n]/g, '');
}

/** The multipart body Unipile receives, and how to send it again (a retry needs a fresh stream). */
export interface MultipartBody {
	headers: Record<string, string>;
	open(): Promise<FormData | Readable>;
}

/**
 * The body RoutingNode built, as the multipart form Unipile expects; binary fields become files. Files kept in n8n's
 * binary store (filesystem, S3, database modes: they have an id) are streamed from it part by part, so that sending a
 * 100 MB file does not hold it in memory; files held in the item itself (n8n's default mode) go in a FormData.
 */
export async function toMultipart(this: IExecuteSingleFunctions, body: IDataObject): Promise<MultipartBody> {
	const parts: Part[] = [];
	for (const [field, value] of Object.entries(body)) {
		const files = FILE_FIELDS.get(field);
		if (files) {
			for (const name of listEntries(files.multiple ? value : [value])) parts.push(filePart.call(this, field, name));
		} else {
			textParts(parts, field, value);
		}
	}
	const stored = parts.filter((part): part is Extract<Part, { file: IBinaryData }> => 'file' in part && part.file.id !== undefined);
	if (stored.length === 0) {
		const form = new FormData();
		for (const part of parts) {
			if ('value' in part) {
				form.append(part.name, part.value);
			} else {
				const buffer = await this.helpers.getBinaryDataBuffer(part.propertyName);
				const view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length) as Uint8Array<ArrayBuffer>;
				form.append(part.name, new Blob([view], { type: mimeTypeOf(part) }), fileNameOf(part));
			}
		}
		return { headers: {}, open: async () => form };
	}

	// The same bytes axios writes for a FormData (formDataToStream), with a Content-Length known in advance.
	const boundary = `form-data-boundary-${randomBytes(18).toString('base64url')}`;
	const encoded = await Promise.all(
		parts.map(async (part) => {
			if ('value' in part) {
				const head = Buffer.from(`--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(part.name)}"${CRLF}${CRLF}`);
				return { part, head, value: Buffer.from(part.value.replace(/\r?\n|\r\n?/g, CRLF)), size: 0 };
			}
			const head = Buffer.from(
				`--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(part.name)}"; filename="${escapeName(fileNameOf(part))}"${CRLF}` +
					`Content-Type: ${mimeTypeOf(part)}${CRLF}${CRLF}`,
			);
			return { part, head, value: undefined, size: await binarySize.call(this, part) };
		}),
	);
	const footer = Buffer.from(`--${boundary}--${CRLF}`);
	const length = encoded.reduce((n, e) => n + e.head.length + (e.value?.length ?? e.size) + CRLF.length, footer.length);
	const helpers = this.helpers;
	return {
		headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) },
		async open() {
			// Only to reach the Readable class (see stream.ts); each file is opened when its turn comes.
			const probe = await helpers.getBinaryStream(stored[0].file.id!);
			probe.destroy();
			async function* chunks(): AsyncGenerator<Buffer> {
				for (const { part, head, value } of encoded) {
					yield head;
					if (value) yield value;
					else if ('file' in part && part.file.id) yield* (await helpers.getBinaryStream(part.file.id)) as AsyncIterable<Buffer>;
					else if ('file' in part) yield await helpers.getBinaryDataBuffer(part.propertyName);
					yield Buffer.from(CRLF);
				}
				yield footer;
			}
			return readableClassOf(probe).from(chunks(), { objectMode: false });
		},
	};
}

/** The size of a file in n8n's binary store: `bytes` on n8n 2.x, its stored metadata on 1.x. */
async function binarySize(this: IExecuteSingleFunctions, part: Extract<Part, { file: IBinaryData }>): Promise<number> {
	const { file } = part;
	if (typeof file.bytes === 'number') return file.bytes;
	if (file.id) return (await this.helpers.getBinaryMetadata(file.id)).fileSize;
	return (await this.helpers.getBinaryDataBuffer(part.propertyName)).length;
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

/**
 * A file of the input item as Unipile API v2 takes it in a JSON body: `{filename, content_type, …extra, content}`,
 * `content` being the file in base64. Put it in a request body; the transport turns it into bytes (`toJsonWithFiles`).
 */
export class ItemFile {
	constructor(
		readonly propertyName: string,
		/** The field users name the file in (for errors). */
		readonly label: string,
		/** More fields of the file object, e.g. `{send_mode: 'native'}` for a voice note. */
		readonly extra: IDataObject = {},
	) {}
}

export function hasItemFiles(value: unknown): boolean {
	if (value instanceof ItemFile) return true;
	if (Array.isArray(value)) return value.some(hasItemFiles);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasItemFiles);
	return false;
}

/** The JSON body Unipile receives, and how to send it again (a retry needs a fresh stream). */
export interface JsonFilesBody {
	headers: Record<string, string>;
	open(): Promise<string | Readable>;
}

const BASE64_CHUNK = 3 * 64 * 1024;

/** Base64 of a byte stream, chunk by chunk: only up to two bytes wait for the next chunk. */
async function* base64Of(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
	let carry = Buffer.alloc(0);
	for await (const chunk of chunks) {
		const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
		const whole = bytes.length - (bytes.length % 3);
		for (let start = 0; start < whole; start += BASE64_CHUNK) yield Buffer.from(bytes.subarray(start, Math.min(whole, start + BASE64_CHUNK)).toString('base64'));
		carry = Buffer.from(bytes.subarray(whole));
	}
	if (carry.length > 0) yield Buffer.from(carry.toString('base64'));
}

/**
 * A v2 JSON body with the input item's files in it as base64. Files kept in n8n's binary store (filesystem, S3,
 * database modes) are read from it and encoded as the body is sent, never whole in memory: a 100 MB file adds its
 * chunks in flight, not a 133 MB string. Files held in the item itself (n8n's default mode) are encoded at once.
 */
export async function toJsonWithFiles(this: IExecuteSingleFunctions, body: IDataObject): Promise<JsonFilesBody> {
	const files: Array<{ file: ItemFile; binary: IBinaryData; marker: string }> = [];
	const token = randomBytes(12).toString('hex');
	const binary = this.getInputData().binary ?? {};
	const serialized = JSON.stringify(body, (_key, value: unknown) => {
		if (!(value instanceof ItemFile)) return value;
		if (binary[value.propertyName] === undefined) {
			throw new NodeOperationError(this.getNode(), `${value.label}: the input item has no binary field "${value.propertyName}"`, {
				itemIndex: this.getItemIndex(),
				description: `"${value.label}" names binary fields of the incoming item. Available: ${Object.keys(binary).join(', ') || 'none'}`,
			});
		}
		const data = this.helpers.assertBinaryData(value.propertyName);
		const marker = `unipile-file-${token}-${files.length}`;
		files.push({ file: value, binary: data, marker });
		return { filename: data.fileName ?? value.propertyName, content_type: data.mimeType || 'application/octet-stream', ...value.extra, content: marker };
	});
	const headers = { 'content-type': 'application/json' };
	if (files.every(({ binary: data }) => data.id === undefined)) {
		let text = serialized;
		for (const { file, marker } of files) text = text.replace(marker, (await this.helpers.getBinaryDataBuffer(file.propertyName)).toString('base64'));
		return { headers, open: async () => text };
	}
	// The text around each file's content, in order: segments[i] precedes file i, the last one ends the body.
	const segments: Buffer[] = [];
	let rest = serialized;
	for (const { marker } of files) {
		const [before, after] = rest.split(`"${marker}"`);
		segments.push(Buffer.from(`${before}"`));
		rest = `"${after}`;
	}
	segments.push(Buffer.from(rest));
	const sizes = await Promise.all(
		files.map(async ({ file, binary: data }) => {
			if (typeof data.bytes === 'number') return data.bytes;
			if (data.id) return (await this.helpers.getBinaryMetadata(data.id)).fileSize;
			return (await this.helpers.getBinaryDataBuffer(file.propertyName)).length;
		}),
	);
	const length = segments.reduce((n, segment) => n + segment.length, 0) + sizes.reduce((n, size) => n + 4 * Math.ceil(size / 3), 0);
	const helpers = this.helpers;
	const stored = files.find(({ binary: data }) => data.id !== undefined)!;
	return {
		headers: { ...headers, 'content-length': String(length) },
		async open() {
			// Only to reach the Readable class (see stream.ts); each file is opened when its turn comes.
			const probe = await helpers.getBinaryStream(stored.binary.id!);
			probe.destroy();
			async function* chunks(): AsyncGenerator<Buffer> {
				for (const [index, { file, binary: data }] of files.entries()) {
					yield segments[index];
					const source = data.id ? ((await helpers.getBinaryStream(data.id)) as AsyncIterable<Buffer>) : [await helpers.getBinaryDataBuffer(file.propertyName)];
					yield* base64Of(source as AsyncIterable<Buffer>);
				}
				yield segments[segments.length - 1];
			}
			return readableClassOf(probe).from(chunks(), { objectMode: false });
		},
	};
}

/**
 * Chat → Start's and Message → Send's files on v2, from the fields v1 sends them in: `attachments` as files, a voice
 * or video message as a file sent natively (`send_mode: 'native'`, v2 has no fields of their own).
 */
export function v2MessageFiles(request: { body: IDataObject }): ItemFile[] {
	const { attachments, voice_message: voice, video_message: video } = request.body;
	return [
		...listEntries(attachments).map((name) => new ItemFile(name, 'Attachments (Input Binary Fields)')),
		...listEntries([voice]).map((name) => new ItemFile(name, 'Voice Message (Input Binary Field)', { send_mode: 'native' })),
		...listEntries([video]).map((name) => new ItemFile(name, 'Video Message (Input Binary Field)', { send_mode: 'native' })),
	];
}
