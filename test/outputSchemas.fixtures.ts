/**
 * One run per operation of every action node, from which its output schema is derived (test/outputSchemas.generate.ts):
 * `node type name → resource → operation → parameters`. Each run starts from the sandbox's freshly seeded data, on
 * Unipile API v2 (the default) unless `api: 'v1'` (operations v2 lacks). `resource`, `operation` and
 * `authentication` are added; give only what a user fills in, and leave Simplify-style options at their defaults
 * so the schema describes what a user gets. Pick inputs that make the output as full as the sandbox allows (a reply
 * exists, a message has files), since a field never seen is not in the schema.
 *
 * Adding an operation: add its entry here, then `npm run schemas:generate` and commit the new `__schema__` file.
 */
import type { INodeExecutionData, INodeParameters, IDataObject } from 'n8n-workflow';
import type { Sandbox } from './sandbox/server';

type Any = any;

export interface FixtureContext {
	sandbox: Sandbox;
	/** A resource locator by ID, as the editor saves one. */
	byId(value: string): { __rl: true; mode: 'id'; value: string };
	/** The ID of the sandbox's running v2 account of that provider (`linkedin`, `whatsapp`, `telegram`, `google`, `outlook`, `imap`…). */
	v2Account(provider: string): string;
	/** GET `/v2<path>` of the sandbox with the v2 key, uncached. */
	v2Get(path: string): Promise<Any>;
	/** The sandbox's v2 control surface: `/_sandbox/v2/<path>` (GET, or POST with a body). */
	control(path: string, body?: object): Promise<Any>;
	/** Runs another operation first (to create what this one needs); resolves with its output JSON, throws on error. */
	run(node: string, parameters: INodeParameters, api?: 'v1' | 'v2'): Promise<IDataObject[]>;
}

export interface OutputSchemaFixture {
	/** `v1` for operations Unipile API v2 does not have (refused on v2); default v2. */
	api?: 'v1';
	parameters(ctx: FixtureContext): INodeParameters | Promise<INodeParameters>;
	/** Items fed into the node (default one empty item); binary files as `binaryFiles`, like `runNode`'s `items`. */
	items?(ctx: FixtureContext): Array<IDataObject | INodeExecutionData> | Promise<Array<IDataObject | INodeExecutionData>>;
	/** More runs whose items join this one's (each from freshly seeded data): outputs of another shape, e.g. a field that is null. */
	variants?: Array<Omit<OutputSchemaFixture, 'variants'>>;
}

type Fixtures = Record<string, Record<string, Record<string, OutputSchemaFixture>>>;

/** The first chats of a v2 account, newest first. */
async function chats(ctx: FixtureContext, accountId: string): Promise<Any[]> {
	return (await ctx.v2Get(`/${accountId}/chats?limit=50`)).data;
}

/** A v2 chat of the account with a message in it, and that message. */
async function chatWithMessage(ctx: FixtureContext, provider: string) {
	const accountId = ctx.v2Account(provider);
	const [chat, other] = await chats(ctx, accountId);
	const message = ctx.sandbox.v2.injectMessage({ accountId, chatId: chat.id, text: 'Hello there' });
	return { accountId, chat, other, message };
}

const v1Attendee = (ctx: FixtureContext) => {
	const senders = new Set(ctx.sandbox.store.messages.map((m) => m.sender_attendee_id));
	const attendee = ctx.sandbox.store.sortedAttendees().find((a) => !a.is_self && a.picture_url && senders.has(a.id));
	if (!attendee) throw new Error('the v1 seed has no contact with messages and a picture');
	return attendee;
};

const FILES = [
	{ filename: 'a.txt', content_type: 'text/plain', bytes: Buffer.from('first file') },
	{ filename: 'b.pdf', content_type: 'application/pdf', bytes: Buffer.from('%PDF second') },
];
const PNG = { data: Buffer.from('\x89PNG sandbox').toString('base64'), fileName: 'photo.png', mimeType: 'image/png' };

const mailbox = async (ctx: FixtureContext, accountId: string): Promise<Any> => await ctx.control(`mailboxes/${accountId}`);
const draft = async (ctx: FixtureContext, accountId: string) =>
	(await ctx.run('unipileEmail', { resource: 'draft', operation: 'create', accountId: ctx.byId(accountId), to: 'ada@example.com', subject: 'Draft', body: '<p>Draft</p>' }))[0].id as string;
