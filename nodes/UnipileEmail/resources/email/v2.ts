import { NodeOperationError, type IDataObject, type IExecuteSingleFunctions } from 'n8n-workflow';
import { v2MessageFiles } from '../../../shared/multipart';
import { dayWider, findFolder, v2Folders, withinDates } from '../../../shared/v2Email';
import { v2Path, type FieldSource, type V1Request, type V2Route, type V2Unavailable } from '../../../shared/v2';

/** v1 sends compose fields as multipart text parts (JSON text for objects); v2 takes them as JSON values. */
function jsonPart(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return undefined;
	}
}

/** v1's `[{identifier, display_name?}]` as v2's `[{email, display_name?}]`. */
const recipients =
	(field: string): FieldSource =>
	(request) => {
		const list = jsonPart(request.body[field]);
		if (!Array.isArray(list) || list.length === 0) return undefined;
		return (list as IDataObject[]).map((entry) => (entry.display_name ? { email: entry.identifier, display_name: entry.display_name } : { email: entry.identifier }));
	};

const HTML = /<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>|&[a-z]+;|&#\d+;/i;

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, '<br>');
}

function tracks(request: V1Request): boolean {
	return jsonPart(request.body.tracking_options) !== undefined;
}

/**
 * v1's one Body (HTML or plain text) as v2's `html` or `plain_text`: HTML when it looks like HTML, and when tracking is
 * asked for (v2 tracks HTML emails only: plain text is then sent as HTML, its line breaks kept).
 */
const html: FieldSource = (request) => {
	const body = request.body.body;
	if (typeof body !== 'string' || body === '') return undefined;
	if (HTML.test(body)) return body;
	return tracks(request) ? escapeHtml(body) : undefined;
};
const plainText: FieldSource = (request) => {
	const body = request.body.body;
	if (typeof body !== 'string' || body === '' || HTML.test(body) || tracks(request)) return undefined;
	return body;
};

/** v1's `{opens, links, label}` as v2's `{opens, clicks, label}`. */
const trackingOptions: FieldSource = (request) => {
	const given = jsonPart(request.body.tracking_options) as IDataObject | undefined;
	if (!given) return undefined;
	const out: IDataObject = {};
	if (given.opens !== undefined) out.opens = given.opens;
	if (given.links !== undefined) out.clicks = given.links;
	if (given.label !== undefined && given.label !== '') out.label = given.label;
	return out;
};

/** The fields of a new email, a reply or a draft on v2, from what the compose fields built for v1. */
export const composeBody: Record<string, FieldSource> = {
	to: recipients('to'),
	cc: recipients('cc'),
	bcc: recipients('bcc'),
	subject: 'subject',
	html,
	plain_text: plainText,
	from: (request) => jsonPart(request.body.from),
	custom_headers: (request) => jsonPart(request.body.custom_headers),
	tracking_options: trackingOptions,
	attachments: v2MessageFiles,
};

const emailPath = '/{accountId}/emails/{emailId}';

/** What Send and Reply do, for the error that says it may have happened (they are never sent twice). */
export const SENDS_AN_EMAIL = 'the email';

function accountIdOf(context: IExecuteSingleFunctions): string {
	return String(context.getNodeParameter('accountId', '', { extractValue: true }) ?? '').trim();
}

function noSuchFolder(context: IExecuteSingleFunctions, label: string, given: string, folders: IDataObject[]): NodeOperationError {
	return new NodeOperationError(context.getNode(), `${label}: the mailbox has no folder ${JSON.stringify(given)}`, {
		itemIndex: context.getItemIndex(),
		description: `Choose a folder from the list, or give its ID, role or name. This mailbox has: ${folders.map((folder) => `${String(folder.name)} (${String(folder.id)})`).join(', ') || 'no folders'}.`,
	});
}

function keepInDates(entry: IDataObject, request: V1Request): boolean {
	return withinDates(entry, request.qs.after, request.qs.before);
}

const listQuery: Record<string, FieldSource> = {
	limit: 'limit',
	after: (request) => dayWider(request.qs.after, 'after'),
	before: (request) => dayWider(request.qs.before, 'before'),
	from: 'from',
	to: 'to',
	any_email: 'any_email',
	meta_only: 'meta_only',
	q: 'q',
	is_unread: 'is_unread',
	has_attachment: 'has_attachment',
};

