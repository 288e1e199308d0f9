import type { V2Route } from '../../../shared/v2';

/** v1's LinkedIn API (`linkedin_api`) is v2's profile `variant`. */
const VARIANTS: Record<string, string> = { classic: 'linkedin_classic', recruiter: 'linkedin_recruiter', sales_navigator: 'linkedin_sales_navigator' };

export const userV2: Record<string, V2Route> = {
	getProfile: {
		method: 'GET',
		path: '/{accountId}/users/{identifier}',
		query: {
			variant: (request) => VARIANTS[String(request.qs.linkedin_api)],
			// v1 takes a comma-separated list of section names ("*" for all); v2 the same names prefixed "linkedin_".
			with_sections: (request) =>
				request.qs.linkedin_sections === undefined
					? undefined
					: String(request.qs.linkedin_sections)
							.split(',')
							.map((section) => section.trim())
							.filter((section) => section !== '')
							.map((section) => `linkedin_${section}`),
		},
	},
};
