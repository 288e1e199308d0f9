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
import { unipilePages } from '../shared/pager';
import { credentialTypeOf, unipileApiRequest } from '../shared/transport';
import { planRegistration, type RegistrationPlan } from './webhookEvents';
import { attachmentsOf, deliveryKey, judge, payloadOf, rememberDelivery, type Payload } from './webhookPayload';
import { registerWebhooks, unregisterWebhooks, webhooksExist, type ListedWebhook, type RegistrationState, type WebhookApi } from './webhookRegistry';
import { DELIVERY_CHECK_HEADER, secretMatches } from './webhookSecret';
import { receiveV2Delivery, webhookLifecycleV2 } from './webhookTriggerV2';

const onV2 = (context: IHookFunctions | IWebhookFunctions) => credentialTypeOf(context) === 'unipileV2Api';

const PAGE_SIZE = 250;

/**
 * Keys of recent deliveries per trigger, in this n8n process. Static data could keep them across restarts, but n8n
 * then writes it to its database on every delivery (measured: the slowest part of a delivery), and concurrent
 * deliveries each save their own copy (the last one wins). Unipile resends within seconds to minutes, to the
 * process that failed to answer: memory covers that.
 */
const recentDeliveries = new Map<string, string[]>();
const TRIGGERS_REMEMBERED = 1000;

function recentOf(key: string): string[] {
	let recent = recentDeliveries.get(key);
	if (!recent) {
		if (recentDeliveries.size >= TRIGGERS_REMEMBERED) recentDeliveries.delete(recentDeliveries.keys().next().value as string);
		recent = [];
		recentDeliveries.set(key, recent);
	}
	return recent;
}

export interface WebhookTriggerOptions {
	includeOwnMessages?: boolean;
	downloadAttachments?: boolean;
	binaryPropertyPrefix?: string;
	/** seconds */
	downloadTimeLimit?: number;
}

function listParameter(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return [...new Set(list.map((v) => String(v).trim()).filter((v) => v !== ''))];
}

function chosenEvents(this: IHookFunctions | IWebhookFunctions): string[] {
	return listParameter(this.getNodeParameter('events', []));
}

function chosenAccounts(this: IHookFunctions | IWebhookFunctions): string[] {
	return listParameter(this.getNodeParameter('accountIds', []));
}

/** Unipile's /webhooks through the shared transport (credential checks, retries, Unipile's wording). */
function webhookApi(context: IHookFunctions): WebhookApi {
	return {
		async *list() {
			for await (const page of unipilePages.call(context, { path: '/webhooks', qs: { limit: PAGE_SIZE } })) {
				yield* page.items as unknown as ListedWebhook[];
			}
		},
		async create(body) {
			const answer = (await unipileApiRequest.call(context, { method: 'POST', path: '/webhooks', body, json: true })) as IDataObject;
			if (typeof answer?.webhook_id !== 'string' || answer.webhook_id === '') {
				throw new NodeOperationError(context.getNode(), 'Unipile did not return the ID of the webhook it created', {
					description: `Answer: ${JSON.stringify(answer).slice(0, 200)}`,
				});
			}
			return answer.webhook_id;
		},
		async remove(id) {
			try {
				await unipileApiRequest.call(context, { method: 'DELETE', path: `/webhooks/${encodeURIComponent(id)}`, json: true });
			} catch (error) {
				if (error instanceof NodeApiError && String(error.httpCode) === '404') return;
				throw error instanceof NodeApiError ? error : new NodeOperationError(context.getNode(), error as Error);
			}
		},
	};
}

function registrationPlan(this: IHookFunctions): RegistrationPlan {
	const url = this.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(this.getNode(), 'n8n gave no webhook URL for this node');
	const events = chosenEvents.call(this);
	if (events.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Choose at least one event in Events', {
			description: 'The trigger registers a Unipile webhook for the events chosen there.',
		});
	}
	return planRegistration({ url, events, accountIds: chosenAccounts.call(this), workflowId: this.getWorkflow().id, nodeName: this.getNode().name });
}

/**
 * `webhookMethods.default`: n8n calls checkExists on activation, create when it answers false, delete on deactivation.
 * On Unipile API v2 (Authentication), one signed webhook endpoint instead of one webhook per source (webhookTriggerV2).
 */
