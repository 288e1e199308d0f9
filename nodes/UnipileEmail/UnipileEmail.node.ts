import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { accountOfKind, MAIL_ACCOUNTS, searchAccountsOf } from '../shared/accountKinds';
import { unipileListSearch } from '../shared/listSearch';
import { authenticationProperty, resourceProperties, unipileRequestsOnBothApis } from '../shared/node';
import { unipileCredentialTests } from '../shared/credentialTest';
import { bypassCacheField } from '../shared/v2';
import { draftV2 } from './resources/draft/v2';
import { emailV2 } from './resources/email/v2';
import { folderV2 } from './resources/folder/v2';
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
		...draftOperations,
		emailOperations,
		folderOperations,
		...draftFields,
		...emailFields,
		...folderFields,
		bypassCacheField({ resource: ['draft', 'email', 'folder'], operation: ['get', 'getAll'] }),
	],
	[accountOfKind(MAIL_ACCOUNTS, 'Unipile Email')],
);

/** Where each operation goes on Unipile API v2 (its v1 route is in its description). */
export const EMAIL_V2_ROUTES = { draft: draftV2, email: emailV2, folder: folderV2 };

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
		...unipileRequestsOnBothApis(EMAIL_V2_ROUTES),
		properties: [authenticationProperty, ...unipileEmailProperties],
	};

	methods = { credentialTest: unipileCredentialTests, listSearch: { ...unipileListSearch, searchAccounts: searchAccountsOf(MAIL_ACCOUNTS) }, loadOptions: { getFolders, getFolderNames } };
}
