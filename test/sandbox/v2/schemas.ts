/**
 * Schemas of the Unipile API v2 answers the sandbox serves, written from the types of the official v2 SDK
 * (`unipile/unipile-node`, `types.gen.ts`): GetChatsListResponses (Chat, Message, Attachment, User, GroupParticipant,
 * the `{data, total_count?, next_cursor?}` envelope), Get/Update/ListAccounts (Account, `{object:'Accounts', data,
 * has_more}`). Objects are closed (`additionalProperties: false`) so the sandbox cannot send more than the types name;
 * `specifics` stays open (typed `unknown` or a union). Shapes the types do not carry (the Error body) come from the docs.
 */
import { Type, type TSchema, type Static } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;
const Iso = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' });
export const Provider = Type.Union(['mock', 'whatsapp', 'linkedin', 'google', 'outlook', 'imap', 'telegram', 'instagram'].map((p) => Type.Literal(p)));

/** What a User and a UserProfile both say of a person. */
const person = {
	id: Type.String(),
	type: Type.Union([Type.Literal('individual'), Type.Literal('organization'), Type.Literal('other')]),
	public_identifier: Type.Optional(Type.String()),
	display_name: Type.String(),
	first_name: Type.Optional(Type.String()),
	last_name: Type.Optional(Type.String()),
	profile_url: Type.Optional(Type.String()),
	public_picture_url: Type.Optional(Type.String()),
	private_picture_download_url: Type.Optional(Type.String()),
	description: Type.Optional(Type.String()),
};

export const User = Type.Object({ ...person, object: Type.Literal('User'), specifics: Type.Optional(Type.Unknown()) }, closed);

const attachmentBase = {
	object: Type.Literal('Attachment'),
	id: Type.String(),
	file_size: Type.Optional(Type.Number()),
	is_inline: Type.Boolean(),
	is_unavailable: Type.Optional(Type.Boolean()),
	mimetype: Type.String(),
	url: Type.String(),
	url_expires_at: Type.Optional(Iso),
	content: Type.Optional(Type.String()),
};
const Size = Type.Object({ height: Type.Number(), width: Type.Number() }, closed);
export const Attachment = Type.Union([
	Type.Object({ ...attachmentBase, type: Type.Literal('audio'), duration: Type.Optional(Type.Number()), voice_note: Type.Boolean() }, closed),
	Type.Object({ ...attachmentBase, type: Type.Literal('img'), size: Type.Optional(Size), sticker: Type.Boolean() }, closed),
	Type.Object({ ...attachmentBase, type: Type.Literal('video'), duration: Type.Optional(Type.Number()), size: Size, gif: Type.Boolean() }, closed),
	Type.Object({ ...attachmentBase, type: Type.Literal('file'), filename: Type.String() }, closed),
	Type.Object(
		{
			...attachmentBase,
			type: Type.Literal('shared_content'),
			media_type: Type.Union([Type.Literal('post'), Type.Literal('story'), Type.Literal('url'), Type.Literal('reel')]),
			author: Type.Optional(Type.String()),
			description: Type.Optional(Type.String()),
		},
		closed,
	),
]);

