/**
 * Unipile API v2's webhook events (`trigger_events` of `POST /v2/webhooks/endpoints/`), and how the v1 values a saved
 * workflow holds are read on v2: a workflow switched from v1 to v2 keeps firing on the same happenings.
 */

export interface V2TriggerEvent {
	value: string;
	name: string;
	description: string;
}

/** The events the node offers on v2 (v2's own names), in the order the editor lists them. */
export const V2_TRIGGER_EVENTS: readonly V2TriggerEvent[] = [
	{ value: 'account.add', name: 'Account Added', description: 'An account was connected to the application' },
	{ value: 'account.initial_sync.completed', name: 'Account Initial Sync Completed', description: 'The first synchronisation of an account finished' },
	{ value: 'account.initial_sync.failed', name: 'Account Initial Sync Failed', description: 'The first synchronisation of an account failed' },
	{ value: 'account.initial_sync.running', name: 'Account Initial Sync Running', description: 'The first synchronisation of an account started' },
	{ value: 'account.locked', name: 'Account Locked', description: 'An account was locked' },
	{ value: 'account.reconnect', name: 'Account Reconnected', description: 'An account was reconnected' },
	{ value: 'account.remove', name: 'Account Removed', description: 'An account was removed' },
	{ value: 'account.status.degraded', name: 'Account Status Degraded', description: 'An account works only in part' },
	{ value: 'account.status.disconnected', name: 'Account Status Disconnected', description: 'An account must be reconnected (credentials or session no longer valid)' },
	{ value: 'account.status.errored', name: 'Account Status Errored', description: 'An account stopped on an error (Unipile, proxy or provider)' },
	{ value: 'account.status.partial', name: 'Account Status Partial', description: 'Some products of an account are not connected' },
	{ value: 'account.status.running', name: 'Account Status Running', description: 'An account is running normally again' },
	{ value: 'account.unlocked', name: 'Account Unlocked', description: 'An account was unlocked' },
	{ value: 'calendar.create', name: 'Calendar Created', description: 'A calendar was added' },
	{ value: 'calendar.delete', name: 'Calendar Deleted', description: 'A calendar was deleted' },
	{ value: 'calendar.event.delete', name: 'Calendar Event Deleted', description: 'An event was deleted from a connected calendar' },
	{ value: 'calendar.event.new', name: 'Calendar Event Created', description: 'An event was added to a connected calendar' },
	{ value: 'calendar.event.update', name: 'Calendar Event Updated', description: 'An event of a connected calendar changed' },
	{ value: 'calendar.update', name: 'Calendar Updated', description: 'A calendar changed' },
	{ value: 'chat.delete', name: 'Chat Deleted', description: 'A chat was deleted' },
	{ value: 'chat.update', name: 'Chat Updated', description: 'A chat changed (name, archived, read…)' },
	{ value: 'email.delete', name: 'Email Deleted', description: 'An email was deleted' },
	{ value: 'email.draft.delete', name: 'Email Draft Deleted', description: 'A draft was deleted' },
	{ value: 'email.draft.new', name: 'Email Draft Created', description: 'A draft was created' },
	{ value: 'email.folder.create', name: 'Email Folder Created', description: 'A mail folder was created' },
	{ value: 'email.folder.delete', name: 'Email Folder Deleted', description: 'A mail folder was deleted' },
	{ value: 'email.folder.update', name: 'Email Folder Updated', description: 'A mail folder changed' },
	{ value: 'email.new', name: 'Email New', description: 'An email arrived in or was sent from a connected mailbox' },
	{ value: 'email.new.bounce', name: 'Email Bounced', description: 'A bounce arrived for an email sent' },
	{ value: 'tracking.click', name: 'Email Link Clicked', description: 'A recipient clicked a tracked link in an email sent with link tracking' },
	{ value: 'tracking.open', name: 'Email Opened', description: 'A recipient opened an email sent with open tracking' },
	{ value: 'follower.new', name: 'New Follower', description: 'Someone followed the account' },
	{ value: 'relation.new', name: 'New Relation', description: 'A new connection appeared (a LinkedIn invitation accepted…); can arrive hours later' },
	{ value: 'message.delete', name: 'Message Deleted', description: 'A message was deleted' },
	{ value: 'message.receipt.delivery', name: 'Message Delivered', description: 'A message you sent reached the recipient' },
	{ value: 'message.update', name: 'Message Edited', description: 'A message was edited' },
	{ value: 'message.reaction.new', name: 'Message Reaction', description: 'Someone reacted to a message' },
	{ value: 'message.reaction.delete', name: 'Message Reaction Removed', description: 'A reaction to a message was removed' },
	{ value: 'message.receipt.read', name: 'Message Read', description: 'A message you sent was read' },
	{ value: 'message.new', name: 'Message Received', description: 'A new message arrived in a chat (WhatsApp, LinkedIn, Instagram, Telegram…)' },
];

