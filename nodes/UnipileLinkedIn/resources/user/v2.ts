import { linkedinPathValue } from '../../../shared/linkedinUrls';
import { linkedinProfileQuery, type V2Route } from '../../../shared/v2';
import { isGiven, listLimit } from '../../v2';

/** Followers and follows of the member given, or of the account itself (`me`) when User ID is empty. */
const ofUser = (list: string) => (context: Parameters<typeof isGiven>[0]) =>
	isGiven(context, 'userId') ? `/{accountId}/users/{userId}/${list}` : `/{accountId}/users/me/${list}`;

const userIdValue = { userId: linkedinPathValue('profile', 'User ID') };

export const userV2: Record<string, V2Route> = {
	getFollowers: { method: 'GET', path: ofUser('followers'), pathValues: userIdValue, query: listLimit, list: true },
	getFollowing: { method: 'GET', path: ofUser('following'), pathValues: userIdValue, query: listLimit, list: true },
	getInmailBalance: { method: 'GET', path: '/{accountId}/linkedin/inmail-credits' },
	getOwnProfile: { method: 'GET', path: '/{accountId}/users/me' },
	getProfile: { method: 'GET', path: '/{accountId}/users/{identifier}', pathValues: { identifier: linkedinPathValue('profile', 'Identifier') }, query: linkedinProfileQuery },
	// v1's name filter is v2's `search`.
	getRelations: { method: 'GET', path: '/{accountId}/users/me/relations', query: { ...listLimit, search: 'filter' }, list: true },
};
