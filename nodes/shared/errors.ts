import { NodeApiError, NodeOperationError, sleep, type INode, type JsonObject } from 'n8n-workflow';
import { isByteStream, readAll } from './stream';

/** Unipile's problem+json body (v1), or its `{object: "Error", …}` body (v2, with the request's `req_id`). */
export interface UnipileProblem {
	title?: string;
	detail?: string;
	type?: string;
	status?: number;
	/** v2: the id Unipile support asks for */
	req_id?: string;
}

/** What we keep of a failed HTTP call: never the request options (their headers hold the API key). */
export interface HttpFailure {
	status?: number;
	retryAfterSeconds?: number;
	problem?: UnipileProblem;
	/** Network error code when no answer came: ECONNREFUSED, ECONNRESET, ETIMEDOUT, ECONNABORTED… */
	code?: string;
	/** A file download that broke after `received` of `expected` bytes. */
	download?: { received: number; expected?: number };
}

/**
 * The error of a streamed download whose body stopped short (connection lost, fewer bytes than Content-Length):
 * shaped like a network error so that the retry policy fetches the file again, and nothing partial is kept.
 */
export function brokenDownload(cause: unknown, received: number, expected?: number): Error {
	const code = (cause as { code?: unknown })?.code;
	return Object.assign(new Error(`The download broke after ${received} bytes`), {
		code: typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : 'ECONNRESET',
		download: { received, expected },
	});
}

