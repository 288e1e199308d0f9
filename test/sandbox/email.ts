/**
 * The sandbox's mailboxes: three mail accounts (Gmail, Outlook, IMAP), their folders and emails, and the Unipile
 * API v1 email routes (GET/PUT/DELETE /emails, attachments, POST /emails, POST /drafts, GET /folders), as strict as
 * the messaging routes. POST /emails honours `Idempotency-Key` as Unipile documents it: a replay of the same request
 * returns the original result without sending again, the same key with another request is a conflict, keys live 24 h.
 *
 * Only type imports from routes.ts/data.ts: data.ts builds a MailStore and routes.ts spreads EMAIL_ROUTES, so a
 * runtime import back would be circular.
 */
import type { Account, SandboxStore } from './data';
import type { Route, RouteContext, RouteResult } from './routes';
import { fileAnswer, fileSize, makePdf, makePng, mimeFromName, sha256, sniffMime, type StoredFile } from './files';
import { ApiError, invalid, missing, notFound, paginate, PROBLEM_TITLES, type SortKey } from './http';
import type { MultipartFile, MultipartPart } from './multipart';

export type MailAccountType = 'GOOGLE_OAUTH' | 'OUTLOOK' | 'MAIL';
export const MAIL_ACCOUNT_TYPES: readonly string[] = ['GOOGLE_OAUTH', 'GOOGLE', 'OUTLOOK', 'MAIL', 'ICLOUD', 'EXCHANGE'];
export const FOLDER_ROLES = ['inbox', 'sent', 'archive', 'drafts', 'trash', 'spam', 'all', 'important', 'starred', 'unknown'] as const;
export type FolderRole = (typeof FOLDER_ROLES)[number];

export interface MailFolder {
	object: 'Folder';
	id: string;
	name: string;
	account_id: string;
	role: FolderRole;
	provider_id: string;
}

export interface MailAttendee {
	display_name?: string;
	identifier: string;
	identifier_type: 'EMAIL_ADDRESS';
}

export interface MailAttachment {
	id: string;
	name: string;
	size: number;
	extension: string;
	mime: string;
	cid?: string;
}

export interface Email {
	object: 'Email';
	id: string;
	account_id: string;
	type: MailAccountType;
	date: string;
	role: FolderRole;
	folders: string[];
	folderIds: string[];
	read_date: string | null;
	message_id: string;
	provider_id: string;
	from_attendee: MailAttendee;
	to_attendees: MailAttendee[];
	cc_attendees?: MailAttendee[];
	bcc_attendees?: MailAttendee[];
	reply_to_attendees?: MailAttendee[];
	subject: string;
	body: string;
	body_plain: string;
	has_attachments: boolean;
	attachments: MailAttachment[];
	origin: 'unipile' | 'external';
	in_reply_to?: { message_id: string; id: string };
	tracking_id?: string;
	thread_id?: string;
}

/** What POST /emails or POST /drafts received beyond the stored email (for assertions). */
export interface MailSendRecord {
	emailId: string;
	path: '/emails' | '/drafts';
	idempotencyKey?: string;
	trackingOptions?: Record<string, unknown>;
	customHeaders?: Array<{ name: string; value: string }>;
	draftId?: string;
	replyTo?: string;
	from?: { display_name?: string; identifier?: string };
}

export interface ReceiveEmailInput {
	accountId: string;
	from: string | { display_name?: string; identifier: string };
	to?: Array<string | { display_name?: string; identifier: string }>;
	subject?: string;
	body?: string;
	/** ISO; default the sandbox clock */
	date?: string;
	/** folder role, default inbox */
	role?: FolderRole;
	attachments?: Array<{ fileName: string; mimeType: string; bytes: Buffer }>;
	/** id of the email this one answers (same thread) */
	inReplyTo?: string;
	unread?: boolean;
}

const MAX_MAIL_FILE = 25 * 1024 * 1024;
const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
const EMAIL_RE = /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
/** What Unipile accepts in `custom_headers` (names starting X-, and a few list/reply headers). */
const ALLOWED_HEADERS = ['list-unsubscribe', 'list-unsubscribe-post', 'reply-to', 'content-type'];

Object.assign(PROBLEM_TITLES, {
	recipient_rejected: 'Recipient rejected',
	sender_rejected: 'Sender rejected',
	send_as_denied: 'Send as denied',
	parent_mail_not_found: 'Parent mail not found',
	invalid_headers: 'Invalid headers',
	invalid_folder: 'Invalid folder',
	idempotency_conflict: 'Idempotency key conflict',
});

interface MailAccountDef {
	id: string;
	type: MailAccountType;
	address: string;
	displayName: string;
	created_at: string;
	mail: Record<string, unknown>;
	folders: Array<[string, FolderRole]>;
}

