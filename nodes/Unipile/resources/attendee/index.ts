import type { INodeProperties } from 'n8n-workflow';

// Operations are filled in by the operations work; the values are the contract shared by every issue.
export const attendeeOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['attendee'] } },
	options: [
		{ name: 'getAll', value: 'getAll', action: 'getAll attendee', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'get', value: 'get', action: 'get attendee', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'getChats', value: 'getChats', action: 'getChats attendee', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'getMessages', value: 'getMessages', action: 'getMessages attendee', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'getPicture', value: 'getPicture', action: 'getPicture attendee', routing: { request: { method: 'GET', url: '/' } } },
	],
	default: 'getAll',
};

export const attendeeFields: INodeProperties[] = [];