function megabytes(bytes: number): string {
	return bytes < 100 * 1024 ? `${bytes} bytes` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What to do about the common problem types, in words a workflow builder can act on. */
const ADVICE: Record<string, string> = {
	'errors/missing_credentials':
		'Unipile received no API key. Open the Unipile API credential and paste an access token from the Unipile dashboard.',
	'errors/invalid_credentials':
		'Unipile rejected the API key or the login. Check the API Key and DSN of the Unipile API credential (Unipile dashboard → Access Tokens); for an account login, check the username and password.',
	'errors/expired_credentials':
		"The account's session has expired on the provider. Reconnect it: Unipile node → Account → Reconnect, or a hosted auth link of type Reconnect.",
	'errors/disconnected_account':
		'This account is disconnected from Unipile. Reconnect it (Unipile node → Account → Reconnect, or a hosted auth link of type Reconnect), then run the workflow again.',
	'errors/no_connection_with_recipient':
		'You are not connected with this person on the provider. On LinkedIn, send an invitation first, or start the chat as an InMail (Chat → Start → LinkedIn Options → InMail).',
	'errors/limit_exceeded':
		"The provider's limit for this action is reached (for example LinkedIn's invitations: about 100 a week on a paid account, far fewer on a free one; or messages). Wait a day or more before trying again and space the actions out.",
	'errors/already_invited_recently':
		'An invitation to this person is already pending. Wait for their answer, or withdraw it first (Unipile LinkedIn → Invitation → Cancel; LinkedIn then refuses a new one for a few weeks).',
	'errors/cannot_resend_yet':
		'An invitation to this person was withdrawn recently: LinkedIn refuses a new one for about three weeks. Try again later, or write to them another way (an InMail).',
	'errors/cannot_invite_attendee':
		'LinkedIn does not let this account invite this person (they may already be a relation, or only accept invitations with their email: set User Email).',
	'errors/action_already_performed': 'This was already done (the reaction, invitation or follow already exists). Nothing to do.',
	'errors/insufficient_credits':
		'No InMail credits left on this subscription. Check the balance (Unipile LinkedIn → User → Get InMail Balance), wait for the monthly refill, or send an invitation instead.',
	'errors/not_allowed_inmail':
		'This person does not accept InMails from this account (or the account has no InMail subscription). Send an invitation instead, or check the subscription.',
	'errors/invalid_post': 'LinkedIn refused this post or its attachments. Check the text length and the files (images, a video or a PDF).',
	'errors/too_many_requests':
		'Unipile is rate-limiting this API key. The node already waited and retried; slow the workflow down (Request Options → Batching) or try again later.',
	'errors/feature_not_subscribed':
		"This feature is not included in the account's subscription (for example LinkedIn Recruiter or Sales Navigator). Check the account's subscription (User → Get Own Profile shows its seats), use the Classic API option, or subscribe to the feature.",
	'errors/subscription_required': 'This action needs a paid subscription on the provider for this account.',
	'errors/insufficient_privileges': 'The API key or the account lacks the rights for this action.',
	'errors/checkpoint_error':
		'The provider asked for a verification that could not be completed. Connect the account again.',
	'errors/invalid_checkpoint_solution':
		'The code was not accepted. Check it (or request a new one) and call Account → Solve Checkpoint again.',
	'errors/resource_not_found': 'Check the ID: it must be a Unipile ID of an existing item that this API key can see.',
	'errors/invalid_resource_identifier': 'The ID is not in the form Unipile expects for this provider.',
	'errors/invalid_parameters': "Check the node's fields against the detail above.",
	'errors/missing_parameters': 'A required field is missing; see the detail above.',
	'errors/invalid_recipient':
		'The recipient ID is not valid for this provider (use the provider ID of the person, e.g. from Attendee → Get).',
	'errors/blocked_recipient': 'The recipient has blocked this account.',
	'errors/user_unreachable': 'The recipient cannot be reached on this provider right now.',
	'errors/cant_send_message':
		'The provider refused the message. Check the chat is still open and the account can write in it.',
	'errors/content_too_large': 'A file is too large for the provider. Send a smaller file.',
	'errors/too_many_characters': 'The text is too long for the provider. Shorten it.',
	'errors/unsupported_media_type': 'The provider does not accept this kind of file here.',
	'errors/no_client_session':
		'Unipile has no live session for this account right now. Try again shortly; if it lasts, reconnect the account.',
	'errors/network_down': 'Unipile cannot reach the provider right now. Try again later.',
	'errors/service_unavailable': 'Unipile is temporarily unavailable. Try again later.',
	'errors/request_timeout': 'The provider did not answer in time. Try again later.',
	'errors/provider_error': 'The provider returned an error to Unipile. Try again later.',
	'errors/recipient_rejected':
		'The mail provider refused a recipient. Check the To, Cc and Bcc addresses: a typo, a domain that does not exist, or a mailbox that was closed.',
	'errors/sender_rejected':
		'The mail provider refused to send from this mailbox. Check the account can send (its sending limits, or reconnect it).',
	'errors/send_as_denied':
		'This mailbox may not send as that address. Unipile Email sends from the connected mailbox: set only From Name, or add the address as an alias of the mailbox first.',
	'errors/parent_mail_not_found':
		'The email to answer is not in this mailbox. Use the Unipile ID of an email of the same account (from Email → Get Many or the trigger).',
	'errors/invalid_reply_subject': 'The subject does not fit the thread being answered. Leave Subject empty to answer with "Re: " and the original subject.',
	'errors/invalid_headers':
		'A custom header was refused. Use names starting with X-, or List-Unsubscribe, List-Unsubscribe-Post, Reply-To, Content-Type.',
	'errors/invalid_folder':
		'There is no such folder in this mailbox. Pick the folder from the list (Folder → Get Many shows them); Outlook and IMAP mailboxes take one folder.',
	'errors/invalid_thread': 'The thread is not in this mailbox. Answer an email of the thread instead (Email → Reply).',
	'errors/idempotency_conflict':
		'Unipile already received another email with the same Idempotency-Key (the node derives one per execution, node and item). Run the workflow again to send it.',
};

/**
 * Advice for v2's problem types (`api/…` thrown by Unipile, `provider/…` forwarded from the provider) that say more
 * than their v1 namesake; any other v2 type falls back to the v1 advice of the same name.
 */
const ADVICE_V2: Record<string, string> = {
	'api/invalid_auth_format': 'The API key header is malformed. Paste the API key again in the Unipile V2 API credential, without spaces.',
	'api/unauthorized':
		'Unipile API v2 refused the API key. Check the Unipile V2 API credential: a key of your v2 application (dashboard → API Keys), not a v1 access token.',
	'provider/invalid_authorization':
		"The provider no longer accepts this account's session: the account must be reconnected. Create a hosted auth link for it (Account → Create Hosted Auth Link with the account ID), then run the workflow again.",
	'provider/invalid_credentials': 'The provider refused the login. Check the username and password (or cookie) and connect again.',
	// v2 invites by user ID only (no email): the v1 advice's "set User Email" does not apply.
	'provider/cannot_invite_attendee':
		'LinkedIn does not let this account invite this person (they may already be a relation, or accept invitations only from people who know their email, which Unipile API v2 cannot send). Write to them another way (an InMail).',
	'provider/too_many_requests':
		"The provider's own limit for this action is reached (not Unipile's). Wait before trying again and space the actions out.",
};

function adviceFor(type: string | undefined): string | undefined {
	if (!type) return undefined;
	const known = ADVICE[type] ?? ADVICE_V2[type];
	if (known) return known;
	const v2 = /^(api|provider)\/(.+)$/.exec(type);
	return v2 ? ADVICE[`errors/${v2[2]}`] : undefined;
}

export const MAX_RETRIES = 3;
/** Longest Retry-After we wait for inside one execution; longer means "not now" and the error says so. */
export const RETRY_AFTER_CAP_SECONDS = 30;
const BACKOFF_MS = 500;

const CONNECTION_CODES_NOT_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN']);
const CONNECTION_CODES_MAYBE_SENT = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'ESOCKETTIMEDOUT',
]);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'PUT', 'PATCH']);