const MAIL_ACCOUNTS: MailAccountDef[] = [
	{
		id: 'acc_google_1',
		type: 'GOOGLE_OAUTH',
		address: 'sandra.box@example.com',
		displayName: 'Sandra Box',
		created_at: '2026-01-12T09:00:00.000Z',
		mail: { id: '108000000000000000001', username: 'sandra.box@example.com' },
		folders: [
			['INBOX', 'inbox'],
			['[Gmail]/Sent Mail', 'sent'],
			['[Gmail]/Drafts', 'drafts'],
			['[Gmail]/Trash', 'trash'],
			['[Gmail]/Spam', 'spam'],
			['[Gmail]/All Mail', 'all'],
			['[Gmail]/Starred', 'starred'],
			['Clients', 'unknown'],
		],
	},
	{
		id: 'acc_outlook_1',
		type: 'OUTLOOK',
		address: 'sandra@example.org',
		displayName: 'Sandra Box',
		created_at: '2026-01-13T09:00:00.000Z',
		mail: { id: '00000000-0000-0000-1111-000000000001', username: 'sandra@example.org' },
		folders: [
			['Inbox', 'inbox'],
			['Sent Items', 'sent'],
			['Drafts', 'drafts'],
			['Deleted Items', 'trash'],
			['Junk Email', 'spam'],
			['Archive', 'archive'],
			['Leads', 'unknown'],
		],
	},
	{
		id: 'acc_mail_1',
		type: 'MAIL',
		address: 'sandra@example.net',
		displayName: 'Sandra Box',
		created_at: '2026-01-14T09:00:00.000Z',
		mail: { imap_host: 'imap.example.net', imap_port: 993, imap_user: 'sandra@example.net', smtp_host: 'smtp.example.net', smtp_port: 465, smtp_user: 'sandra@example.net' },
		folders: [
			['INBOX', 'inbox'],
			['Sent', 'sent'],
			['Drafts', 'drafts'],
			['Trash', 'trash'],
			['Junk', 'spam'],
			['Archive', 'archive'],
		],
	},
];

const CONTACTS: Array<[string, string]> = [
	['Ada Lovelace', 'ada@example.com'],
	['Grace Hopper', 'grace.hopper@example.org'],
	['Alan Turing', 'alan@example.net'],
	['Katherine Johnson', 'katherine.johnson@example.com'],
	['Linus Müller', 'linus.muller@example.org'],
	['Chloé Dubois', 'chloe.dubois@example.net'],
	['', 'noreply@example.com'],
	['Hiro Tanaka', 'hiro.tanaka@example.com'],
];

const SUBJECTS = [
	'Quote for the Q4 project',
	'Meeting next Tuesday?',
	'Invoice #4521',
	'Re: your demo request',
	'Contract — final version',
	'Quick question about pricing',
	'Welcome aboard 🎉',
	'Follow-up: onboarding call',
	'Vos disponibilités pour un appel',
	'Partnership proposal',
];

const LINES = [
	'Hi Sandra,\n\nThanks for your time yesterday. Could you send me the quote?\n\nBest,\n',
	'Hello,\n\nAre you available next Tuesday at 10:30 for a call?\n\nThanks,\n',
	'Please find the invoice attached. Payment terms: 30 days.\n\nRegards,\n',
	'Bonjour,\n\nJe reviens vers vous concernant le devis de 1 250,00 €.\n\nCordialement,\n',
	'Quick one: do you offer a discount for annual plans?\n\n',
];

function escapeHtml(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function htmlToText(html: string): string {
	return html
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/p>/gi, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, '&')
		.trim();
}

function rfc2822(iso: string): string {
	return new Date(iso).toUTCString().replace('GMT', '+0000');
}

function formatAddress(a: MailAttendee): string {
	return a.display_name ? `"${a.display_name}" <${a.identifier}>` : a.identifier;
}

function fileExtension(name: string): string {
	const m = /\.([A-Za-z0-9]+)$/.exec(name);
	return m ? m[1].toLowerCase() : '';
}

export class MailStore {
	readonly accounts = new Map<string, MailAccountDef>();
	readonly emails = new Map<string, Email>();
	readonly folders = new Map<string, MailFolder>();
	/** email id → headers (answered with include_headers=true). */
	readonly headers = new Map<string, Array<{ name: string; value: string }>>();
	/** `${emailId}/${attachmentId}` → bytes. */
	readonly files = new Map<string, StoredFile>();
	/** Every accepted POST /emails and POST /drafts, in order (a replayed idempotent request adds nothing). */
	readonly sends: MailSendRecord[] = [];
	/** Idempotency-Key → the first request's fingerprint and answer. */
	readonly idempotency = new Map<string, { fingerprint: string; status: number; json: unknown; atMs: number }>();
	private sortedCache: Email[] | undefined;
	private counter = 0;

	constructor(private readonly store: SandboxStore) {
		for (const def of MAIL_ACCOUNTS) this.seedAccount(def);
	}

	// ------------------------------------------------------------------ seeding

