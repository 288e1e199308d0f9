import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { unipileListSearch } from '../shared/listSearch';
import { resourceProperties, unipileRequests } from '../shared/node';
import { draftFields, draftOperations } from './resources/draft';
import { emailFields, emailOperations } from './resources/email';
import { folderFields, folderOperations, getFolderNames, getFolders } from './resources/folder';

const unipileEmailProperties = resourceProperties(
	[
		{ name: 'Draft', value: 'draft' },
		{ name: 'Email', value: 'email' },
		{ name: 'Folder', value: 'folder' },
	],
	'email',
	[
		draftOperations,
		emailOperations,
		folderOperations,
		...draftFields,
		...emailFields,
		...folderFields,
	],
);

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
		...unipileRequests,
		properties: unipileEmailProperties,
	};

	methods = { listSearch: unipileListSearch, loadOptions: { getFolders, getFolderNames } };
}
