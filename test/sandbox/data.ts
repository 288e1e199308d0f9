/**
 * The sandbox's in-memory data set: deterministic from a seed (mulberry32), timestamps from a fixed base date.
 * Every object is stored in the exact JSON shape Unipile API v1 answers (flags as 0/1 integers), so routes can
 * serialise them directly. File bytes (attachments, pictures, uploads) are kept beside them.
 */
import { fileSize, makeMp4, makeOgg, makePdf, makePng, mimeFromName, pngSize, sha256, sniffMime, type StoredFile } from './files';
import { MailStore, type MailAccountType } from './email';

export type { StoredFile } from './files';

export type ProviderType = 'WHATSAPP' | 'LINKEDIN' | 'INSTAGRAM' | 'TELEGRAM' | 'MESSENGER' | 'TWITTER';
export const PROVIDERS: ProviderType[] = ['WHATSAPP', 'LINKEDIN', 'INSTAGRAM', 'TELEGRAM', 'MESSENGER', 'TWITTER'];

export type SourceStatus = 'OK' | 'STOPPED' | 'ERROR' | 'CREDENTIALS' | 'PERMISSIONS' | 'CONNECTING';

export interface Account {
	object: 'Account';
	id: string;
	name: string;
	type: ProviderType | MailAccountType;
	created_at: string;
	connection_params: Record<string, Record<string, unknown>>;
	sources: Array<{ id: string; status: SourceStatus }>;
	groups: string[];
}

export type AttachmentType = 'img' | 'video' | 'audio' | 'file' | 'linkedin_post';

export interface Attachment {
	id: string;
	type: AttachmentType;
	unavailable: boolean;
	mimetype?: string;
	file_size?: number;
	file_name?: string;
	size?: { width: number; height: number };
	sticker?: boolean;
	gif?: boolean;
	duration?: number;
	voice_note?: boolean;
	url?: string;
}

export interface Reaction {
	value: string;
	sender_id: string;
	is_sender: boolean;
}

export type Flag = 0 | 1;

export interface QuotedMessage {
	provider_id: string;
	sender_id: string;
	text: string | null;
	attachments: Attachment[];
}

export interface Message {
	object: 'Message';
	id: string;
	account_id: string;
	chat_id: string;
	chat_provider_id: string;
	provider_id: string;
	sender_id: string;
	sender_attendee_id: string;
	text: string | null;
	timestamp: string;
	attachments: Attachment[];
	reactions: Reaction[];
	quoted?: QuotedMessage;
	seen: Flag;
	seen_by: Record<string, string | boolean>;
	hidden: Flag;
	deleted: Flag;
	edited: Flag;
	is_event: Flag;
	event_type: number;
	delivered: Flag;
	is_sender: Flag;
	behavior: 0 | null;
	original: string;
	thread_id?: string;
}

export interface Chat {
	object: 'Chat';
	id: string;
	account_id: string;
	account_type: ProviderType;
	provider_id: string;
	attendee_provider_id?: string;
	name: string | null;
	type: 0 | 1 | 2;
	timestamp: string | null;
	unread_count: number;
	archived: Flag;
	muted_until: -1 | string | null;
	read_only: 0 | 1 | 2;
	disabledFeatures: Array<'reactions'>;
	subject?: string;
	content_type?: 'inmail' | 'sponsored' | 'linkedin_offer';
	folder?: string[];
	pinned: Flag;
}

export interface ChatAttendee {
	object: 'ChatAttendee';
	id: string;
	account_id: string;
	provider_id: string;
	name: string;
	is_self: Flag;
	hidden: Flag;
	picture_url?: string;
	profile_url?: string;
	specifics?: Record<string, unknown>;
}

export interface UploadedFile extends StoredFile {
	field: string;
	sha256: string;
	at: string;
	messageId?: string;
	attachmentId?: string;
}

export interface PendingCheckpoint {
	accountId: string;
	provider: ProviderType;
	kind: 'create' | 'reconnect';
	username?: string;
}

export interface StoreOptions {
	seed: number;
	chats: number;
	messagesPerChat: number;
}

/** Newest-first order: timestamp desc, then id desc. */
export function compareDesc(a: { timestamp: string | null; id: string }, b: { timestamp: string | null; id: string }): number {
	const ta = a.timestamp ?? '';
	const tb = b.timestamp ?? '';
	if (ta !== tb) return ta < tb ? 1 : -1;
	if (a.id !== b.id) return a.id < b.id ? 1 : -1;
	return 0;
}

export const BASE_DATE_MS = Date.UTC(2026, 10, 1, 0, 0, 0, 0); // 2026-11-01T00:00:00.000Z
const DAY = 86_400_000;