	private seedAccount(def: MailAccountDef): void {
		const account = this.store.addAccount({ id: def.id, type: def.type, name: def.address, im: {}, selfProviderId: def.address, created_at: def.created_at });
		account.connection_params = { mail: { ...def.mail } };
		account.sources = [{ id: `${def.id}_MAILS`, status: 'OK' }];
		this.accounts.set(def.id, def);
		def.folders.forEach(([name, role], i) => {
			const providerId = def.type === 'GOOGLE_OAUTH' ? (role === 'unknown' ? `Label_${100 + i}` : name.replace('[Gmail]/', '').toUpperCase().replace(/ /g, '_')) : def.type === 'OUTLOOK' ? `AAMkADSbx${this.store.uid()}AAA=` : name;
			const folder: MailFolder = { object: 'Folder', id: this.store.uid(), name, account_id: def.id, role, provider_id: providerId };
			this.folders.set(folder.id, folder);
		});
		const base = Date.UTC(2026, 10, 1);
		const emailsPerAccount = 18;
		for (let i = 0; i < emailsPerAccount; i++) {
			const [name, address] = CONTACTS[(i + def.id.length) % CONTACTS.length];
			const date = new Date(base - 3_600_000 - i * 37 * 3_600_000 - ((i * 7919) % 3_600_000)).toISOString();
			const files: StoredFile[] = [];
			if (i % 3 === 1) files.push({ fileName: `invoice-${4500 + i}.pdf`, mimeType: 'application/pdf', bytes: makePdf(`Invoice ${4500 + i} for ${def.address}`) });
			if (i % 5 === 2) files.push({ fileName: 'diagram.png', mimeType: 'image/png', bytes: makePng(12 + i, 8, [200, 60, 40]) });
			if (i % 7 === 3) files.push({ fileName: 'notes — réunion.txt', mimeType: 'text/plain', bytes: Buffer.from(`Notes ${i}\n- budget: 12 000 €\n`, 'utf8') });
			const email = this.receive({
				accountId: def.id,
				from: { display_name: name || undefined, identifier: address },
				subject: SUBJECTS[i % SUBJECTS.length],
				body: `<p>${escapeHtml(LINES[i % LINES.length] + (name || 'The team')).replace(/\n/g, '<br>')}</p>`,
				date,
				role: i % 9 === 8 ? 'spam' : i % 6 === 5 ? (def.type === 'GOOGLE_OAUTH' ? 'all' : 'archive') : 'inbox',
				attachments: files,
				unread: i < 4,
			});
			if (i % 4 === 2) {
				// Our answer, an hour later: same thread, in the sent folder.
				const reply = this.newEmail(def, {
					role: 'sent',
					date: new Date(Date.parse(date) + 3_600_000).toISOString(),
					from: { display_name: def.displayName, identifier: def.address, identifier_type: 'EMAIL_ADDRESS' },
					to: [email.from_attendee],
					subject: `Re: ${email.subject}`,
					body: '<p>Thanks, I will get back to you shortly.</p>',
					origin: 'unipile',
					parent: email,
				});
				reply.read_date = reply.date;
				reply.tracking_id = this.store.uid();
				this.put(reply);
			}
		}
		const draft = this.newEmail(def, {
			role: 'drafts',
			date: new Date(base - 1_800_000).toISOString(),
			from: { display_name: def.displayName, identifier: def.address, identifier_type: 'EMAIL_ADDRESS' },
			to: [{ display_name: 'Grace Hopper', identifier: 'grace.hopper@example.org', identifier_type: 'EMAIL_ADDRESS' }],
			subject: 'Draft: proposal',
			body: '<p>Draft of the proposal.</p>',
			origin: 'unipile',
		});
		draft.read_date = draft.date;
		this.put(draft);
	}

	// ------------------------------------------------------------------ building

	private providerId(def: MailAccountDef, messageId: string): string {
		const n = ++this.counter;
		switch (def.type) {
			case 'GOOGLE_OAUTH':
				return (0x18c0000000000000n + BigInt(n) * 0x1f3a7n).toString(16);
			case 'OUTLOOK':
				return `AAMkADSbxMsg${this.store.uid()}AAA=`;
			default:
				return JSON.stringify({ message_id: messageId, uid: 1000 + n });
		}
	}

	folderOfRole(accountId: string, role: FolderRole): MailFolder {
		const f = [...this.folders.values()].find((x) => x.account_id === accountId && x.role === role);
		if (!f) throw new Error(`no ${role} folder in ${accountId}`);
		return f;
	}

	foldersOf(accountId: string): MailFolder[] {
		return [...this.folders.values()].filter((f) => f.account_id === accountId);
	}

	newEmail(
		def: MailAccountDef,
		o: {
			role: FolderRole;
			date: string;
			from: MailAttendee;
			to: MailAttendee[];
			cc?: MailAttendee[];
			bcc?: MailAttendee[];
			subject: string;
			body: string;
			origin: 'unipile' | 'external';
			parent?: Email;
			files?: StoredFile[];
			extraHeaders?: Array<{ name: string; value: string }>;
		},
	): Email {
		const id = this.store.uid();
		const messageId = `<${id.replace(/[-_]/g, 'x')}@${o.from.identifier.split('@')[1] ?? 'mail.example.com'}>`;
		const folder = this.folderOfRole(def.id, o.role);
		const folders = [folder];
		if (def.type === 'GOOGLE_OAUTH' && !['trash', 'spam', 'all'].includes(o.role)) folders.push(this.folderOfRole(def.id, 'all'));
		const email: Email = {
			object: 'Email',
			id,
			account_id: def.id,
			type: def.type,
			date: o.date,
			role: o.role,
			folders: folders.map((f) => f.name),
			folderIds: folders.map((f) => f.id),
			read_date: null,
			message_id: messageId,
			provider_id: this.providerId(def, messageId),
			from_attendee: o.from,
			to_attendees: o.to,
			subject: o.subject,
			body: o.body,
			body_plain: htmlToText(o.body),
			has_attachments: false,
			attachments: [],
			origin: o.origin,
			thread_id: o.parent?.thread_id ?? this.store.uid(),
		};
		if (o.cc?.length) email.cc_attendees = o.cc;
		if (o.bcc?.length) email.bcc_attendees = o.bcc;
		if (o.parent) email.in_reply_to = { message_id: o.parent.message_id, id: o.parent.id };
		for (const file of o.files ?? []) this.attach(email, file);
		const headers = [
			{ name: 'Message-ID', value: messageId },
			{ name: 'Date', value: rfc2822(o.date) },
			{ name: 'From', value: formatAddress(o.from) },
			{ name: 'To', value: o.to.map(formatAddress).join(', ') },
			{ name: 'Subject', value: o.subject },
			{ name: 'MIME-Version', value: '1.0' },
		];
		if (o.cc?.length) headers.push({ name: 'Cc', value: o.cc.map(formatAddress).join(', ') });
		if (o.parent) headers.push({ name: 'In-Reply-To', value: o.parent.message_id }, { name: 'References', value: o.parent.message_id });
		headers.push(...(o.extraHeaders ?? []));
		this.headers.set(id, headers);
		return email;
	}

