import { linkedinPathValue } from '../../../shared/linkedinUrls';
import { linkedinProfileQuery, type V2Route } from '../../../shared/v2';

export const userV2: Record<string, V2Route> = {
	getProfile: { method: 'GET', path: '/{accountId}/users/{identifier}', pathValues: { identifier: linkedinPathValue('profile', 'Identifier') }, query: linkedinProfileQuery },
};
