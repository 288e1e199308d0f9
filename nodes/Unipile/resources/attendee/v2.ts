import type { V2Unavailable } from '../../../shared/v2';

/** What users see instead of the Attendee operations on v2, and the error if a workflow still runs one. */
export const ATTENDEES_ON_V2 =
	'Unipile API v2 has no attendees: people come inside chats (chat.user), messages (message.sender) and group participants (Chat → Get Attendees). Use User → Get Profile for one person, and Message → Get Many with Filters → Sender ID for what they wrote in a chat.';

const unavailable: V2Unavailable = { unavailable: ATTENDEES_ON_V2 };

export const attendeeV2: Record<string, V2Unavailable> = {
	get: unavailable,
	getAll: unavailable,
	getChats: unavailable,
	getMessages: unavailable,
	getPicture: unavailable,
};