export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ID_CODES = Uint16Array.from(ID_ALPHABET, (c) => c.charCodeAt(0));
const FIRST = ['Alice', 'Bruno', 'Chloé', 'David', 'Emma', 'Farid', 'Gabriela', 'Hiro', 'Inès', 'Jonas', 'Kateryna', 'Liam', 'Maëlle', 'Noah', 'Olivia', 'Pavel', 'Quentin', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoë'];
const LAST = ['Martin', 'Dubois', 'García', 'Müller', 'Rossi', 'Nguyen', 'Smith', 'Kowalski', "O'Brien", 'Tanaka', 'Silva', 'Novak', 'Haddad', 'Johansson', 'Łukasiewicz', 'Okafor'];
const PHRASES = [
	'Hi! How are you?',
	'Are we still on for tomorrow?',
	'Sounds good 👍',
	'I sent you the document, let me know what you think.',
	'Can you call me back when you have a minute?',
	'Thanks a lot!',
	'The meeting moved to 3pm.',
	'Here is the quote: 1 250,00 € (VAT incl.)',
	'Let me check and get back to you.',
	'Perfect, see you then.',
	'Did you see the news? 😮',
	'Quick question about the invoice #4521 & the "special" terms',
	'Bonjour, je reviens vers vous concernant le devis.',
	'Sure — I will be there at 10:30.',
	'Line one\nLine two\nLine three',
	'<b>Not HTML</b> just text with <angle> brackets',
	'ok',
	'Happy birthday 🎉🎂',
	'Could you share the link again?',
	'We are hiring a senior engineer, would you be interested?',
];
const HEADLINES = ['Software Engineer at Acme', 'Head of Sales · SaaS', 'Product Manager', 'Recruiter | Tech & Data', 'Founder & CEO', 'Data Scientist'];
const REACTIONS = ['👍', '❤️', '😂', '😮', '🙏'];

interface AccountDef {
	id: string;
	type: ProviderType | MailAccountType;
	name: string;
	im: Record<string, unknown>;
	selfProviderId: string;
	created_at: string;
}

const ACCOUNT_DEFS: AccountDef[] = [
	{ id: 'acc_whatsapp_1', type: 'WHATSAPP', name: '+33 6 12 34 56 78', im: { phone_number: '33612345678' }, selfProviderId: '33612345678@s.whatsapp.net', created_at: '2026-01-05T09:00:00.000Z' },
	{ id: 'acc_linkedin_1', type: 'LINKEDIN', name: 'Sandra Box', im: { id: 'ACoAAA1b2c3SandboxSelf', username: 'Sandra Box', premiumContractId: null, premiumFeatures: ['premium'] }, selfProviderId: 'ACoAAA1b2c3SandboxSelf', created_at: '2026-01-06T09:00:00.000Z' },
	{ id: 'acc_instagram_1', type: 'INSTAGRAM', name: 'sandra.box', im: { id: '178414000000001', username: 'sandra.box' }, selfProviderId: '178414000000001', created_at: '2026-01-07T09:00:00.000Z' },
	{ id: 'acc_telegram_1', type: 'TELEGRAM', name: 'Sandra Box', im: { user_id: '5000000001', username: 'sandra_box' }, selfProviderId: '5000000001', created_at: '2026-01-08T09:00:00.000Z' },
	{ id: 'acc_messenger_1', type: 'MESSENGER', name: 'Sandra Box', im: { id: '100000000000001', username: 'sandra.box.fb' }, selfProviderId: '100000000000001', created_at: '2026-01-09T09:00:00.000Z' },
	{ id: 'acc_twitter_1', type: 'TWITTER', name: 'Sandra Box', im: { id: '1400000000000000001', username: 'sandra_box_x' }, selfProviderId: '1400000000000000001', created_at: '2026-01-10T09:00:00.000Z' },
	{ id: 'acc_whatsapp_2', type: 'WHATSAPP', name: '+44 7700 900123', im: { phone_number: '447700900123' }, selfProviderId: '447700900123@s.whatsapp.net', created_at: '2026-01-11T09:00:00.000Z' },
];

/**
 * Which account each seeded chat goes to (cycled): the main WhatsApp account holds most chats (9 in 16), every other
 * account gets some.
 */
const CHAT_ACCOUNT_CYCLE = [
	'acc_whatsapp_1', 'acc_linkedin_1', 'acc_whatsapp_1', 'acc_instagram_1', 'acc_whatsapp_1', 'acc_telegram_1', 'acc_whatsapp_1', 'acc_messenger_1',
	'acc_whatsapp_1', 'acc_twitter_1', 'acc_whatsapp_1', 'acc_linkedin_1', 'acc_whatsapp_1', 'acc_whatsapp_2', 'acc_whatsapp_1', 'acc_whatsapp_1',
];

function slug(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ł/gi, 'l')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

/** Shared seeded file bytes (reused by many messages). */
const SEED_FILES = (() => {
	const png = makePng(16, 12, [30, 120, 220]);
	const pdf = makePdf('Unipile sandbox invoice #4521');
	const txt = Buffer.from('Meeting notes\n- budget: 12 000 €\n- next step: demo ✅\n', 'utf8');
	const ogg = makeOgg(7);
	const mp4 = makeMp4(3);
	return { png, pdf, txt, ogg, mp4 };
})();

export class SandboxStore {
	readonly options: StoreOptions;
	accountById = new Map<string, Account>();
	chatById = new Map<string, Chat>();
	messageById = new Map<string, Message>();
	attendeeById = new Map<string, ChatAttendee>();
	/** chat id → attendee ids (self first). */
	chatAttendees = new Map<string, string[]>();
	/** chat id → its messages, newest first. */
	chatMessages = new Map<string, Message[]>();
	/** `${messageId}/${attachmentId}` → bytes. */
	attachments = new Map<string, StoredFile>();
	/** attendee id or chat id → picture (filled lazily). */
	pictures = new Map<string, StoredFile>();
	/** `${accountId}/${attendeeId}` → profile (filled lazily). */
	profiles = new Map<string, Record<string, unknown>>();
	/** Every file received through multipart requests, in order. */
	uploads: UploadedFile[] = [];
	/** Largest file an upload may carry (Unipile's limits: 15 MB for messages, 25 MB for emails) when set. */
	maxFileBytes: number | undefined;
	/** Checkpoints waiting for POST /accounts/checkpoint, by account id. */
	pendingCheckpoints = new Map<string, PendingCheckpoint>();
	/** State of route families kept in their own files (e.g. linkedin.ts), keyed by family; dropped on reset. */
	extensions = new Map<string, unknown>();
	/** `${accountId}/${handle}` → attendee id (LinkedIn public identifiers, usernames). */
	handles = new Map<string, string>();
	/** account id → self attendee id. */
	selfAttendee = new Map<string, string>();
	/** account id → insertion sequence (account list order). */
	accountSeq = new Map<string, number>();
	/** Mail accounts, folders, emails (test/sandbox/email.ts). */
	mail!: MailStore;
	/** Called for every message stored after seeding (webhook deliveries). */
	onMessageStored?: (msg: Message) => void;
	private accountCounter = 0;
	private attachmentCounter = new Map<string, number>();

	private rng: () => number = () => 0;
	private readonly codeBuf = new Uint16Array(64);
	private serial = 0;
	private lastIssuedMs = 0;
	private maxMessageMs = 0;
	private sortedChatsCache: Chat[] | undefined;
	private sortedMessagesCache: Message[] | undefined;
	private sortedAttendeesCache: ChatAttendee[] | undefined;

	constructor(options: Partial<StoreOptions> = {}) {
		this.options = {
			seed: options.seed ?? 1,
			chats: options.chats ?? 30,
			messagesPerChat: options.messagesPerChat ?? 5,
		};
		this.reset();
	}

	// ------------------------------------------------------------------ ids, clock

	/** A 22-character Unipile-like id (deterministic). */
	uid(): string {
		const codes = this.codeBuf;
		for (let i = 0; i < 22; i++) codes[i] = ID_CODES[(this.rng() * 64) | 0];
		return String.fromCharCode.apply(null, codes.subarray(0, 22) as unknown as number[]);
	}

	private digits(n: number): string {
		const codes = this.codeBuf;
		codes[0] = 49 + ((this.rng() * 9) | 0);
		for (let i = 1; i < n; i++) codes[i] = 48 + ((this.rng() * 10) | 0);
		return String.fromCharCode.apply(null, codes.subarray(0, n) as unknown as number[]);
	}

	private pick<T>(arr: readonly T[]): T {
		return arr[(this.rng() * arr.length) | 0];
	}

	/** The sandbox clock: wall clock, but always after every seeded/issued timestamp and strictly increasing. */
	now(): string {
		const ms = Math.max(Date.now(), this.lastIssuedMs + 1, this.maxMessageMs + 1);
		this.lastIssuedMs = ms;
		return new Date(ms).toISOString();
	}

	// ------------------------------------------------------------------ sorted views (read-only: do not mutate)

	/** All accounts, in API order (oldest connected first). */
	get accounts(): Account[] {
		return this.sortedAccounts();
	}

	/** All chats, in API order (newest first). */
	get chats(): Chat[] {
		return this.sortedChats();
	}

	/** All messages, in API order (newest first). */
	get messages(): Message[] {
		return this.sortedMessages();
	}

	/** All chat attendees, in API order (id desc). */
	get attendees(): ChatAttendee[] {
		return this.sortedAttendees();
	}

	invalidate(): void {
		this.sortedChatsCache = undefined;
		this.sortedMessagesCache = undefined;
		this.sortedAttendeesCache = undefined;
	}

	sortedChats(): Chat[] {
		if (!this.sortedChatsCache) this.sortedChatsCache = [...this.chatById.values()].sort(compareDesc);
		return this.sortedChatsCache;
	}

	sortedMessages(): Message[] {
		if (!this.sortedMessagesCache) this.sortedMessagesCache = [...this.messageById.values()].sort(compareDesc);
		return this.sortedMessagesCache;
	}

	/** Attendees in list order (id desc). */
	sortedAttendees(): ChatAttendee[] {
		if (!this.sortedAttendeesCache) this.sortedAttendeesCache = [...this.attendeeById.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
		return this.sortedAttendeesCache;
	}

	/** Accounts in API order: oldest connected first (the order they were added). */
	sortedAccounts(): Account[] {
		return [...this.accountById.values()];
	}

	/** Keyset paging key of an account (insertion sequence, newest-first order inverted so the list is oldest first). */
	accountKey(account: Account): [string, string] {
		return ['', String(1e9 - (this.accountSeq.get(account.id) ?? 0)).padStart(10, '0')];
	}

	messagesOfChat(chatId: string): Message[] {
		return this.chatMessages.get(chatId) ?? [];
	}

	attendeesOfChat(chatId: string): ChatAttendee[] {
		return (this.chatAttendees.get(chatId) ?? []).map((id) => this.attendeeById.get(id)).filter((a): a is ChatAttendee => a !== undefined);
	}

	chatsOfAccount(accountId: string): Chat[] {
		return this.sortedChats().filter((c) => c.account_id === accountId);
	}

	/** The chat's `lastMessage` as GET /chats/:id returns it. */
	lastMessage(chatId: string): Message | null {
		return this.messagesOfChat(chatId)[0] ?? null;
	}

	findChatByProviderId(accountId: string, providerId: string): Chat | undefined {
		for (const c of this.chatById.values()) if (c.account_id === accountId && c.provider_id === providerId) return c;
		return undefined;
	}

	findAttendeeByProviderId(accountId: string, providerId: string): ChatAttendee | undefined {
		for (const a of this.attendeeById.values()) if (a.account_id === accountId && a.provider_id === providerId) return a;
		return undefined;
	}

	/** Attendee of an account by provider id, LinkedIn public identifier or username. */
	findAttendeeByIdentifier(accountId: string, identifier: string): ChatAttendee | undefined {
		const byHandle = this.handles.get(`${accountId}/${identifier.toLowerCase()}`);
		if (byHandle) return this.attendeeById.get(byHandle);
		return this.findAttendeeByProviderId(accountId, identifier);
	}

	// ------------------------------------------------------------------ generation

	reset(): void {
		this.rng = mulberry32(this.options.seed);
		this.serial = 0;
		this.lastIssuedMs = 0;
		this.maxMessageMs = 0;
		this.accountById.clear();
		this.chatById.clear();
		this.messageById.clear();
		this.attendeeById.clear();
		this.chatAttendees.clear();
		this.chatMessages.clear();
		this.attachments.clear();
		this.pictures.clear();
		this.profiles.clear();
		this.uploads = [];
		this.pendingCheckpoints.clear();
		this.extensions.clear();
		this.handles.clear();
		this.selfAttendee.clear();
		this.accountSeq.clear();
		this.accountCounter = 0;
		this.attachmentCounter.clear();
		this.invalidate();
		this.generate();
	}

	private generate(): void {
		for (const def of ACCOUNT_DEFS) this.addAccount(def);
		const accounts = [...this.accountById.values()];
		const n = this.options.chats;
		const perChat = this.options.messagesPerChat;
		const windowMs = 30 * DAY;
		for (let i = 0; i < n; i++) {
			const account = this.accountById.get(CHAT_ACCOUNT_CYCLE[i % CHAT_ACCOUNT_CYCLE.length]) ?? accounts[i % accounts.length];
			const group = i % 9 === 4;
			// Spread the chats' last activity over the 30 days before the base date, roughly by index.
			const lastMs = BASE_DATE_MS - 60_000 - Math.floor(((i + this.rng()) / Math.max(n, 1)) * windowMs);
			const contacts: ChatAttendee[] = [];
			const count = group ? 2 + ((this.rng() * 3) | 0) : 1;
			for (let k = 0; k < count; k++) contacts.push(this.newContact(account));
			const chat = this.newChat(account, contacts, new Date(lastMs - perChat * 3_600_000).toISOString(), group ? `${this.pick(['Project', 'Family', 'Team', 'Weekend', 'Book club'])} ${this.pick(['🚀', 'Alpha', 'Beta', '2026', 'chat'])}` : undefined);
			const unreadWanted = i % 5 === 1;
			// Message timestamps: newest = lastMs, older ones spaced back.
			const times: number[] = [];
			let t = lastMs;
			for (let j = 0; j < perChat; j++) {
				times.push(t);
				t -= 60_000 + Math.floor(this.rng() * 3_600_000);
			}
			times.reverse();
			let previous: Message | undefined;
			for (let j = 0; j < perChat; j++) {
				const serial = this.serial++;
				const isLast = j === perChat - 1;
				let fromSelf = this.rng() < 0.35;
				if (unreadWanted && isLast) fromSelf = false;
				const sender = fromSelf ? this.attendeeById.get(this.selfAttendee.get(account.id) as string)! : contacts[(this.rng() * contacts.length) | 0];
				const isEvent = serial % 17 === 5 && j > 0;
				const msg = this.buildMessage(chat, sender, {
					timestamp: new Date(times[j]).toISOString(),
					text: isEvent ? (serial % 2 === 0 ? null : `${sender.name} changed the group settings`) : this.pick(PHRASES),
					isEvent,
					eventType: isEvent ? 1 + (serial % 9) : 0,
				});
				if (!isEvent) {
					if (serial % 5 === 2) msg.attachments.push(this.seedAttachment(msg, account.type as ProviderType, serial));
					if (serial % 23 === 7) msg.attachments.push(this.seedAttachment(msg, account.type as ProviderType, serial + 1));
					if (serial % 6 === 3) {
						const reactor = fromSelf ? contacts[0] : this.attendeeById.get(this.selfAttendee.get(account.id) as string)!;
						msg.reactions.push({ value: REACTIONS[serial % REACTIONS.length], sender_id: reactor.provider_id, is_sender: reactor.is_self === 1 });
					}
					if (serial % 11 === 8 && previous) msg.quoted = { provider_id: previous.provider_id, sender_id: previous.sender_id, text: previous.text, attachments: previous.attachments.map((a) => ({ ...a })) };
					if (serial % 13 === 0) msg.edited = 1;
					if (!msg.text && msg.attachments.length === 0) msg.text = 'ok';
				}
				this.storeMessage(msg);
				previous = msg;
			}
			// Unread: trailing incoming messages are unseen.
			const msgs = this.messagesOfChat(chat.id);
			let unread = 0;
			if (unreadWanted) {
				for (const m of msgs) {
					if (m.is_sender === 1) break;
					m.seen = 0;
					unread++;
				}
			}
			chat.unread_count = unread;
			if (i % 10 === 7) chat.archived = 1;
			if (i % 12 === 3) chat.muted_until = i % 24 === 3 ? -1 : '2027-01-01T00:00:00.000Z';
			if (i % 15 === 2) chat.pinned = 1;
		}
		this.mail = new MailStore(this);
		this.invalidate();
	}

	addAccount(def: AccountDef): Account {
		const account: Account = {
			object: 'Account',
			id: def.id,
			name: def.name,
			type: def.type,
			created_at: def.created_at,
			connection_params: { im: { ...def.im } },
			sources: [{ id: `${def.id}_MESSAGING`, status: 'OK' }],
			groups: [],
		};
		this.accountById.set(account.id, account);
		this.accountSeq.set(account.id, ++this.accountCounter);
		const self: ChatAttendee = {
			object: 'ChatAttendee',
			id: this.uid(),
			account_id: account.id,
			provider_id: def.selfProviderId,
			name: def.type === 'WHATSAPP' ? 'You' : def.name,
			is_self: 1,
			hidden: 0,
			picture_url: `https://media.sandbox.unipile.test/${def.type.toLowerCase()}/${encodeURIComponent(def.selfProviderId)}.png`,
		};
		if (def.type === 'LINKEDIN') {
			self.profile_url = 'https://www.linkedin.com/in/sandra-box';
			self.specifics = { provider: 'LINKEDIN', member_urn: 'urn:li:member:100000001', occupation: 'Developer Advocate', network_distance: 'DISTANCE_1' };
			this.handles.set(`${account.id}/sandra-box`, self.id);
		}
		const handle = typeof def.im.username === 'string' ? def.im.username.toLowerCase() : undefined;
		if (handle && def.type !== 'LINKEDIN') this.handles.set(`${account.id}/${handle}`, self.id);
		this.attendeeById.set(self.id, self);
		this.selfAttendee.set(account.id, self.id);
		this.invalidate();
		return account;
	}

	/** Creates an account for a provider (POST /accounts, checkpoints). */
	createAccount(provider: ProviderType, name: string): Account {
		let n = 1;
		while (this.accountById.has(`acc_${provider.toLowerCase()}_${n}`) || this.pendingCheckpoints.has(`acc_${provider.toLowerCase()}_${n}`)) n++;
		const id = `acc_${provider.toLowerCase()}_${n}`;
		return this.addAccount(this.accountDef(provider, id, name));
	}

	/** Reserves an id for an account that is waiting for a checkpoint. */
	reserveAccountId(provider: ProviderType): string {
		let n = 1;
		while (this.accountById.has(`acc_${provider.toLowerCase()}_${n}`) || this.pendingCheckpoints.has(`acc_${provider.toLowerCase()}_${n}`)) n++;
		return `acc_${provider.toLowerCase()}_${n}`;
	}

	accountDef(provider: ProviderType, id: string, name: string): AccountDef {
		const created_at = this.now();
		const d = this.digits(10);
		switch (provider) {
			case 'WHATSAPP':
				return { id, type: provider, name: `+${d}`, im: { phone_number: d }, selfProviderId: `${d}@s.whatsapp.net`, created_at };
			case 'LINKEDIN':
				return { id, type: provider, name, im: { id: `ACoAA${this.uid()}`, username: name, premiumContractId: null }, selfProviderId: `ACoAA${this.uid()}`, created_at };
			case 'TELEGRAM':
				return { id, type: provider, name, im: { user_id: d, username: slug(name).replace(/-/g, '_') }, selfProviderId: d, created_at };
			default:
				return { id, type: provider, name, im: { id: d, username: slug(name).replace(/-/g, '.') }, selfProviderId: d, created_at };
		}
	}

	deleteAccount(accountId: string): void {
		this.accountById.delete(accountId);
		for (const chat of [...this.chatById.values()]) {
			if (chat.account_id !== accountId) continue;
			for (const m of this.messagesOfChat(chat.id)) {
				this.messageById.delete(m.id);
				for (const a of m.attachments) this.attachments.delete(`${m.id}/${a.id}`);
			}
			this.chatMessages.delete(chat.id);
			this.chatAttendees.delete(chat.id);
			this.chatById.delete(chat.id);
		}
		for (const a of [...this.attendeeById.values()]) if (a.account_id === accountId) this.attendeeById.delete(a.id);
		for (const key of [...this.handles.keys()]) if (key.startsWith(`${accountId}/`)) this.handles.delete(key);
		this.selfAttendee.delete(accountId);
		this.mail.forgetAccount(accountId);
		this.invalidate();
	}

	/** A new contact (attendee) of an account, with a provider-shaped provider id. */
	newContact(account: Account, name?: string, providerId?: string): ChatAttendee {
		const fullName = name ?? `${this.pick(FIRST)} ${this.pick(LAST)}`;
		const n = this.serial++;
		let pid = providerId;
		let profileUrl: string | undefined;
		let specifics: Record<string, unknown> | undefined;
		let handle: string | undefined;
		switch (account.type) {
			case 'WHATSAPP':
				pid ??= `${this.pick(['33', '44', '49', '1', '34', '55'])}${this.digits(9)}@s.whatsapp.net`;
				break;
			case 'LINKEDIN':
				pid ??= `ACoAA${this.uid()}${this.uid().slice(0, 12)}`;
				handle = `${slug(fullName)}-${n.toString(36)}`;
				profileUrl = `https://www.linkedin.com/in/${handle}`;
				specifics = {
					provider: 'LINKEDIN',
					member_urn: `urn:li:member:${this.digits(9)}`,
					occupation: this.pick(HEADLINES),
					network_distance: this.pick(['DISTANCE_1', 'DISTANCE_2', 'DISTANCE_3', 'OUT_OF_NETWORK']),
					pending_invitation: false,
				};
				break;
			case 'INSTAGRAM':
				pid ??= this.digits(15);
				handle = `${slug(fullName).replace(/-/g, '.')}.${n.toString(36)}`;
				profileUrl = `https://www.instagram.com/${handle}`;
				break;
			case 'TELEGRAM':
				pid ??= this.digits(10);
				handle = `${slug(fullName).replace(/-/g, '_')}_${n.toString(36)}`;
				break;
			case 'TWITTER':
				pid ??= this.digits(18);
				handle = `${slug(fullName).replace(/-/g, '_')}_${n.toString(36)}`;
				profileUrl = `https://x.com/${handle}`;
				break;
			case 'MESSENGER':
				pid ??= this.digits(15);
				break;
		}
		const attendee: ChatAttendee = {
			object: 'ChatAttendee',
			id: this.uid(),
			account_id: account.id,
			provider_id: pid as string,
			name: fullName,
			is_self: 0,
			hidden: 0,
		};
		if (n % 7 !== 6) attendee.picture_url = `https://media.sandbox.unipile.test/${account.type.toLowerCase()}/${attendee.id}.png`;
		if (profileUrl) attendee.profile_url = profileUrl;
		if (specifics) attendee.specifics = specifics;
		if (handle) this.handles.set(`${account.id}/${handle.toLowerCase()}`, attendee.id);
		this.attendeeById.set(attendee.id, attendee);
		this.sortedAttendeesCache = undefined;
		return attendee;
	}

	/** A new chat between the account's owner and contacts (one contact = 1:1, several = group). */
	newChat(account: Account, contacts: ChatAttendee[], timestamp: string, groupName?: string, subject?: string): Chat {
		const group = contacts.length > 1;
		let providerId: string;
		switch (account.type) {
			case 'WHATSAPP':
				providerId = group ? `120363${this.digits(12)}@g.us` : contacts[0].provider_id;
				break;
			case 'LINKEDIN':
				providerId = `2-${Buffer.from(this.uid() + this.uid()).toString('base64')}`;
				break;
			case 'TELEGRAM':
				providerId = group ? `-100${this.digits(10)}` : contacts[0].provider_id;
				break;
			case 'TWITTER':
				providerId = group ? this.digits(19) : `${(this.accountSelf(account.id)?.provider_id ?? '0')}-${contacts[0].provider_id}`;
				break;
			default:
				providerId = this.digits(group ? 17 : 16);
		}
		const chat: Chat = {
			object: 'Chat',
			id: this.uid(),
			account_id: account.id,
			account_type: account.type as ProviderType,
			provider_id: providerId,
			name: group ? groupName ?? contacts.map((c) => c.name.split(' ')[0]).join(', ') : contacts[0].name,
			type: group ? 1 : 0,
			timestamp,
			unread_count: 0,
			archived: 0,
			muted_until: null,
			read_only: 0,
			disabledFeatures: [],
			pinned: 0,
		};
		if (!group) chat.attendee_provider_id = contacts[0].provider_id;
		if (account.type === 'LINKEDIN') {
			chat.folder = ['INBOX', 'INBOX_LINKEDIN_CLASSIC'];
			if (subject) chat.subject = subject;
		} else if (subject && group) {
			chat.name = subject;
		}
		this.chatById.set(chat.id, chat);
		this.chatAttendees.set(chat.id, [this.selfAttendee.get(account.id) as string, ...contacts.map((c) => c.id)]);
		this.chatMessages.set(chat.id, []);
		this.sortedChatsCache = undefined;
		return chat;
	}

	accountSelf(accountId: string): ChatAttendee | undefined {
		const id = this.selfAttendee.get(accountId);
		return id ? this.attendeeById.get(id) : undefined;
	}

	private messageProviderId(type: ProviderType): string {
		switch (type) {
			case 'WHATSAPP':
				return `3EB0${this.uid().replace(/[-_]/g, 'A').toUpperCase().slice(0, 16)}`;
			case 'LINKEDIN':
				return `2-${Buffer.from(`${this.digits(13)}b${this.uid()}`).toString('base64')}`;
			default:
				return this.digits(type === 'TWITTER' ? 19 : 12);
		}
	}

	/** Builds (does not store) a message. */
	buildMessage(chat: Chat, sender: ChatAttendee, opts: { timestamp: string; text: string | null; isEvent?: boolean; eventType?: number }): Message {
		const providerId = this.messageProviderId(chat.account_type);
		const isSender: Flag = sender.is_self === 1 ? 1 : 0;
		return {
			object: 'Message',
			id: this.uid(),
			account_id: chat.account_id,
			chat_id: chat.id,
			chat_provider_id: chat.provider_id,
			provider_id: providerId,
			sender_id: sender.provider_id,
			sender_attendee_id: sender.id,
			text: opts.text,
			timestamp: opts.timestamp,
			attachments: [],
			reactions: [],
			seen: 1,
			seen_by: isSender && chat.type === 0 && chat.attendee_provider_id ? { [chat.attendee_provider_id]: opts.timestamp } : {},
			hidden: 0,
			deleted: 0,
			edited: 0,
			is_event: opts.isEvent ? 1 : 0,
			event_type: opts.eventType ?? 0,
			delivered: 1,
			is_sender: isSender,
			behavior: 0,
			original: `{"provider":"${chat.account_type}","id":"${providerId}","timestamp":"${opts.timestamp}"}`,
		};
	}

	/** Stores a message, keeps the chat's message list sorted and bumps the chat's timestamp. */
	storeMessage(msg: Message): void {
		this.messageById.set(msg.id, msg);
		const ms = Date.parse(msg.timestamp);
		if (ms > this.maxMessageMs) this.maxMessageMs = ms;
		const list = this.chatMessages.get(msg.chat_id);
		if (list) {
			let lo = 0;
			let hi = list.length;
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				if (compareDesc(list[mid], msg) < 0) lo = mid + 1;
				else hi = mid;
			}
			list.splice(lo, 0, msg);
		}
		const chat = this.chatById.get(msg.chat_id);
		if (chat && (chat.timestamp === null || msg.timestamp > chat.timestamp || (list && list[0] === msg))) {
			chat.timestamp = list && list[0] ? list[0].timestamp : msg.timestamp;
			this.sortedChatsCache = undefined;
		}
		this.sortedMessagesCache = undefined;
		this.onMessageStored?.(msg);
	}

	/** Adds a file as an attachment of a message (bytes stored for download). */
	addAttachment(msg: Message, file: StoredFile, opts: { voiceNote?: boolean; videoMessage?: boolean } = {}): Attachment {
		const mime = file.mimeType;
		const base = { id: this.uid(), unavailable: false, mimetype: mime, file_size: fileSize(file) };
		let att: Attachment;
		if (opts.voiceNote || mime.startsWith('audio/')) {
			att = { ...base, type: 'audio', voice_note: !!opts.voiceNote, duration: 3, file_name: file.fileName };
		} else if (opts.videoMessage || mime.startsWith('video/')) {
			att = { ...base, type: 'video', size: { width: 320, height: 240 }, gif: false, file_name: file.fileName };
		} else if (mime.startsWith('image/')) {
			att = { ...base, type: 'img', size: pngSize(file.bytes) ?? { width: 0, height: 0 }, sticker: false, file_name: file.fileName };
		} else {
			att = { ...base, type: 'file', file_name: file.fileName };
		}
		msg.attachments.push(att);
		this.attachments.set(`${msg.id}/${att.id}`, { ...file, mimeType: mime });
		return att;
	}

	private seedAttachment(msg: Message, type: ProviderType, serial: number): Attachment {
		const kinds = type === 'LINKEDIN' ? 6 : 5;
		// Cycle the kinds per account so every account gets every kind early.
		const n = this.attachmentCounter.get(msg.account_id) ?? 0;
		this.attachmentCounter.set(msg.account_id, n + 1);
		const kind = n % kinds;
		switch (kind) {
			case 0:
				return this.addAttachment(msg, { fileName: `photo_${serial}.png`, mimeType: 'image/png', bytes: SEED_FILES.png });
			case 1:
				return this.addAttachment(msg, { fileName: `invoice-${serial}.pdf`, mimeType: 'application/pdf', bytes: SEED_FILES.pdf });
			case 2:
				return this.addAttachment(msg, { fileName: `notes ${serial}.txt`, mimeType: 'text/plain', bytes: SEED_FILES.txt });
			case 3:
				return this.addAttachment(msg, { fileName: `voice_${serial}.ogg`, mimeType: 'audio/ogg', bytes: SEED_FILES.ogg }, { voiceNote: true });
			case 4:
				return this.addAttachment(msg, { fileName: `clip_${serial}.mp4`, mimeType: 'video/mp4', bytes: SEED_FILES.mp4 });
			default: {
				// A shared LinkedIn post: metadata only, nothing to download.
				const att: Attachment = { id: this.uid(), type: 'linkedin_post', unavailable: false };
				msg.attachments.push(att);
				return att;
			}
		}
	}

	// ------------------------------------------------------------------ lazily built data

	/** Picture bytes of an attendee (or a group chat), built on first use. */
	picture(id: string): StoredFile | undefined {
		const cached = this.pictures.get(id);
		if (cached) return cached;
		const attendee = this.attendeeById.get(id);
		const chat = attendee ? undefined : this.chatById.get(id);
		if (attendee && !attendee.picture_url) return undefined;
		if (!attendee && !(chat && chat.type !== 0)) return undefined;
		let h = 0;
		for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
		const file: StoredFile = {
			fileName: `${id}.png`,
			mimeType: 'image/png',
			bytes: makePng(32, 32, [h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff], [250, 250, 250]),
		};
		this.pictures.set(id, file);
		return file;
	}

	/** GET /users/:identifier for an attendee of an account, in the account provider's shape. */
	userProfile(account: Account, attendee: ChatAttendee, sections: string[] = []): Record<string, unknown> {
		const key = `${account.id}/${attendee.id}/${sections.join(',')}`;
		const cached = this.profiles.get(key);
		if (cached) return cached;
		const [first, ...rest] = attendee.name.split(' ');
		const last = rest.join(' ');
		const handle = this.handleOf(account.id, attendee.id);
		let h = 0;
		for (let i = 0; i < attendee.id.length; i++) h = (h * 31 + attendee.id.charCodeAt(i)) >>> 0;
		let profile: Record<string, unknown>;
		switch (account.type) {
			case 'LINKEDIN': {
				const spec = (attendee.specifics ?? {}) as Record<string, unknown>;
				const distance = { DISTANCE_1: 'FIRST_DEGREE', DISTANCE_2: 'SECOND_DEGREE', DISTANCE_3: 'THIRD_DEGREE' }[String(spec.network_distance)] ?? 'OUT_OF_NETWORK';
				profile = {
					object: 'UserProfile',
					provider: 'LINKEDIN',
					provider_id: attendee.provider_id,
					public_identifier: handle ?? null,
					first_name: first,
					last_name: last,
					headline: String(spec.occupation ?? 'Professional'),
					location: 'Paris, Île-de-France, France',
					websites: [],
					is_open_profile: h % 3 === 0,
					is_premium: h % 4 === 0,
					is_influencer: false,
					is_creator: false,
					is_relationship: distance === 'FIRST_DEGREE',
					is_self: attendee.is_self === 1,
					network_distance: distance,
					follower_count: h % 5000,
					connections_count: h % 500,
					shared_connections_count: h % 20,
					public_profile_url: attendee.profile_url ?? `https://www.linkedin.com/in/${handle ?? 'unknown'}`,
					profile_picture_url: attendee.picture_url,
				};
				const all = sections.includes('*');
				if (all || sections.includes('about')) profile.summary = `Hi, I am ${attendee.name}.`;
				if (all || sections.includes('experience'))
					profile.work_experience = [{ position: String(spec.occupation ?? 'Engineer'), company: 'Acme Corp', company_id: '1035', location: 'Paris', current: true, start: '1/1/2022', end: null }];
				if (all || sections.includes('education')) profile.education = [{ school: 'Université Paris Cité', degree: 'Master', field_of_study: 'Computer Science', start: '2015', end: '2017' }];
				if (all || sections.includes('languages')) profile.languages = [{ name: 'English', proficiency: 'Full professional proficiency' }, { name: 'Français' }];
				if (all || sections.includes('skills')) profile.skills = [{ name: 'TypeScript', endorsement_count: h % 40 }, { name: 'Negotiation', endorsement_count: h % 7 }];
				if (all || sections.includes('certifications')) profile.certifications = [{ name: 'Cloud Practitioner', organization: 'AWS' }];
				break;
			}
			case 'WHATSAPP':
				profile = { object: 'UserProfile', provider: 'WHATSAPP', id: attendee.provider_id, name: attendee.name, phone_number: attendee.provider_id.split('@')[0] };
				break;
			case 'INSTAGRAM':
				profile = {
					object: 'UserProfile',
					provider: 'INSTAGRAM',
					pk: Number(attendee.provider_id),
					provider_id: attendee.provider_id,
					username: handle ?? attendee.provider_id,
					full_name: attendee.name,
					profile_pic_url: attendee.picture_url ?? '',
					biography: `📸 ${attendee.name}`,
					follower_count: h % 10000,
					following_count: h % 900,
					is_verified: false,
					is_business: h % 5 === 0,
					is_private: h % 3 === 0,
				};
				break;
			case 'TELEGRAM':
				profile = {
					object: 'UserProfile',
					provider: 'TELEGRAM',
					provider_id: attendee.provider_id,
					self: attendee.is_self === 1,
					contact: true,
					mutual_contact: h % 2 === 0,
					deleted: false,
					bot: false,
					verified: false,
					restricted: false,
					fake: false,
					premium: h % 6 === 0,
					close_friend: null,
					first_name: first,
					last_name: last || null,
					username: handle ?? null,
					phone: null,
					profile_picture_url: attendee.picture_url ?? '',
					status: { name: 'UserStatusRecently' },
					restriction_reason: null,
					lang_code: null,
				};
				break;
			case 'TWITTER':
				profile = {
					object: 'UserProfile',
					provider: 'TWITTER',
					id: attendee.provider_id,
					name: attendee.name,
					screen_name: handle ?? attendee.provider_id,
					location: 'Berlin',
					description: `Tweets by ${attendee.name}`,
					url: null,
					entities: { description: { urls: [] } },
					protected: false,
					verified: false,
					followers_count: h % 3000,
					friends_count: h % 400,
					listed_count: 0,
					favourites_count: h % 100,
					statuses_count: h % 1000,
					created_at: 'Wed Oct 10 20:19:24 +0000 2018',
					profile_banner_url: null,
					profile_image_url_https: attendee.picture_url ?? 'https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png',
					default_profile: true,
					default_profile_image: !attendee.picture_url,
					withheld_in_countries: [],
					followed_by: null,
					following: null,
				};
				break;
			default:
				// Messenger: no profile shape in the SDK; Unipile-like minimal object.
				profile = { object: 'UserProfile', provider: account.type, id: attendee.provider_id, name: attendee.name, profile_picture_url: attendee.picture_url ?? null };
		}
		this.profiles.set(key, profile);
		return profile;
	}

	/** GET /users/me for an account. */
	ownProfile(account: Account): Record<string, unknown> {
		const self = this.accountSelf(account.id)!;
		const im = account.connection_params.im;
		switch (account.type) {
			case 'LINKEDIN':
				return {
					object: 'AccountOwnerProfile',
					provider: 'LINKEDIN',
					provider_id: self.provider_id,
					entity_urn: `urn:li:fsd_profile:${self.provider_id}`,
					object_urn: 'urn:li:member:100000001',
					first_name: account.name.split(' ')[0],
					last_name: account.name.split(' ').slice(1).join(' '),
					profile_picture_url: self.picture_url ?? null,
					public_profile_url: 'https://www.linkedin.com/in/sandra-box',
					public_identifier: 'sandra-box',
					headline: 'Developer Advocate',
					location: 'Paris',
					email: 'sandra.box@example.com',
					premium: true,
					open_profile: false,
					occupation: 'Developer Advocate',
					recruiter: null,
					sales_navigator: null,
				};
			case 'TELEGRAM':
			case 'TWITTER': {
				const p = this.userProfile(account, self);
				return { ...p, object: 'AccountOwnerProfile', ...(account.type === 'TELEGRAM' ? { self: true, username: im.username ?? null } : { screen_name: im.username }) };
			}
			default:
				return { object: 'AccountOwnerProfile', provider: account.type, id: self.provider_id, name: account.name, ...im };
		}
	}

	handleOf(accountId: string, attendeeId: string): string | undefined {
		for (const [key, id] of this.handles) if (id === attendeeId && key.startsWith(`${accountId}/`)) return key.slice(accountId.length + 1);
		return undefined;
	}

	// ------------------------------------------------------------------ uploads

	recordUpload(field: string, file: StoredFile, messageId?: string, attachmentId?: string): UploadedFile {
		const up: UploadedFile = { field, ...file, sha256: file.sha256 ?? sha256(file.bytes), at: new Date().toISOString(), messageId, attachmentId };
		this.uploads.push(up);
		return up;
	}

	/** Mimetype for an uploaded file: the declared one, else sniffed, else from the name. */
	static uploadMime(declared: string | undefined, fileName: string, bytes: Buffer): string {
		const d = (declared ?? '').split(';')[0].trim().toLowerCase();
		if (d && d !== 'application/octet-stream') return d;
		return sniffMime(bytes) ?? mimeFromName(fileName);
	}
}
