import type { V2Route, V2Unavailable } from '../../../shared/v2';
import { composeBody, SENDS_AN_EMAIL } from '../email/v2';

const draftPath = '/{accountId}/drafts/{draftId}';

export const draftV2: Record<string, V2Route | V2Unavailable> = {
	create: { method: 'POST', path: '/{accountId}/drafts', body: composeBody },
	delete: { method: 'DELETE', path: draftPath },
	get: { method: 'GET', path: draftPath },
	getAll: { method: 'GET', path: '/{accountId}/drafts', query: { limit: 'limit', from: 'from', to: 'to', any_email: 'any_email' }, list: true },
	send: { method: 'POST', path: `${draftPath}/send`, once: SENDS_AN_EMAIL },
	update: { method: 'PATCH', path: draftPath, body: composeBody },
};
