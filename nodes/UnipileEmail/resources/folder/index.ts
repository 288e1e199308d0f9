import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions, INodeProperties } from 'n8n-workflow';
import { accountLocator, pathParam } from '../../../shared/descriptions';
import { credentialTypeOf, unipileApiRequest } from '../../../shared/transport';
import { shownOnV2 } from '../../../shared/v2';
import { v2Folders } from '../../../shared/v2Email';

const show = { resource: ['folder'] };

export const folderOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a folder',
			description: 'Get one folder by its ID',
			routing: { request: { method: 'GET', url: `=/folders/${pathParam('folderId')}` } },
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many folders',
			description: 'List the folders (or Gmail labels) of a mailbox',
			routing: { request: { method: 'GET', url: '/folders' } },
		},
	],
	default: 'getAll',
};

export const folderFields: INodeProperties[] = [
	accountLocator({
		required: true,
		description: 'The mailbox whose folders to list',
		displayOptions: { show: { ...show, operation: ['getAll'] } },
		routing: { send: { type: 'query', property: 'account_id' } },
	}),
	shownOnV2(
		accountLocator({
			required: true,
			description: 'The mailbox the folder belongs to (Unipile API v2 finds a folder within its account)',
			displayOptions: { show: { ...show, operation: ['get'] } },
		}),
	),
	{
		displayName: 'Folder ID',
		name: 'folderId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Unipile ID of the folder',
		displayOptions: { show: { ...show, operation: ['get'] } },
	},
];

async function folders(this: ILoadOptionsFunctions, accountId?: string): Promise<IDataObject[]> {
	const body = (await unipileApiRequest.call(this, {
		method: 'GET',
		path: '/folders',
		qs: accountId ? { account_id: accountId } : {},
		json: true,
	})) as { items?: IDataObject[] };
	return Array.isArray(body.items) ? body.items : [];
}

/** On v2: the mailbox's folders by their v2 id (what the folder routes and moves take). */
async function v2FolderOptions(this: ILoadOptionsFunctions, accountId: string): Promise<INodePropertyOptions[]> {
	return (await v2Folders(this, accountId)).map((folder) => ({
		name: String(folder.name),
		value: String(folder.id),
		description: `${String(folder.role ?? 'folder').toLowerCase()} · ${String(folder.total_count ?? 0)} emails`,
	}));
}

/** Email → Get Many's folder picker: the chosen mailbox's folders, by the provider ID the list filter takes (v1) or their id (v2). */
export async function getFolders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const accountId = String(this.getCurrentNodeParameter('accountId', { extractValue: true }) ?? '').trim();
	if (!accountId) return [];
	if (credentialTypeOf(this) === 'unipileV2Api') return await v2FolderOptions.call(this, accountId);
	return (await folders.call(this, accountId)).map((folder) => ({
		name: String(folder.name),
		value: String(folder.provider_id),
		description: `${String(folder.role)} · ${String(folder.nb_mails ?? 0)} emails`,
	}));
}

/** Email → Update's folder picker: folder names (what the update takes) of every mailbox, once each. */
export async function getFolderNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	// v2 moves an email by folder ids, within the email's own mailbox.
	if (credentialTypeOf(this) === 'unipileV2Api') {
		const accountId = String(this.getCurrentNodeParameter('accountId', { extractValue: true }) ?? '').trim();
		return accountId ? await v2FolderOptions.call(this, accountId) : [];
	}
	const names = [...new Set((await folders.call(this)).map((folder) => String(folder.name)))];
	return names.sort((a, b) => a.localeCompare(b)).map((name) => ({ name, value: name }));
}
