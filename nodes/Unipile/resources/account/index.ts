import type { INodeProperties } from 'n8n-workflow';

// Operations are filled in by the operations work; the values are the contract shared by every issue.
export const accountOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['account'] } },
	options: [
		{ name: 'connect', value: 'connect', action: 'connect account', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'get', value: 'get', action: 'get account', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'getAll', value: 'getAll', action: 'getAll account', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'delete', value: 'delete', action: 'delete account', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'reconnect', value: 'reconnect', action: 'reconnect account', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'solveCheckpoint', value: 'solveCheckpoint', action: 'solveCheckpoint account', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'resync', value: 'resync', action: 'resync account', routing: { request: { method: 'GET', url: '/' } } },
		{ name: 'createHostedAuthLink', value: 'createHostedAuthLink', action: 'createHostedAuthLink account', routing: { request: { method: 'GET', url: '/' } } },
	],
	default: 'connect',
};

export const accountFields: INodeProperties[] = [];
