import {
	NodeApiError,
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IHookFunctions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { binaryDownloadRequest, fileNameFromDisposition } from '../Unipile/shared/binary';
import { unipileApiRequest } from '../Unipile/shared/transport';
import { planRegistration, type RegistrationPlan } from './webhookEvents';
import { attachmentsOf, deliveryKey, judge, payloadOf, rememberDelivery, type Payload } from './webhookPayload';
import { registerWebhooks, unregisterWebhooks, webhooksExist, type ListedWebhook, type RegistrationState, type WebhookApi } from './webhookRegistry';
import { DELIVERY_CHECK_HEADER, secretMatches } from './webhookSecret';

const PAGE_SIZE = 250;

/**
 * The shared transport (credential checks, retries, Unipile's wording) is typed for the contexts of the other nodes;
 * hook and webhook contexts offer everything it calls (getCredentials, getNode, helpers.httpRequestWithAuthentication).
 */
type TransportContext = ThisParameterType<typeof unipileApiRequest>;
async function unipileRequest(
	context: IHookFunctions | IWebhookFunctions,
	request: Parameters<typeof unipileApiRequest>[0],
): Promise<unknown> {
	return await unipileApiRequest.call(context as unknown as TransportContext, request);
}

export interface WebhookTriggerOptions {
	includeOwnMessages?: boolean;
	downloadAttachments?: boolean;
	binaryPropertyPrefix?: string;
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

/** Unipile's /webhooks through the shared transport. */
function webhookApi(context: IHookFunctions): WebhookApi {
	return {
		async *list() {
			let cursor: string | undefined;
			do {
				const page = (await unipileRequest(context, {
					method: 'GET',
					path: '/webhooks',
					qs: cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE },
					json: true,
				})) as { items?: ListedWebhook[]; cursor?: string | null };
				for (const item of Array.isArray(page?.items) ? page.items : []) yield item;
				cursor = typeof page?.cursor === 'string' && page.cursor !== '' ? page.cursor : undefined;
			} while (cursor !== undefined);
		},
		async create(body) {
			const answer = (await unipileRequest(context, { method: 'POST', path: '/webhooks', body, json: true })) as IDataObject;
			if (typeof answer?.webhook_id !== 'string' || answer.webhook_id === '') {
				throw new NodeOperationError(context.getNode(), 'Unipile did not return the ID of the webhook it created', {
					description: `Answer: ${JSON.stringify(answer).slice(0, 200)}`,
				});
			}
			return answer.webhook_id;
		},
		async remove(id) {
			try {
				await unipileRequest(context, { method: 'DELETE', path: `/webhooks/${encodeURIComponent(id)}`, json: true });
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

/** `webhookMethods.default`: n8n calls checkExists on activation, create when it answers false, delete on deactivation. */
export const webhookLifecycle = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		const state = this.getWorkflowStaticData('node') as RegistrationState;
		return await webhooksExist(webhookApi(this), registrationPlan.call(this), state);
	},
	async create(this: IHookFunctions): Promise<boolean> {
		const state = this.getWorkflowStaticData('node') as RegistrationState;
		await registerWebhooks(webhookApi(this), registrationPlan.call(this), state);
		return true;
	},
	async delete(this: IHookFunctions): Promise<boolean> {
		const state = this.getWorkflowStaticData('node') as RegistrationState;
		const url = this.getNodeWebhookUrl('default') ?? '';
		await unregisterWebhooks(webhookApi(this), url, state);
		return true;
	},
};

async function downloadAttachments(this: IWebhookFunctions, payload: Payload, prefix: string): Promise<IBinaryKeyData | undefined> {
	const messageId = typeof payload.message_id === 'string' ? payload.message_id : undefined;
	if (!messageId) return undefined;
	const binary: IBinaryKeyData = {};
	for (const [index, attachment] of attachmentsOf(payload).entries()) {
		let response: IN8nHttpFullResponse;
		try {
			response = (await unipileRequest(this, {
				method: 'GET',
				path: `/messages/${encodeURIComponent(messageId)}/attachments/${encodeURIComponent(attachment.id)}`,
				headers: { accept: '*/*' },
				...binaryDownloadRequest,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			// A file the provider no longer has must not lose the event itself.
			if (error instanceof NodeApiError && String(error.httpCode) === '404') continue;
			throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error);
		}
		const body = response.body as ArrayBuffer | Buffer;
		const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
		const header = (name: string) => {
			const value = response.headers?.[name];
			return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
		};
		const mimeType = header('content-type')?.split(';')[0].trim() || attachment.mimeType;
		const fileName = fileNameFromDisposition(header('content-disposition')) ?? attachment.fileName;
		binary[`${prefix}${index}`] = await this.helpers.prepareBinaryData(buffer, fileName, mimeType);
	}
	return Object.keys(binary).length > 0 ? binary : undefined;
}

function refuse(this: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

/**
 * One delivery from Unipile. Refused without an execution: a missing or wrong secret (401), a body that is not a
 * JSON object (400). Answered 200 without an execution: an event or account not chosen, an own message when those
 * are excluded, a resend of a delivery already received. Everything else starts one execution with the payload.
 */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	if (!secretMatches(state.secret, this.getHeaderData()[DELIVERY_CHECK_HEADER.toLowerCase()])) {
		return refuse.call(this, 401, 'Unauthorized');
	}
	const request = this.getRequestObject() as unknown as { rawBody?: Buffer };
	const payload = payloadOf(this.getBodyData(), request.rawBody);
	const options = this.getNodeParameter('options', {}) as WebhookTriggerOptions;
	const verdict = judge(payload, {
		events: chosenEvents.call(this),
		accountIds: chosenAccounts.call(this),
		includeOwnMessages: options.includeOwnMessages === true,
	});
	if (verdict.kind === 'refuse') return refuse.call(this, verdict.status, verdict.message);
	if (verdict.kind === 'ignore') return {};
	const key = deliveryKey(payload!);
	if (key !== undefined) {
		state.recent = Array.isArray(state.recent) ? state.recent : [];
		if (!rememberDelivery(state.recent, key)) return {};
	}
	const item: INodeExecutionData = { json: payload as IDataObject };
	if (options.downloadAttachments === true && verdict.event.startsWith('message_')) {
		const binary = await downloadAttachments.call(this, payload!, options.binaryPropertyPrefix?.trim() || 'attachment_');
		if (binary) item.binary = binary;
	}
	return { workflowData: [[item]] };
}
