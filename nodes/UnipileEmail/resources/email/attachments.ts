import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';
import { downloadMessageAttachments, responseText, responseToBinary } from '../../../shared/binary';
import { credentialTypeOf } from '../../../shared/transport';
import { v2AttachmentPath } from './v2';

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
	const email = JSON.parse(await responseText(response)) as IDataObject;
	const prefix = String(this.getNodeParameter('binaryPropertyName', 'data')).trim() || 'data';
	// On v2 an email's files are under its account, and they are named like a message's (`filename`, `mimetype`).
	const onV2 = credentialTypeOf(this) === 'unipileV2Api';
	const named = onV2
		? {
				...email,
				attachments: (Array.isArray(email.attachments) ? (email.attachments as IDataObject[]) : []).map((attachment) => ({
					...attachment,
					name: attachment.name ?? attachment.filename ?? attachment.file_name,
					mime: attachment.mime ?? attachment.mimetype ?? attachment.content_type,
				})),
			}
		: email;
	const { binary, attachments } = await downloadMessageAttachments.call(this, named, {
		propertyName: (index) => `${prefix}_${index}`,
		skipMissing: false,
		itemIndex: this.getItemIndex(),
		email: true,
		...(onV2 ? { attachmentPath: (attachmentId: string) => v2AttachmentPath(this, attachmentId) } : {}),
	});
	return [{ json: { email_id: email.id, attachments }, binary }];
}
