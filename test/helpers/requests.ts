import { createHash } from 'node:crypto';
import type { INodeParameters } from 'n8n-workflow';
import { runNode, type RunOptions, type RunResult } from '../harness/engine';
import type { LoggedFormField, LoggedRequest, Sandbox } from '../sandbox/server';

/** The requests the sandbox logged while `fn` ran (the log is cleared first). */
export async function captureRequests(sandbox: Sandbox, fn: () => Promise<unknown>): Promise<LoggedRequest[]> {
	sandbox.clearRequests();
	await fn();
	return [...sandbox.requests];
}

/** The one request `fn` made (fails when it made none or several). */
export async function captureRequest(sandbox: Sandbox, fn: () => Promise<unknown>): Promise<LoggedRequest> {
	const requests = await captureRequests(sandbox, fn);
	if (requests.length !== 1) {
		throw new Error(`expected one request, got ${requests.length}: ${requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
	}
	return requests[0];
}

/**
 * What makes two requests "the same call": method, path, query, JSON body and multipart fields. Files are compared
 * by field name, file name, size and sha256 — not MIME type (the SDK always sends application/octet-stream).
 * Form fields are ordered by name, keeping the order of repeated fields.
 */
export function comparable(request: LoggedRequest) {
	const form = request.form?.map((field: LoggedFormField) =>
		'fileName' in field ? { name: field.name, fileName: field.fileName, size: field.size, sha256: field.sha256 } : field,
	);
	return {
		method: request.method,
		path: request.path,
		query: request.query,
		json: request.json,
		form: form?.map((field, index) => ({ field, index }))
			.sort((a, b) => (a.field.name < b.field.name ? -1 : a.field.name > b.field.name ? 1 : a.index - b.index))
			.map(({ field }) => field),
	};
}

export interface TestFile {
	fileName: string;
	mimeType: string;
	bytes: Buffer;
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** An input item carrying the given files as n8n binary properties. */
export function itemWithFiles(files: Record<string, TestFile>, json: Record<string, unknown> = {}) {
	const binaryFiles: Record<string, { data: string; fileName: string; mimeType: string }> = {};
	for (const [property, file] of Object.entries(files)) {
		binaryFiles[property] = { data: file.bytes.toString('base64'), fileName: file.fileName, mimeType: file.mimeType };
	}
	return { json, binaryFiles };
}

/** Runs the Unipile node against the sandbox with its credentials. */
export function runUnipile(
	sandbox: Sandbox,
	parameters: INodeParameters,
	extra: Omit<RunOptions, 'credentials' | 'parameters'> = {},
): Promise<RunResult> {
	return runNode({ credentials: { dsn: sandbox.url, apiKey: sandbox.apiKey }, parameters, ...extra });
}

/** The bytes of an output binary property (the harness keeps binary data in memory, base64 in `data`). */
export function binaryBytes(binary: { data?: string; id?: string }): Buffer {
	if (binary.id) throw new Error(`binary data stored outside the item (${binary.id}): not expected in the test harness`);
	return Buffer.from(binary.data ?? '', 'base64');
}
