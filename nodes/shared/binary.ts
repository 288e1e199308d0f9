import {
	NodeApiError,
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IDisplayOptions,
	type IExecuteSingleFunctions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type INodeProperties,
	type IPollFunctions,
} from 'n8n-workflow';
import { unipileApiRequest } from './transport';

/** Routing for an operation that downloads a file: keep the raw bytes and the headers (name, type). */
export const binaryDownloadRequest = {
	encoding: 'arraybuffer' as const,
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

type DownloadContext = IExecuteSingleFunctions | IPollFunctions;

/** A file response as n8n binary data, named and typed from its headers, else from what the attachment said. */
async function toBinaryData(
	this: DownloadContext,
	response: IN8nHttpFullResponse,
	fallback: { fileName?: string; mimeType?: string } = {},
) {
	const body = response.body as ArrayBuffer | Buffer | string;
	const buffer = Buffer.isBuffer(body)
		? body
		: typeof body === 'string'
			? Buffer.from(body, 'binary')
			: Buffer.from(body as ArrayBuffer);
	const mimeType = header(response, 'content-type')?.split(';')[0].trim() || fallback.mimeType;
	const fileName = fileNameFromDisposition(header(response, 'content-disposition')) ?? fallback.fileName;
	return { buffer, binary: await this.helpers.prepareBinaryData(buffer, fileName, mimeType) };
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
	const { buffer, binary } = await toBinaryData.call(this, response);
	return [
		{
			json: { fileName: binary.fileName ?? null, mimeType: binary.mimeType, fileSize: buffer.length },
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
	},
): Promise<{ binary: IBinaryKeyData; attachments: IDataObject[] }> {
	const attachments = (Array.isArray(message.attachments) ? message.attachments : []) as IDataObject[];
	const binary: IBinaryKeyData = {};
	const described: IDataObject[] = [];
	for (const [index, attachment] of attachments.entries()) {
		if (typeof attachment?.id !== 'string' || attachment.unavailable === true || attachment.unavailable === 1) {
			described.push({ ...attachment, binaryPropertyName: null });
			continue;
		}
		let file: IN8nHttpFullResponse;
		try {
			file = (await unipileApiRequest.call(
				this,
				{
					method: 'GET',
					path: `/${options.email ? 'emails' : 'messages'}/${encodeURIComponent(String(message.id))}/attachments/${encodeURIComponent(attachment.id)}`,
					headers: { accept: '*/*' },
					...binaryDownloadRequest,
				},
				options.itemIndex,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			if (options.skipMissing && (error as { httpCode?: unknown }).httpCode === '404') {
				described.push({ ...attachment, binaryPropertyName: null });
				continue;
			}
			throw error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex: options.itemIndex });
		}
		const propertyName = options.propertyName(index);
		const fileName = options.email ? attachment.name : attachment.file_name;
		const mimeType = options.email ? attachment.mime : attachment.mimetype;
		const fallback = {
			fileName: typeof fileName === 'string' ? fileName : undefined,
			mimeType: typeof mimeType === 'string' ? mimeType : undefined,
		};
		binary[propertyName] = (await toBinaryData.call(this, file, fallback)).binary;
		described.push({ ...attachment, binaryPropertyName: propertyName });
	}
	return { binary, attachments: described };
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
	const body = response.body as Buffer | string;
	const message = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body)) as IDataObject;
	const prefix = outputPropertyName.call(this);
	const { binary, attachments } = await downloadMessageAttachments.call(this, message, {
		propertyName: (index) => `${prefix}_${index}`,
		skipMissing: false,
		itemIndex: this.getItemIndex(),
	});
	return [{ json: { message_id: String(message.id), attachments }, binary }];
}
