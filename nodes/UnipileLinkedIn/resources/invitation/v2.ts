import { v2RouteChoice, type V2Route, type V2RouteChoice } from '../../../shared/v2';
import { listLimit } from '../../v2';

/** v2 calls invitations relation requests; the account's own are under `users/me`. */
const requests = '/{accountId}/users/me/relation-requests';

export const invitationV2: Record<string, V2Route | V2RouteChoice> = {
	// Withdrawing is a POST on v2 (the same route refuses a received request).
	cancel: { method: 'POST', path: `${requests}/{invitationId}/cancel` },
	getAllReceived: { method: 'GET', path: requests, query: { type: () => 'received', ...listLimit }, list: true },
	getAllSent: { method: 'GET', path: requests, query: { type: () => 'sent', ...listLimit }, list: true },
	// Accept and decline are two routes on v2, neither with a body: no shared secret.
	handle: v2RouteChoice([`POST ${requests}/{invitationId}/accept`, `POST ${requests}/{invitationId}/cancel`], (context) => ({
		method: 'POST',
		path: `${requests}/{invitationId}/${context.getNodeParameter('action', 'accept') === 'decline' ? 'cancel' : 'accept'}`,
	})),
	send: { method: 'POST', path: requests, body: { user_id: 'provider_id', message: 'message' } },
};
