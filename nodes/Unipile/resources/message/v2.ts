import type { V2Route, V2Unavailable } from '../../../shared/v2';
import { v2MessageFiles } from '../../../shared/multipart';
import { MARK_READ_ON_V1, REMOVE_REACTION_ON_V1 } from './extras';

const messagePath = '/{accountId}/chats/{messageChatId}/messages/{messageId}';

/** Deletions happen once: never resent after they may have reached Unipile (a second one would fail or remove more). */
export const DELETES_THE_MESSAGE = 'the deletion of the message';

export const messageV2: Record<string, V2Route | V2Unavailable> = {
	addReaction: { method: 'POST', path: `${messagePath}/reactions`, body: { reaction: 'reaction' } },
	delete: { method: 'DELETE', path: messagePath, once: DELETES_THE_MESSAGE },
	edit: { method: 'POST', path: `${messagePath}/modify`, body: { text: 'text' } },
	markRead: { method: 'POST', path: `${messagePath}/read`, notOnV1: MARK_READ_ON_V1 },
	removeReaction: { method: 'DELETE', path: `${messagePath}/reactions`, body: { reaction: 'reaction' }, once: 'the removal of the reaction', notOnV1: REMOVE_REACTION_ON_V1 },
	forward: { method: 'POST', path: `${messagePath}/forward`, body: { chat_id: 'chat_id' } },
	get: { method: 'GET', path: messagePath },
	// Download All reads the message, then each of its files (binary.ts); else the one file.
	getAttachment: { method: 'GET', path: (context) => (context.getNodeParameter('downloadAll', false) === true ? messagePath : `${messagePath}/attachments/{attachmentId}`) },
	getAll: {
		method: 'GET',
		path: '/{accountId}/chats/{chatId}/messages',
		query: { limit: 'limit', before: 'before', after: 'after', user_id: 'sender_id' },
		list: true,
	},
	send: {
		method: 'POST',
		path: '/{accountId}/chats/{chatId}/messages/send',
		// v2 wants a text ("" with files only).
		body: { text: (request) => request.body.text ?? '', quote_id: 'quote_id', attachments: v2MessageFiles },
	},
};
