import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * The floor for Message → Send: what a minimal programmatic node does for the same call, through the same
 * engine and the same credential helper. One multipart POST per item, sequential as most programmatic nodes
 * are written, or all at once with `concurrent` (what RoutingNode does).
 */
export class MinimalSend implements INodeType {
	description = {
		displayName: 'Minimal Send',
		name: 'minimalSend',
		group: ['output'],
		version: 1,
		description: '',
		defaults: { name: 'Minimal Send' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'unipileApi', required: true }],
		properties: [
			{ displayName: 'Chat ID', name: 'chatId', type: 'string', default: '' },
			{ displayName: 'Text', name: 'text', type: 'string', default: '' },
			{ displayName: 'Concurrent', name: 'concurrent', type: 'boolean', default: false },
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { dsn } = await this.getCredentials<{ dsn: string }>('unipileApi');
		const send = async (itemIndex: number): Promise<INodeExecutionData> => {
			const form = new FormData();
			form.append('text', this.getNodeParameter('text', itemIndex) as string);
			const chatId = encodeURIComponent(this.getNodeParameter('chatId', itemIndex) as string);
			const json = await this.helpers.httpRequestWithAuthentication.call(this, 'unipileApi', {
				method: 'POST',
				url: `${dsn}/api/v1/chats/${chatId}/messages`,
				headers: { accept: 'application/json' },
				body: form,
			});
			return { json, pairedItem: { item: itemIndex } };
		};
		const items = this.getInputData();
		if (this.getNodeParameter('concurrent', 0) === true) return [await Promise.all(items.map((_, index) => send(index)))];
		const out: INodeExecutionData[] = [];
		for (let index = 0; index < items.length; index++) out.push(await send(index));
		return [out];
	}
}