export const webhookLifecycle = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		if (onV2(this)) return await webhookLifecycleV2.checkExists.call(this);
		const state = this.getWorkflowStaticData('node') as RegistrationState;
		return await webhooksExist(webhookApi(this), registrationPlan.call(this), state);
	},
	async create(this: IHookFunctions): Promise<boolean> {
		if (onV2(this)) return await webhookLifecycleV2.create.call(this);
		const state = this.getWorkflowStaticData('node') as RegistrationState;
		await registerWebhooks(webhookApi(this), registrationPlan.call(this), state);
		return true;
	},
	async delete(this: IHookFunctions): Promise<boolean> {
		if (onV2(this)) return await webhookLifecycleV2.delete.call(this);
		const state = this.getWorkflowStaticData('node') as RegistrationState;
		const url = this.getNodeWebhookUrl('default') ?? '';
		await unregisterWebhooks(webhookApi(this), url, state);
		return true;
	},
};

/** What `Download Attachments` adds to an item, so a workflow can tell a complete download from a cut-short one. */
export interface AttachmentDownload {
	complete: boolean;
	/** binary field names filled, in order */
	downloaded: string[];
	/** attachments without a binary field: gone at the provider, or not fetched within the time limit */
	notDownloaded: Array<{ index: number; id?: string; fileName?: string; mimeType?: string; reason: 'unavailable' | 'time_limit' }>;
}

