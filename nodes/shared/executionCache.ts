import type { UnipileContext } from './transport';

/**
 * Lookups already made in this execution (provider IDs, account types), by execution: a workflow that acts with the
 * same account or person from two items asks Unipile once. Bounded (oldest executions dropped first).
 */
const lookedUp = new Map<string, Map<string, Promise<string>>>();
const LOOKUP_EXECUTIONS_KEPT = 20;

export function executionCache(context: UnipileContext & { getExecutionId?: () => string }): Map<string, Promise<string>> {
	const executionId = String(context.getExecutionId?.() ?? '');
	let cache = lookedUp.get(executionId);
	if (!cache) {
		cache = new Map();
		lookedUp.set(executionId, cache);
		while (lookedUp.size > LOOKUP_EXECUTIONS_KEPT) lookedUp.delete(lookedUp.keys().next().value as string);
	}
	return cache;
}
