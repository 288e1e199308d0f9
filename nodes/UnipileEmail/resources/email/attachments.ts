import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';
import { downloadMessageAttachments, responseText, responseToBinary } from '../../../shared/binary';

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
	const { binary, attachments } = await downloadMessageAttachments.call(this, email, {
		propertyName: (index) => `${prefix}_${index}`,
		skipMissing: false,
		itemIndex: this.getItemIndex(),
		email: true,
	});
	return [{ json: { email_id: email.id, attachments }, binary }];
}
