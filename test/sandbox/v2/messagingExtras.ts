/**
 * Unipile API v2 messaging extras (the `Messaging` class of the v2 SDK): reactions, modify, read and delete a
 * message, delete a chat, add and remove a group's participants. Routes, bodies and answers exactly as unipile-node's
 * `sdk.gen.ts` / `types.gen.ts` (commit 0bb00a3, package 2.41.0) type them, none with a query:
 * - `POST …/messages/{message_id}/reactions {reaction}` → 200 `{object:"MessageReactionAdded"}`;
 *   `DELETE …/reactions {reaction}` (a JSON body on a DELETE) → 200 `{object:"MessageReactionRemoved"}`;
 * - `POST …/modify {text}` → 200 the modified `Message`, or `null` (typed `Message | null`; control below);
 * - `POST …/read` (no body) → 200 `{object:"MessageRead"}`;
 * - `DELETE …/messages/{message_id}` and `DELETE /v2/{acc}/chats/{chat_id}` → 204 No Content;
 * - `POST …/participants {user_id}` → 200 `{object:"ParticipantAdded"}`; `DELETE …/participants/{user_id}` → 200
 *   `{object:"ParticipantRemoved"}`.
 * State: a reaction counts in the message's `reactions_counter`, an edit changes `text` and sets `is_edited`, a
 * deleted message leaves its chat, a deleted chat is gone, participants change the group's members.
 * Test control: `POST /_sandbox/v2/messaging/modify-answers-null` → the next modify answers `null` (and still modifies).
 */
import { bad, notFound } from './http';
import { fieldsOnly, str, type Ctx, type Result, type V2Area, type V2Environment } from './env';
import type { V2AccountRec, V2ChatRec } from './store';
import type { V2Message } from './schemas';

export class V2MessagingExtras implements V2Area {
	/** The account owner's reactions, per message (`account chat message` → emojis). */
	private ownReactions = new Map<string, Set<string>>();
	/** The next Modify a Message answers `null`, as its type allows. */
	private modifyAnswersNull = false;

	constructor(private readonly env: V2Environment) {}

	reset(): void {
		this.ownReactions.clear();
		this.modifyAnswersNull = false;
	}

	control(method: string, path: string): [number, unknown] | undefined {
		if (path !== '/_sandbox/v2/messaging/modify-answers-null' || method !== 'POST') return undefined;
		this.modifyAnswersNull = true;
		return [200, { ok: true }];
	}

	route(ctx: Ctx): Result | undefined {
		const { method, segs } = ctx;
		const n = segs.length;
		if (n < 3 || segs[1] !== 'chats' || segs[0] === 'accounts' || segs[0] === 'auth' || segs[2] === 'send') return undefined;
		const known =
			(n === 3 && method === 'DELETE') ||
			(n === 4 && segs[3] === 'participants' && method === 'POST') ||
			(n === 5 && segs[3] === 'participants' && method === 'DELETE') ||
			(n === 5 && segs[3] === 'messages' && segs[4] !== 'send' && method === 'DELETE') ||
			(n === 6 && segs[3] === 'messages' && segs[5] === 'reactions' && (method === 'POST' || method === 'DELETE')) ||
			(n === 6 && segs[3] === 'messages' && (segs[5] === 'modify' || segs[5] === 'read') && method === 'POST');
		if (!known) return undefined;
		const acc = this.env.methodsAccount(segs[0]);
		const rec = this.env.store.chats.get(this.env.store.chatKey(acc.account.id, segs[2]));
		if (!rec) throw notFound(`Chat ${segs[2]} not found.`);
		ctx.query.only([]);
		// Only the reaction, modify and add-participant routes take a body (the SDK sends none to the others).
		const takesBody = (n === 6 && segs[5] !== 'read') || (n === 4 && method === 'POST');
		if (!takesBody && ctx.entry.json !== undefined) throw bad('This method takes no body.');
		if (n === 3) return this.deleteChat(acc, rec);
		if (segs[3] === 'participants') return n === 4 ? this.addParticipant(ctx, acc, rec) : this.removeParticipant(acc, rec, segs[4]);
		const msg = rec.messages.find((m) => m.id === segs[4]);
		if (!msg) throw notFound(`Message ${segs[4]} not found in chat ${rec.chat.id}.`);
		if (n === 5) return this.deleteMessage(rec, msg);
		if (segs[5] === 'reactions') return this.reaction(ctx, acc, rec, msg);
		if (segs[5] === 'modify') return this.modify(ctx, msg);
		msg.is_seen = true;
		return { status: 200, json: { object: 'MessageRead' } };
	}