	attach(email: Email, file: StoredFile): MailAttachment {
		const att: MailAttachment = { id: this.store.uid(), name: file.fileName, size: fileSize(file), extension: fileExtension(file.fileName), mime: file.mimeType };
		email.attachments.push(att);
		email.has_attachments = true;
		this.files.set(`${email.id}/${att.id}`, file);
		return att;
	}

	put(email: Email): void {
		this.emails.set(email.id, email);
		this.sortedCache = undefined;
	}

	remove(email: Email): void {
		this.emails.delete(email.id);
		for (const a of email.attachments) this.files.delete(`${email.id}/${a.id}`);
		this.headers.delete(email.id);
		this.sortedCache = undefined;
	}

	forgetAccount(accountId: string): void {
		for (const e of [...this.emails.values()]) if (e.account_id === accountId) this.remove(e);
		for (const f of [...this.folders.values()]) if (f.account_id === accountId) this.folders.delete(f.id);
		this.accounts.delete(accountId);
	}

	/** Newest first: date desc, then id desc (the order GET /emails answers). */
	sorted(): Email[] {
		if (!this.sortedCache) this.sortedCache = [...this.emails.values()].sort((a, b) => (a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
		return this.sortedCache;
	}

	ofAccount(accountId: string): Email[] {
		return this.sorted().filter((e) => e.account_id === accountId);
	}

	/** An email arriving from outside (tests, the trigger, the control surface). */
	receive(input: ReceiveEmailInput): Email {
		const def = this.accounts.get(input.accountId);
		if (!def) throw new Error(`receive: ${input.accountId} is not a mail account`);
		const asAttendee = (a: string | { display_name?: string; identifier: string }): MailAttendee => {
			const named = typeof a === 'string' ? /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(a) : null;
			const o = typeof a === 'string' ? (named ? { display_name: named[1].replace(/^"|"$/g, ''), identifier: named[2] } : { identifier: a.trim() }) : a;
			return { ...(o.display_name ? { display_name: o.display_name } : {}), identifier: o.identifier, identifier_type: 'EMAIL_ADDRESS' };
		};
		let date = input.date;
		if (date !== undefined) {
			const d = new Date(date);
			if (Number.isNaN(d.getTime())) throw new Error(`receive: invalid date ${date}`);
			date = d.toISOString();
		}
		const parent = input.inReplyTo !== undefined ? this.emails.get(input.inReplyTo) : undefined;
		if (input.inReplyTo !== undefined && !parent) throw new Error(`receive: email ${input.inReplyTo} not found`);
		const email = this.newEmail(def, {
			role: input.role ?? 'inbox',
			date: date ?? this.store.now(),
			from: asAttendee(input.from),
			to: (input.to ?? [{ display_name: def.displayName, identifier: def.address }]).map(asAttendee),
			subject: input.subject ?? 'Hello from the sandbox',
			body: input.body ?? '<p>Hello from the sandbox</p>',
			origin: 'external',
			parent,
			files: (input.attachments ?? []).map((a) => ({ fileName: a.fileName, mimeType: a.mimeType, bytes: Buffer.from(a.bytes) })),
		});
		email.read_date = input.unread === false ? email.date : null;
		this.put(email);
		return email;
	}

	/** The JSON GET /emails answers for an email. */
	json(email: Email, opts: { includeHeaders?: boolean; metaOnly?: boolean } = {}): Record<string, unknown> {
		const out: Record<string, unknown> = { ...email, kind: opts.metaOnly ? '1_meta' : '2_full' };
		if (opts.metaOnly) {
			out.body = '';
			out.body_plain = '';
		}
		if (opts.includeHeaders) out.headers = (this.headers.get(email.id) ?? []).map((h) => ({ ...h }));
		return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
	}

	folderJson(folder: MailFolder): Record<string, unknown> {
		const nb = [...this.emails.values()].filter((e) => e.folderIds.includes(folder.id)).length;
		return { object: 'Folder', id: folder.id, name: folder.name, account_id: folder.account_id, role: folder.role, nb_mails: nb, provider_id: folder.provider_id };
	}
}

// ---------------------------------------------------------------------------------------------- routes

const ok = (json: unknown, status = 200): RouteResult => ({ status, json });

function mailOf(ctx: RouteContext): MailStore {
	return ctx.store.mail;
}

function mailAccount(ctx: RouteContext, id: string, field = 'account_id'): MailAccountDef {
	const acc: Account | undefined = ctx.store.accountById.get(id);
	if (!acc) throw notFound(`${field}: account ${JSON.stringify(id)} not found`);
	const def = mailOf(ctx).accounts.get(id);
	if (!def) throw invalid(`${field}: account ${id} is a ${acc.type} account, not a mail account`);
	return def;
}

/** An email by Unipile id, or by provider id when `account_id` says where to look. */
function emailFor(ctx: RouteContext, rawId: string, accountId: string | undefined): Email {
	const mail = mailOf(ctx);
	if (accountId !== undefined) mailAccount(ctx, accountId);
	const byId = mail.emails.get(rawId);
	if (byId) {
		if (accountId !== undefined && byId.account_id !== accountId) throw notFound(`email ${JSON.stringify(rawId)} not found in account ${accountId}`);
		return byId;
	}
	const byProvider = [...mail.emails.values()].filter((e) => e.provider_id === rawId);
	if (byProvider.length > 0) {
		if (accountId === undefined) throw missing('account_id: required when the email is identified by its provider id');
		const found = byProvider.find((e) => e.account_id === accountId);
		if (found) return found;
	}
	throw notFound(`email ${JSON.stringify(rawId)} not found`);
}

function folderFor(ctx: RouteContext, rawId: string, accountId: string | undefined): MailFolder {
	const mail = mailOf(ctx);
	if (accountId !== undefined) mailAccount(ctx, accountId);
	const byId = mail.folders.get(rawId);
	if (byId && (accountId === undefined || byId.account_id === accountId)) return byId;
	const byProvider = [...mail.folders.values()].filter((f) => f.provider_id === rawId);
	if (byProvider.length > 0) {
		if (accountId === undefined) throw missing('account_id: required when the folder is identified by its provider id');
		const found = byProvider.find((f) => f.account_id === accountId);
		if (found) return found;
	}
	throw notFound(`folder ${JSON.stringify(rawId)} not found`);
}

interface EmailFilters {
	account_id: string;
	role?: FolderRole;
	folder?: string;
	from?: string;
	to?: string;
	any_email?: string[];
	before?: string;
	after?: string;
	include_headers?: boolean;
	meta_only?: boolean;
}

function listEmails(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'role', 'folder', 'from', 'to', 'any_email', 'before', 'after', 'limit', 'cursor', 'include_headers', 'meta_only']);
	const mail = mailOf(ctx);
	const lower = (s: string | undefined) => s?.trim().toLowerCase();
	const page = paginate<Email, EmailFilters>(
		q,
		'emails',
		() => {
			const accountId = q.required('account_id');
			mailAccount(ctx, accountId);
			const folder = q.str('folder');
			if (folder !== undefined && !mail.foldersOf(accountId).some((f) => f.provider_id === folder))
				throw new ApiError(422, 'invalid_folder', `folder: no folder with provider id ${JSON.stringify(folder)} in account ${accountId} (GET /folders lists them)`);
			const anyEmail = q.str('any_email');
			return {
				account_id: accountId,
				role: q.enumOf('role', FOLDER_ROLES),
				folder,
				from: lower(q.str('from')),
				to: lower(q.str('to')),
				any_email: anyEmail?.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
				before: q.date('before'),
				after: q.date('after'),
				include_headers: q.bool('include_headers'),
				meta_only: q.bool('meta_only'),
			};
		},
		(f) => {
			const folderId = f.folder !== undefined ? mail.foldersOf(f.account_id).find((x) => x.provider_id === f.folder)?.id : undefined;
			return mail.ofAccount(f.account_id).filter((e) => {
				const others = [...e.to_attendees, ...(e.cc_attendees ?? []), ...(e.bcc_attendees ?? [])].map((a) => a.identifier.toLowerCase());
				const everyone = [e.from_attendee.identifier.toLowerCase(), ...others];
				return (
					(f.role === undefined || e.role === f.role) &&
					(folderId === undefined || e.folderIds.includes(folderId)) &&
					(f.from === undefined || e.from_attendee.identifier.toLowerCase() === f.from) &&
					(f.to === undefined || others.includes(f.to)) &&
					(f.any_email === undefined || f.any_email.some((a) => everyone.includes(a))) &&
					(f.before === undefined || e.date < f.before) &&
					(f.after === undefined || e.date > f.after)
				);
			});
		},
		(e): SortKey => [e.date, e.id],
	);
	// include_headers / meta_only travel in the cursor like the other filters.
	const rawCursor = q.one('cursor');
	const opts = rawCursor !== undefined ? (JSON.parse(Buffer.from(rawCursor.replace(/ /g, '+'), 'base64').toString('utf8')) as { f: EmailFilters }).f : { include_headers: q.bool('include_headers'), meta_only: q.bool('meta_only') };
	return ok({ object: 'EmailList', items: page.items.map((e) => mail.json(e, { includeHeaders: opts.include_headers, metaOnly: opts.meta_only })), cursor: page.cursor });
}

