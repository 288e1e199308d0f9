import type { IExecutePaginationFunctions } from 'n8n-workflow';
import type { FieldSource } from '../shared/v2';

/**
 * Whether an optional parameter is set (a path chooses its route by it). The README's generator asks with `true`
 * and `false` standing for set and unset.
 */
export function isGiven(context: IExecutePaginationFunctions, name: string): boolean {
	const value = context.getNodeParameter(name, '') as unknown;
	return value === true || (typeof value === 'string' && value.trim() !== '');
}

/** The most entries a v2 list page gives (Unipile's `limit` maximum; "a ceiling, not a guarantee"). */
export const V2_PAGE_MAX = 250;

/**
 * The query of a v2 list: the page size as the v2 SDK sends it (a string). Return All's v1 page size (1,000 for
 * relations) is above v2's maximum: v2 pages through at most 250 a page.
 */
export const listLimit: Record<string, FieldSource> = {
	limit: (request, context) => {
		if (request.qs.limit === undefined) return undefined;
		return context.getNodeParameter('returnAll', false) === true ? String(Math.min(Number(request.qs.limit), V2_PAGE_MAX)) : String(request.qs.limit);
	},
};
