/**
 * The sandbox's Unipile API v2 data: a store of its own (not a view over the v1 store), deterministic from a seed.
 * Accounts are `acc_…` with lower-case providers; chats, messages and users carry provider-style ids (v2 has no
 * Unipile ids for them); message ids are unique per chat only (Telegram's are small integers per chat). Objects are
 * kept in the shapes of the v2 types (see schemas.ts); file bytes beside them.
 */
import { createHash } from 'node:crypto';
import { makePdf, makePng, type StoredFile } from '../files';
import { mulberry32 } from '../data';
import type { V2Account, V2Attachment, V2Chat, V2Message, V2User } from './schemas';

export type V2Provider = V2Account['provider'];
/** How each messaging provider pages its account lists (chats, messages, participants). */
export const PAGING: Record<string, 'cursor' | 'offset'> = { linkedin: 'cursor', instagram: 'cursor', whatsapp: 'offset', telegram: 'offset' };
export const MESSAGING: V2Provider[] = ['whatsapp', 'linkedin', 'instagram', 'telegram'];

export interface V2ChatRec {
	accountId: string;
	chat: Omit<V2Chat, 'last_message' | 'last_message_timestamp' | 'unread_count'>;
	/** everyone in the chat but the account owner */
	members: V2User[];
	admins: Set<string>;
	/** newest first */
	messages: V2Message[];
	unreadMark: boolean;
}

export interface V2Upload {
	accountId: string;
	chatId: string;
	messageId: string;
	attachmentId: string;
	filename: string;
	content_type: string;
	size: number;
	sha256: string;
}

export interface V2AccountRec {
	account: V2Account;
	owner: V2User;
	/** users this account knows (chat members, started contacts), by id */
	users: Map<string, V2User>;
}

export interface V2InjectMessageInput {
	accountId: string;
	chatId?: string;
	text?: string;
	isSender?: boolean;
	/** a member id of the chat (default: the first other member) */
	senderId?: string;
	timestamp?: string;
	attachments?: Array<{ filename: string; content_type: string; bytes: Buffer }>;
	/** an event (reaction, group change) rather than a message: `is_event: true` */
	isEvent?: boolean;
}

