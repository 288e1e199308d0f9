/**
 * Runs the official SDK and our node against the same sandbox and returns the request each one sent,
 * reduced to what Unipile reads: method, path, query and JSON body.
 */
import { UnipileClient } from 'unipile-node-sdk';
import type { INodeParameters } from 'n8n-workflow';
import { runNode, type RunResult } from '../harness/engine';
import type { Sandbox } from '../sandbox/server';

export interface SentRequest {
	method: string;
	path: string;
	query: Record<string, unknown>;
	json: unknown;
}

type Logged = Sandbox['requests'][number];

export function sent(request: Logged): SentRequest {
	return { method: request.method, path: request.path, query: request.query, json: request.json };
}

export function sdkClient(sandbox: Sandbox): UnipileClient {
	return new UnipileClient(sandbox.url, sandbox.apiKey);
}

/** The one request `call` made (its answer or error does not matter here: the SDK throws on 4xx). */
export async function sdkRequest(sandbox: Sandbox, call: (client: UnipileClient) => Promise<unknown>): Promise<SentRequest> {
	sandbox.clearRequests();
	await call(sdkClient(sandbox)).catch(() => undefined);
	expect(sandbox.requests).toHaveLength(1);
	return sent(sandbox.requests[0]);
}

/** The one request our node made, with the node's run result. */
export async function nodeRequest(
	sandbox: Sandbox,
	parameters: INodeParameters,
	extra: { timezone?: string } = {},
): Promise<SentRequest & { result: RunResult }> {
	sandbox.clearRequests();
	const result = await runNode({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, parameters, ...extra });
	expect(sandbox.requests).toHaveLength(1);
	return { ...sent(sandbox.requests[0]), result };
}
