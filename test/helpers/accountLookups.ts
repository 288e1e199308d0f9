import type { LoggedRequest, Sandbox } from '../sandbox/server';

/** Unipile Email's and Unipile LinkedIn's account-kind lookup: `GET /accounts/{id}` (v1) or `GET /v2/accounts/{id}` (v2). */
export function isAccountLookup(request: LoggedRequest): boolean {
	return request.method === 'GET' && /^\/(v2\/)?accounts\/[^/]+$/.test(request.path);
}

/**
 * The requests an operation of Unipile Email or Unipile LinkedIn made, without the account-kind lookups those nodes
 * make before their first request (shared/accountKinds.ts; asserted on their own in test/accountKinds.test.ts). Each
 * lookup must come before any other request naming the same account, so what is left is the operation's sequence.
 */
export function nodeRequests(sandbox: Pick<Sandbox, 'requests'>): LoggedRequest[] {
	const requests = sandbox.requests;
	requests.forEach((request, index) => {
		if (!isAccountLookup(request)) return;
		const accountId = request.path.split('/').pop() as string;
		const earlier = requests.slice(0, index).filter((r) => !isAccountLookup(r));
		// The same account named by an earlier request of this run is fine only when it was another execution's (a lookup precedes it too).
		const named = earlier.filter((r) => JSON.stringify([r.path, r.query, r.json ?? null]).includes(accountId));
		const looked = requests.slice(0, index).filter((r) => isAccountLookup(r) && r.path === request.path);
		if (named.length > 0 && looked.length === 0) throw new Error(`the account lookup ${request.path} came after a request for that account: ${named.map((r) => `${r.method} ${r.path}`).join(', ')}`);
	});
	return requests.filter((request) => !isAccountLookup(request));
}