const FIRST = ['Alice', 'Bruno', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kenji', 'Lea', 'Marco', 'Nadia', 'Omar', 'Paula'];
const LAST = ['Martin', 'Silva', 'Novak', 'Kim', 'Rossi', 'Dubois', 'Berg', 'Okafor', 'Haddad', 'Larsen'];
const WORDS = ['hello', 'meeting', 'tomorrow', 'invoice', 'thanks', 'great', 'call', 'project', 'see', 'you', 'soon', 'file', 'ok', 'perfect'];
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const V2_BASE_MS = Date.UTC(2026, 10, 1, 0, 0, 0, 0);

export class V2Store {
	accounts = new Map<string, V2AccountRec>();
	chats = new Map<string, V2ChatRec>(); // key `${accountId} ${chatId}`
	files = new Map<string, StoredFile>(); // key `${accountId} ${chatId} ${messageId} ${attachmentId}`
	uploads: V2Upload[] = [];
	applicationId = 'app_sandbox0000000000000001';
	/** the sandbox clock, shifted by `advanceClock` */
	clockOffsetMs = 0;
	baseUrl = '';
	private rng: () => number;
	private lastMs = 0;

	constructor(private readonly opts: { seed?: number; chatsPerAccount?: number; messagesPerChat?: number } = {}) {
		this.rng = mulberry32(opts.seed ?? 22);
		this.seed();
	}

	reset(): void {
		this.accounts.clear();
		this.chats.clear();
		this.files.clear();
		this.uploads = [];
		this.clockOffsetMs = 0;
		this.lastMs = 0;
		this.rng = mulberry32(this.opts.seed ?? 22);
		this.seed();
	}

	nowMs(): number {
		const ms = Math.max(Date.now() + this.clockOffsetMs, this.lastMs + 1);
		this.lastMs = ms;
		return ms;
	}
	now(): string {
		return new Date(this.nowMs()).toISOString();
	}
	/** the clock without moving it (cache ages) */
	clock(): number {
		return Date.now() + this.clockOffsetMs;
	}

	rand(n: number): number {
		return (this.rng() * n) | 0;
	}
	b62(n: number): string {
		let s = '';
		for (let i = 0; i < n; i++) s += B62[this.rand(62)];
		return s;
	}
	digits(n: number): string {
		let s = String(1 + this.rand(9));
		for (let i = 1; i < n; i++) s += String(this.rand(10));
		return s;
	}
	hex(n: number): string {
		let s = '';
		for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[this.rand(16)];
		return s;
	}
	words(n: number): string {
		return Array.from({ length: n }, () => WORDS[this.rand(WORDS.length)]).join(' ');
	}

	newUserId(provider: V2Provider, group = false): string {
		switch (provider) {
			case 'whatsapp':
				return group ? `1203630${this.digits(11)}@g.us` : `${this.digits(11)}@s.whatsapp.net`;
			case 'linkedin':
				return `ACoAA${this.b62(34)}`;
			case 'instagram':
				return this.digits(17);
			case 'telegram':
				return group ? `-100${this.digits(10)}` : this.digits(10);
			default:
				return `${this.b62(12).toLowerCase()}@example.com`;
		}
	}

	newUser(provider: V2Provider, id?: string, name?: string): V2User {
		const first = name ? name.split(' ')[0] : FIRST[this.rand(FIRST.length)];
		const last = name ? name.split(' ').slice(1).join(' ') || undefined : LAST[this.rand(LAST.length)];
		const display = name ?? `${first} ${last}`;
		const uid = id ?? this.newUserId(provider);
		const u: V2User = { id: uid, object: 'User', type: 'individual', display_name: display, first_name: first };
		if (last) u.last_name = last;
		const handle = `${first}${last ?? ''}`.toLowerCase().replace(/[^a-z]/g, '') + this.digits(3);
		if (provider === 'linkedin') {
			u.public_identifier = handle;
			u.profile_url = `https://www.linkedin.com/in/${handle}`;
		} else if (provider === 'instagram') {
			u.public_identifier = handle;
			u.profile_url = `https://www.instagram.com/${handle}`;
		} else if (provider === 'telegram') u.public_identifier = handle;
		return u;
	}

	newChatId(provider: V2Provider, group: boolean, peer?: V2User): string {
		switch (provider) {
			case 'whatsapp':
				return group ? this.newUserId('whatsapp', true) : peer!.id;
			case 'linkedin':
				return `2-${Buffer.from(this.b62(24)).toString('base64').replace(/=+$/, '')}`;
			case 'instagram':
				return `34028236${this.digits(30)}`;
			case 'telegram':
				return group ? this.newUserId('telegram', true) : peer!.id;
			default:
				return this.b62(16);
		}
	}

	newMessageId(rec: V2ChatRec): string {
		const p = rec.chat.provider;
		if (p === 'whatsapp') return `3EB0${this.hex(16)}`;
		if (p === 'linkedin') return `2-${Buffer.from(this.b62(30)).toString('base64').replace(/=+$/, '')}`;
		if (p === 'instagram') return `aWdfZAG1${this.b62(40)}`;
		// Telegram: per-chat increasing integers.
		const max = rec.messages.reduce((m, x) => Math.max(m, Number(x.id) || 0), 0);
		return String(max + 1);
	}

	addAccount(provider: V2Provider, opts: { name?: string; status?: V2Account['status']; v1AccountId?: string; createdAt?: string } = {}): V2AccountRec {
		const owner = this.newUser(provider, undefined, opts.name && !opts.name.includes('@') ? opts.name : undefined);
		const email = ['google', 'outlook', 'imap'].includes(provider);
		const name = opts.name ?? (email ? `${owner.first_name!.toLowerCase()}@${provider === 'google' ? 'gmail.com' : provider === 'outlook' ? 'outlook.com' : 'example.org'}` : owner.display_name);
		if (email) owner.id = name;
		const account: V2Account = {
			object: 'Account',
			user_id: owner.id,
			name,
			created_at: opts.createdAt ?? this.now(),
			id: `acc_${this.b62(22)}`,
			application_id: this.applicationId,
			account_scope_id: null,
			status: opts.status ?? 'running',
			is_locked: false,
			provider,
			metadata: {},
		};
		if (opts.v1AccountId) account.metadata.v1_account_id = opts.v1AccountId;
		if (provider === 'google' || provider === 'outlook') account.oauth_scope = provider === 'google' ? 'https://mail.google.com/' : 'Mail.ReadWrite,Mail.Send';
		if (provider === 'whatsapp') account.initial_sync = { status: 'completed', started_at: account.created_at };
		const rec: V2AccountRec = { account, owner, users: new Map() };
		this.accounts.set(account.id, rec);
		return rec;
	}

	private seed(): void {
		const chats = this.opts.chatsPerAccount ?? 23;
		const perChat = this.opts.messagesPerChat ?? 7;
		const created = (i: number) => new Date(V2_BASE_MS - (400 - i) * 86_400_000).toISOString();
		const seeded: V2AccountRec[] = [
			this.addAccount('whatsapp', { createdAt: created(0), v1AccountId: 'acc_whatsapp_1' }),
			this.addAccount('linkedin', { createdAt: created(1) }),
			this.addAccount('instagram', { createdAt: created(2) }),
			this.addAccount('telegram', { createdAt: created(3) }),
			this.addAccount('google', { createdAt: created(4) }),
			this.addAccount('outlook', { createdAt: created(5) }),
			this.addAccount('imap', { createdAt: created(6) }),
			this.addAccount('linkedin', { createdAt: created(7), status: 'disconnected' }),
		];
		for (const acc of seeded) {
			if (!MESSAGING.includes(acc.account.provider) || acc.account.status !== 'running') continue;
			for (let c = 0; c < chats; c++) {
				const group = c % 5 === 3;
				const peers = Array.from({ length: group ? 3 + this.rand(3) : 1 }, () => this.newUser(acc.account.provider));
				const createdAt = new Date(V2_BASE_MS - (300 - c * 7) * 86_400_000 - this.rand(86_400_000)).toISOString();
				const rec = this.addChat(acc, peers, { group, createdAt, name: group ? `Team ${this.words(1)} ${c}` : undefined });
				// Messages spread from the chat's creation to the base date, oldest first.
				const start = Date.parse(createdAt);
				const span = V2_BASE_MS - start;
				for (let m = 0; m < perChat; m++) {
					const ts = new Date(start + Math.floor(((m + 1) / (perChat + 1)) * span) + this.rand(60_000)).toISOString();
					const fromMe = this.rand(3) === 0;
					const sender = fromMe ? acc.owner : peers[this.rand(peers.length)];
					const files: Array<{ filename: string; content_type: string; bytes: Buffer }> = [];
					if (m === 2 && c % 3 === 0) files.push({ filename: `photo-${c}.png`, content_type: 'image/png', bytes: makePng(8 + c, 6, [c * 9, 80, 160]) });
					if (m === 4 && c % 4 === 1) files.push({ filename: `report-${c}.pdf`, content_type: 'application/pdf', bytes: makePdf(`Report ${c}`) });
					this.addMessage(rec, { sender, text: this.words(2 + this.rand(8)), timestamp: ts, files, seen: m < perChat - 2 || fromMe });
				}
				if (c % 6 === 0) rec.chat.is_pinned = true;
				if (c % 7 === 5) rec.chat.is_archived = true;
			}
		}
	}

	chatKey(accountId: string, chatId: string): string {
		return `${accountId} ${chatId}`;
	}

	addChat(acc: V2AccountRec, peers: V2User[], opts: { group: boolean; createdAt?: string; name?: string }): V2ChatRec {
		const provider = acc.account.provider;
		for (const p of peers) acc.users.set(p.id, p);
		const id = this.newChatId(provider, opts.group, peers[0]);
		const chat: V2ChatRec['chat'] = {
			object: 'Chat',
			id,
			name: opts.name ?? (opts.group ? peers.map((p) => p.first_name ?? p.display_name).join(', ') : peers[0].display_name),
			created_at: opts.createdAt ?? this.now(),
			muted_until: false,
			is_group: opts.group,
			is_1to1: !opts.group,
			is_channel: false,
			type: opts.group ? 'group' : '1to1',
			is_pinned: false,
			is_readonly: false,
			is_archived: false,
			folders: ['INBOX'],
			provider,
		};
		if (opts.group) {
			chat.participants_count = peers.length + 1;
			chat.creator_id = acc.owner.id;
		} else {
			chat.user_id = peers[0].id;
			chat.user = peers[0];
		}
		chat.updated_at = chat.created_at;
		const rec: V2ChatRec = { accountId: acc.account.id, chat, members: peers, admins: new Set([acc.owner.id]), messages: [], unreadMark: false };
		this.chats.set(this.chatKey(acc.account.id, id), rec);
		return rec;
	}

	addMessage(
		rec: V2ChatRec,
		input: { sender: V2User; text?: string; timestamp?: string; files?: Array<{ filename: string; content_type: string; bytes?: Buffer; size?: number; sha256?: string }>; seen?: boolean; quoted?: V2Message; forwarded?: V2Message },
	): V2Message {
		const acc = this.accounts.get(rec.accountId)!;
		const isSender = input.sender.id === acc.owner.id;
		const id = this.newMessageId(rec);
		const msg: V2Message = {
			object: 'Message',
			id,
			sender_id: input.sender.id,
			chat_id: rec.chat.id,
			timestamp: input.timestamp ?? this.now(),
			is_sender: isSender,
			is_hidden: false,
			is_seen: isSender ? true : input.seen ?? false,
			is_delivered: true,
			is_deleted: false,
			is_edited: false,
			is_pinned: false,
			is_event: false,
			is_mentionned: false,
			reactions_counter: [],
			sender: input.sender,
			provider: rec.chat.provider,
			attachments: [],
			hyperlinks: [],
		};
		if (input.text !== undefined && input.text !== '') msg.text = input.text;
		if (input.quoted) msg.quoted = { object: 'QuotedMessage', id: input.quoted.id, text: input.quoted.text, attachments: input.quoted.attachments, sender: input.quoted.sender };
		if (input.forwarded) msg.forwarded = { object: 'ForwardedMessage', text: input.forwarded.text, attachments: input.forwarded.attachments, sender: input.forwarded.sender };
		for (const f of input.files ?? []) {
			const attId = `att_${this.b62(16)}`;
			const size = f.size ?? f.bytes!.length;
			const url = `${this.baseUrl}/v2/${encodeURIComponent(rec.accountId)}/chats/${encodeURIComponent(rec.chat.id)}/messages/${encodeURIComponent(id)}/attachments/${attId}`;
			const base = { object: 'Attachment' as const, id: attId, file_size: size, is_inline: false, mimetype: f.content_type, url };
			let att: V2Attachment;
			if (f.content_type.startsWith('image/')) att = { ...base, type: 'img', sticker: false };
			else if (f.content_type.startsWith('audio/')) att = { ...base, type: 'audio', voice_note: false };
			else att = { ...base, type: 'file', filename: f.filename };
			msg.attachments.push(att);
			const sha = f.sha256 ?? createHash('sha256').update(f.bytes!).digest('hex');
			this.files.set(`${rec.accountId} ${rec.chat.id} ${id} ${attId}`, { fileName: f.filename, mimeType: f.content_type, bytes: f.bytes ?? Buffer.alloc(0), size, sha256: sha });
		}
		// newest first
		const i = rec.messages.findIndex((m) => m.timestamp < msg.timestamp);
		if (i === -1) rec.messages.push(msg);
		else rec.messages.splice(i, 0, msg);
		if (rec.chat.updated_at === undefined || rec.chat.updated_at < msg.timestamp) rec.chat.updated_at = msg.timestamp;
		if (isSender) rec.unreadMark = false;
		return msg;
	}

	/** The Chat as answered: unread count, last message and its timestamp computed. */
	view(rec: V2ChatRec): V2Chat {
		const last = rec.messages[0];
		const unread = rec.messages.filter((m) => !m.is_sender && !m.is_seen).length;
		const chat: V2Chat = { ...rec.chat, unread_count: unread > 0 ? unread : rec.unreadMark ? -1 : 0 };
		if (last) {
			chat.last_message_timestamp = last.timestamp;
			// Offset-paged providers answer a preview, cursor-paged ones the whole message (both are in the types).
			chat.last_message =
				PAGING[rec.chat.provider] === 'offset'
					? { object: 'MessagePreview', id: last.id, text: last.text ?? '', sender_display_name: last.sender?.display_name ?? '', is_sender: last.is_sender }
					: last;
		}
		return chat;
	}

	chatsOf(accountId: string): V2ChatRec[] {
		const out: V2ChatRec[] = [];
		for (const rec of this.chats.values()) if (rec.accountId === accountId) out.push(rec);
		const key = (r: V2ChatRec) => r.messages[0]?.timestamp ?? r.chat.created_at ?? '';
		return out.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : a.chat.id < b.chat.id ? 1 : -1));
	}

	/** A message from someone (or from the owner) in a chat, as the provider would deliver it. */
	injectMessage(input: V2InjectMessageInput): V2Message {
		const acc = this.accounts.get(input.accountId);
		if (!acc) throw new Error(`v2 injectMessage: account ${input.accountId} not found`);
		const rec = input.chatId !== undefined ? this.chats.get(this.chatKey(acc.account.id, input.chatId)) : this.chatsOf(acc.account.id)[0];
		if (!rec) throw new Error(`v2 injectMessage: chat ${input.chatId ?? '(any)'} not found in ${input.accountId}`);
		let sender: V2User | undefined;
		if (input.senderId !== undefined) {
			sender = input.senderId === acc.owner.id ? acc.owner : rec.members.find((m) => m.id === input.senderId);
			if (!sender) throw new Error(`v2 injectMessage: ${input.senderId} is not in chat ${rec.chat.id}`);
		} else sender = input.isSender ? acc.owner : rec.members[0];
		let timestamp: string | undefined;
		if (input.timestamp !== undefined) {
			const d = new Date(input.timestamp);
			if (Number.isNaN(d.getTime())) throw new Error(`v2 injectMessage: invalid timestamp ${input.timestamp}`);
			timestamp = d.toISOString();
		}
		const message = this.addMessage(rec, { sender, text: input.text ?? 'Hello from the v2 sandbox', timestamp, files: input.attachments, seen: false });
		if (input.isEvent === true) message.is_event = true;
		return message;
	}
}
