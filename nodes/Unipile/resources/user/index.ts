import type { INodeProperties } from 'n8n-workflow';

// Operations are filled in by the operations work; the values are the contract shared by every issue.
export const userOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['user'] } },
	options: [
		{ name: 'getProfile', value: 'getProfile', action: 'getProfile user', routing: { request: { method: 'GET', url: '/' } } },
	],
	default: 'getProfile',
};

export const userFields: INodeProperties[] = [];
