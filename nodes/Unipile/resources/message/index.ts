import type { INodeProperties } from 'n8n-workflow';

// Operations are filled in by the operations work; the values are the contract shared by every issue.
export const messageOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	options: [
		{ name: 'send', value: 'send', action: 'send message', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'forward', value: 'forward', action: 'forward message', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'get', value: 'get', action: 'get message', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'getAll', value: 'getAll', action: 'getAll message', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'getAttachment', value: 'getAttachment', action: 'getAttachment message', routing: { request: { method: 'GET', url: '/' } } },
	],
	default: 'send',
};

export const messageFields: INodeProperties[] = [];
