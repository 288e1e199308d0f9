import type {
	IBinaryKeyData,
	IDataObject,
	IDisplayOptions,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
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

async function toBinaryData(this: IExecuteSingleFunctions, response: IN8nHttpFullResponse) {
	const body = response.body as ArrayBuffer | Buffer | string;
	const buffer = Buffer.isBuffer(body)
		? body
		: typeof body === 'string'
			? Buffer.from(body, 'binary')
			: Buffer.from(body as ArrayBuffer);
	const mimeType = header(response, 'content-type')?.split(';')[0].trim() || undefined;
	const fileName = fileNameFromDisposition(header(response, 'content-disposition'));
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
	const messageId = String(message.id);
	const attachments = (Array.isArray(message.attachments) ? message.attachments : []) as IDataObject[];
	const prefix = outputPropertyName.call(this);
	const binary: IBinaryKeyData = {};
	const described: IDataObject[] = [];
	for (const [index, attachment] of attachments.entries()) {
		// An unavailable attachment (expired, deleted) has no file to fetch: keep its metadata, skip the download.
		if (attachment.unavailable === true || attachment.unavailable === 1) {
			described.push({ ...attachment, binaryPropertyName: null });
			continue;
		}
		const file = (await unipileApiRequest.call(
			this,
			{
				method: 'GET',
				path: `/messages/${encodeURIComponent(messageId)}/attachments/${encodeURIComponent(String(attachment.id))}`,
				headers: { accept: '*/*' },
				...binaryDownloadRequest,
			},
			this.getItemIndex(),
		)) as IN8nHttpFullResponse;
		const propertyName = `${prefix}_${index}`;
		binary[propertyName] = (await toBinaryData.call(this, file)).binary;
		described.push({ ...attachment, binaryPropertyName: propertyName });
	}
	return [{ json: { message_id: messageId, attachments: described }, binary }];
}
