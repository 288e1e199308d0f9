import { linkedinPathValue } from '../../../shared/linkedinUrls';
import type { V2Route } from '../../../shared/v2';

export const companyV2: Record<string, V2Route> = {
	get: { method: 'GET', path: '/{accountId}/linkedin/company/{identifier}', pathValues: { identifier: linkedinPathValue('company', 'Identifier') } },
};