export const Message = Type.Object(
	{
		object: Type.Literal('Message'),
		id: Type.String(),
		text: Type.Optional(Type.String()),
		sender_id: Type.String(),
		chat_id: Type.String(),
		timestamp: Iso,
		is_sender: Type.Boolean(),
		is_hidden: Type.Boolean(),
		is_seen: Type.Boolean(),
		is_delivered: Type.Boolean(),
		is_deleted: Type.Boolean(),
		is_edited: Type.Boolean(),
		is_pinned: Type.Boolean(),
		is_event: Type.Boolean(),
		is_mentionned: Type.Boolean(),
		event_type: Type.Optional(Type.Integer({ minimum: 0, maximum: 17 })),
		event_metadata: Type.Optional(Type.Object({}, { additionalProperties: true })),
		content_relation: Type.Optional(
			Type.Object({ type: Type.Union([Type.Literal('reply_to'), Type.Literal('mentioned_in')]), attachment_id: Type.Optional(Type.String()) }, closed),
		),
		reactions_counter: Type.Array(Type.Object({ reaction: Type.String(), count: Type.Number() }, closed)),
		sender: Type.Optional(User),
		provider: Provider,
		attachments: Type.Array(Attachment),
		hyperlinks: Type.Array(Type.Object({ url: Type.String(), starts_at: Type.Number(), length: Type.Number() }, closed)),
		quoted: Type.Optional(
			Type.Object(
				{ object: Type.Literal('QuotedMessage'), id: Type.String(), text: Type.Optional(Type.String()), attachments: Type.Array(Attachment), sender: Type.Optional(User) },
				closed,
			),
		),
		forwarded: Type.Optional(
			Type.Object(
				{ object: Type.Literal('ForwardedMessage'), text: Type.Optional(Type.String()), attachments: Type.Array(Attachment), sender: Type.Optional(User) },
				closed,
			),
		),
		specifics: Type.Optional(Type.Unknown()),
	},
	closed,
);

export const MessagePreview = Type.Object(
	{
		object: Type.Literal('MessagePreview'),
		id: Type.Optional(Type.String()),
		text: Type.String(),
		sender_display_name: Type.Optional(Type.String()),
		is_sender: Type.Optional(Type.Boolean()),
	},
	closed,
);

export const GroupParticipant = Type.Object({ object: Type.Literal('GroupParticipant'), is_self: Type.Boolean(), is_admin: Type.Boolean(), user: User }, closed);

export const Chat = Type.Object(
	{
		object: Type.Literal('Chat'),
		id: Type.String(),
		name: Type.String(),
		label: Type.Optional(Type.String()),
		description: Type.Optional(Type.String()),
		image_url: Type.Optional(Type.String()),
		created_at: Type.Optional(Iso),
		updated_at: Type.Optional(Iso),
		last_message_timestamp: Type.Optional(Iso),
		muted_until: Type.Union([Iso, Type.Boolean()]),
		creator_id: Type.Optional(Type.String()),
		user_id: Type.Optional(Type.String()),
		is_group: Type.Boolean(),
		is_1to1: Type.Boolean(),
		is_channel: Type.Boolean(),
		type: Type.Union([Type.Literal('group'), Type.Literal('1to1'), Type.Literal('channel')]),
		is_pinned: Type.Boolean(),
		is_readonly: Type.Boolean(),
		is_archived: Type.Boolean(),
		folders: Type.Array(Type.String()),
		participants_count: Type.Optional(Type.Number()),
		unread_count: Type.Integer({ minimum: -1 }),
		restrictions: Type.Optional(Type.Array(Type.Literal('send_message'))),
		last_message: Type.Optional(Type.Union([MessagePreview, Message])),
		provider: Provider,
		specifics: Type.Optional(Type.Unknown()),
		user: Type.Optional(User),
		participants: Type.Optional(Type.Array(GroupParticipant)),
	},
	closed,
);

const AccountStatus = Type.Union(['running', 'errored', 'disconnected', 'degraded', 'partial'].map((s) => Type.Literal(s)));
export const Account = Type.Object(
	{
		object: Type.Literal('Account'),
		user_id: Type.String(),
		name: Type.Optional(Type.String()),
		created_at: Iso,
		id: Type.String({ pattern: '^acc_' }),
		application_id: Type.String(),
		account_scope_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
		status: AccountStatus,
		is_locked: Type.Boolean(),
		provider: Provider,
		oauth_scope: Type.Optional(Type.String()),
		metadata: Type.Object(
			{
				auto_proxy_country: Type.Optional(Type.String()),
				v1_account_id: Type.Optional(Type.String()),
				products_connection_status: Type.Optional(
					Type.Record(Type.String(), Type.Union([Type.Literal('running'), Type.Literal('disconnected'), Type.Literal('errored')])),
				),
				custom_data: Type.Optional(Type.Record(Type.String(), Type.String())),
			},
			closed,
		),
		initial_sync: Type.Optional(
			Type.Object(
				{ status: Type.Union(['pending', 'running', 'failed', 'completed'].map((s) => Type.Literal(s))), started_at: Type.Optional(Iso) },
				closed,
			),
		),
		proxy: Type.Optional(
			Type.Object(
				{
					country: Type.Union([Type.String(), Type.Null()]),
					auto_proxy: Type.Boolean(),
					host: Type.Optional(Type.String()),
					port: Type.Optional(Type.Number()),
					username: Type.Optional(Type.String()),
					protocol: Type.Optional(Type.String()),
				},
				closed,
			),
		),
	},
	closed,
);

