import type { IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * postReceive after `responseToBinary` for Get Picture: Unipile answers the picture without a file name,
 * so it is named after the attendee (or chat) it belongs to, with the extension of its MIME type.
 */
export async function namePictureFile(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const id = String(this.getNodeParameter('attendeeId', '')).trim();
	return items.map((item) => {
		for (const binary of Object.values(item.binary ?? {})) {
			if (binary.fileName) continue;
			binary.fileName = binary.fileExtension ? `${id}.${binary.fileExtension}` : id;
			item.json = { ...item.json, fileName: binary.fileName };
		}
		return item;
	});
}