const linkedinState = async (ctx: FixtureContext) => await ctx.control('linkedin/state', { accountId: ctx.v2Account('linkedin') });
const linkedin = (ctx: FixtureContext) => ({ accountId: ctx.byId(ctx.v2Account('linkedin')) });

const google = (ctx: FixtureContext) => ({ accountId: ctx.byId(ctx.v2Account('google')), calendarId: ctx.byId('primary') });
/** An event created in the Google account's primary calendar (with an attendee and a Meet link), for the operations on one. */
const calendarEvent = async (ctx: FixtureContext) => ({
	...google(ctx),
	eventId: (await ctx.run('unipileCalendar', { resource: 'event', operation: 'create', ...google(ctx), title: 'Call', start: '2026-12-20T10:00:00Z', end: '2026-12-20T10:30:00Z', attendees: 'ada@example.com', additionalFields: { conference: 'google_meet', location: 'Paris' } }))[0].id as string,
});
/** A calendar of the user's own (the primary one cannot be deleted). */
const ownCalendar = async (ctx: FixtureContext) => ({
	accountId: ctx.byId(ctx.v2Account('google')),
	calendarId: ctx.byId((await ctx.run('unipileCalendar', { resource: 'calendar', operation: 'create', accountId: ctx.byId(ctx.v2Account('google')), name: 'Sales meetings' }))[0].id as string),
});

/** The sandbox's WhatsApp group on v2, and two people of the account's other chats who are not in it. */
const whatsappGroup = (ctx: FixtureContext) => {
	const accountId = ctx.v2Account('whatsapp');
	const recs = [...ctx.sandbox.v2.env.store.chats.values()].filter((rec: Any) => rec.accountId === accountId);
	const group: Any = recs.find((rec: Any) => rec.chat.is_group);
	const outsiders = recs.filter((rec: Any) => !rec.chat.is_group).map((rec: Any) => rec.members[0].id).filter((id: string) => !group.members.some((m: Any) => m.id === id)).slice(0, 2);
	return { where: { accountId: ctx.byId(accountId), chatId: ctx.byId(group.chat.id) }, members: group.members.map((m: Any) => m.id) as string[], outsiders };
};
/** A WhatsApp message as the v2 fields that name it: one of the account's own with `own` (only those can be edited or deleted). */
const whatsappMessage = async (ctx: FixtureContext, own = false) => {
	const accountId = ctx.v2Account('whatsapp');
	const [chat] = await chats(ctx, accountId);
	const message = ctx.sandbox.v2.injectMessage({ accountId, chatId: chat.id, text: 'Hello there', isSender: own });
	return { accountId: ctx.byId(accountId), messageChatId: ctx.byId(chat.id), messageId: message.id };
};