function getEmail(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'include_headers']);
	const email = emailFor(ctx, ctx.params.id, q.str('account_id'));
	return ok(mailOf(ctx).json(email, { includeHeaders: q.bool('include_headers') }));
}

function updateEmail(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id']);
	const email = emailFor(ctx, ctx.params.id, q.str('account_id'));
	const body = ctx.json();
	for (const k of Object.keys(body)) if (k !== 'unread' && k !== 'folders') throw invalid(`${k}: unknown field (allowed: unread, folders)`);
	if (body.unread === undefined && body.folders === undefined) throw missing('unread, folders: give at least one');
	if (body.unread !== undefined && typeof body.unread !== 'boolean') throw invalid('unread: must be a boolean');
	const mail = mailOf(ctx);
	let target: MailFolder[] | undefined;
	if (body.folders !== undefined) {
		const names = body.folders;
		if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string' || n === '')) throw invalid('folders: must be a non-empty array of folder names');
		const def = mail.accounts.get(email.account_id)!;
		if (def.type !== 'GOOGLE_OAUTH' && names.length > 1) throw invalid(`folders: ${def.type} accounts accept one folder, got ${names.length}`);
		const available = mail.foldersOf(email.account_id);
		target = (names as string[]).map((n) => {
			const f = available.find((x) => x.name === n);
			if (!f) throw new ApiError(422, 'invalid_folder', `folders: no folder named ${JSON.stringify(n)} in account ${email.account_id} (folders: ${available.map((x) => x.name).join(', ')})`);
			return f;
		});
	}
	if (body.unread !== undefined) email.read_date = body.unread ? null : ctx.store.now();
	if (target) {
		email.folders = target.map((f) => f.name);
		email.folderIds = target.map((f) => f.id);
		email.role = target[0].role;
	}
	return ok({ object: 'EmailUpdated' });
}

