import { NodeHelpers, nodeNameToToolName, type INode, type INodeProperties, type INodeType } from 'n8n-workflow';
import { loadPackage } from './harness/engine';

/**
 * What an AI Agent's model reads about the Unipile tool: n8n (2.41) describes a tool node left on "Set Automatically"
 * as `<action of the operation> in <node name>` (NodeHelpers.getToolDescriptionForNode); the operation's `description`
 * is not sent. So each `action` has to tell a model what the operation does. The real agent run is in test/e2e/agent.ts.
 */
async function unipile(): Promise<INodeType> {
	const loader = await loadPackage();
	return loader.nodeTypes.unipile.type as INodeType;
}

function operations(node: INodeType): Array<{ resource: string; operation: string; action: string }> {
	const properties = node.description.properties;
	const resources = (properties.find((p) => p.name === 'resource')!.options ?? []) as Array<{ value: string }>;
	const all = resources.flatMap(({ value: resource }) =>
		properties
			.filter((p: INodeProperties) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))
			.flatMap((p) => (p.options ?? []) as Array<{ value: string; action?: string }>)
			.map((o) => ({ resource, operation: o.value, action: o.action ?? '' })),
	);
	// A resource may have one Operation list per API (v2 adds operations): each operation counts once.
	return [...new Map(all.map((o) => [`${o.resource} ${o.operation}`, o])).values()];
}

function toolDescription(node: INodeType, parameters: Record<string, string>): string {
	const toolNode = { name: 'Unipile', parameters: { descriptionType: 'auto', ...parameters } } as unknown as INode;
	return NodeHelpers.getToolDescriptionForNode(toolNode, node);
}

describe('Unipile as an AI tool: the descriptions n8n gives the model', () => {
	test('the operations an agent uses to read and answer chats say what they do', async () => {
		const node = await unipile();
		const described = (resource: string, operation: string) => toolDescription(node, { resource, operation });
		expect(described('chat', 'getAll')).toBe('Get many chats of the connected messaging accounts in Unipile');
		expect(described('message', 'send')).toBe('Send a message to an existing chat in Unipile');
		expect(described('chat', 'start')).toBe('Start a new chat and send its first message in Unipile');
		expect(described('message', 'getAll')).toBe('Get many messages of a chat or of all chats in Unipile');
		expect(described('chat', 'update')).toBe('Update the read or mute or archive or pin status of a chat in Unipile');
	});

	test('every operation has its own action, so a model can tell two Unipile tools apart', async () => {
		const node = await unipile();
		const all = operations(node);
		const missing = all.filter((o) => !o.action.trim());
		expect(missing).toEqual([]);
		const descriptions = all.map((o) => toolDescription(node, { resource: o.resource, operation: o.operation }));
		expect(new Set(descriptions).size).toBe(descriptions.length);
		for (const [i, d] of descriptions.entries()) expect(d).toBe(`${all[i].action} in Unipile`);
	});

	test('a manual tool description replaces the generated one; the tool name is the node name', async () => {
		const node = await unipile();
		const toolNode = { name: 'List unread chats', parameters: { descriptionType: 'manual', toolDescription: 'Lists my unread chats', resource: 'chat', operation: 'getAll' } } as unknown as INode;
		expect(NodeHelpers.getToolDescriptionForNode(toolNode, node)).toBe('Lists my unread chats');
		expect(nodeNameToToolName(toolNode)).toBe('List_unread_chats');
	});
});
