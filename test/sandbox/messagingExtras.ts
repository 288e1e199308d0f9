/**
 * v1 messaging extras of the sandbox: a reaction on a message, editing and deleting a message, deleting a chat.
 * Unipile's v1 SDK (1.9.3) has none of these methods; the routes and bodies follow Unipile's v1 reference as third
 * parties reproduce it (`POST /messages/{id}/reaction {reaction}` → `{object:"MessageReactionAdded"}`; "Edit a message"
 * `PATCH /messages/{id}`; "Delete a message" `DELETE /messages/{id}`; "Delete a chat" `DELETE /chats/{id}`). The
 * state changes as the SDK's Message schema says it shows: `reactions[{value, sender_id, is_sender}]`, `edited: 1`,
 * a deleted message gone from the chat.
 */
import { invalid, missing, notFound } from './http';
import type { Route, RouteContext, RouteResult } from './routes';
import type { Message } from './data';

const ok = (json: unknown, status = 200): RouteResult => ({ status, json });

function onlyKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
	for (const k of Object.keys(body)) if (!allowed.includes(k)) throw invalid(`${k}: unknown field (allowed: ${allowed.join(', ')})`);
}

function text(body: Record<string, unknown>, name: string): string {
	const v = body[name];
	if (v === undefined || v === null) throw missing(`${name}: this field is required`);
	if (typeof v !== 'string') throw invalid(`${name}: must be a string, got ${Array.isArray(v) ? 'array' : typeof v}`);
	if (v.trim() === '') throw invalid(`${name}: must not be empty`);
	return v;
}

function messageOf(ctx: RouteContext): Message {
	const m = ctx.store.messageById.get(ctx.params.id);
	if (!m) throw notFound(`message ${JSON.stringify(ctx.params.id)} not found`);
	return m;
}

function addReaction(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const msg = messageOf(ctx);
	const body = ctx.json();
	onlyKeys(body, ['reaction']);
	const reaction = text(body, 'reaction');
	const chat = ctx.store.chatById.get(msg.chat_id);
	if (chat?.disabledFeatures?.includes('reactions')) throw invalid('reaction: reactions are disabled in this chat');
	const self = ctx.store.accountSelf(msg.account_id);
	const senderId = self?.provider_id ?? msg.account_id;
	// One reaction per person: a new one replaces the account's previous reaction (as WhatsApp and LinkedIn show it).
	msg.reactions = [...msg.reactions.filter((r) => !(r.is_sender && r.sender_id === senderId)), { value: reaction, sender_id: senderId, is_sender: true }];
	return ok({ object: 'MessageReactionAdded' }, 201);
}

function editMessage(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const msg = messageOf(ctx);
	const body = ctx.json();
	onlyKeys(body, ['text']);
	const newText = text(body, 'text');
	if (msg.is_sender !== 1) throw invalid('message: only a message the account sent can be edited');
	if (msg.deleted === 1) throw invalid('message: a deleted message cannot be edited');
	msg.text = newText;
	msg.edited = 1;
	return ok({ object: 'MessageEdited', message_id: msg.id });
}

function deleteMessage(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const msg = messageOf(ctx);
	if (msg.is_sender !== 1) throw invalid('message: only a message the account sent can be deleted for everyone');
	const store = ctx.store;
	store.messageById.delete(msg.id);
	const list = store.chatMessages.get(msg.chat_id);
	if (list) list.splice(list.indexOf(msg), 1);
	for (const a of msg.attachments) store.attachments.delete(`${msg.id}/${a.id}`);
	store.invalidate();
	return ok({ object: 'MessageDeleted' });
}

function deleteChat(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const store = ctx.store;
	const chat = store.chatById.get(ctx.params.id);
	if (!chat) throw notFound(`chat ${JSON.stringify(ctx.params.id)} not found`);
	for (const m of store.messagesOfChat(chat.id)) {
		store.messageById.delete(m.id);
		for (const a of m.attachments) store.attachments.delete(`${m.id}/${a.id}`);
	}
	store.chatMessages.delete(chat.id);
	store.chatAttendees.delete(chat.id);
	store.chatById.delete(chat.id);
	store.invalidate();
	return ok({ object: 'ChatDeleted' });
}

const r = (method: string, path: string, handler: (ctx: RouteContext) => RouteResult): Route => ({ method, pattern: path.split('/').filter(Boolean), handler });

export const MESSAGING_EXTRA_ROUTES: Route[] = [
	r('POST', '/messages/:id/reaction', addReaction),
	r('PATCH', '/messages/:id', editMessage),
	r('DELETE', '/messages/:id', deleteMessage),
	r('DELETE', '/chats/:id', deleteChat),
];
