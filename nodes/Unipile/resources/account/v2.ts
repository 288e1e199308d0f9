import type { V2Route, V2Unavailable } from '../../../shared/v2';

export const accountV2: Record<string, V2Route | V2Unavailable> = {
	delete: { method: 'DELETE', path: '/accounts/{accountId}' },
	get: { method: 'GET', path: '/accounts/{accountId}' },
	getAll: { method: 'GET', path: '/accounts/', query: { limit: (request) => (request.qs.limit === undefined ? undefined : String(request.qs.limit)) }, list: true },
	resync: { unavailable: 'Unipile API v2 has no resync: Unipile keeps v2 accounts in sync itself.' },
};
