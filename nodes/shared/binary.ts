import {
	NodeApiError,
	NodeOperationError,
	type IBinaryData,
	type IBinaryKeyData,
	type IDataObject,
	type IDisplayOptions,
	type IExecuteSingleFunctions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type INodeProperties,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';
import { brokenDownload } from './errors';
import { isByteStream, readableClassOf, readAll, type Readable } from './stream';
import { credentialTypeOf, unipileApiRequest } from './transport';
import { v2Path } from './v2';

/**
 * Routing for an operation that downloads a file: the body as a stream (so that in n8n's filesystem, S3 or
 * database binary mode it goes to the store as it arrives, never whole in memory), and the headers (name, type).
 */
export const binaryDownloadRequest = {
	encoding: 'stream' as const,
	json: false,
	returnFullResponse: true,
};

export function binaryPropertyField(show: NonNullable<IDisplayOptions['show']>, description: string): INodeProperties {
	return {
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		description,
		displayOptions: { show },
	};
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name] ?? response.headers?.[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** `attachment; filename="a b.pdf"` or RFC 5987 `filename*=UTF-8''a%20b.pdf`. */
export function fileNameFromDisposition(disposition: string | undefined): string | undefined {
	if (!disposition) return undefined;
	const extended = /filename\*\s*=\s*([^']*)''([^;]+)/i.exec(disposition);
	if (extended) {
		try {
			return decodeURIComponent(extended[2].trim());
		} catch {
			return extended[2].trim();
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
	return plain ? (plain[2] ?? plain[1]).trim() : undefined;
}

type DownloadContext = IExecuteSingleFunctions | IPollFunctions | IWebhookFunctions;

const downloadRequest = unipileApiRequest<IN8nHttpFullResponse, IBinaryData>;

/** A file response as n8n binary data, named and typed from its headers, else from what the attachment said. */
async function toBinaryData(
	this: DownloadContext,
	response: IN8nHttpFullResponse,
	fallback: { fileName?: string; mimeType?: string } = {},
) {
	const mimeType = header(response, 'content-type')?.split(';')[0].trim() || fallback.mimeType;
	const fileName = fileNameFromDisposition(header(response, 'content-disposition')) ?? fallback.fileName;
	const body = response.body as ArrayBuffer | Buffer | string | Readable;
	if (!isByteStream(body)) {
		const buffer = Buffer.isBuffer(body)
			? body
			: typeof body === 'string'
				? Buffer.from(body, 'binary')
				: Buffer.from(body as ArrayBuffer);
		return { size: buffer.length, binary: await this.helpers.prepareBinaryData(buffer, fileName, mimeType) };
	}
	const declared = Number(header(response, 'content-length'));
	const expected = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
	let size = 0;
	// Counted on the way through: n8n 1.x does not report the stored size, and a body shorter than its
	// Content-Length must fail the download (n8n would otherwise keep a truncated file).
	async function* counted(): AsyncGenerator<Buffer> {
		try {
			for await (const chunk of body as AsyncIterable<Buffer>) {
				size += chunk.length;
				yield chunk;
			}
		} catch (error) {
			throw brokenDownload(error, size, expected);
		}
		if (expected !== undefined && size !== expected) throw brokenDownload(undefined, size, expected);
	}
	const stream = readableClassOf(body).from(counted(), { objectMode: false });
	try {
		const binary = await this.helpers.prepareBinaryData(stream, fileName, mimeType);
		return { size, binary };
	} finally {
		body.destroy();
	}
}

/** A small body (JSON) of a response asked for as a stream or as bytes, as text. */
export async function responseText(response: IN8nHttpFullResponse): Promise<string> {
	const body = response.body as Buffer | string | Readable;
	if (isByteStream(body)) return (await readAll(body)).toString('utf8');
	return Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
}

function outputPropertyName(this: IExecuteSingleFunctions): string {
	return String(this.getNodeParameter('binaryPropertyName', 'data')).trim() || 'data';
}

/**
 * Turns a file response into an n8n item: the bytes in a binary property with their real file name and MIME type
 * (n8n's built-in `binaryData` postReceive drops both), and a little JSON describing the file.
 */
export async function responseToBinary(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const { size, binary } = await toBinaryData.call(this, response);
	return [
		{
			json: { fileName: binary.fileName ?? null, mimeType: binary.mimeType, fileSize: size },
			binary: { [outputPropertyName.call(this)]: binary },
		},
	];
}

/**
 * Downloads the attachments of a message into binary properties named by `propertyName(index in attachments)`, for
 * Message → Get Attachment (Download All) and the polling trigger. An unavailable attachment (expired, deleted) has
 * no file: its metadata is kept with `binaryPropertyName: null`. `skipMissing`: a file Unipile answers 404 for is
 * skipped the same way instead of failing (a trigger must not stall on a file the provider no longer has).
 */
export async function downloadMessageAttachments(
	this: DownloadContext,
	message: IDataObject,
	options: {
		propertyName: (index: number) => string;
		skipMissing: boolean;
		itemIndex?: number;
		/** An email's attachments (`/emails/{id}/attachments/…`, `name`, `mime`) instead of a message's. */
		email?: boolean;
		/** ms since epoch: a file still downloading then is abandoned, and the files after it are not started */
		deadline?: number;
		/** Where an attachment is downloaded from, when not v1's `/messages/{id}/attachments/{attachment}` (v2). */
		attachmentPath?: (attachmentId: string) => string;
	},
): Promise<{ binary: IBinaryKeyData; attachments: IDataObject[]; pastDeadline: number[] }> {
	const attachments = (Array.isArray(message.attachments) ? message.attachments : []) as IDataObject[];
	const binary: IBinaryKeyData = {};
	const described: IDataObject[] = [];
	const pastDeadline: number[] = [];
	const late = () => options.deadline !== undefined && Date.now() >= options.deadline;
	for (const [index, attachment] of attachments.entries()) {
		// v1 says `unavailable` (a 0/1 flag), v2 `is_unavailable`.
		if (typeof attachment?.id !== 'string' || attachment.unavailable === true || attachment.unavailable === 1 || attachment.is_unavailable === true) {
			described.push({ ...attachment, binaryPropertyName: null });
			continue;
		}
		if (late()) {
			pastDeadline.push(index);
			described.push({ ...attachment, binaryPropertyName: null });
			continue;
		}
		const fileName = options.email ? attachment.name : (attachment.file_name ?? attachment.filename);
		const mimeType = options.email ? attachment.mime : attachment.mimetype;
		const fallback = {
			fileName: typeof fileName === 'string' ? fileName : undefined,
			mimeType: typeof mimeType === 'string' ? mimeType : undefined,
		};
		const propertyName = options.propertyName(index);
		try {
			// Stored inside the retried call: a download that breaks halfway is fetched again, not kept cut short.
			binary[propertyName] = await downloadRequest.call(
				this,
				{
					method: 'GET',
					path: options.attachmentPath
						? options.attachmentPath(attachment.id)
						: `/${options.email ? 'emails' : 'messages'}/${encodeURIComponent(String(message.id))}/attachments/${encodeURIComponent(attachment.id)}`,
					headers: { accept: '*/*' },
					...binaryDownloadRequest,
					deadline: options.deadline,
				},
				options.itemIndex,
				async (file: IN8nHttpFullResponse) => (await toBinaryData.call(this, file, fallback)).binary,
			);
		} catch (error) {
			if (options.skipMissing && (error as { httpCode?: unknown }).httpCode === '404') {
				described.push({ ...attachment, binaryPropertyName: null });
				continue;
			}
			if (late()) {
				pastDeadline.push(index);
				described.push({ ...attachment, binaryPropertyName: null });
				continue;
			}
			throw error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex: options.itemIndex });
		}
		described.push({ ...attachment, binaryPropertyName: propertyName });
	}
	return { binary, attachments: described, pastDeadline };
}

/**
 * Message → Get Attachment. One file: `responseToBinary`. With `downloadAll` the response is the message itself;
 * every available attachment is then downloaded into `<binaryPropertyName>_<index in message.attachments>`.
 */
export async function messageAttachmentsToBinary(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (this.getNodeParameter('downloadAll', false) !== true) return await responseToBinary.call(this, items, response);
	const message = JSON.parse(await responseText(response)) as IDataObject;
	const prefix = outputPropertyName.call(this);
	// On v2 a message's files are under its chat: the same route the message came from.
	const onV2 = credentialTypeOf(this) === 'unipileV2Api';
	const messagePath = onV2 ? v2Path(this, '/{accountId}/chats/{messageChatId}/messages/{messageId}') : undefined;
	const { binary, attachments } = await downloadMessageAttachments.call(this, message, {
		propertyName: (index) => `${prefix}_${index}`,
		skipMissing: false,
		itemIndex: this.getItemIndex(),
		...(messagePath ? { attachmentPath: (attachmentId: string) => `${messagePath}/attachments/${encodeURIComponent(attachmentId)}` } : {}),
	});
	return [{ json: { message_id: String(message.id), attachments }, binary }];
}
