/**
 * Unipile API v2 messaging extras (the `Messaging` class of the v2 SDK): reactions, modify, read and delete a
 * message, delete a chat, add and remove a group's participants. Routes as `sdk.gen.ts` has them; bodies: `reaction`
 * (an emoji) for both reaction routes and `text` for modify, as Unipile's v2 guides show them; `user_id` for Add a
 * Chat Participant is *unconfirmed* (the route's path parameter to remove one is `user_id`). Answers are the objects
 * REFERENCE-V2.md lists (`MessageReactionAdded`, `MessageRead`, the modified `Message`); the others are guesses named
 * the same way. State: a reaction counts in the message's `reactions_counter`, an edit changes `text` and sets
 * `is_edited`, a deleted message leaves its chat, a deleted chat is gone, participants change the group's members.
 */
import { bad, notFound } from './http';
import { fieldsOnly, str, type Ctx, type Result, type V2Area, type V2Environment } from './env';
import type { V2AccountRec, V2ChatRec } from './store';
import type { V2Message } from './schemas';

export class V2MessagingExtras implements V2Area {
	/** The account owner's reactions, per message (`account chat message` → emojis). */
	private ownReactions = new Map<string, Set<string>>();

	constructor(private readonly env: V2Environment) {}

	reset(): void {
		this.ownReactions.clear();
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
		if (n === 3) return this.deleteChat(acc, rec);
		if (segs[3] === 'participants') return n === 4 ? this.addParticipant(ctx, acc, rec) : this.removeParticipant(acc, rec, segs[4]);
		const msg = rec.messages.find((m) => m.id === segs[4]);
		if (!msg) throw notFound(`Message ${segs[4]} not found in chat ${rec.chat.id}.`);
		if (n === 5) return this.deleteMessage(rec, msg);
		if (segs[5] === 'reactions') return this.reaction(ctx, acc, rec, msg);
		if (segs[5] === 'modify') return this.modify(ctx, msg);
		// Read a Message takes no body (the SDK sends none).
		if (ctx.entry.json !== undefined) throw bad('This method takes no body.');
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
		return { status: 200, json: msg };
	}

	private deleteMessage(rec: V2ChatRec, msg: V2Message): Result {
		if (!msg.is_sender) throw bad('Deleting a message of another user is not supported.');
		rec.messages.splice(rec.messages.indexOf(msg), 1);
		return { status: 200, json: { object: 'MessageDeleted' } };
	}

	private deleteChat(acc: V2AccountRec, rec: V2ChatRec): Result {
		this.env.store.chats.delete(this.env.store.chatKey(acc.account.id, rec.chat.id));
		return { status: 200, json: { object: 'ChatDeleted' } };
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