export const outputSchemaFixtures: Fixtures = {
	unipileCalendar: {
		calendar: {
			create: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), name: 'Sales meetings', additionalFields: { description: 'Booked from n8n', timeZone: 'Europe/Paris' } }) },
			delete: { parameters: async (ctx) => await ownCalendar(ctx) },
			get: { parameters: (ctx) => ({ ...google(ctx) }) },
			getAll: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), returnAll: true }) },
			update: { parameters: async (ctx) => ({ ...(await ownCalendar(ctx)), updateFields: { name: 'Sales' } }) },
		},
		event: {
			cancel: { parameters: async (ctx) => ({ ...(await calendarEvent(ctx)), comment: 'Moved to next week' }) },
			create: { parameters: (ctx) => ({ ...google(ctx), title: 'Call', start: '2026-12-20T10:00:00Z', end: '2026-12-20T10:30:00Z', attendees: 'ada@example.com', additionalFields: { conference: 'google_meet', location: 'Paris', description: 'Intro call' } }) },
			delete: { parameters: async (ctx) => await calendarEvent(ctx) },
			get: { parameters: async (ctx) => await calendarEvent(ctx) },
			getAll: { parameters: (ctx) => ({ ...google(ctx), returnAll: true }) },
			rsvp: { parameters: async (ctx) => ({ ...(await calendarEvent(ctx)), status: 'yes' }) },
			update: { parameters: async (ctx) => ({ ...(await calendarEvent(ctx)), updateFields: { title: 'Call (moved)' } }) },
		},
	},
	unipile: {
		account: {
			connect: { parameters: () => ({ provider: 'LINKEDIN', loginMethod: 'credentials', username: 'me@example.com', password: 's3cret' }) },
			createHostedAuthLink: { parameters: () => ({ type: 'create', providers: ['LINKEDIN', 'WHATSAPP'], expiresOn: '2030-01-02T03:04:05Z', redirectUri: 'https://example.com/done' }) },
			delete: { parameters: (ctx) => ({ accountId: ctx.v2Account('telegram') }) },
			get: { parameters: (ctx) => ({ accountId: ctx.v2Account('linkedin') }) },
			getAll: { parameters: () => ({ returnAll: true }) },
			reconnect: { parameters: (ctx) => ({ accountId: (ctx.sandbox.v2.accounts.find((a: Any) => a.provider === 'linkedin' && a.status === 'disconnected') as Any).id, provider: 'LINKEDIN', loginMethod: 'cookie', accessToken: 'AQEDAx-li-at' }) },
			resync: { api: 'v1', parameters: () => ({ accountId: 'acc_linkedin_1' }) },
			solveCheckpoint: {
				parameters: async (ctx) => {
					const [checkpoint] = await ctx.run('unipile', { resource: 'account', operation: 'connect', provider: 'LINKEDIN', loginMethod: 'credentials', username: 'me@example.com', password: 's3cret' });
					return { intentId: checkpoint.intentId as string, code: '123456' };
				},
			},
		},
		attendee: {
			get: { api: 'v1', parameters: (ctx) => ({ attendeeId: v1Attendee(ctx).id }) },
			getAll: { api: 'v1', parameters: () => ({ limit: 10 }) },
			getChats: { api: 'v1', parameters: (ctx) => ({ attendeeId: v1Attendee(ctx).id, returnAll: true }) },
			getMessages: { api: 'v1', parameters: (ctx) => ({ attendeeId: v1Attendee(ctx).id, returnAll: true }) },
			getPicture: { api: 'v1', parameters: (ctx) => ({ attendeeId: v1Attendee(ctx).id }) },
		},
		chat: {
			addParticipants: { parameters: (ctx) => { const g = whatsappGroup(ctx); return { ...g.where, attendeesIds: g.outsiders.join(',') }; } },
			delete: { parameters: async (ctx) => { const { accountId, chat } = await chatWithMessage(ctx, 'whatsapp'); return { accountId: ctx.byId(accountId), chatId: ctx.byId(chat.id) }; } },
			removeParticipants: { parameters: (ctx) => { const g = whatsappGroup(ctx); return { ...g.where, attendeesIds: g.members[g.members.length - 1] }; } },
			checkReply: {
				parameters: async (ctx) => {
					const accountId = ctx.v2Account('linkedin');
					const chat = (await chats(ctx, accountId)).find((c) => c.user_id);
					ctx.sandbox.v2.injectMessage({ accountId, chatId: chat.id, text: 'Interested', timestamp: '2030-01-02T10:00:00.000Z' });
					return { accountId: ctx.byId(accountId), person: chat.user_id, since: '2030-01-01T00:00:00.000Z' };
				},
				// No reply since the date: last_reply is null.
				variants: [
					{
						parameters: async (ctx) => {
							const accountId = ctx.v2Account('linkedin');
							const chat = (await chats(ctx, accountId)).find((c) => c.user_id);
							return { accountId: ctx.byId(accountId), person: chat.user_id, since: '2030-01-01T00:00:00.000Z' };
						},
					},
				],
			},
			get: {
				parameters: async (ctx) => {
					const accountId = ctx.v2Account('whatsapp');
					return { accountId: ctx.byId(accountId), chatId: ctx.byId((await chats(ctx, accountId))[0].id) };
				},
			},
			getAll: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('whatsapp')), returnAll: true }) },
			getAttendees: {
				parameters: async (ctx) => {
					for (const provider of ['whatsapp', 'telegram', 'linkedin']) {
						const accountId = ctx.v2Account(provider);
						const group = (await chats(ctx, accountId)).find((c) => c.type === 'group');
						if (group) return { accountId: ctx.byId(accountId), chatId: ctx.byId(group.id) };
					}
					throw new Error('the v2 seed has no group chat');
				},
			},
			start: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('linkedin')), attendeesIds: 'ACoAAPeople1', text: 'Hello' }) },
			sync: { api: 'v1', parameters: (ctx) => ({ chatId: ctx.byId(ctx.sandbox.store.sortedChats()[0].id) }) },
			update: {
				parameters: async (ctx) => {
					const accountId = ctx.v2Account('whatsapp');
					return { accountId: ctx.byId(accountId), chatId: ctx.byId((await chats(ctx, accountId))[0].id), action: 'setReadStatus', value: false };
				},
			},
		},
		message: {
			addReaction: { parameters: async (ctx) => ({ ...(await whatsappMessage(ctx)), reaction: '👍' }) },
			delete: { parameters: async (ctx) => await whatsappMessage(ctx, true) },
			edit: { parameters: async (ctx) => ({ ...(await whatsappMessage(ctx, true)), text: 'Corrected text' }) },
			markRead: { parameters: async (ctx) => await whatsappMessage(ctx) },
			removeReaction: {
				parameters: async (ctx) => {
					const message = await whatsappMessage(ctx);
					await ctx.run('unipile', { resource: 'message', operation: 'addReaction', ...message, reaction: '👍' });
					return { ...message, reaction: '👍' };
				},
			},
			forward: {
				parameters: async (ctx) => {
					const { accountId, chat, other, message } = await chatWithMessage(ctx, 'whatsapp');
					return { accountId: ctx.byId(accountId), messageChatId: ctx.byId(chat.id), messageId: message.id, chatId: ctx.byId(other.id) };
				},
			},
			get: {
				parameters: async (ctx) => {
					const { accountId, chat, message } = await chatWithMessage(ctx, 'whatsapp');
					return { accountId: ctx.byId(accountId), messageChatId: ctx.byId(chat.id), messageId: message.id };
				},
			},
			getAttachment: {
				parameters: async (ctx) => {
					const accountId = ctx.v2Account('telegram');
					const [chat] = await chats(ctx, accountId);
					const message = ctx.sandbox.v2.injectMessage({ accountId, chatId: chat.id, text: 'files', attachments: FILES });
					return { accountId: ctx.byId(accountId), messageChatId: ctx.byId(chat.id), messageId: message.id, attachmentId: message.attachments[1].id };
				},
			},
			getAll: {
				parameters: async (ctx) => {
					const { accountId, chat } = await chatWithMessage(ctx, 'whatsapp');
					return { accountId: ctx.byId(accountId), chatId: ctx.byId(chat.id), returnAll: true };
				},
			},
			send: {
				parameters: async (ctx) => {
					const accountId = ctx.v2Account('whatsapp');
					return { accountId: ctx.byId(accountId), chatId: ctx.byId((await chats(ctx, accountId))[0].id), text: 'Here it is', options: { attachments: 'image' } };
				},
				items: () => [{ json: {}, binaryFiles: { image: PNG } } as Any],
			},
		},
		user: {
			getProfile: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('linkedin')), identifier: 'me' }) },
		},
	},

	unipileEmail: {
		draft: {
			create: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), to: 'ada@example.com', subject: 'Draft', body: '<p>Draft</p>' }) },
			delete: { parameters: async (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), draftId: await draft(ctx, ctx.v2Account('google')) }) },
			get: { parameters: async (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), draftId: await draft(ctx, ctx.v2Account('google')) }) },
			getAll: {
				parameters: async (ctx) => {
					await draft(ctx, ctx.v2Account('google'));
					return { accountId: ctx.byId(ctx.v2Account('google')), returnAll: true };
				},
			},
			send: { parameters: async (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), draftId: await draft(ctx, ctx.v2Account('google')) }) },
			update: { parameters: async (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), draftId: await draft(ctx, ctx.v2Account('google')), subject: 'Draft (final)', body: '<p>Final</p>' }) },
		},
		email: {
			delete: {
				parameters: async (ctx) => {
					const accountId = ctx.v2Account('google');
					return { accountId: ctx.byId(accountId), emailId: (await mailbox(ctx, accountId)).emails[0].id };
				},
			},
			get: {
				parameters: async (ctx) => {
					const accountId = ctx.v2Account('google');
					const box = await mailbox(ctx, accountId);
					const email = box.emails.find((e: Any) => e.attachments.length >= 1) ?? box.emails[0];
					return { accountId: ctx.byId(accountId), emailId: email.id };
				},
			},
			getAttachment: {
				parameters: async (ctx) => {
					for (const provider of ['imap', 'google', 'outlook']) {
						const accountId = ctx.v2Account(provider);
						const email = (await mailbox(ctx, accountId)).emails.find((e: Any) => e.attachments.length >= 1);
						if (email) return { accountId: ctx.byId(accountId), emailId: email.id, attachmentId: email.attachments[0].id };
					}
					throw new Error('the v2 seed has no email with an attachment');
				},
			},
			getAll: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), returnAll: true }) },
			reply: {
				parameters: async (ctx) => {
					const accountId = ctx.v2Account('google');
					const box = await mailbox(ctx, accountId);
					const received = box.emails.find((e: Any) => e.folders.includes('INBOX')) ?? box.emails[0];
					return { accountId: ctx.byId(accountId), emailId: received.id, body: 'Thanks!' };
				},
			},
			send: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), to: 'ada@example.com', subject: 'Hi', body: '<p>Hi <b>Ada</b></p>' }) },
			update: {
				parameters: async (ctx) => {
					const accountId = ctx.v2Account('google');
					return { accountId: ctx.byId(accountId), emailId: (await mailbox(ctx, accountId)).emails[0].id, updateFields: { unread: true } };
				},
			},
		},
		folder: {
			get: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')), folderId: 'Label_8412' }) },
			getAll: { parameters: (ctx) => ({ accountId: ctx.byId(ctx.v2Account('google')) }) },
		},
	},

	unipileLinkedIn: {
		company: {
			get: { parameters: (ctx) => ({ ...linkedin(ctx), identifier: 'unipile' }) },
		},
		invitation: {
			cancel: {
				parameters: async (ctx) => {
					const st = await linkedinState(ctx);
					return { ...linkedin(ctx), invitationId: st.requests.find((r: Any) => r.type === 'sent').id };
				},
			},
			getAllReceived: { parameters: (ctx) => ({ ...linkedin(ctx), returnAll: true }) },
			getAllSent: { parameters: (ctx) => ({ ...linkedin(ctx), returnAll: true }) },
			handle: {
				parameters: async (ctx) => {
					const st = await linkedinState(ctx);
					return { ...linkedin(ctx), invitationId: st.requests.find((r: Any) => r.type === 'received').id, action: 'accept' };
				},
			},
			send: {
				parameters: async (ctx) => {
					const st = await linkedinState(ctx);
					return { ...linkedin(ctx), providerId: st.members[46].user.id, message: 'Hello, glad to connect' };
				},
			},
		},
		post: {
			comment: { parameters: async (ctx) => ({ ...linkedin(ctx), postId: (await linkedinState(ctx)).posts[0].post.id, text: 'Great post' }) },
			create: { parameters: (ctx) => ({ ...linkedin(ctx), text: 'Our news' }) },
			get: { parameters: async (ctx) => ({ ...linkedin(ctx), postId: (await linkedinState(ctx)).posts[0].post.id }) },
			getComments: { parameters: async (ctx) => ({ ...linkedin(ctx), postId: (await linkedinState(ctx)).posts[0].post.id, returnAll: true }) },
			getAll: { parameters: async (ctx) => ({ ...linkedin(ctx), identifier: (await linkedinState(ctx)).members[0].user.public_identifier, returnAll: true }) },
			getReactions: { parameters: async (ctx) => ({ ...linkedin(ctx), postId: (await linkedinState(ctx)).posts[0].post.id, returnAll: true }) },
			react: { parameters: async (ctx) => ({ ...linkedin(ctx), postId: (await linkedinState(ctx)).posts[4].post.id, reactionType: 'celebrate' }) },
		},
		search: {
			getParameters: { parameters: (ctx) => ({ ...linkedin(ctx), type: 'LOCATION', keywords: 'paris', limit: 5 }) },
			search: { parameters: (ctx) => ({ ...linkedin(ctx), api: 'classic', category: 'people', keywords: 'a', limit: 10 }) },
		},
		user: {
			getFollowers: { parameters: (ctx) => ({ ...linkedin(ctx), limit: 25 }) },
			getFollowing: { parameters: (ctx) => ({ ...linkedin(ctx), limit: 25 }) },
			getInmailBalance: { parameters: (ctx) => ({ ...linkedin(ctx) }) },
			getOwnProfile: { parameters: (ctx) => ({ ...linkedin(ctx) }) },
			getProfile: { parameters: async (ctx) => ({ ...linkedin(ctx), identifier: (await linkedinState(ctx)).members[3].user.public_identifier }) },
			getRelations: { parameters: (ctx) => ({ ...linkedin(ctx), returnAll: true }) },
		},
	},
};
