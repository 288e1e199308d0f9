import {
	NodeApiError,
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { downloadMessageAttachments } from '../shared/binary';
import { unipileV2Pages } from '../shared/pager';
import { unipileApiRequest } from '../shared/transport';
import { V2_NO_CACHE } from '../shared/v2';
import { planV2Registration, v2EventsOf, type V2RegistrationPlan } from './webhookEventsV2';
import { rememberDelivery, type Payload } from './webhookPayload';
import { endpointExists, registerEndpoint, unregisterEndpoint, type EndpointApi, type ListedEndpoint, type V2RegistrationState } from './webhookRegistryV2';
import { checkSignature, SIGNATURE_HEADER } from './webhookSignature';

const ENDPOINTS_PATH = '/webhooks/endpoints/';
const PAGE_SIZE = '100';

/** Said when Unipile refuses the key on its endpoints route: which key kind manages an application's webhooks. */
export const SERVICE_KEY_ADVICE =
	'Unipile refused this API key on /v2/webhooks/endpoints/. Webhook endpoints belong to the Unipile application: a Service API key (the key that manages the application, from the Unipile dashboard) may be needed; account and scoped keys may not be allowed to create them. Put a Service API key in the Unipile V2 API credential, or use Unipile Polling Trigger.';

function isObject(value: unknown): value is Payload {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A refusal of the key (401/403) on the endpoints route gets the advice; other errors pass as the transport made them. */
function withKeyAdvice(context: IHookFunctions, error: unknown): Error {
	if (error instanceof NodeApiError && ['401', '403'].includes(String(error.httpCode))) {
		return new NodeOperationError(context.getNode(), `Unipile refused to manage webhook endpoints with this API key (HTTP ${String(error.httpCode)})`, {
			description: `${SERVICE_KEY_ADVICE} Unipile said: ${error.message}`,
		});
	}
	return error instanceof Error ? error : new NodeOperationError(context.getNode(), String(error));
}

/** `/v2/webhooks/endpoints/` through the shared transport (credential checks, retries, Unipile's wording). */
function endpointApi(context: IHookFunctions): EndpointApi {
	return {
		async *list() {
			try {
				// Unipile answers GETs from a cache up to an hour old: a list missing an endpoint made since would leave a twin.
				const headers = { accept: 'application/json', ...V2_NO_CACHE };
				for await (const page of unipileV2Pages.call(context, { path: ENDPOINTS_PATH, qs: { limit: PAGE_SIZE }, headers })) yield* page.items as unknown as ListedEndpoint[];
			} catch (error) {
				throw withKeyAdvice(context, error);
			}
		},
		async create(body) {
			let answer: IDataObject;
			try {
				answer = (await unipileApiRequest.call(context, { method: 'POST', path: ENDPOINTS_PATH, body, json: true })) as IDataObject;
			} catch (error) {
				throw withKeyAdvice(context, error);
			}
			if (typeof answer?.id !== 'string' || answer.id === '') {
				throw new NodeOperationError(context.getNode(), 'Unipile did not return the ID of the webhook endpoint it created', {
					description: `Answer fields: ${Object.keys(answer ?? {}).join(', ')}`,
				});
			}
			return { id: answer.id, secret: typeof answer.secret === 'string' ? answer.secret : undefined };
		},
		async remove(id) {
			try {
				await unipileApiRequest.call(context, { method: 'DELETE', path: `${ENDPOINTS_PATH.slice(0, -1)}/${encodeURIComponent(id)}`, json: true });
			} catch (error) {
				if (error instanceof NodeApiError && String(error.httpCode) === '404') return;
				throw withKeyAdvice(context, error);
			}
		},
	};
}

function listParameter(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return [...new Set(list.map((v) => String(v).trim()).filter((v) => v !== ''))];
}

/** The v2 events this node receives: its Events, v1 values (a workflow switched from v1) read as their v2 counterparts. */
export function chosenV2Events(this: IHookFunctions | IWebhookFunctions): { events: string[]; unknown: string[] } {
	const events = listParameter(this.getNodeParameter('events', []));
	const statuses = events.includes('account_status') ? listParameter(this.getNodeParameter('accountStatuses', [])) : [];
	return v2EventsOf(events, statuses);
}

function registrationPlan(this: IHookFunctions): V2RegistrationPlan {
	const url = this.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(this.getNode(), 'n8n gave no webhook URL for this node');
	const { events, unknown } = chosenV2Events.call(this);
	if (unknown.length > 0) {
		throw new NodeOperationError(this.getNode(), `Events: ${unknown.map((e) => JSON.stringify(e)).join(', ')} is not a Unipile API v2 event`, {
			description: 'Choose the events again in Events (v2 names such as message.new, email.new, account.status.disconnected).',
		});
	}
	if (events.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Choose at least one event in Events', {
			description: 'The trigger registers a Unipile webhook endpoint for the events chosen there.',
		});
	}
	return planV2Registration({ url, events, accountIds: listParameter(this.getNodeParameter('accountIds', [])), workflowId: this.getWorkflow().id, nodeName: this.getNode().name });
}

