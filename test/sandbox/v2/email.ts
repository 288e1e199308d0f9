/**
 * The sandbox's Unipile API v2 email routes (Gmail, Outlook and IMAP accounts), an area of the v2 environment:
 *
 * - Mailboxes seeded for the seeded v2 `google`, `outlook` and `imap` accounts (and any such account added later):
 *   system folders with roles plus a "Clients" folder, ~40 emails over 30 days (several a day, some unread, some with
 *   files, Gmail emails under several labels, Outlook's in exactly one folder).
 * - `GET /v2/{acc}/emails` and `GET /v2/{acc}/folders/{folder_id}/emails`: newest first; `q`, `to`, `from`,
 *   `any_email`, `has_attachment`, `is_starred`, `is_unread`, `before`, `after` (exclusive), `exclude_folder`,
 *   `meta_only`; **Gmail reads `before`/`after` as dates** (the time is dropped: `after=2026-10-20T15:00:00.000Z`
 *   lists emails from 21 October on), as Unipile documents. Paging: Gmail by cursor, Outlook and IMAP by offset
 *   (the sandbox's choice: the SDK does not say per provider).
 * - `GET/DELETE /v2/{acc}/emails/{id}` (DELETE moves to the trash), `POST …/read`, `…/unread`, `…/modify
 *   {folders_ids}` (Outlook: exactly one folder), `GET …/attachments/{id}` (the file).
 * - `POST /v2/{acc}/emails/send` (strict JSON; `reply_to_message_id` = the email's id on Gmail/Outlook, its
 *   Message-ID on IMAP; `reply_to` is the Reply-To header), drafts (`POST` answers 201, list, get, `PATCH`, `DELETE`,
 *   `POST …/send`), folders (list, get).
 * - Test controls: `POST /_sandbox/v2/emails {accountId, folder?, subject?, from?, date?, unread?, files?}` delivers an
 *   email (what a poller sees next), `GET /_sandbox/v2/mailboxes/{accountId}` the mailbox as stored.
 */
import { createHash } from 'node:crypto';
import type { StoredFile } from '../files';
import { makePdf, makePng } from '../files';
import { mulberry32 } from '../data';
import { bad, isIsoUtc, notFound, V2Error } from './http';
import { bool, decodeAttachments, fieldsOnly, obj, str, type Ctx, type Result, type V2Area, type V2Environment } from './env';
import { PAGING, V2_BASE_MS, type V2AccountRec, type V2Provider } from './store';

export const EMAIL_PROVIDERS: readonly V2Provider[] = ['google', 'outlook', 'imap'];
// How each mailbox provider pages its lists in the sandbox (Gmail's page tokens; Outlook's and IMAP's positions).
Object.assign(PAGING, { google: 'cursor', outlook: 'offset', imap: 'offset' });

export interface V2Address {
	email: string;
	display_name?: string;
}

export interface V2EmailAttachment {
	object: 'Attachment';
	id: string;
	filename: string;
	mimetype: string;
	file_size: number;
	is_inline: boolean;
}

export interface V2Email {
	object: 'Email';
	id: string;
	message_id: string;
	thread_id: string;
	subject: string;
	body: string;
	snippet: string;
	headers: Array<{ name: string; value: string }>;
	from: V2Address[];
	to: V2Address[];
	cc: V2Address[];
	bcc: V2Address[];
	reply_to: V2Address[];
	date: string;
	attachments: V2EmailAttachment[];
	folders: string[];
	is_unread: boolean;
	is_starred: boolean;
}

export interface V2EmailFolder {
	object: 'EmailFolder';
	id: string;
	name: string;
	role?: 'TRASH' | 'INBOX' | 'SENT' | 'DRAFTS' | 'JUNK' | 'ARCHIVE' | 'IMPORTANT' | 'SPAM' | 'ALL';
	total_count: number;
	unread_count: number;
	is_system: boolean;
}

export interface V2EmailDraft extends Omit<V2Email, 'object' | 'is_unread' | 'is_starred' | 'folders'> {
	object: 'EmailDraft';
}

interface Mailbox {
	provider: V2Provider;
	owner: V2Address;
	folders: Array<Omit<V2EmailFolder, 'total_count' | 'unread_count'>>;
	/** newest first */
	emails: V2Email[];
	drafts: V2EmailDraft[];
}

