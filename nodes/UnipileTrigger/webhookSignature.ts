import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Unipile API v2 signs each delivery with: `t=<unix seconds>,v0=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'unipile-signature';

/**
 * How far a delivery's signed time may be from n8n's clock. Five minutes, as the public v2 receivers do (Unipile
 * publishes none): wide enough for clock skew and an answer Unipile waits 30 s for, narrow enough that a captured
 * delivery cannot be replayed later. Duplicates within the window are dropped by their event id.
 */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/** `t=…,v0=…[,v0=…]` as key → values; keys Unipile may add later are ignored. */
function parts(header: string): Map<string, string[]> {
	const found = new Map<string, string[]>();
	for (const piece of header.split(',')) {
		const at = piece.indexOf('=');
		if (at <= 0) continue;
		const key = piece.slice(0, at).trim();
		found.set(key, [...(found.get(key) ?? []), piece.slice(at + 1).trim()]);
	}
	return found;
}

/**
 * Whether `raw` (the request's bytes, as received) was signed with `secret` within the tolerance: HMAC-SHA256 of
 * `"<t>." + raw body`, lower-case hex, compared in constant time against each `v0` given.
 */
export function checkSignature(secret: string, header: unknown, raw: Buffer, nowMs = Date.now(), toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): SignatureCheck {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' || value === '') return { valid: false, reason: `no ${SIGNATURE_HEADER} header` };
	const found = parts(value);
	const t = found.get('t')?.[0];
	const signatures = (found.get('v0') ?? []).filter((s) => /^[0-9a-f]{64}$/.test(s));
	if (t === undefined || !/^\d{1,12}$/.test(t) || signatures.length === 0) return { valid: false, reason: `malformed ${SIGNATURE_HEADER} header` };
	if (Math.abs(nowMs / 1000 - Number(t)) > toleranceSeconds) return { valid: false, reason: 'timestamp outside the tolerance' };
	const expected = createHmac('sha256', secret).update(`${t}.`).update(raw).digest();
	const matches = signatures.some((s) => timingSafeEqual(expected, Buffer.from(s, 'hex')));
	return matches ? { valid: true } : { valid: false, reason: 'signature does not match' };
}

/** The header value for `raw` signed at `t` (seconds): what Unipile sends (used by tests and the sandbox). */
export function signatureHeader(secret: string, raw: Buffer | string, t = Math.floor(Date.now() / 1000)): string {
	return `t=${t},v0=${createHmac('sha256', secret).update(`${t}.`).update(raw).digest('hex')}`;
}
