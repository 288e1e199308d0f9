import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

type Attendee = { display_name?: string; identifier?: string };

function address(attendee: Attendee | undefined): string | null {
	if (!attendee?.identifier) return null;
	return attendee.display_name ? `${attendee.display_name} <${attendee.identifier}>` : attendee.identifier;
}

function addresses(list: unknown): string[] {
	return (Array.isArray(list) ? (list as Attendee[]) : []).map(address).filter((entry): entry is string => entry !== null);
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
	if (this.getNodeParameter('simplify', true) !== true) return items;
	return items.map((item) => {
		const json = item.json;
		if (Array.isArray(json.items)) return { ...item, json: { ...json, items: (json.items as IDataObject[]).map(simplifyEmail) } };
		return { ...item, json: simplifyEmail(json) };
	});
}