/** The id a mail payload gives its email: `email_id`, or `id` in the older `{object: 'Mail', id}` shape. */
function emailIdOf(payload: Payload): string | undefined {
	const id = payload.email_id ?? payload.id;
	return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The files of a message or email through the shared downloader, named as the polling trigger names them
 * (`attachment_0`, …), until `deadline`: what is not in hand then is described instead, so the answer to Unipile
 * never waits for a big file.
 */
async function downloadAttachments(this: IWebhookFunctions, payload: Payload, email: boolean, prefix: string, deadline: number): Promise<{ binary?: IBinaryKeyData; report: AttachmentDownload }> {
	const refs = attachmentsOf(payload);
	const owner = email ? emailIdOf(payload) : typeof payload.message_id === 'string' ? payload.message_id : undefined;
	const report: AttachmentDownload = { complete: true, downloaded: [], notDownloaded: [] };
	if (owner === undefined || refs.length === 0) return { report };
	const message: IDataObject = {
		id: owner,
		attachments: refs.map((a) => (email ? { id: a.id, name: a.fileName, mime: a.mimeType, unavailable: a.unavailable } : { id: a.id, file_name: a.fileName, mimetype: a.mimeType, unavailable: a.unavailable })),
	};
	const { binary, attachments, pastDeadline } = await downloadMessageAttachments.call(this, message, { propertyName: (index) => `${prefix}${index}`, skipMissing: true, email, deadline });
	for (const [index, described] of attachments.entries()) {
		if (typeof described.binaryPropertyName === 'string') {
			report.downloaded.push(described.binaryPropertyName);
			continue;
		}
		const ref = refs[index];
		report.notDownloaded.push({ index, id: ref.id, fileName: ref.fileName, mimeType: ref.mimeType, reason: pastDeadline.includes(index) ? 'time_limit' : 'unavailable' });
	}
	report.complete = pastDeadline.length === 0;
	return { binary: Object.keys(binary).length > 0 ? binary : undefined, report };
}

/**
 * Whether the connected account sent this message, asked of Unipile (the message's documented `is_sender`) when the
 * delivery does not say. Undefined when Unipile could not answer in time.
 */
async function sentByAccount(this: IWebhookFunctions, payload: Payload, deadline: number): Promise<boolean | undefined> {
	if (typeof payload.message_id !== 'string' || payload.message_id === '') return undefined;
	try {
		const message = (await unipileApiRequest.call(this, { method: 'GET', path: `/messages/${encodeURIComponent(payload.message_id)}`, json: true, deadline })) as IDataObject;
		const flag = message?.is_sender;
		if (flag === 1 || flag === true) return true;
		if (flag === 0 || flag === false) return false;
		return undefined;
	} catch {
		return undefined;
	}
}

function refuse(this: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

/** Default of the Download Time Limit option: Unipile waits 30 s for the answer, and n8n needs the rest to start the execution. */
export const DEFAULT_DOWNLOAD_TIME_LIMIT_SECONDS = 20;
export const MAX_DOWNLOAD_TIME_LIMIT_SECONDS = 25;

function timeLimitMs(options: WebhookTriggerOptions): number {
	const seconds = Number(options.downloadTimeLimit ?? DEFAULT_DOWNLOAD_TIME_LIMIT_SECONDS);
	const bounded = Number.isFinite(seconds) ? Math.min(Math.max(seconds, 1), MAX_DOWNLOAD_TIME_LIMIT_SECONDS) : DEFAULT_DOWNLOAD_TIME_LIMIT_SECONDS;
	return bounded * 1000;
}

/**
 * One delivery from Unipile. Refused without an execution: a missing or wrong secret (401), a body that is not a
 * JSON object (400), a message Unipile could not say the account did not send (503, so Unipile sends it again).
 * Answered 200 without an execution: an event, account or status not chosen, an own message when those are
 * excluded, a resend of a delivery already received. Everything else starts one execution with the payload.
 * All the work before the answer (asking Unipile, downloading files) ends by the Download Time Limit.
 */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const arrivedAt = Date.now();
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	if (typeof state.secret !== 'string') {
		// n8n saves the activation's static data after the webhooks exist at Unipile: a delivery in between finds none.
		// Answering would make n8n save this empty copy over the secret (reading it created it); a throw saves nothing.
		throw new NodeOperationError(this.getNode(), 'A Unipile delivery arrived before n8n had finished activating this trigger', {
			description: 'It was refused (HTTP 500) so that the trigger keeps its secret; Unipile sends it again shortly.',
		});
	}
	if (onV2(this)) {
		const options = this.getNodeParameter('options', {}) as WebhookTriggerOptions;
		return await receiveV2Delivery.call(this, state, {
			includeOwnMessages: options.includeOwnMessages === true,
			downloadAttachments: options.downloadAttachments === true,
			prefix: options.binaryPropertyPrefix?.trim() || 'attachment_',
			deadline: arrivedAt + timeLimitMs(options),
			recent: recentOf(`${this.getWorkflow().id ?? ''}/${this.getNode().id}/${this.getMode()}/v2`),
		});
	}
	if (!secretMatches(state.secret, this.getHeaderData()[DELIVERY_CHECK_HEADER.toLowerCase()])) {
		return refuse.call(this, 401, 'Unauthorized');
	}
	const request = this.getRequestObject() as unknown as { rawBody?: Buffer };
	const payload = payloadOf(this.getBodyData(), request.rawBody);
	const options = this.getNodeParameter('options', {}) as WebhookTriggerOptions;
	const chosen = chosenEvents.call(this);
	const verdict = judge(payload, {
		events: chosen,
		accountIds: chosenAccounts.call(this),
		includeOwnMessages: options.includeOwnMessages === true,
		accountStatuses: chosen.includes('account_status') ? listParameter(this.getNodeParameter('accountStatuses', [])) : [],
	});
	if (verdict.kind === 'refuse') return refuse.call(this, verdict.status, verdict.message);
	if (verdict.kind === 'ignore') return {};
	const deadline = arrivedAt + timeLimitMs(options);
	if (verdict.askOwnership) {
		const own = await sentByAccount.call(this, payload!, deadline);
		// Letting an unknown message through could start an auto-reply to the account's own reply, forever.
		if (own === undefined) return refuse.call(this, 503, 'Could not ask Unipile whether the connected account sent this message; send it again');
		if (own) return {};
	}
	const key = deliveryKey(payload!);
	if (key !== undefined) {
		const trigger = `${this.getWorkflow().id ?? ''}/${this.getNode().id}/${this.getMode()}`;
		if (!rememberDelivery(recentOf(trigger), key)) return {};
	}
	const item: INodeExecutionData = { json: payload as IDataObject };
	const email = verdict.event === 'mail_received' || verdict.event === 'mail_sent';
	if (options.downloadAttachments === true && (email || verdict.event.startsWith('message_'))) {
		const { binary, report } = await downloadAttachments.call(this, payload!, email, options.binaryPropertyPrefix?.trim() || 'attachment_', deadline);
		if (binary) item.binary = binary;
		item.json = { ...item.json, attachmentDownload: report as unknown as IDataObject };
	}
	return { workflowData: [[item]] };
}
