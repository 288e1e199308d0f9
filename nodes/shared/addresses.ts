/** Email addresses as people type them, for Unipile Email (recipients) and Unipile Calendar (attendees). */
/** A recipient as Unipile's `to`/`cc`/`bcc` take it. */
export interface MailRecipient {
	display_name?: string;
	identifier: string;
}

/** Thrown with the field's label and the offending text, so the message can say what to fix. */
export class AddressError extends Error {
	constructor(
		readonly label: string,
		readonly entry: string,
	) {
		super(`${label}: ${JSON.stringify(entry)} is not an email address`);
	}
}

const ADDRESS =
	/^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isEmailAddress(value: string): boolean {
	return ADDRESS.test(value);
}

/** Splits `a, "Doe, Jane" <b>; c` on commas and semicolons outside quotes and angle brackets. */
function splitList(text: string): string[] {
	const parts: string[] = [];
	let current = '';
	let quoted = false;
	let angle = false;
	for (const char of text) {
		if (char === '"' && !angle) quoted = !quoted;
		else if (char === '<' && !quoted) angle = true;
		else if (char === '>' && !quoted) angle = false;
		if ((char === ',' || char === ';') && !quoted && !angle) {
			parts.push(current);
			current = '';
		} else current += char;
	}
	parts.push(current);
	return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function fromText(label: string, text: string): MailRecipient {
	const named = /^(.*?)\s*<([^<>]*)>$/.exec(text);
	const identifier = (named ? named[2] : text).trim();
	if (!isEmailAddress(identifier)) throw new AddressError(label, text);
	const name = named ? named[1].trim().replace(/^"(.*)"$/, '$1').replace(/\\"/g, '"').trim() : '';
	return name ? { display_name: name, identifier } : { identifier };
}

function fromObject(label: string, value: Record<string, unknown>): MailRecipient {
	const identifier = value.identifier ?? value.email ?? value.address;
	const name = value.display_name ?? value.name;
	if (typeof identifier !== 'string' || !isEmailAddress(identifier.trim())) {
		throw new AddressError(label, typeof identifier === 'string' ? identifier : JSON.stringify(value));
	}
	const displayName = typeof name === 'string' ? name.trim() : '';
	return displayName ? { display_name: displayName, identifier: identifier.trim() } : { identifier: identifier.trim() };
}

function jsonOrUndefined(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * What people type or map into an address field: `Ada Lovelace <ada@example.com>, bob@example.com`, an array of such
 * strings, `{display_name, identifier}` objects (or `{name, email}`), or that array as JSON text. Empty gives [].
 */
export function parseAddresses(label: string, value: unknown): MailRecipient[] {
	if (value === undefined || value === null || value === '') return [];
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.startsWith('[') || text.startsWith('{')) {
			const parsed = jsonOrUndefined(text);
			if (parsed !== undefined) return parseAddresses(label, parsed);
		}
		return splitList(text).map((entry) => fromText(label, entry));
	}
	if (Array.isArray(value)) return value.flatMap((entry) => parseAddresses(label, entry));
	if (typeof value === 'object') return [fromObject(label, value as Record<string, unknown>)];
	throw new AddressError(label, String(value));
}