/** `webhookMethods.default` on v2: one endpoint per node, its secret kept in the static data. */
export const webhookLifecycleV2 = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		const state = this.getWorkflowStaticData('node') as V2RegistrationState;
		return await endpointExists(endpointApi(this), registrationPlan.call(this), state);
	},
	async create(this: IHookFunctions): Promise<boolean> {
		const state = this.getWorkflowStaticData('node') as V2RegistrationState;
		await registerEndpoint(endpointApi(this), registrationPlan.call(this), state, () =>
			new NodeOperationError(this.getNode(), 'Unipile did not return the secret of the webhook endpoint it created', {
				description: 'Without it deliveries cannot be checked; the endpoint was deleted again. Try activating once more.',
			}),
		);
		return true;
	},
	async delete(this: IHookFunctions): Promise<boolean> {
		const state = this.getWorkflowStaticData('node') as V2RegistrationState;
		await unregisterEndpoint(endpointApi(this), this.getNodeWebhookUrl('default') ?? '', state);
		return true;
	},
};

/** A v2 delivery: `{id, created_at, account_id, type, payload}` (REFERENCE-V2-ROUTES §3.3). */
export interface V2Event {
	id?: string;
	created_at?: string;
	account_id?: string;
	type: string;
	payload?: Payload;
}

