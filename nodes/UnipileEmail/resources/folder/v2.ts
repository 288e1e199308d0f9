import type { V2Route, V2Unavailable } from '../../../shared/v2';

export const folderV2: Record<string, V2Route | V2Unavailable> = {
	get: { method: 'GET', path: '/{accountId}/folders/{folderId}' },
	// v2 pages the folders (v1 gave them all at once): every page is read.
	getAll: { method: 'GET', path: '/{accountId}/folders', query: { limit: () => '250' }, list: true },
};