function parseRetryAfter(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(Array.isArray(value) ? value[0] : value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function parseProblem(data: unknown): UnipileProblem | undefined {
	let body = data;
	if (body instanceof ArrayBuffer) body = Buffer.from(body);
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	if (typeof body !== 'object' || body === null) return undefined;
	const { title, detail, type, status, req_id: reqId } = body as Record<string, unknown>;
	if (title === undefined && detail === undefined && type === undefined) return undefined;
	return {
		title: typeof title === 'string' ? title : undefined,
		detail: typeof detail === 'string' ? detail : undefined,
		type: typeof type === 'string' ? type : undefined,
		status: typeof status === 'number' ? status : undefined,
		...(typeof reqId === 'string' && reqId !== '' ? { req_id: reqId } : {}),
	};
}

/** Reads status, Retry-After, problem body and network code from what n8n's HTTP helpers throw. */
export function describeFailure(error: unknown): HttpFailure {
	const candidates = [
		error,
		(error as { cause?: unknown })?.cause,
		(error as { errorResponse?: unknown })?.errorResponse,
	];
	for (const candidate of candidates) {
		const response = (
			candidate as { response?: { status?: number; headers?: Record<string, unknown>; data?: unknown } }
		)?.response;
		if (response?.status) {
			return {
				status: response.status,
				retryAfterSeconds: parseRetryAfter(response.headers?.['retry-after']),
				problem: parseProblem(response.data),
			};
		}
	}
	for (const candidate of candidates) {
		const code = (candidate as { code?: unknown })?.code;
		const download = (candidate as { download?: HttpFailure['download'] })?.download;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return download ? { code, download } : { code };
	}
	const httpCode = Number((error as { httpCode?: unknown })?.httpCode);
	return Number.isInteger(httpCode) && httpCode >= 100 ? { status: httpCode } : {};
}

/**
 * A request carrying an `Idempotency-Key` (Unipile Email's sends): Unipile answers a replay with the original result
 * instead of acting again, so it may be resent like an idempotent method.
 */
export function hasIdempotencyKey(headers: unknown): boolean {
	return Object.entries((headers ?? {}) as Record<string, unknown>).some(
		([name, value]) => name.toLowerCase() === 'idempotency-key' && typeof value === 'string' && value !== '',
	);
}

/**
 * How long to wait before sending again, or undefined not to. A 429 was not processed: any request may be resent.
 * A 503/504 or a dropped connection may have been processed: only idempotent requests are resent, so a POST that
 * sends a message, starts a chat or connects an account never goes out twice.
 */
export function retryDelayMs(
	failure: HttpFailure,
	method: string,
	retriesDone: number,
	idempotent = IDEMPOTENT_METHODS.has(method.toUpperCase()),
): number | undefined {
	if (retriesDone >= MAX_RETRIES) return undefined;
	const retryable =
		failure.status === 429 ||
		(idempotent && (failure.status === 503 || failure.status === 504)) ||
		(failure.code !== undefined && CONNECTION_CODES_NOT_SENT.has(failure.code)) ||
		(idempotent && failure.code !== undefined && CONNECTION_CODES_MAYBE_SENT.has(failure.code));
	if (!retryable) return undefined;
	if (failure.retryAfterSeconds !== undefined) {
		return failure.retryAfterSeconds > RETRY_AFTER_CAP_SECONDS ? undefined : failure.retryAfterSeconds * 1000;
	}
	return BACKOFF_MS * 2 ** retriesDone;
}

/**
 * The n8n error users see. Built from scratch (not wrapped around the HTTP error) so that nothing of the request,
 * its headers or the API key, can travel into the execution data, logs or the error output of Continue On Fail.
 */
export function unipileError(
	node: INode,
	failure: HttpFailure,
	context: { itemIndex?: number; retries?: number; method?: string; host?: string; idempotent?: boolean },
): NodeApiError {
	const { problem, status } = failure;
	const retried =
		context.retries && context.retries > 0
			? ` The node retried ${context.retries} time${context.retries > 1 ? 's' : ''}.`
			: '';
	let message: string;
	let description: string;
	if (status === undefined && failure.download) {
		const { received, expected } = failure.download;
		message = `The file download from Unipile broke after ${megabytes(received)}${expected === undefined ? '' : ` of ${megabytes(expected)}`} (${failure.code ?? 'connection lost'})`;
		description = `Nothing was kept of the partial file. Try again later.${retried}`;
	} else if (status === undefined) {
		message = `Could not reach Unipile${context.host ? ` at ${context.host}` : ''} (${failure.code ?? 'no answer'})`;
		description =
			(CONNECTION_CODES_NOT_SENT.has(failure.code ?? '')
				? 'Check the DSN of the Unipile API credential and that this n8n can reach it.'
				: context.method && !IDEMPOTENT_METHODS.has(context.method) && !context.idempotent
					? 'The connection broke before Unipile answered, so the request may or may not have been processed. It was not sent again to avoid a duplicate: check in Unipile before re-running.'
					: 'The connection broke before Unipile answered. Try again later.') + retried;
	} else {
		const title = problem?.title ?? `Unipile answered ${status}`;
		const detail = problem?.detail && problem.detail !== problem.title ? `: ${problem.detail}` : '';
		message = `${title}${detail}${problem?.type ? ` [${problem.type}]` : ''}`;
		const advice =
			adviceFor(problem?.type) || (status === 429 ? ADVICE['errors/too_many_requests'] : '');
		const wait =
			failure.retryAfterSeconds !== undefined && failure.retryAfterSeconds > RETRY_AFTER_CAP_SECONDS
				? ` Unipile asked to wait ${Math.round(failure.retryAfterSeconds)} s before trying again.`
				: '';
		// v2 gives each request an id that Unipile support asks for.
		const requestId = problem?.req_id ? ` Unipile request ID: ${problem.req_id}.` : '';
		description = `${advice}${wait}${retried}${requestId}`.trim() || `HTTP ${status}`;
	}
	const error = new NodeApiError(node, { message, description, ...(problem ?? {}) } as JsonObject, {
		message,
		description,
		httpCode: status === undefined ? undefined : String(status),
		itemIndex: context.itemIndex,
	});
	// NodeApiError rewrites messages of well-known codes into generic ones; Unipile's words are more useful.
	error.message = message;
	error.description = description;
	// n8n loads a community package with its own copy of n8n-workflow, so n8n's RoutingNode does not see this as a
	// NodeApiError and wraps it again, keeping the HTTP status only from an axios-shaped `response.status`.
	if (status !== undefined) Object.assign(error, { isAxiosError: true, response: { status } });
	return error;
}

/** Errors `unipileError` made: final, never described or retried again by an outer `withRetries`. */
const unipileErrors = new WeakSet<object>();

/** Errors that are not HTTP failures (our own checks, a postReceive) pass through as n8n errors. */
function asNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error.message : String(error), { itemIndex });
}