const PEOPLE = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Pauling', 'Marie Curie', 'Niels Bohr', 'Emmy Noether'];
const SUBJECTS = ['Invoice', 'Meeting notes', 'Quarterly report', 'Contract draft', 'Lunch on Friday?', 'Project kickoff', 'Shipping update', 'Welcome aboard'];
const DAY_MS = 86_400_000;
const SEND_FIELDS = ['to', 'cc', 'bcc', 'from', 'subject', 'html', 'plain_text', 'reply_to', 'reply_to_message_id', 'attachments', 'custom_headers', 'tracking_options'];
const DRAFT_FIELDS = SEND_FIELDS.filter((field) => field !== 'reply_to_message_id');

const FOLDER_SETS: Record<string, Array<[string, string, V2EmailFolder['role'] | undefined]>> = {
	// [id, name, role]
	google: [['INBOX', 'INBOX', 'INBOX'], ['SENT', 'SENT', 'SENT'], ['DRAFT', 'DRAFT', 'DRAFTS'], ['TRASH', 'TRASH', 'TRASH'], ['SPAM', 'SPAM', 'SPAM'], ['IMPORTANT', 'IMPORTANT', 'IMPORTANT'], ['Label_8412', 'Clients', undefined]],
	outlook: [['AQMkADAwATM0MDAAInbox', 'Inbox', 'INBOX'], ['AQMkADAwATM0MDAASent', 'Sent Items', 'SENT'], ['AQMkADAwATM0MDAADrafts', 'Drafts', 'DRAFTS'], ['AQMkADAwATM0MDAADeleted', 'Deleted Items', 'TRASH'], ['AQMkADAwATM0MDAAJunk', 'Junk Email', 'JUNK'], ['AQMkADAwATM0MDAAArchive', 'Archive', 'ARCHIVE'], ['AQMkADAwATM0MDAAClients', 'Clients', undefined]],
	imap: [['INBOX', 'INBOX', 'INBOX'], ['Sent', 'Sent', 'SENT'], ['Drafts', 'Drafts', 'DRAFTS'], ['Trash', 'Trash', 'TRASH'], ['Junk', 'Junk', 'JUNK'], ['Archive', 'Archive', 'ARCHIVE'], ['Clients', 'Clients', undefined]],
};

function addressList(value: unknown, name: string, required: boolean): V2Address[] {
	if (value === undefined) {
		if (required) throw bad(`${name}: required, a non-empty array of {email, display_name?}`);
		return [];
	}
	if (!Array.isArray(value) || (required && value.length === 0)) throw bad(`${name}: must be a${required ? ' non-empty' : 'n'} array of {email, display_name?}`);
	return value.map((entry, i) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad(`${name}[${i}]: must be an object {email, display_name?}`);
		const o = entry as Record<string, unknown>;
		fieldsOnly(o, ['email', 'display_name'], `${name}[${i}]`);
		const email = str(o, 'email', true)!;
		if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email)) throw bad(`${name}[${i}].email: not an email address: ${JSON.stringify(email)}`);
		const displayName = str(o, 'display_name', false);
		return displayName ? { email, display_name: displayName } : { email };
	});
}

export class V2EmailArea implements V2Area {
	private boxes = new Map<string, Mailbox>();
	private rng = mulberry32(41);
	private counter = 0;

	constructor(private readonly env: V2Environment) {}

	reset(): void {
		// Seeded on first use: the environment's store (where the files live) is reset after its areas.
		this.boxes.clear();
		this.rng = mulberry32(41);
		this.counter = 0;
	}

	// ------------------------------------------------------------------------------------------------ data

	private rand(n: number): number {
		return (this.rng() * n) | 0;
	}