const getAll: V2Route = {
	method: 'GET',
	path: '/{accountId}/emails',
	query: listQuery,
	list: true,
	keep: keepInDates,
	docs: '`GET /v2/{accountId}/emails`, or with Folder `GET /v2/{accountId}/folders` then `GET /v2/{accountId}/folders/{folderId}/emails`',
	// A folder filter is a folder route on v2: its id is looked up (v1 workflows name the folder by provider id or role).
	plan: async (request, context) => {
		const given = String(request.qs.folder ?? '').trim();
		if (given === '') return [getAll];
		const folders = await v2Folders(context, accountIdOf(context), context.getItemIndex());
		const folder = findFolder(folders, given);
		if (!folder) throw noSuchFolder(context, 'Filters → Folder', given, folders);
		return [{ ...getAll, path: `/{accountId}/folders/${encodeURIComponent(String(folder.id))}/emails`, plan: undefined }];
	},
};

/** Email → Update on v2: read or unread, then a move (`folders_ids`, overwriting the email's folders). */
const update: V2Route = {
	method: 'POST',
	path: `${emailPath}/modify`,
	docs: '`POST /v2/{accountId}/emails/{emailId}/read` or `…/unread`, then (`GET /v2/{accountId}/folders` and) `POST /v2/{accountId}/emails/{emailId}/modify`',
	plan: async (request, context) => {
		const steps: V2Route[] = [];
		if (typeof request.body.unread === 'boolean') steps.push({ method: 'POST', path: `${emailPath}/${request.body.unread ? 'unread' : 'read'}` });
		const given = (Array.isArray(request.body.folders) ? request.body.folders : [request.body.folders]).map((name) => String(name ?? '').trim()).filter((name) => name !== '');
		if (given.length > 0) {
			const folders = await v2Folders(context, accountIdOf(context), context.getItemIndex());
			const ids = given.map((name) => {
				const folder = findFolder(folders, name);
				if (!folder) throw noSuchFolder(context, 'Update Fields → Folder Names or IDs', name, folders);
				return String(folder.id);
			});
			steps.push({ method: 'POST', path: `${emailPath}/modify`, body: { folders_ids: () => ids } });
		}
		return steps;
	},
};

/** Reply answers in the email's thread: v2 names the email answered `reply_to_message_id` (its `reply_to` is the Reply-To header). */
const send: V2Route = { method: 'POST', path: '/{accountId}/emails/send', body: composeBody, once: SENDS_AN_EMAIL };

/** Send with Options → Draft ID: v2 sends a draft by its own route, after writing the fields given into it. */
const sendDraftPath = '/{accountId}/drafts/{draftToSend}/send';

export const emailV2: Record<string, V2Route | V2Unavailable> = {
	delete: { method: 'DELETE', path: emailPath },
	get: { method: 'GET', path: emailPath },
	// Download All reads the email, then each of its files (attachments.ts); else the one file.
	getAttachment: { method: 'GET', path: (context) => (context.getNodeParameter('downloadAll', false) === true ? emailPath : `${emailPath}/attachments/{attachmentId}`) },
	getAll,
	reply: { ...send, body: { ...composeBody, reply_to_message_id: 'reply_to' }, docs: '`GET /v2/{accountId}/emails/{emailId}`, `GET /v2/accounts/{accountId}`, then `POST /v2/{accountId}/emails/send`' },
	send: {
		...send,
		docs: '`POST /v2/{accountId}/emails/send`, or with Draft ID `PATCH /v2/{accountId}/drafts/{draftId}` then `POST /v2/{accountId}/drafts/{draftId}/send`',
		plan: async (request, context) => {
			const draftId = String(request.body.draft_id ?? '').trim();
			if (draftId === '') return [send];
			const path = sendDraftPath.replace('{draftToSend}', encodeURIComponent(draftId));
			const edits = Object.keys(composeBody).filter((field) => {
				const source = composeBody[field];
				const value = typeof source === 'function' ? source(request, context) : request.body[source];
				return value !== undefined && !(Array.isArray(value) && value.length === 0);
			});
			const patch: V2Route = { method: 'PATCH', path: path.replace(/\/send$/, ''), body: composeBody };
			return [...(edits.length > 0 ? [patch] : []), { method: 'POST', path, once: SENDS_AN_EMAIL }];
		},
	},
	update,
};

/** The v2 path of an email's attachment, for Download All. */
export function v2AttachmentPath(context: IExecuteSingleFunctions, attachmentId: string): string {
	return `${v2Path(context, emailPath)}/attachments/${encodeURIComponent(attachmentId)}`;
}
