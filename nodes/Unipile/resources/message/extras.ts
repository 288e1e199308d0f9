import type { INodeProperties } from 'n8n-workflow';

const show = { resource: ['message'] };

/** What users see instead of Remove Reaction's fields on v1, and the error if a workflow still runs it there. */
export const REMOVE_REACTION_ON_V1 = 'Unipile API v1 cannot remove a reaction from a message. Use a v2 account ("Unipile API V2" in Authentication).';
/** v1 marks whole chats read, not single messages. */
export const MARK_READ_ON_V1 = 'Unipile API v1 marks a whole chat read, not a single message: use Chat → Update with Action "Set Read".';

/** Operations only v2 has: v1's operation list leaves them out, and a v1 run is refused before sending (`notOnV1` in v2.ts). */
export const MESSAGE_V2_ONLY = ['markRead', 'removeReaction'];

/** The operations that act on one message (they take Message ID, and on v2 the message's chat). */
export const MESSAGE_EXTRA_OPERATIONS = ['addReaction', 'delete', 'edit', 'markRead', 'removeReaction'];

export const messageExtraFields: INodeProperties[] = [
	{
		displayName: 'Reaction',
		name: 'reaction',
		type: 'string',
		required: true,
		default: '',
		placeholder: '👍',
		description: 'The emoji, as a character (👍, ❤️, 😂)',
		// Provider limits as Unipile states them (developer.unipile.com/v2.0/docs/linkedin-manage-reactions).
		hint: 'LinkedIn: not available on Recruiter and Sales Navigator chats. Removing takes the same emoji that was added.',
		displayOptions: { show: { ...show, operation: ['addReaction', 'removeReaction'] } },
		routing: { send: { type: 'body', property: 'reaction', value: '={{ String($value).trim() }}' } },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 3 },
		description: 'The new text of the message (replaces the old one)',
		// Unipile's edit guides (developer.unipile.com/v2.0/docs/whatsapp-edit-delete-messages) and LinkedIn's window.
		hint: "Only messages the account sent. WhatsApp's time and role limits apply (Unipile may answer success without editing); LinkedIn allows edits within 60 minutes of sending, not on Recruiter or Sales Navigator messages.",
		displayOptions: { show: { ...show, operation: ['edit'] } },
		routing: { send: { type: 'body', property: 'text' } },
	},
	{
		displayName:
			'Deletes for everyone, once: it is not retried. Only messages the account sent. LinkedIn allows it within 60 minutes of sending; WhatsApp applies its own time and role limits (Unipile may answer success without deleting), and neither "delete for me" nor deleting another member\'s message as a group admin is supported.',
		name: 'deleteLimitsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, operation: ['delete'] } },
	},
];
