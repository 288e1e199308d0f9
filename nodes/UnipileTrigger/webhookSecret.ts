import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header Unipile sends back on every delivery (registered in the webhook's `headers`). */
export const DELIVERY_CHECK_HEADER = 'X-Unipile-N8n-Secret';

/** 32 random bytes (256 bits), URL-safe so it travels as a header value unchanged. */
export function newSecret(): string {
	return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison of the secret n8n keeps with the header a request brought. Digests have equal lengths,
 * so neither a different length nor a common prefix shows in the timing.
 */
export function secretMatches(expected: unknown, received: unknown): boolean {
	const value = Array.isArray(received) ? received[0] : received;
	if (typeof expected !== 'string' || expected.length < 32 || typeof value !== 'string' || value === '') return false;
	const a = createHash('sha256').update(expected, 'utf8').digest();
	const b = createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(a, b);
}
