import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

/** Nothing in the answer: v2's 204 No Content reaches the node as '' (or nothing); Modify a Message may answer null. */
function isEmpty(json: unknown): boolean {
	return json === undefined || json === null || json === '' || (typeof json === 'object' && !Array.isArray(json) && Object.keys(json as object).length === 0);
}

/**
 * Unipile API v2 answers Delete a Message and Delete a Chat with 204 No Content, and Modify a Message with the message
 * or null (types.gen.ts of unipile-node). An item must be an object: an empty answer becomes what v1 answers for the
 * same operation, so a workflow reads the same on both APIs; an answer with content passes unchanged.
 */
export function emptyAnswerAs(v1Answer: (context: IExecuteSingleFunctions) => IDataObject) {
	return async function (this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
		if (items.length === 0) return [{ json: v1Answer(this) }];
		return items.map((item) => (isEmpty(item.json) ? { ...item, json: v1Answer(this) } : item));
	};
}

/** The message the item names, as v1's answers give it (`message_id`). */
export function messageIdOf(context: IExecuteSingleFunctions): string {
	return String(context.getNodeParameter('messageId', '', { extractValue: true }) ?? '').trim();
}