function deleteEmail(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id']);
	const email = emailFor(ctx, ctx.params.id, q.str('account_id'));
	mailOf(ctx).remove(email);
	return ok({ object: 'EmailDeleted' });
}

function contentDisposition(fileName: string): string {
	const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	if (ascii === fileName) return `attachment; filename="${fileName}"`;
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

function getEmailAttachment(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id']);
	const email = emailFor(ctx, ctx.params.id, q.str('account_id'));
	const att = email.attachments.find((a) => a.id === ctx.params.attachment_id);
	if (!att) throw notFound(`attachment ${JSON.stringify(ctx.params.attachment_id)} not found in email ${email.id}`);
	const file = mailOf(ctx).files.get(`${email.id}/${att.id}`)!;
	return fileAnswer(file, { 'Content-Type': file.mimeType, 'Content-Disposition': contentDisposition(file.fileName) });
}

function listFolders(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id']);
	const accountId = q.str('account_id');
	const mail = mailOf(ctx);
	if (accountId !== undefined) mailAccount(ctx, accountId);
	const folders = [...mail.folders.values()].filter((f) => accountId === undefined || f.account_id === accountId);
	return ok({ object: 'FolderList', items: folders.map((f) => mail.folderJson(f)) });
}

function getFolder(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id']);
	return ok(mailOf(ctx).folderJson(folderFor(ctx, ctx.params.id, q.str('account_id'))));
}

// ---------------------------------------------------------------------------------------------- sending

class MailForm {
	constructor(readonly parts: MultipartPart[], allowed: readonly string[], maxFileBytes?: number) {
		for (const p of parts) {
			if (!allowed.includes(p.name)) throw invalid(`${p.name}: unknown field (allowed: ${allowed.join(', ')})`);
			if (p.name === 'attachments') {
				if (p.kind !== 'file') throw invalid(`attachments: must be a file (got a text field${p.value === '[object Object]' ? ' "[object Object]"' : ''})`);
				if (p.size === 0) throw invalid(`attachments: empty file ${JSON.stringify(p.fileName)}`);
				if (p.size > (maxFileBytes ?? MAX_MAIL_FILE)) throw new ApiError(400, 'content_too_large', `attachments: ${JSON.stringify(p.fileName)} is larger than ${Math.round((maxFileBytes ?? MAX_MAIL_FILE) / 1024 / 1024)} MB`);
			} else {
				if (p.kind === 'file') throw invalid(`${p.name}: must be a text field, not a file`);
				if (p.value === '[object Object]' || p.value === 'undefined') throw invalid(`${p.name}: invalid value ${JSON.stringify(p.value)}`);
			}
		}
	}

	one(name: string): string | undefined {
		const all = this.parts.filter((p) => p.name === name);
		if (all.length > 1) throw invalid(`${name}: expected a single value, got ${all.length}`);
		const p = all[0];
		return p && p.kind === 'field' ? p.value : undefined;
	}

	json(name: string, what: string): unknown {
		const raw = this.one(name);
		if (raw === undefined) return undefined;
		try {
			return JSON.parse(raw) as unknown;
		} catch {
			throw invalid(`${name}: must be JSON (${what}), got ${JSON.stringify(raw.slice(0, 80))}`);
		}
	}

	files(): MultipartFile[] {
		return this.parts.filter((p): p is MultipartFile => p.kind === 'file');
	}
}

function recipients(form: MailForm, name: string): MailAttendee[] | undefined {
	const v = form.json(name, 'an array of {display_name?, identifier}');
	if (v === undefined) return undefined;
	if (!Array.isArray(v)) throw invalid(`${name}: must be a JSON array of {display_name?, identifier}`);
	return v.map((r, i) => {
		if (typeof r !== 'object' || r === null || Array.isArray(r)) throw invalid(`${name}[${i}]: must be an object {display_name?, identifier}`);
		const o = r as Record<string, unknown>;
		for (const k of Object.keys(o)) if (k !== 'display_name' && k !== 'identifier') throw invalid(`${name}[${i}].${k}: unknown field (allowed: display_name, identifier)`);
		if (typeof o.identifier !== 'string' || !EMAIL_RE.test(o.identifier)) throw invalid(`${name}[${i}].identifier: not an email address: ${JSON.stringify(o.identifier)}`);
		if (o.display_name !== undefined && typeof o.display_name !== 'string') throw invalid(`${name}[${i}].display_name: must be a string`);
		if (/@rejected\.example$/i.test(o.identifier)) throw new ApiError(422, 'recipient_rejected', `The provider rejected the recipient ${o.identifier}.`);
		return { ...(o.display_name ? { display_name: o.display_name } : {}), identifier: o.identifier, identifier_type: 'EMAIL_ADDRESS' as const };
	});
}

/** A stable digest of a multipart request (names, values, file names, types and bytes), boundary-independent. */
function fingerprint(path: string, parts: MultipartPart[]): string {
	const canonical = parts.map((p) => (p.kind === 'field' ? [p.name, p.value] : [p.name, p.fileName, p.contentType ?? '', p.sha256]));
	return sha256(Buffer.from(JSON.stringify([path, canonical]), 'utf8'));
}

function composeEmail(ctx: RouteContext, path: '/emails' | '/drafts'): RouteResult {
	ctx.query.only([]);
	const isDraft = path === '/drafts';
	const allowed = ['account_id', 'body', 'to', 'cc', 'bcc', 'from', 'subject', 'reply_to', 'attachments', 'custom_headers', 'tracking_options', ...(isDraft ? [] : ['draft_id'])];
	const parts = ctx.form();
	const key = isDraft ? undefined : ctx.headers['idempotency-key'];
	const mail = mailOf(ctx);
	if (key !== undefined) {
		if (key === '' || key.length > 255) throw invalid('Idempotency-Key: must be 1 to 255 characters');
		const seen = mail.idempotency.get(key);
		const nowMs = Date.parse(ctx.store.now());
		if (seen && nowMs - seen.atMs < IDEMPOTENCY_TTL_MS) {
			if (seen.fingerprint !== fingerprint(path, parts)) throw new ApiError(409, 'idempotency_conflict', 'Idempotency-Key: this key was already used with a different request');
			return { status: seen.status, json: seen.json };
		}
	}
	const form = new MailForm(parts, allowed, ctx.store.maxFileBytes);
	const accountId = form.one('account_id');
	if (accountId === undefined || accountId === '') throw missing('account_id: this field is required');
	const def = mailAccount(ctx, accountId);
	const body = form.one('body');
	if (!isDraft && (body === undefined || body.trim() === '')) throw missing('body: this field is required');
	const draftId = form.one('draft_id');
	let draft: Email | undefined;
	if (draftId !== undefined) {
		draft = mail.emails.get(draftId);
		if (!draft || draft.account_id !== accountId || draft.role !== 'drafts') throw notFound(`draft_id: no draft ${JSON.stringify(draftId)} in account ${accountId}`);
	}
	const to = recipients(form, 'to');
	if (!isDraft && !draft && (!to || to.length === 0)) throw missing('to: at least one recipient is required');
	const cc = recipients(form, 'cc');
	const bcc = recipients(form, 'bcc');
	const fromRaw = form.json('from', 'an object {display_name?, identifier?}');
	let from: { display_name?: string; identifier?: string } | undefined;
	if (fromRaw !== undefined) {
		if (typeof fromRaw !== 'object' || fromRaw === null || Array.isArray(fromRaw)) throw invalid('from: must be a JSON object {display_name?, identifier?}');
		const o = fromRaw as Record<string, unknown>;
		for (const k of Object.keys(o)) if (k !== 'display_name' && k !== 'identifier') throw invalid(`from.${k}: unknown field (allowed: display_name, identifier)`);
		if (o.display_name !== undefined && typeof o.display_name !== 'string') throw invalid('from.display_name: must be a string');
		if (o.identifier !== undefined && (typeof o.identifier !== 'string' || !EMAIL_RE.test(o.identifier))) throw invalid(`from.identifier: not an email address: ${JSON.stringify(o.identifier)}`);
		if (typeof o.identifier === 'string' && o.identifier.toLowerCase() !== def.address) throw new ApiError(422, 'send_as_denied', `This account may not send as ${o.identifier}.`);
		from = o as typeof from;
	}
	const subject = form.one('subject');
	const replyTo = form.one('reply_to');
	let parent: Email | undefined;
	if (replyTo !== undefined) {
		parent = mail.ofAccount(accountId).find((e) => e.id === replyTo || e.provider_id === replyTo || e.message_id === replyTo);
		if (!parent) throw new ApiError(422, 'parent_mail_not_found', `reply_to: no email ${JSON.stringify(replyTo)} in account ${accountId}`);
	}
	const headersRaw = form.json('custom_headers', 'an array of {name, value}');
	let customHeaders: Array<{ name: string; value: string }> | undefined;
	if (headersRaw !== undefined) {
		if (!Array.isArray(headersRaw)) throw invalid('custom_headers: must be a JSON array of {name, value}');
		customHeaders = headersRaw.map((h, i) => {
			if (typeof h !== 'object' || h === null || typeof h.name !== 'string' || typeof h.value !== 'string' || Object.keys(h).some((k) => k !== 'name' && k !== 'value'))
				throw invalid(`custom_headers[${i}]: must be an object {name, value} of strings`);
			if (!/^x-[A-Za-z0-9-]+$/i.test(h.name) && !ALLOWED_HEADERS.includes(h.name.toLowerCase()))
				throw new ApiError(422, 'invalid_headers', `custom_headers[${i}].name: ${JSON.stringify(h.name)} is not allowed (X-… headers, List-Unsubscribe, List-Unsubscribe-Post, Reply-To, Content-Type)`);
			return { name: h.name as string, value: h.value as string };
		});
	}
	const trackingRaw = form.json('tracking_options', 'an object {opens?, links?, label?}');
	if (trackingRaw !== undefined) {
		if (typeof trackingRaw !== 'object' || trackingRaw === null || Array.isArray(trackingRaw)) throw invalid('tracking_options: must be a JSON object {opens?, links?, label?}');
		const t = trackingRaw as Record<string, unknown>;
		for (const k of Object.keys(t)) if (!['opens', 'links', 'label', 'custom_domain'].includes(k)) throw invalid(`tracking_options.${k}: unknown field (allowed: opens, links, label, custom_domain)`);
		for (const k of ['opens', 'links']) if (t[k] !== undefined && typeof t[k] !== 'boolean') throw invalid(`tracking_options.${k}: must be a boolean`);
		for (const k of ['label', 'custom_domain']) if (t[k] !== undefined && typeof t[k] !== 'string') throw invalid(`tracking_options.${k}: must be a string`);
	}
	const files: StoredFile[] = form.files().map((f) => {
		const declared = (f.contentType ?? '').split(';')[0].trim().toLowerCase();
		const mimeType = declared && declared !== 'application/octet-stream' ? declared : sniffMime(f.bytes) ?? mimeFromName(f.fileName);
		return { fileName: f.fileName || 'file', mimeType, bytes: f.bytes, ...(f.kept ? {} : { size: f.size, sha256: f.sha256 }) };
	});
	const fromAttendee: MailAttendee = { display_name: from?.display_name ?? def.displayName, identifier: def.address, identifier_type: 'EMAIL_ADDRESS' };
	const email = mail.newEmail(def, {
		role: isDraft ? 'drafts' : 'sent',
		date: ctx.store.now(),
		from: fromAttendee,
		to: to ?? draft?.to_attendees ?? [],
		cc: cc ?? draft?.cc_attendees,
		bcc: bcc ?? draft?.bcc_attendees,
		subject: subject ?? draft?.subject ?? '',
		body: body ?? draft?.body ?? '',
		origin: 'unipile',
		parent,
		files,
		extraHeaders: customHeaders,
	});
	email.read_date = email.date;
	if (!isDraft) email.tracking_id = ctx.store.uid();
	if (draft) {
		for (const a of draft.attachments) {
			const file = mail.files.get(`${draft.id}/${a.id}`);
			if (file) mail.attach(email, file);
		}
		mail.remove(draft);
	}
	mail.put(email);
	mail.sends.push({
		emailId: email.id,
		path,
		...(key !== undefined ? { idempotencyKey: key } : {}),
		...(trackingRaw !== undefined ? { trackingOptions: trackingRaw as Record<string, unknown> } : {}),
		...(customHeaders ? { customHeaders } : {}),
		...(draftId !== undefined ? { draftId } : {}),
		...(replyTo !== undefined ? { replyTo } : {}),
		...(from ? { from } : {}),
	});
	const result = isDraft ? { object: 'DraftCreated', draft_id: email.id } : { object: 'EmailSent', tracking_id: email.tracking_id };
	if (key !== undefined) mail.idempotency.set(key, { fingerprint: fingerprint(path, parts), status: 201, json: result, atMs: Date.parse(ctx.store.now()) });
	return ok(result, 201);
}

const r = (method: string, path: string, handler: (ctx: RouteContext) => RouteResult): Route => ({ method, pattern: path.split('/').filter(Boolean), handler });

export const EMAIL_ROUTES: Route[] = [
	r('GET', '/emails', listEmails),
	r('POST', '/emails', (ctx) => composeEmail(ctx, '/emails')),
	r('GET', '/emails/:id', getEmail),
	r('PUT', '/emails/:id', updateEmail),
	r('DELETE', '/emails/:id', deleteEmail),
	r('GET', '/emails/:id/attachments/:attachment_id', getEmailAttachment),
	r('POST', '/drafts', (ctx) => composeEmail(ctx, '/drafts')),
	r('GET', '/folders', listFolders),
	r('GET', '/folders/:id', getFolder),
];
