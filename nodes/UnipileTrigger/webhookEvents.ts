import { DELIVERY_CHECK_HEADER } from './webhookSecret';

/** Unipile's webhook sources: one webhook is registered per source among the chosen events. */
export type WebhookSource = 'messaging' | 'users' | 'account_status' | 'email' | 'email_tracking' | 'calendar_event';

export interface TriggerEvent {
	value: string;
	name: string;
	description: string;
	source: WebhookSource;
}

/** Values are Unipile's own event names; `account_status` names the source, which has no events of its own. */
export const TRIGGER_EVENTS: readonly TriggerEvent[] = [
	{ value: 'account_status', name: 'Account Status Changed', source: 'account_status', description: 'An account was connected, disconnected, needs new credentials, finished syncing…' },
	{ value: 'calendar_event_created', name: 'Calendar Event Created', source: 'calendar_event', description: 'An event was added to a connected Google or Microsoft calendar' },
	{ value: 'calendar_event_deleted', name: 'Calendar Event Deleted', source: 'calendar_event', description: 'An event was deleted from a connected calendar' },
	{ value: 'calendar_event_updated', name: 'Calendar Event Updated', source: 'calendar_event', description: 'An event of a connected calendar changed (time, attendees, cancellation…)' },
	{ value: 'mail_link_clicked', name: 'Email Link Clicked', source: 'email_tracking', description: 'A recipient clicked a tracked link in an email sent with link tracking' },
	{ value: 'mail_opened', name: 'Email Opened', source: 'email_tracking', description: 'A recipient opened an email sent with open tracking' },
	{ value: 'mail_received', name: 'Email Received', source: 'email', description: 'An email arrived in a connected mailbox' },
	{ value: 'mail_sent', name: 'Email Sent', source: 'email', description: 'An email was sent from a connected mailbox' },
	{ value: 'message_deleted', name: 'Message Deleted', source: 'messaging', description: 'A message was deleted' },
	{ value: 'message_delivered', name: 'Message Delivered', source: 'messaging', description: 'A message you sent reached the recipient' },
	{ value: 'message_edited', name: 'Message Edited', source: 'messaging', description: 'A message was edited' },
	{ value: 'message_reaction', name: 'Message Reaction', source: 'messaging', description: 'Someone reacted to a message' },
	{ value: 'message_read', name: 'Message Read', source: 'messaging', description: 'A message you sent was read' },
	{ value: 'message_received', name: 'Message Received', source: 'messaging', description: 'A new message arrived in a chat (WhatsApp, LinkedIn, Instagram, Messenger, Telegram, X)' },
	{ value: 'new_relation', name: 'New Relation', source: 'users', description: 'A LinkedIn invitation was accepted or a new connection appeared. Unipile checks relations periodically, so this can arrive hours later.' },
];

const SOURCE_ORDER: readonly WebhookSource[] = ['messaging', 'users', 'account_status', 'email', 'email_tracking', 'calendar_event'];

/** The `message` of an account_status payload (Unipile's account lifecycle page). */
export const ACCOUNT_STATUSES: ReadonlyArray<{ value: string; name: string; description: string }> = [
	{ value: 'OK', name: 'OK', description: 'Everything is in order' },
	{ value: 'CREDENTIALS', name: 'Credentials (Reconnect Needed)', description: 'The account must be reconnected: its credentials or session are no longer valid' },
	{ value: 'ERROR', name: 'Error', description: 'Synchronisation stopped on an unexpected error' },
	{ value: 'STOPPED', name: 'Stopped', description: 'Synchronisation was paused (e.g. sandbox account limits)' },
	{ value: 'CONNECTING', name: 'Connecting', description: 'The account is trying to connect (temporary)' },
	{ value: 'DELETED', name: 'Deleted', description: 'The account was deleted' },
	{ value: 'CREATION_SUCCESS', name: 'Creation Success', description: 'The account was added; its first synchronisation started' },
	{ value: 'RECONNECTED', name: 'Reconnected', description: 'The account was reconnected' },
	{ value: 'SYNC_SUCCESS', name: 'Sync Success', description: 'The first synchronisation finished' },
];

const SOURCE_OF = new Map(TRIGGER_EVENTS.map((e) => [e.value, e.source]));

export function sourceOf(event: string): WebhookSource | undefined {
	return SOURCE_OF.get(event);
}

/** Known events among `chosen`, grouped by source in a fixed order; unknown values are returned apart. */
export function eventsBySource(chosen: readonly string[]): { bySource: Array<{ source: WebhookSource; events: string[] }>; unknown: string[] } {
	const unknown: string[] = [];
	const grouped = new Map<WebhookSource, string[]>();
	for (const event of new Set(chosen)) {
		const source = sourceOf(event);
		if (!source) {
			unknown.push(event);
			continue;
		}
		grouped.set(source, [...(grouped.get(source) ?? []), event]);
	}
	const bySource = SOURCE_ORDER.filter((s) => grouped.has(s)).map((source) => ({ source, events: [...grouped.get(source)!].sort() }));
	return { bySource, unknown };
}

/** What `POST /webhooks` receives for one source. */
export interface WebhookCreateBody {
	request_url: string;
	source: WebhookSource;
	name: string;
	format: 'json';
	enabled: true;
	headers: Array<{ key: string; value: string }>;
	events?: string[];
	account_ids?: string[];
}

export interface RegistrationPlan {
	url: string;
	/** one entry per source, in a fixed order */
	webhooks: Array<Omit<WebhookCreateBody, 'headers'>>;
	/** changes whenever what must be registered changes (not with the secret) */
	fingerprint: string;
}

/** The name shown in Unipile's dashboard: says which n8n workflow and node own the webhook, and its source. */
export function webhookName(workflowId: string | undefined, nodeName: string, source: WebhookSource): string {
	return `n8n workflow ${workflowId ?? '?'} · ${nodeName} · ${source}`.slice(0, 255);
}

export function planRegistration(input: { url: string; events: readonly string[]; accountIds: readonly string[]; workflowId?: string; nodeName: string }): RegistrationPlan {
	const { bySource } = eventsBySource(input.events);
	const accountIds = [...new Set(input.accountIds)].sort();
	const webhooks = bySource.map(({ source, events }) => {
		const body: Omit<WebhookCreateBody, 'headers'> = {
			request_url: input.url,
			source,
			name: webhookName(input.workflowId, input.nodeName, source),
			format: 'json',
			enabled: true,
		};
		if (source !== 'account_status') body.events = events;
		if (accountIds.length > 0) body.account_ids = accountIds;
		return body;
	});
	const fingerprint = JSON.stringify(webhooks.map((w) => [w.request_url, w.source, w.events ?? [], w.account_ids ?? []]));
	return { url: input.url, webhooks, fingerprint };
}

/** The headers Unipile sends back: our secret, and a JSON content type (API-created webhooks send none by default). */
export function deliveryHeaders(secret: string): Array<{ key: string; value: string }> {
	return [
		{ key: DELIVERY_CHECK_HEADER, value: secret },
		{ key: 'Content-Type', value: 'application/json' },
	];
}
