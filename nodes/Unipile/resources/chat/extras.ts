import { NodeOperationError, type IExecutePaginationFunctions, type INodeProperties } from 'n8n-workflow';
import type { V1Request, V2Route } from '../../../shared/v2';

const show = { resource: ['chat'] };

/** What users see instead of the participants operations' fields on v1, and the error if a workflow runs one there. */
export const PARTICIPANTS_ON_V1 = "Unipile API v1 cannot change a group's participants. Use a v2 account (\"Unipile API V2\" in Authentication).";

export const CHAT_EXTRA_OPERATIONS = ['addParticipants', 'delete', 'removeParticipants'];
/** Operations only v2 has: v1's operation list leaves them out, and a v1 run is refused before sending (`notOnV1`). */
export const CHAT_V2_ONLY = ['addParticipants', 'removeParticipants'];
const participantsShow = { ...show, operation: ['addParticipants', 'removeParticipants'] };

export const chatExtraFields: INodeProperties[] = [
	{
		displayName: 'Participant IDs',
		name: 'attendeesIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 33612345678@s.whatsapp.net, ACoAAB1234',
		description: "The people's user IDs (a chat's participants list or a user's profile gives them), separated by commas, or an array from an expression",
		hint: 'Group chats only. Each person is one request, in order: if one fails, those before it are already done.',
		displayOptions: { show: participantsShow },
		routing: { send: { type: 'body', property: 'attendees_ids', value: '={{ Array.isArray($value) ? $value : String($value ?? "").split(",") }}' } },
	},
	{
		displayName: 'Deletes the chat for the account, once: it is not retried. Its messages go with it.',
		name: 'deleteChatNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, operation: ['delete'] } },
	},
];

/** The people given, trimmed, without empty entries; none is refused (before anything is sent) naming the field. */
function participantsOf(request: V1Request, context: IExecutePaginationFunctions): string[] {
	const given = request.body.attendees_ids;
	const ids = (Array.isArray(given) ? given : [given]).map((id) => String(id ?? '').trim()).filter((id) => id !== '');
	if (ids.length === 0) {
		throw new NodeOperationError(context.getNode(), '"Participant IDs" is empty', {
			itemIndex: context.getItemIndex(),
			description: 'Enter one user ID or several separated by commas, or an expression giving an array of them.',
		});
	}
	return [...new Set(ids)];
}

/** Deletions happen once: never resent after they may have reached Unipile. */
export const REMOVES_A_PARTICIPANT = 'the removal of the participant';

/** v2 adds and removes one person per request: one call per person, in order; the last answer is the item's output. */
export const chatExtraV2: Record<'addParticipants' | 'delete' | 'removeParticipants', V2Route> = {
	addParticipants: {
		method: 'POST',
		path: '/{accountId}/chats/{chatId}/participants',
		plan: async (request, context) =>
			participantsOf(request, context).map((id): V2Route => ({ method: 'POST', path: '/{accountId}/chats/{chatId}/participants', body: { user_id: () => id } })),
		docs: '`POST /v2/{accountId}/chats/{chatId}/participants` `{user_id}`, once per person',
		notOnV1: PARTICIPANTS_ON_V1,
	},
	delete: { method: 'DELETE', path: '/{accountId}/chats/{chatId}', once: 'the deletion of the chat' },
	removeParticipants: {
		method: 'DELETE',
		path: '/{accountId}/chats/{chatId}/participants/{userId}',
		plan: async (request, context) =>
			participantsOf(request, context).map(
				(id): V2Route => ({ method: 'DELETE', path: `/{accountId}/chats/{chatId}/participants/${encodeURIComponent(id)}`, once: REMOVES_A_PARTICIPANT }),
			),
		docs: '`DELETE /v2/{accountId}/chats/{chatId}/participants/{user_id}`, once per person',
		notOnV1: PARTICIPANTS_ON_V1,
	},
};
