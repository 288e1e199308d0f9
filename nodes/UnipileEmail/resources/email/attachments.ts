import type { IBinaryKeyData, IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';
import { binaryDownloadRequest, fileNameFromDisposition, responseToBinary } from '../../../shared/binary';
import { unipileApiRequest } from '../../../shared/transport';

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/**
 * Email → Get Attachment. One file: `responseToBinary`. With Download All the response is the email itself; each of
 * its attachments is then downloaded into `<binaryPropertyName>_<index in email.attachments>`, named and typed as
 * Unipile serves it (the email's own name and MIME type when the download says nothing).
 */
export async function emailAttachmentsToBinary(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (this.getNodeParameter('downloadAll', false) !== true) return await responseToBinary.call(this, items, response);
	const raw = response.body as Buffer | string;
	const email = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw)) as IDataObject;
	const prefix = String(this.getNodeParameter('binaryPropertyName', 'data')).trim() || 'data';
	const attachments = (Array.isArray(email.attachments) ? email.attachments : []) as IDataObject[];
	const binary: IBinaryKeyData = {};
	const described: IDataObject[] = [];
	for (const [index, attachment] of attachments.entries()) {
		const file = (await unipileApiRequest.call(
			this,
			{
				method: 'GET',
				path: `/emails/${encodeURIComponent(String(email.id))}/attachments/${encodeURIComponent(String(attachment.id))}`,
				headers: { accept: '*/*' },
				...binaryDownloadRequest,
			},
			this.getItemIndex(),
		)) as IN8nHttpFullResponse;
		const body = file.body as Buffer | ArrayBuffer | string;
		const buffer = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body, 'binary') : Buffer.from(body);
		const mimeType = header(file, 'content-type')?.split(';')[0].trim() || (attachment.mime as string | undefined);
		const fileName = fileNameFromDisposition(header(file, 'content-disposition')) ?? (attachment.name as string | undefined);
		const propertyName = `${prefix}_${index}`;
		binary[propertyName] = await this.helpers.prepareBinaryData(buffer, fileName, mimeType);
		described.push({ ...attachment, binaryPropertyName: propertyName });
	}
	return [{ json: { email_id: email.id, attachments: described }, binary }];
}
