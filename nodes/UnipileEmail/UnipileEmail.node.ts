import { NodeConnectionTypes, type INodeProperties, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { unipileBaseUrlExpression } from '../../credentials/UnipileApi.credentials';
import { unipileListSearch } from '../shared/listSearch';
import { runUnipileRequest } from '../shared/transport';
import { checkParameters } from '../shared/validation';
import { draftFields, draftOperations } from './resources/draft';
import { emailFields, emailOperations } from './resources/email';
import { folderFields, folderOperations, getFolderNames, getFolders } from './resources/folder';

const unipileEmailProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Draft', value: 'draft' },
			{ name: 'Email', value: 'email' },
			{ name: 'Folder', value: 'folder' },
		],
		default: 'email',
		// `paginate` is what makes RoutingNode hand the request to requestOperations.pagination.
		routing: { send: { paginate: true, preSend: [checkParameters(() => unipileEmailProperties)] } },
	},
	draftOperations,
	emailOperations,
	folderOperations,
	...draftFields,
	...emailFields,
	...folderFields,
];

export class UnipileEmail implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Unipile Email',
		name: 'unipileEmail',
		icon: { light: 'file:../../icons/unipile.svg', dark: 'file:../../icons/unipile.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Send, reply to, read, move and track emails of Gmail, Outlook and IMAP mailboxes through Unipile',
		defaults: { name: 'Unipile Email' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'unipileApi', required: true }],
		requestDefaults: {
			baseURL: unipileBaseUrlExpression,
			headers: { accept: 'application/json' },
		},
		// Every request runs through the shared transport: credential checks, retries, list unwrapping, cursor paging.
		requestOperations: { pagination: runUnipileRequest },
		properties: unipileEmailProperties,
	};

	methods = { listSearch: unipileListSearch, loadOptions: { getFolders, getFolderNames } };
}