	private reaction(ctx: Ctx, acc: V2AccountRec, rec: V2ChatRec, msg: V2Message): Result {
		const body = ctx.body();
		fieldsOnly(body, ['reaction']);
		const reaction = str(body, 'reaction', true)!;
		if (reaction.trim() === '') throw bad('reaction: must be an emoji');
		const key = `${acc.account.id} ${rec.chat.id} ${msg.id}`;
		const mine = this.ownReactions.get(key) ?? new Set<string>();
		const counter = msg.reactions_counter.find((c) => c.reaction === reaction);
		if (ctx.method === 'POST') {
			// "Each user can send as many different reactions as they wish" (LinkedIn's guide); the same one twice counts once.
			if (!mine.has(reaction)) {
				mine.add(reaction);
				if (counter) counter.count++;
				else msg.reactions_counter.push({ reaction, count: 1 });
			}
			this.ownReactions.set(key, mine);
			return { status: 200, json: { object: 'MessageReactionAdded' } };
		}
		if (!mine.has(reaction) || !counter) throw bad(`reaction: the account has not reacted with ${reaction} to this message`);
		mine.delete(reaction);
		counter.count--;
		if (counter.count === 0) msg.reactions_counter.splice(msg.reactions_counter.indexOf(counter), 1);
		return { status: 200, json: { object: 'MessageReactionRemoved' } };
	}

	private modify(ctx: Ctx, msg: V2Message): Result {
		const body = ctx.body();
		fieldsOnly(body, ['text']);
		const text = str(body, 'text', true)!;
		if (text.trim() === '') throw bad('text: must not be empty');
		if (!msg.is_sender) throw bad('Only a message the account sent can be modified.');
		msg.text = text;
		msg.is_edited = true;
		if (this.modifyAnswersNull) {
			this.modifyAnswersNull = false;
			return { status: 200, json: null };
		}
		return { status: 200, json: msg };
	}

	private deleteMessage(rec: V2ChatRec, msg: V2Message): Result {
		if (!msg.is_sender) throw bad('Deleting a message of another user is not supported.');
		rec.messages.splice(rec.messages.indexOf(msg), 1);
		return { status: 204, json: '' };
	}

	private deleteChat(acc: V2AccountRec, rec: V2ChatRec): Result {
		this.env.store.chats.delete(this.env.store.chatKey(acc.account.id, rec.chat.id));
		return { status: 204, json: '' };
	}

	private addParticipant(ctx: Ctx, acc: V2AccountRec, rec: V2ChatRec): Result {
		const body = ctx.body();
		fieldsOnly(body, ['user_id']);
		const userId = str(body, 'user_id', true)!;
		if (!rec.chat.is_group) throw bad('Participants can only be added to group chats.');
		const user = acc.users.get(userId);
		if (!user) throw notFound(`User ${userId} not found.`);
		if (user.id === acc.owner.id || rec.members.some((m) => m.id === user.id)) throw bad(`user_id: ${userId} is already a participant of this chat`);
		rec.members.push(user);
		rec.chat.participants_count = rec.members.length + 1;
		return { status: 200, json: { object: 'ParticipantAdded' } };
	}

	private removeParticipant(acc: V2AccountRec, rec: V2ChatRec, userId: string): Result {
		if (!rec.chat.is_group) throw bad('Participants can only be removed from group chats.');
		const at = rec.members.findIndex((m) => m.id === userId);
		if (at < 0) throw notFound(`User ${userId} is not a participant of chat ${rec.chat.id}.`);
		rec.members.splice(at, 1);
		rec.admins.delete(userId);
		rec.chat.participants_count = rec.members.length + 1;
		return { status: 200, json: { object: 'ParticipantRemoved' } };
	}
}