/**
 * An error answer to a request made with `encoding: 'stream'` carries its body as a stream: read it (it is small)
 * so that the error says what Unipile said.
 */
async function readStreamedErrorBody(error: unknown): Promise<void> {
	for (const candidate of [error, (error as { cause?: unknown })?.cause, (error as { errorResponse?: unknown })?.errorResponse]) {
		const response = (candidate as { response?: { data?: unknown } })?.response;
		if (response && isByteStream(response.data)) {
			const stream = response.data;
			response.data = await readAll(stream, 64 * 1024).catch(() => undefined);
			stream.destroy();
		}
	}
}

/** Sends with the retry policy above; any HTTP failure comes out as a `unipileError`. */
export async function withRetries<T>(
	send: () => Promise<T>,
	options: {
		node: INode;
		method: string;
		itemIndex?: number;
		host?: string;
		idempotent?: boolean;
		/** ms since epoch: no retry whose wait would end after it */
		deadline?: number;
		/** What must happen once (a deletion): never resent after it may have reached Unipile, whatever its method. */
		once?: boolean;
	},
): Promise<T> {
	for (let retries = 0; ; retries++) {
		try {
			return await send();
		} catch (caught) {
			if (!unipileErrors.has(caught as object)) await readStreamedErrorBody(caught);
			const failure = unipileErrors.has(caught as object) ? {} : describeFailure(caught);
			if (failure.status === undefined && failure.code === undefined) {
				throw asNodeError(options.node, caught, options.itemIndex);
			}
			let delay = retryDelayMs(failure, options.method, retries, options.once ? false : options.idempotent || undefined);
			if (delay !== undefined && options.deadline !== undefined && Date.now() + delay >= options.deadline) delay = undefined;
			if (delay === undefined) {
				const unipile = unipileError(options.node, failure, { ...options, retries });
				unipileErrors.add(unipile);
				throw unipile;
			}
			await sleep(delay);
		}
	}
}
