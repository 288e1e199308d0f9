import type { IExecuteSingleFunctions } from 'n8n-workflow';

/** Node's Readable, as n8n's binary helpers take it (node code may not import node:stream: n8n's lint forbids it). */
export type Readable = Exclude<Parameters<IExecuteSingleFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

interface ReadableClass {
	from(source: AsyncIterable<Buffer | Uint8Array>, options?: { objectMode?: boolean; highWaterMark?: number }): Readable;
}

export function isByteStream(value: unknown): value is Readable {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { pipe?: unknown }).pipe === 'function' &&
		typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
	);
}

/**
 * The Readable class, found on a stream n8n gave us (an HTTP response, a binary file): the lint forbids importing
 * node:stream, and n8n's helpers (prepareBinaryData, axios) want a real Readable, not any async iterable.
 */
export function readableClassOf(stream: Readable): ReadableClass {
	for (let proto = Object.getPrototypeOf(stream); proto; proto = Object.getPrototypeOf(proto)) {
		const candidate = (proto as { constructor?: { name?: string; from?: unknown } }).constructor;
		if (candidate?.name === 'Readable' && typeof candidate.from === 'function') return candidate as unknown as ReadableClass;
	}
	throw new Error('Not a Node.js Readable stream');
}

/** All of a small body (JSON, an error); more than `limit` bytes is cut there and the stream let go. */
export async function readAll(stream: Readable, limit = 16 * 1024 * 1024): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream as AsyncIterable<Buffer | string>) {
		const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		chunks.push(bytes);
		size += bytes.length;
		if (size >= limit) {
			stream.destroy();
			break;
		}
	}
	return Buffer.concat(chunks).subarray(0, limit);
}