export function eventOfBody(raw: Buffer): V2Event | undefined {
	try {
		const value: unknown = JSON.parse(raw.toString('utf8'));
		return isObject(value) && typeof value.type === 'string' && value.type !== '' ? (value as unknown as V2Event) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The request's bytes as Unipile sent them: n8n keeps them as `rawBody` (n8n 1.x and 2.x read the body once, for
 * every webhook node of version 1, before the node runs); `readRawBody` reads them when nothing did yet. A body
 * parsed and serialised again is not what was signed, so without the bytes nothing is accepted.
 */
async function rawBodyOf(this: IWebhookFunctions): Promise<Buffer | undefined> {
	const request = this.getRequestObject() as unknown as { rawBody?: unknown; readRawBody?: () => Promise<void> };
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') await request.readRawBody();
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : undefined;
}

export interface V2DeliveryOptions {
	includeOwnMessages: boolean;
	downloadAttachments: boolean;
	prefix: string;
	deadline: number;
	recent: string[];
}

function refuse(this: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

/**
 * Whether the connected account sent the message of a `message.new`: the v2 Message's own `is_sender`; when the
 * payload lacks it, asked of `GET /v2/{account}/chats/{chat}/messages/{id}`. Undefined when nobody could say in time.
 */
async function sentByAccount(this: IWebhookFunctions, event: V2Event, deadline: number): Promise<boolean | undefined> {
	const message = event.payload ?? {};
	if (typeof message.is_sender === 'boolean') return message.is_sender;
	const { id, chat_id: chatId } = message;
	if (typeof event.account_id !== 'string' || typeof chatId !== 'string' || typeof id !== 'string') return undefined;
	try {
		const path = `/${encodeURIComponent(event.account_id)}/chats/${encodeURIComponent(chatId)}/messages/${encodeURIComponent(id)}`;
		const answer = (await unipileApiRequest.call(this, { method: 'GET', path, json: true, deadline, headers: { accept: 'application/json', ...V2_NO_CACHE } })) as IDataObject;
		return typeof answer?.is_sender === 'boolean' ? answer.is_sender : undefined;
	} catch {
		return undefined;
	}
}

/** The files of a v2 message or email into binary fields, until `deadline` (the rest listed as not downloaded). */
async function downloadV2Attachments(this: IWebhookFunctions, event: V2Event, prefix: string, deadline: number): Promise<{ binary?: IBinaryKeyData; report: IDataObject }> {
	const payload = event.payload ?? {};
	const email = event.type.startsWith('email.');
	const report = { complete: true, downloaded: [] as string[], notDownloaded: [] as IDataObject[] };
	const attachments = Array.isArray(payload.attachments) ? (payload.attachments as IDataObject[]) : [];
	const account = typeof event.account_id === 'string' ? encodeURIComponent(event.account_id) : undefined;
	const id = typeof payload.id === 'string' ? encodeURIComponent(payload.id) : undefined;
	const chat = typeof payload.chat_id === 'string' ? encodeURIComponent(payload.chat_id) : undefined;
	const base = email ? account && id && `/${account}/emails/${id}` : account && id && chat && `/${account}/chats/${chat}/messages/${id}`;
	if (!base || attachments.length === 0) return { report };
	// v2 names a file `filename` (messages) or `name` (emails) and its type `mimetype` or `mime`: one shape for the downloader.
	const files = attachments.map((a) => ({ ...a, file_name: a.filename ?? a.file_name ?? a.name, mimetype: a.mimetype ?? a.mime }));
	const { binary, attachments: described, pastDeadline } = await downloadMessageAttachments.call(this, { id: payload.id as string, attachments: files }, {
		propertyName: (index) => `${prefix}${index}`,
		skipMissing: true,
		deadline,
		attachmentPath: (attachmentId) => `${base}/attachments/${encodeURIComponent(attachmentId)}`,
	});
	for (const [index, entry] of described.entries()) {
		if (typeof entry.binaryPropertyName === 'string') report.downloaded.push(entry.binaryPropertyName);
		else report.notDownloaded.push({ index, id: entry.id, fileName: entry.file_name, mimeType: entry.mimetype, reason: pastDeadline.includes(index) ? 'time_limit' : 'unavailable' });
	}
	report.complete = pastDeadline.length === 0;
	return { binary: Object.keys(binary).length > 0 ? binary : undefined, report };
}

/**
 * One v2 delivery. Refused without an execution: no valid `unipile-signature` within the tolerance (401), a body
 * that is not a v2 event (400), a message nobody could say the account did not send (503, so Unipile sends it
 * again). Answered 200 without an execution: an event or account not chosen, an own message when those are excluded,
 * an event id already received. Everything else starts one execution with the event as Unipile sent it.
 */
export async function receiveV2Delivery(this: IWebhookFunctions, state: V2RegistrationState, options: V2DeliveryOptions): Promise<IWebhookResponseData> {
	const raw = await rawBodyOf.call(this);
	if (raw === undefined) return refuse.call(this, 401, 'Unauthorized');
	const signature = checkSignature(String(state.secret), this.getHeaderData()[SIGNATURE_HEADER], raw);
	if (!signature.valid) return refuse.call(this, 401, 'Unauthorized');
	const event = eventOfBody(raw);
	if (!event) return refuse.call(this, 400, 'The body must be a Unipile event: a JSON object with a type');
	if (!chosenV2Events.call(this).events.includes(event.type)) return {};
	const accountIds = listParameter(this.getNodeParameter('accountIds', []));
	if (accountIds.length > 0 && (typeof event.account_id !== 'string' || !accountIds.includes(event.account_id))) return {};
	if (event.type === 'message.new' && !options.includeOwnMessages) {
		const own = await sentByAccount.call(this, event, options.deadline);
		// Letting an unknown message through could start an auto-reply to the account's own reply, forever.
		if (own === undefined) return refuse.call(this, 503, 'Could not ask Unipile whether the connected account sent this message; send it again');
		if (own) return {};
	}
	// Unipile sends an event again (same id) when it did not get a 2xx in time.
	if (typeof event.id === 'string' && event.id !== '' && !rememberDelivery(options.recent, event.id)) return {};
	const item: INodeExecutionData = { json: event as unknown as IDataObject };
	if (options.downloadAttachments && (event.type.startsWith('message.') || event.type === 'email.new')) {
		const { binary, report } = await downloadV2Attachments.call(this, event, options.prefix, options.deadline);
		if (binary) item.binary = binary;
		item.json = { ...item.json, attachmentDownload: report };
	}
	return { workflowData: [[item]] };
}