/** Each v1 event value and the v2 events with its meaning (REFERENCE-V2-ROUTES §3.2). `account_status`: see below. */
export const V1_TO_V2_EVENTS: Readonly<Record<string, readonly string[]>> = {
	message_received: ['message.new'],
	message_read: ['message.receipt.read'],
	message_delivered: ['message.receipt.delivery'],
	message_reaction: ['message.reaction.new'],
	message_edited: ['message.update'],
	message_deleted: ['message.delete'],
	new_relation: ['relation.new'],
	// v2 has one event for an email in a mailbox, whichever way it went.
	mail_received: ['email.new'],
	mail_sent: ['email.new'],
	mail_opened: ['tracking.open'],
	mail_link_clicked: ['tracking.click'],
	calendar_event_created: ['calendar.event.new'],
	calendar_event_updated: ['calendar.event.update'],
	calendar_event_deleted: ['calendar.event.delete'],
};

/** v1's account statuses (Account Statuses) and the v2 events that report the same change; CONNECTING has none. */
export const V1_ACCOUNT_STATUS_TO_V2: Readonly<Record<string, readonly string[]>> = {
	OK: ['account.status.running'],
	CREDENTIALS: ['account.status.disconnected'],
	ERROR: ['account.status.errored'],
	STOPPED: ['account.status.disconnected'],
	CONNECTING: [],
	DELETED: ['account.remove'],
	CREATION_SUCCESS: ['account.add'],
	RECONNECTED: ['account.reconnect'],
	SYNC_SUCCESS: ['account.initial_sync.completed'],
};

/** v1's "Account Status Changed" with no status chosen: every account event of v2. */
export const V2_ACCOUNT_EVENTS: readonly string[] = V2_TRIGGER_EVENTS.map((e) => e.value).filter((v) => v.startsWith('account.'));

const V2_NAMES = new Set(V2_TRIGGER_EVENTS.map((e) => e.value));

/**
 * A v2 event name given by an expression: v2's docs warn that types are added over time, so a dotted lower-case
 * name not listed here is sent as it is (Unipile refuses it if it does not know it).
 */
const V2_NAME = /^[a-z_]+(\.[a-z_]+)+$/;

/**
 * The v2 events a node's Events (and, for a v1 `account_status`, Account Statuses) mean: v2 names kept, v1 names
 * translated; values that are neither are returned apart (the node refuses them before registering anything).
 */
export function v2EventsOf(chosen: readonly string[], accountStatuses: readonly string[] = []): { events: string[]; unknown: string[] } {
	const events = new Set<string>();
	const unknown: string[] = [];
	for (const value of chosen) {
		if (V2_NAMES.has(value) || V2_NAME.test(value)) events.add(value);
		else if (value === 'account_status') {
			const statuses = accountStatuses.length > 0 ? accountStatuses.flatMap((s) => V1_ACCOUNT_STATUS_TO_V2[s] ?? []) : V2_ACCOUNT_EVENTS;
			for (const e of statuses) events.add(e);
		} else if (V1_TO_V2_EVENTS[value]) for (const e of V1_TO_V2_EVENTS[value]) events.add(e);
		else unknown.push(value);
	}
	return { events: [...events].sort(), unknown };
}

/** What `POST /v2/webhooks/endpoints/` receives. */
export interface EndpointCreateBody {
	trigger_events: string[];
	url: string;
	account_ids?: string[];
	description: string;
}

export interface V2RegistrationPlan {
	url: string;
	body: EndpointCreateBody;
	/** changes whenever what must be registered changes */
	fingerprint: string;
}

/** The description shown in Unipile's dashboard: which n8n workflow and node own the endpoint. */
export function endpointDescription(workflowId: string | undefined, nodeName: string): string {
	return `n8n workflow ${workflowId ?? '?'} · ${nodeName}`.slice(0, 255);
}

export function planV2Registration(input: { url: string; events: readonly string[]; accountIds: readonly string[]; workflowId?: string; nodeName: string }): V2RegistrationPlan {
	const accountIds = [...new Set(input.accountIds)].sort();
	const body: EndpointCreateBody = { trigger_events: [...new Set(input.events)].sort(), url: input.url, description: endpointDescription(input.workflowId, input.nodeName) };
	if (accountIds.length > 0) body.account_ids = accountIds;
	return { url: input.url, body, fingerprint: JSON.stringify([body.url, body.trigger_events, accountIds]) };
}