/** Core lists (`/v2/accounts/`, …): `{object, data, has_more}`. */
export const CoreList = <T extends TSchema>(object: string, item: T) => Type.Object({ object: Type.Literal(object), data: Type.Array(item), has_more: Type.Boolean() }, closed);
export const Accounts = CoreList('Accounts', Account);

/** Methods lists (`/v2/{account_id}/…`): `{data, total_count?, next_cursor?}`. */
export const MethodsList = <T extends TSchema>(item: T) =>
	Type.Object({ data: Type.Array(item), total_count: Type.Optional(Type.Number()), next_cursor: Type.Optional(Type.String()) }, closed);
export const ChatList = MethodsList(Chat);
export const MessageList = MethodsList(Message);
export const ParticipantList = MethodsList(GroupParticipant);

export const AccountRemoved = Type.Object({ success: Type.Boolean() }, closed);
export const ChatStarted = Type.Object(
	{ object: Type.Literal('ChatStarted'), chat_id: Type.String(), message_id: Type.Union([Type.Null(), Type.String(), Type.Array(Type.String())]) },
	closed,
);
export const MessageSent = Type.Object({ object: Type.Literal('MessageSent'), message_id: Type.Union([Type.Null(), Type.String(), Type.Array(Type.String())]) }, closed);
export const MessageForwarded = Type.Object({ object: Type.Literal('MessageForwarded'), message_id: Type.String(), chat_id: Type.String() }, closed);
export const ChatLookup = Type.Object(
	{
		object: Type.Literal('ChatLookup'),
		data: Type.Array(Type.Object({ chat_id: Type.String(), inbox_id: Type.Optional(Type.String()), has_history: Type.Optional(Type.Boolean()) }, closed)),
	},
	closed,
);

export const UserProfile = Type.Object({ ...person, object: Type.Literal('UserProfile'), specifics: Type.Unknown() }, closed);

export const CheckpointType = Type.Union(
	['OTP', 'IN_APP_VALIDATION', 'PAIRING_CODE', 'PHONE_REGISTER', '2FA', 'CAPTCHA', 'OTP_OR_IN_APP_VALIDATION', 'CONTRACT_SELECTION', 'CONSCENT_SCREEN', 'CHALLENGE_SELECTION', 'LOADING'].map((t) =>
		Type.Literal(t),
	),
);
export const AuthenticationCheckpoint = Type.Object(
	{ object: Type.Literal('AuthenticationCheckpoint'), checkpoint: Type.Object({ type: CheckpointType }, { additionalProperties: true }), intent_id: Type.String() },
	closed,
);
export const HostedAuthLink = Type.Object({ object: Type.Literal('HostedAuthLink'), link: Type.String() }, closed);

/** The docs' error body (developer.unipile.com/v2.0/reference/error-responses); the SDK types no error answers. */
export const ErrorBody = Type.Object(
	{
		object: Type.Literal('Error'),
		type: Type.String({ pattern: '^(api|provider)/[a-z_]+$' }),
		status: Type.Integer({ minimum: 400, maximum: 599 }),
		title: Type.String(),
		detail: Type.String(),
		req_id: Type.String(),
	},
	closed,
);

export type V2Account = Static<typeof Account>;
export type V2Chat = Static<typeof Chat>;
export type V2Message = Static<typeof Message>;
export type V2User = Static<typeof User>;
export type V2Attachment = Static<typeof Attachment>;
export type V2UserProfile = Static<typeof UserProfile>;
export type V2Error = Static<typeof ErrorBody>;
