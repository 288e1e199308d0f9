import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** v1's attendee (`identifier`) or v2's address (`email`). */
type Attendee = { display_name?: string; identifier?: string; email?: string };

function emailOf(attendee: Attendee | undefined): string | undefined {
	return attendee?.identifier ?? attendee?.email;
}

function address(attendee: Attendee | undefined): string | null {
	const email = emailOf(attendee);
	if (!email) return null;
	return attendee?.display_name ? `${attendee.display_name} <${email}>` : email;
}

function addresses(list: unknown): string[] {
	return (Array.isArray(list) ? (list as Attendee[]) : []).map(address).filter((entry): entry is string => entry !== null);
}

/** v2 gives no plain-text body: the HTML's text, its line breaks kept (the snippet when there is no body). */
function textOf(html: unknown, snippet: unknown): string {
	if (typeof html !== 'string' || html.trim() === '') return typeof snippet === 'string' ? snippet : '';
	return html
		.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
		.replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])>/gi, '\n')
		.replace(/<[^>]+>/g, '')
		.replace(/&nbsp;/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** The same simplified email from v2's Email: `from`/`to`/`cc` addresses, `is_unread`, folder ids, no account id in it. */
function simplifyV2Email(email: IDataObject, accountId: string): IDataObject {
	const from = (Array.isArray(email.from) ? email.from[0] : email.from) as Attendee | undefined;
	return {
		id: email.id,
		account_id: accountId,
		thread_id: email.thread_id ?? null,
		message_id: email.message_id ?? null,
		provider_id: email.id ?? null,
		date: email.date,
		from: address(from),
		from_email: emailOf(from) ?? null,
		to: addresses(email.to),
		cc: addresses(email.cc),
		subject: email.subject ?? '',
		text: textOf(email.body, email.snippet),
		unread: email.is_unread === true,
		folders: email.folders ?? [],
		attachments: (Array.isArray(email.attachments) ? (email.attachments as IDataObject[]) : []).map((attachment) => attachment.filename ?? attachment.name ?? attachment.file_name),
	};
}

/** The few fields most workflows need from an email: who, what, when, which thread, and the file names. */
export function simplifyEmail(email: IDataObject): IDataObject {
	const from = email.from_attendee as Attendee | undefined;
	return {
		id: email.id,
		account_id: email.account_id,
		thread_id: email.thread_id ?? null,
		message_id: email.message_id ?? null,
		provider_id: email.provider_id ?? null,
		date: email.date,
		from: address(from),
		from_email: from?.identifier ?? null,
		to: addresses(email.to_attendees),
		cc: addresses(email.cc_attendees),
		subject: email.subject ?? '',
		text: email.body_plain ?? '',
		unread: email.read_date === null || email.read_date === undefined,
		folders: email.folders ?? [],
		attachments: (Array.isArray(email.attachments) ? (email.attachments as IDataObject[]) : []).map((attachment) => attachment.name),
	};
}

export const simplifyField = (show: { resource: string[]; operation: string[] }): INodeProperties => ({
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return only sender, recipients, subject, plain text, date, thread, IDs and attachment names instead of the full email',
	displayOptions: { show },
});

/** Simplify on: each email (or each email of a page of a list) reduced to `simplifyEmail`. */
export async function simplifyEmails(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const onV2 = this.getNodeParameter('authentication', 'unipileApi') === 'unipileApiV2';
	if (this.getNodeParameter('simplify', true) !== true) {
		if (!onV2 || this.getNodeParameter('options.includeHeaders', false) === true) return items;
		// v2 always sends the headers; Include Headers off leaves them out as on v1.
		const withoutHeaders = (email: IDataObject) => {
			const copy = { ...email };
			delete copy.headers;
			return copy;
		};
		return items.map((item) => (Array.isArray(item.json.data) ? { ...item, json: { ...item.json, data: (item.json.data as IDataObject[]).map(withoutHeaders) } } : { ...item, json: withoutHeaders(item.json) }));
	}
	if (onV2) {
		const accountId = String(this.getNodeParameter('accountId', '', { extractValue: true }) ?? '').trim();
		const simplify = (email: IDataObject) => simplifyV2Email(email, accountId);
		return items.map((item) => (Array.isArray(item.json.data) ? { ...item, json: { ...item.json, data: (item.json.data as IDataObject[]).map(simplify) } } : { ...item, json: simplify(item.json) }));
	}
	return items.map((item) => {
		const json = item.json;
		if (Array.isArray(json.items)) return { ...item, json: { ...json, items: (json.items as IDataObject[]).map(simplifyEmail) } };
		return { ...item, json: simplifyEmail(json) };
	});
}
