import type { IExecutePaginationFunctions } from 'n8n-workflow';
import type { V1Request, V2Route, V2Unavailable } from '../../../shared/v2';
import { existingChatWith, reusedFor } from './outreach';
import { v2MessageFiles } from '../../../shared/multipart';
import { chatExtraV2 } from './extras';

/** Chat → Update's one action on v1 becomes the named field v2 takes. */
const UPDATE_FIELDS: Record<string, string> = {
	setArchiveStatus: 'archive_status',
	setMuteStatus: 'muted_until',
	setPinnedStatus: 'pin_status',
	setReadStatus: 'read_status',
};

const updated = (field: string) => (request: V1Request) => (UPDATE_FIELDS[String(request.body.action)] === field ? request.body.value : undefined);

/** v1's comma list of people: one id is a one-to-one chat on v2 (a string), several a group (an array). */
function usersIds(request: V1Request): string | string[] | undefined {
	const ids = (Array.isArray(request.body.attendees_ids) ? request.body.attendees_ids : [request.body.attendees_ids])
		.map((id) => String(id ?? '').trim())
		.filter((id) => id !== '');
	return ids.length === 1 ? ids[0] : ids;
}

/** v1's LinkedIn options as v2's `specifics.linkedin` for the product chosen. */
function linkedinSpecifics(request: V1Request): object | undefined {
	const linkedin = (request.body.linkedin ?? {}) as Record<string, unknown>;
	const api = String(linkedin.api ?? 'classic');
	const given = (entries: Record<string, unknown>) => {
		const kept = Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== '' && value !== false));
		return Object.keys(kept).length > 0 ? kept : undefined;
	};
	let product: object | undefined;
	if (api === 'classic') product = given({ inmail: linkedin.inmail, company_topic: linkedin.topic, relation_request_id: linkedin.invitation_id });
	else if (api === 'sales_navigator') product = given({ subject: request.body.subject });
	else product = given({ subject: request.body.subject, signature: linkedin.signature, visibility: linkedin.visibility });
	return product ? { linkedin: { [api]: product } } : undefined;
}

/** What users see instead of Sync History's fields on v2, and the error if a workflow still runs it. */
export const SYNC_ON_V2 = "Unipile API v2 has no history sync: Message → Get Many reads a chat's messages from the provider itself.";

/**
 * Chat → Start with Reuse Existing Chat: the account's 1-to-1 chat with the one person given (ChatLookup), and the
 * message sent into it; a new chat when there is none.
 */
async function startOrReuse(request: V1Request, context: IExecutePaginationFunctions): Promise<V2Route[]> {
	const person = usersIds(request);
	if (context.getNodeParameter('reuseExistingChat', false) !== true || typeof person !== 'string') return [START];
	const accountId = String(context.getNodeParameter('accountId', '', { extractValue: true }) ?? '').trim();
	const chatId = await existingChatWith(context, accountId, person);
	if (chatId === null) return [START];
	reusedFor(context).set(context.getItemIndex(), chatId);
	return [{ method: 'POST', path: `/{accountId}/chats/${encodeURIComponent(chatId)}/messages/send`, body: { text: (v1) => v1.body.text ?? '', attachments: v2MessageFiles } }];
}

const START: V2Route = {
	method: 'POST',
	path: '/{accountId}/chats/send',
	body: {
		users_ids: usersIds,
		// v2 wants a text ("" starts the chat without one where the provider allows it).
		text: (request) => request.body.text ?? '',
		name: (request) => (String((request.body.linkedin as Record<string, unknown> | undefined)?.api ?? 'classic') === 'classic' ? request.body.subject : undefined),
		attachments: v2MessageFiles,
		specifics: linkedinSpecifics,
	},
};

/** Check Reply runs as code (several calls per item, see outreach.ts); this is its README line. */
const CHECK_REPLY_V2 = '`GET /v2/{accountId}/users/{id}/chat` (with a Person), then `GET /v2/{accountId}/chats/{chatId}/messages?after=`';

export const chatV2: Record<string, V2Route | V2Unavailable> = {
	...chatExtraV2,
	checkReply: { method: 'GET', path: '/{accountId}/chats/{replyChatId}/messages', docs: CHECK_REPLY_V2 },
	get: { method: 'GET', path: '/{accountId}/chats/{chatId}' },
	getAttendees: { method: 'GET', path: '/{accountId}/chats/{chatId}/participants', query: { limit: 'limit' }, list: true },
	getAll: {
		method: 'GET',
		path: '/{accountId}/chats',
		query: { limit: 'limit', before: 'before', after: 'after', is_unread: 'unread' },
		list: true,
	},
	start: {
		...START,
		plan: startOrReuse,
		docs: '`POST /v2/{accountId}/chats/send`; with Reuse Existing Chat `GET /v2/{accountId}/users/{id}/chat`, then `POST /v2/{accountId}/chats/{chatId}/messages/send` into the chat found',
	},
	sync: { unavailable: SYNC_ON_V2 },
	update: {
		method: 'PATCH',
		path: '/{accountId}/chats/{chatId}',
		body: {
			archive_status: updated('archive_status'),
			muted_until: updated('muted_until'),
			pin_status: updated('pin_status'),
			read_status: updated('read_status'),
		},
	},
};