	private hex(n: number): string {
		let s = '';
		for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.rand(16)];
		return s;
	}

	private newId(provider: V2Provider): string {
		this.counter++;
		if (provider === 'google') return this.hex(16);
		if (provider === 'outlook') return `AAMkAGI2TG93AAA${Buffer.from(this.hex(24)).toString('base64').replace(/[=+/]/g, '')}`;
		return String(1000 + this.counter);
	}

	private person(i: number): V2Address {
		const name = PEOPLE[i % PEOPLE.length];
		return { email: `${name.split(' ')[0].toLowerCase()}@example.com`, display_name: name };
	}

	/** The mailbox of a Gmail, Outlook or IMAP account (seeded when first asked for). */
	mailbox(acc: V2AccountRec): Mailbox {
		let box = this.boxes.get(acc.account.id);
		if (box) return box;
		const provider = acc.account.provider;
		box = {
			provider,
			owner: { email: acc.account.name ?? acc.owner.id, display_name: acc.owner.display_name },
			folders: FOLDER_SETS[provider].map(([id, name, role]) => ({ object: 'EmailFolder' as const, id, name, ...(role ? { role } : {}), is_system: role !== undefined })),
			emails: [],
			drafts: [],
		};
		this.boxes.set(acc.account.id, box);
		const folderOf = (role: string) => box!.folders.find((f) => f.role === role)!.id;
		const clients = box.folders.find((f) => f.name === 'Clients')!.id;
		// 40 emails over the 30 days before the base date, several on the same day (Gmail's date-only filters matter).
		for (let i = 0; i < 40; i++) {
			const day = Math.floor(i * 0.75);
			const date = new Date(V2_BASE_MS - (30 - day) * DAY_MS + (8 + (i % 4) * 3) * 3_600_000 + this.rand(3_600_000)).toISOString();
			const sent = i % 7 === 3;
			const other = this.person(i);
			const folders = sent ? [folderOf('SENT')] : i % 5 === 1 ? [clients] : [folderOf('INBOX')];
			if (provider === 'google' && !sent && i % 3 === 0) folders.push('IMPORTANT');
			if (provider === 'google' && folders[0] === clients) folders.unshift('INBOX');
			const files: Array<{ filename: string; mimetype: string; bytes: Buffer }> = [];
			if (i % 6 === 2) files.push({ filename: `invoice-${i}.pdf`, mimetype: 'application/pdf', bytes: makePdf(`Invoice ${i}`) });
			if (i % 9 === 4) files.push({ filename: `photo-${i}.png`, mimetype: 'image/png', bytes: makePng(6 + i, 4, [i * 5, 90, 140]) });
			this.store(acc, box, {
				from: sent ? box.owner : other,
				to: sent ? [other] : [box.owner],
				subject: `${SUBJECTS[i % SUBJECTS.length]} #${i}`,
				body: `<p>Hello,</p><p>${SUBJECTS[i % SUBJECTS.length]} number ${i}.</p>`,
				date,
				folders,
				unread: !sent && i % 4 === 0,
				files,
			});
		}
		return box;
	}

	private store(
		acc: V2AccountRec,
		box: Mailbox,
		input: { from: V2Address; to: V2Address[]; cc?: V2Address[]; bcc?: V2Address[]; replyTo?: V2Address[]; subject: string; body: string; date: string; folders: string[]; unread: boolean; files: Array<{ filename: string; mimetype: string; bytes?: Buffer; size?: number; sha256?: string }>; threadId?: string; headers?: Array<{ name: string; value: string }> },
	): V2Email {
		const id = this.newId(box.provider);
		const messageId = `<${this.hex(20)}@${input.from.email.split('@')[1]}>`;
		const attachments = input.files.map((file, n) => {
			const attachmentId = `att_${this.hex(10)}_${n}`;
			const size = file.bytes?.length ?? file.size ?? 0;
			this.env.store.files.set(this.fileKey(acc.account.id, id, attachmentId), { fileName: file.filename, mimeType: file.mimetype, bytes: file.bytes ?? Buffer.alloc(0), size, sha256: file.sha256 ?? (file.bytes ? createHash('sha256').update(file.bytes).digest('hex') : undefined) } as StoredFile);
			return { object: 'Attachment' as const, id: attachmentId, filename: file.filename, mimetype: file.mimetype, file_size: size, is_inline: false };
		});
		const text = input.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
		const email: V2Email = {
			object: 'Email',
			id,
			message_id: messageId,
			thread_id: input.threadId ?? `thr_${this.hex(12)}`,
			subject: input.subject,
			body: input.body,
			snippet: text.slice(0, 100),
			headers: [
				{ name: 'Message-ID', value: messageId },
				{ name: 'Subject', value: input.subject },
				{ name: 'Date', value: new Date(input.date).toUTCString() },
				...(input.headers ?? []),
			],
			from: [input.from],
			to: input.to,
			cc: input.cc ?? [],
			bcc: input.bcc ?? [],
			reply_to: input.replyTo ?? [],
			date: input.date,
			attachments,
			folders: input.folders,
			is_unread: input.unread,
			is_starred: false,
		};
		box.emails.push(email);
		box.emails.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? 1 : -1));
		return email;
	}

	private fileKey(accountId: string, emailId: string, attachmentId: string): string {
		return `email ${accountId} ${emailId} ${attachmentId}`;
	}

	private email(box: Mailbox, id: string): V2Email {
		const email = box.emails.find((e) => e.id === id);
		if (!email) throw notFound(`Email ${id} not found.`);
		return email;
	}

	private folder(box: Mailbox, id: string): Mailbox['folders'][number] {
		const folder = box.folders.find((f) => f.id === id);
		if (!folder) throw notFound(`Folder ${id} not found.`);
		return folder;
	}

	private folderView(box: Mailbox, folder: Mailbox['folders'][number]): V2EmailFolder {
		const inIt = box.emails.filter((e) => e.folders.includes(folder.id));
		return { ...folder, total_count: inIt.length, unread_count: inIt.filter((e) => e.is_unread).length };
	}

	// ------------------------------------------------------------------------------------------------ routes

	route(ctx: Ctx): Result | undefined {
		const { method, segs } = ctx;
		const n = segs.length;
		if (n < 2 || segs[0] === 'accounts' || segs[0] === 'auth' || !['emails', 'folders', 'drafts'].includes(segs[1])) return undefined;
		const acc = this.env.methodsAccount(segs[0], EMAIL_PROVIDERS);
		const box = this.mailbox(acc);
		if (segs[1] === 'emails') {
			if (n === 2 && method === 'GET') return this.list(ctx, box, undefined);
			if (n === 3 && segs[2] === 'send' && method === 'POST') return this.send(ctx, acc, box);
			if (n === 3 && method === 'GET') {
				const q = ctx.query.only(['meta_only']);
				const metaOnly = q.bool('meta_only') === true;
				const email = this.email(box, segs[2]);
				return { status: 200, json: metaOnly ? { ...email, body: '' } : email };
			}
			if (n === 3 && method === 'DELETE') {
				ctx.query.only([]);
				const email = this.email(box, segs[2]);
				email.folders = [box.folders.find((f) => f.role === 'TRASH')!.id];
				return { status: 200, json: { object: 'EmailTrashed' } };
			}
			if (n === 4 && method === 'POST' && (segs[3] === 'read' || segs[3] === 'unread')) {
				ctx.query.only([]);
				if (ctx.entry.json !== undefined) throw bad('this route takes no body');
				this.email(box, segs[2]).is_unread = segs[3] === 'unread';
				return { status: 200, json: { object: segs[3] === 'read' ? 'EmailRead' : 'EmailUnread' } };
			}
			if (n === 4 && method === 'POST' && segs[3] === 'modify') return this.modify(ctx, box, this.email(box, segs[2]));
			if (n === 5 && method === 'GET' && segs[3] === 'attachments') {
				ctx.query.only([]);
				const email = this.email(box, segs[2]);
				if (!email.attachments.some((a) => a.id === segs[4])) throw notFound(`Attachment ${segs[4]} not found in email ${email.id}.`);
				return { status: 200, file: { key: this.fileKey(acc.account.id, email.id, segs[4]) } };
			}
		}
		if (segs[1] === 'folders') {
			if (n === 2 && method === 'GET') {
				ctx.query.only(['offset', 'cursor', 'limit']);
				const page = this.env.page(ctx, box.provider, `folders ${acc.account.id}`, {}, () => box.folders.map((f, i) => ({ f, k: String(999 - i).padStart(4, '0') })), (x) => x.k);
				return { status: 200, json: { ...page, data: page.data.map((x) => this.folderView(box, x.f)) } };
			}
			if (n === 3 && method === 'GET') return (ctx.query.only([]), { status: 200, json: this.folderView(box, this.folder(box, segs[2])) });
			if (n === 4 && method === 'GET' && segs[3] === 'emails') return this.list(ctx, box, this.folder(box, segs[2]).id);
		}
		if (segs[1] === 'drafts') {
			if (n === 2 && method === 'GET') return this.listDrafts(ctx, acc, box);
			if (n === 2 && method === 'POST') return this.createDraft(ctx, acc, box);
			if (n >= 3) {
				const draft = box.drafts.find((d) => d.id === segs[2]);
				if (!draft) throw notFound(`Draft ${segs[2]} not found.`);
				if (n === 3 && method === 'GET') return (ctx.query.only([]), { status: 200, json: draft });
				if (n === 3 && method === 'PATCH') return this.updateDraft(ctx, acc, box, draft);
				if (n === 3 && method === 'DELETE') {
					ctx.query.only([]);
					box.drafts = box.drafts.filter((d) => d !== draft);
					return { status: 200, json: { object: 'EmailDraftDeleted' } };
				}
				if (n === 4 && segs[3] === 'send' && method === 'POST') {
					ctx.query.only([]);
					if (ctx.entry.json !== undefined) throw bad('this route takes no body');
					if (draft.to.length === 0) throw bad('to: the draft has no recipient');
					box.drafts = box.drafts.filter((d) => d !== draft);
					const files = draft.attachments.map((a) => {
						const f = this.env.store.files.get(this.fileKey(acc.account.id, draft.id, a.id))!;
						return { filename: a.filename, mimetype: a.mimetype, bytes: f.bytes, size: f.size, sha256: f.sha256 };
					});
					const email = this.store(acc, box, { from: draft.from[0] ?? box.owner, to: draft.to, cc: draft.cc, bcc: draft.bcc, replyTo: draft.reply_to, subject: draft.subject, body: draft.body, date: this.env.store.now(), folders: [box.folders.find((f) => f.role === 'SENT')!.id], unread: false, files });
					return { status: 200, json: { object: 'EmailSent', id: email.id, message_id: email.message_id } };
				}
			}
		}
		throw notFound(`Cannot ${method} /v2/${segs.join('/')}`);
	}

	/** The exclusive date bounds as the provider applies them: Gmail by date only. */
	private bound(provider: V2Provider, value: string | undefined, which: 'after' | 'before'): ((date: string) => boolean) | undefined {
		if (value === undefined) return undefined;
		if (provider !== 'google') return which === 'after' ? (d) => d > value : (d) => d < value;
		const day = value.slice(0, 10);
		return which === 'after' ? (d) => d.slice(0, 10) > day : (d) => d.slice(0, 10) < day;
	}

	private list(ctx: Ctx, box: Mailbox, folderId: string | undefined): Result {
		const q = ctx.query.only(['offset', 'cursor', 'limit', 'q', 'meta_only', 'to', 'from', 'any_email', 'has_attachment', 'is_starred', 'is_unread', 'before', 'after', 'exclude_folder']);
		const filters: Record<string, string> = {};
		for (const name of ['q', 'to', 'from', 'any_email']) {
			const v = q.one(name);
			if (v !== undefined) filters[name] = v;
		}
		for (const name of ['has_attachment', 'is_starred', 'is_unread']) {
			const v = q.bool(name);
			if (v !== undefined) filters[name] = String(v);
		}
		for (const name of ['before', 'after']) {
			const v = q.date(name);
			if (v !== undefined) filters[name] = v;
		}
		const excluded = q.all('exclude_folder');
		if (excluded.length) filters.exclude_folder = excluded.join(',');
		const metaOnly = q.bool('meta_only') === true;
		const has = (list: V2Address[], address: string) => list.some((a) => a.email.toLowerCase() === address.toLowerCase());
		const page = this.env.page(
			ctx,
			box.provider,
			`emails ${box.owner.email} ${folderId ?? '*'}`,
			filters,
			(f) => {
				const after = this.bound(box.provider, f.after, 'after');
				const before = this.bound(box.provider, f.before, 'before');
				const exclude = f.exclude_folder ? f.exclude_folder.split(',') : [];
				return box.emails
					.filter((e) => folderId === undefined || e.folders.includes(folderId))
					.filter((e) => !after || after(e.date))
					.filter((e) => !before || before(e.date))
					.filter((e) => !f.q || `${e.subject} ${e.body}`.toLowerCase().includes(f.q.toLowerCase()))
					.filter((e) => !f.from || has(e.from, f.from))
					.filter((e) => !f.to || has(e.to, f.to))
					.filter((e) => !f.any_email || f.any_email.split(',').some((a) => has([...e.from, ...e.to, ...e.cc, ...e.bcc], a.trim())))
					.filter((e) => f.has_attachment === undefined || String(e.attachments.length > 0) === f.has_attachment)
					.filter((e) => f.is_starred === undefined || String(e.is_starred) === f.is_starred)
					.filter((e) => f.is_unread === undefined || String(e.is_unread) === f.is_unread)
					.filter((e) => exclude.every((id) => !e.folders.includes(id)));
			},
			(e) => `${e.date} ${e.id.padStart(40, '0')}`,
		);
		return { status: 200, json: metaOnly ? { ...page, data: page.data.map((e) => ({ ...e, body: '' })) } : page };
	}

	private modify(ctx: Ctx, box: Mailbox, email: V2Email): Result {
		ctx.query.only([]);
		const b = ctx.body();
		fieldsOnly(b, ['folders_ids', 'specifics']);
		obj(b, 'specifics');
		const ids = b.folders_ids;
		if (ids !== undefined) {
			if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id === '')) throw bad('folders_ids: must be an array of folder ids');
			for (const id of ids as string[]) this.folder(box, id);
			if (box.provider === 'outlook' && ids.length !== 1) throw new V2Error(400, 'provider/invalid_parameters', 'Outlook emails can be in a single folder only.');
			email.folders = [...(ids as string[])];
		}
		return { status: 200, json: email };
	}

	/** The fields of a send or a draft, checked strictly. */
	private compose(ctx: Ctx, box: Mailbox, b: Record<string, unknown>, forDraft: boolean) {
		fieldsOnly(b, forDraft ? DRAFT_FIELDS : SEND_FIELDS);
		const to = addressList(b.to, 'to', !forDraft);
		const cc = addressList(b.cc, 'cc', false);
		const bcc = addressList(b.bcc, 'bcc', false);
		const replyTo = addressList(b.reply_to, 'reply_to', false);
		const subject = str(b, 'subject', false, true);
		const html = str(b, 'html', false);
		const plain = str(b, 'plain_text', false);
		if (!forDraft && html === undefined && plain === undefined) throw bad('html or plain_text: required');
		let from: V2Address | undefined;
		const fromField = obj(b, 'from');
		if (fromField) {
			fieldsOnly(fromField, ['email', 'display_name'], 'from');
			const email = str(fromField, 'email', false);
			const displayName = str(fromField, 'display_name', false);
			if (email !== undefined && email.toLowerCase() !== box.owner.email.toLowerCase()) throw new V2Error(400, 'provider/invalid_parameters', `from.email: ${email} is not an address of this account`);
			from = { email: box.owner.email, ...(displayName ? { display_name: displayName } : {}) };
		}
		const headers: Array<{ name: string; value: string }> = [];
		if (b.custom_headers !== undefined) {
			if (!Array.isArray(b.custom_headers)) throw bad('custom_headers: must be an array of {name, value}');
			(b.custom_headers as unknown[]).forEach((h, i) => {
				if (typeof h !== 'object' || h === null) throw bad(`custom_headers[${i}]: must be an object`);
				fieldsOnly(h as Record<string, unknown>, ['name', 'value'], `custom_headers[${i}]`);
				headers.push({ name: str(h as Record<string, unknown>, 'name', true)!, value: str(h as Record<string, unknown>, 'value', true, true)! });
			});
		}
		const tracking = obj(b, 'tracking_options');
		if (tracking) {
			fieldsOnly(tracking, ['opens', 'clicks', 'label', 'custom_domain'], 'tracking_options');
			bool(tracking, 'opens');
			bool(tracking, 'clicks');
			str(tracking, 'label', false);
			str(tracking, 'custom_domain', false);
			if (html === undefined) throw bad('tracking_options: tracking needs an html body');
		}
		const files = decodeAttachments(b, ctx.entry, false);
		return { to, cc, bcc, replyTo, subject, body: html ?? plain ?? '', from: from ?? box.owner, headers, files };
	}

	private send(ctx: Ctx, acc: V2AccountRec, box: Mailbox): Result {
		ctx.query.only([]);
		const b = ctx.body();
		const c = this.compose(ctx, box, b, false);
		let threadId: string | undefined;
		const replyTo = str(b, 'reply_to_message_id', false);
		if (replyTo !== undefined) {
			// Gmail and Outlook take the email's id, IMAP its Message-ID.
			const answered = box.emails.find((e) => (box.provider === 'imap' ? e.message_id === replyTo : e.id === replyTo));
			if (!answered) throw notFound(`reply_to_message_id: no email ${replyTo} in this mailbox${box.provider === 'imap' ? ' (IMAP takes the RFC 822 Message-ID)' : ''}.`);
			threadId = answered.thread_id;
		}
		const email = this.store(acc, box, { from: c.from, to: c.to, cc: c.cc, bcc: c.bcc, replyTo: c.replyTo, subject: c.subject ?? '', body: c.body, date: this.env.store.now(), folders: [box.folders.find((f) => f.role === 'SENT')!.id], unread: false, files: c.files.map((f) => ({ filename: f.filename, mimetype: f.content_type, bytes: f.bytes, size: f.size, sha256: f.sha256 })), threadId, headers: c.headers });
		for (const a of email.attachments) {
			const f = this.env.store.files.get(this.fileKey(acc.account.id, email.id, a.id))!;
			this.env.store.uploads.push({ accountId: acc.account.id, chatId: '', messageId: email.id, attachmentId: a.id, filename: a.filename, content_type: a.mimetype, size: f.size ?? f.bytes.length, sha256: f.sha256 ?? '' });
		}
		return { status: 200, json: { object: 'EmailSent', id: email.id, message_id: email.message_id } };
	}

	private draftOf(acc: V2AccountRec, box: Mailbox, c: ReturnType<V2EmailArea['compose']>, id: string): V2EmailDraft {
		const attachments = c.files.map((f, n) => {
			const attachmentId = `att_${this.hex(10)}_${n}`;
			this.env.store.files.set(this.fileKey(acc.account.id, id, attachmentId), { fileName: f.filename, mimeType: f.content_type, bytes: f.bytes ?? Buffer.alloc(0), size: f.size, sha256: f.sha256 });
			return { object: 'Attachment' as const, id: attachmentId, filename: f.filename, mimetype: f.content_type, file_size: f.size, is_inline: false };
		});
		return {
			object: 'EmailDraft',
			id,
			message_id: `<${this.hex(20)}@${box.owner.email.split('@')[1]}>`,
			thread_id: `thr_${this.hex(12)}`,
			subject: c.subject ?? '',
			body: c.body,
			snippet: c.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100),
			headers: c.headers,
			from: [c.from],
			to: c.to,
			cc: c.cc,
			bcc: c.bcc,
			reply_to: c.replyTo,
			date: this.env.store.now(),
			attachments,
		};
	}

	private createDraft(ctx: Ctx, acc: V2AccountRec, box: Mailbox): Result {
		ctx.query.only([]);
		const draft = this.draftOf(acc, box, this.compose(ctx, box, ctx.body(), true), this.newId(box.provider));
		box.drafts.unshift(draft);
		return { status: 201, json: draft };
	}

	private updateDraft(ctx: Ctx, acc: V2AccountRec, box: Mailbox, draft: V2EmailDraft): Result {
		ctx.query.only([]);
		const b = ctx.body();
		if (Object.keys(b).length === 0) throw bad('nothing to update: give at least one field');
		const c = this.compose(ctx, box, b, true);
		const next = this.draftOf(acc, box, c, draft.id);
		const kept: V2EmailDraft = {
			...draft,
			...(b.to !== undefined ? { to: next.to } : {}),
			...(b.cc !== undefined ? { cc: next.cc } : {}),
			...(b.bcc !== undefined ? { bcc: next.bcc } : {}),
			...(b.reply_to !== undefined ? { reply_to: next.reply_to } : {}),
			...(b.subject !== undefined ? { subject: next.subject } : {}),
			...(b.html !== undefined || b.plain_text !== undefined ? { body: next.body, snippet: next.snippet } : {}),
			...(b.from !== undefined ? { from: next.from } : {}),
			...(b.custom_headers !== undefined ? { headers: next.headers } : {}),
			...(b.attachments !== undefined ? { attachments: next.attachments } : {}),
			date: next.date,
		};
		box.drafts = box.drafts.map((d) => (d === draft ? kept : d));
		return { status: 200, json: kept };
	}

	private listDrafts(ctx: Ctx, acc: V2AccountRec, box: Mailbox): Result {
		const q = ctx.query.only(['offset', 'cursor', 'limit', 'to', 'from', 'any_email']);
		const filters: Record<string, string> = {};
		for (const name of ['to', 'from', 'any_email']) {
			const v = q.one(name);
			if (v !== undefined) filters[name] = v;
		}
		const has = (list: V2Address[], address: string) => list.some((a) => a.email.toLowerCase() === address.toLowerCase());
		const page = this.env.page(
			ctx,
			box.provider,
			`drafts ${acc.account.id}`,
			filters,
			(f) =>
				box.drafts
					.filter((d) => !f.from || has(d.from, f.from))
					.filter((d) => !f.to || has(d.to, f.to))
					.filter((d) => !f.any_email || f.any_email.split(',').some((a) => has([...d.from, ...d.to, ...d.cc, ...d.bcc], a.trim()))),
			(d) => `${d.date} ${d.id.padStart(40, '0')}`,
		);
		return { status: 200, json: page };
	}

	// ------------------------------------------------------------------------------------------------ controls

	/** The delivery control's optional `files: [{filename, mimetype, text}]`, as attachments of the email. */
	private controlFiles(value: unknown): Array<{ filename: string; mimetype: string; bytes: Buffer }> {
		if (value === undefined) return [];
		if (!Array.isArray(value)) throw new Error('files: an array of {filename, mimetype, text}');
		return value.map((f: Record<string, unknown>) => ({ filename: String(f.filename), mimetype: String(f.mimetype ?? 'text/plain'), bytes: Buffer.from(String(f.text ?? '')) }));
	}

	control(method: string, path: string, body: () => Record<string, unknown>): [number, unknown] | undefined {
		const fail = (e: unknown) => [400, new V2Error(400, 'api/invalid_parameters', (e as Error).message).body()] as [number, unknown];
		if (path === '/_sandbox/v2/emails' && method === 'POST') {
			try {
				const b = body();
				const acc = this.env.methodsAccount(String(b.accountId), EMAIL_PROVIDERS);
				const box = this.mailbox(acc);
				const folder = b.folder === undefined ? box.folders.find((f) => f.role === 'INBOX')! : box.folders.find((f) => f.id === b.folder || f.role === String(b.folder).toUpperCase());
				if (!folder) throw new Error(`folder: no folder ${String(b.folder)}`);
				if (b.date !== undefined && !isIsoUtc(b.date)) throw new Error('date: an ISO 8601 UTC datetime');
				const from = typeof b.from === 'string' ? { email: b.from } : this.person(this.rand(PEOPLE.length));
				const email = this.store(acc, box, { from, to: [box.owner], subject: String(b.subject ?? 'Injected email'), body: String(b.body ?? '<p>Injected by the sandbox.</p>'), date: (b.date as string | undefined) ?? this.env.store.now(), folders: [folder.id], unread: b.unread !== false, files: this.controlFiles(b.files) });
				return [201, email];
			} catch (e) {
				return fail(e);
			}
		}
		const mailbox = /^\/_sandbox\/v2\/mailboxes\/([^/]+)$/.exec(path);
		if (mailbox && method === 'GET') {
			try {
				const box = this.mailbox(this.env.methodsAccount(decodeURIComponent(mailbox[1]), EMAIL_PROVIDERS));
				return [200, { provider: box.provider, owner: box.owner, folders: box.folders.map((f) => this.folderView(box, f)), emails: box.emails, drafts: box.drafts }];
			} catch (e) {
				return fail(e);
			}
		}
		return undefined;
	}
}
