import { createHash, randomUUID } from 'node:crypto';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INodeProperties,
} from 'n8n-workflow';
import { accountTypeOf } from '../../../shared/accountKinds';
import { binaryFields } from '../../../shared/multipart';
import { credentialTypeOf, unipileApiRequest } from '../../../shared/transport';
import { v2Path } from '../../../shared/v2';
import { AddressError, parseAddresses, type MailRecipient } from '../../../shared/addresses';

/** What the compose fields are used for: a new email, an answer to one, or a draft (sent later). */
export type ComposeKind = 'send' | 'reply' | 'draft';

/** Header names Unipile takes in `custom_headers`: X-… and these. */
const ALLOWED_HEADERS = ['List-Unsubscribe', 'List-Unsubscribe-Post', 'Reply-To', 'Content-Type'];
const CUSTOM_HEADER = /^X-[A-Za-z0-9-]+$/i;

const ADDRESS_HINT =
	'Write addresses as "Ada Lovelace <ada@example.com>, bob@example.com", or map an array of addresses or of {display_name, identifier} objects.';

const body = (property: string) => ({ send: { type: 'body' as const, property } });

/**
 * The fields of a new email, shared by Email → Send, Email → Reply and Draft → Create. On Reply the recipients and
 * the subject default to the answered email's (sender, `Re: <subject>`), so they are optional there.
 */
export function composeFields(show: { resource: string[]; operation: string[] }, kind: ComposeKind): INodeProperties[] {
	const displayOptions = { show };
	return [
		{
			displayName: 'To',
			name: 'to',
			type: 'string',
			default: '',
			placeholder: 'e.g. Ada Lovelace <ada@example.com>, bob@example.com',
			description:
				kind === 'reply'
					? 'Recipients, separated by commas. Leave empty to answer the sender of the email.'
					: 'Recipients, separated by commas: "Name <address>" or just the address. An expression may give an array of addresses or of {display_name, identifier} objects.',
			displayOptions,
			routing: body('to'),
		},
		{
			displayName: 'Subject',
			name: 'subject',
			type: 'string',
			default: '',
			description: kind === 'reply' ? 'Leave empty for "Re: " and the subject of the email answered' : 'The subject line',
			displayOptions,
			routing: body('subject'),
		},
		{
			displayName: 'Body',
			name: 'body',
			type: 'string',
			required: kind !== 'draft',
			typeOptions: { rows: 6 },
			default: '',
			description: 'The content, as HTML or plain text (open and link tracking need HTML)',
			displayOptions,
			routing: body('body'),
		},
		{
			displayName: 'Cc',
			name: 'cc',
			type: 'string',
			default: '',
			placeholder: 'e.g. Grace Hopper <grace@example.org>',
			description: 'Copy recipients, in the same forms as To',
			displayOptions,
			routing: body('cc'),
		},
		{
			displayName: 'Bcc',
			name: 'bcc',
			type: 'string',
			default: '',
			description: 'Blind copy recipients, in the same forms as To',
			displayOptions,
			routing: body('bcc'),
		},
		{
			displayName: 'From Name',
			name: 'fromName',
			type: 'string',
			default: '',
			placeholder: 'e.g. Sandra from Acme',
			description: 'The sender name recipients see; the address is always the account\'s own',
			displayOptions,
			routing: {
				send: { type: 'body', property: 'from', value: '={{ String($value ?? "").trim() ? JSON.stringify({ display_name: String($value).trim() }) : "" }}' },
			},
		},
		binaryFields({
			displayName: 'Attachments (Input Binary Fields)',
			name: 'attachments',
			bodyProperty: 'attachments',
			multiple: true,
			description:
				'Names of binary fields of the incoming item to attach, separated by commas. Each file keeps its file name and MIME type.',
			displayOptions,
		}),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions,
			options: [
				{
					displayName: 'Custom Headers',
					name: 'customHeaders',
					type: 'fixedCollection',
					placeholder: 'Add Header',
					typeOptions: { multipleValues: true },
					default: {},
					description: `Extra email headers: names starting with X-, or ${ALLOWED_HEADERS.join(', ')}`,
					options: [
						{
							displayName: 'Header',
							name: 'header',
							values: [
								{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. X-Campaign' },
								{ displayName: 'Value', name: 'value', type: 'string', default: '' },
							],
						},
					],
					routing: {
						send: { type: 'body', property: 'custom_headers', value: '={{ ($value.header ?? []).length ? JSON.stringify($value.header) : "" }}' },
					},
				},
				...(kind === 'send'
					? [
							{
								displayName: 'Draft ID',
								name: 'draftId',
								type: 'string' as const,
								default: '',
								description: 'Send this draft (from Draft → Create): its recipients, subject and files are used unless given here',
								routing: body('draft_id'),
							},
						]
					: []),
				{
					displayName: 'Tracking Options',
					name: 'trackingOptions',
					type: 'collection',
					placeholder: 'Add Tracking Option',
					default: {},
					description: 'Open and link tracking (HTML bodies only)',
					options: [
						{ displayName: 'Label', name: 'label', type: 'string', default: '', description: 'A label to find the tracking events of this email by' },
						{ displayName: 'Track Links', name: 'links', type: 'boolean', default: true, description: 'Whether to track clicks on links' },
						{ displayName: 'Track Opens', name: 'opens', type: 'boolean', default: true, description: 'Whether to track opens' },
					],
				},
			],
		},
	];
}

function refuse(context: IExecuteSingleFunctions, message: string, description: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex: context.getItemIndex(), description });
}

function recipients(context: IExecuteSingleFunctions, label: string, value: unknown): MailRecipient[] {
	try {
		return parseAddresses(label, value);
	} catch (error) {
		throw refuse(context, error instanceof AddressError ? error.message : String(error), ADDRESS_HINT);
	}
}

function hasText(value: unknown): boolean {
	return typeof value === 'string' && value.trim() !== '';
}

/**
 * The key Unipile deduplicates sends by: the same for every attempt of one item of one run of this node in this
 * execution (so a retry after a 503, a timeout or a dropped connection cannot send twice), different otherwise.
 */
export function idempotencyKey(context: IExecuteSingleFunctions): string {
	const executionId = context.getExecutionId();
	let runIndex = 0;
	try {
		runIndex = Number(context.getWorkflowDataProxy(context.getItemIndex()).$runIndex) || 0;
	} catch {
		runIndex = 0;
	}
	// Without an execution id (nothing to tie attempts together) each call still gets one key for its own retries.
	const source = executionId
		? [context.getWorkflow().id, executionId, context.getNode().id, runIndex, context.getItemIndex()].join(':')
		: randomUUID();
	return `n8n-${createHash('sha256').update(source).digest('hex').slice(0, 48)}`;
}

/** The email being answered, for Reply's defaults. */
async function answeredEmail(context: IExecuteSingleFunctions): Promise<IDataObject> {
	if (credentialTypeOf(context) === 'unipileV2Api') {
		return (await unipileApiRequest.call(context, { method: 'GET', path: v2Path(context, '/{accountId}/emails/{emailId}'), json: true }, context.getItemIndex())) as IDataObject;
	}
	const emailId = String(context.getNodeParameter('emailId', '')).trim();
	return (await unipileApiRequest.call(context, { method: 'GET', path: `/emails/${encodeURIComponent(emailId)}`, json: true }, context.getItemIndex())) as IDataObject;
}

/** A v1 attendee (`{identifier}`) or a v2 address (`{email}`), one or a list, as recipients. */
function addressesOf(value: unknown): MailRecipient[] {
	const list = (Array.isArray(value) ? value : value ? [value] : []) as IDataObject[];
	return list
		.map((entry) => ({ identifier: String(entry?.identifier ?? entry?.email ?? '').trim(), display_name: typeof entry?.display_name === 'string' ? entry.display_name : undefined }))
		.filter((entry) => entry.identifier !== '')
		.map((entry) => (entry.display_name ? { display_name: entry.display_name, identifier: entry.identifier } : { identifier: entry.identifier }));
}

/**
 * What v2 threads a reply by (`reply_to_message_id`): the email's provider id on Gmail and Outlook, its RFC 822
 * Message-ID on IMAP; the account says which.
 */
async function v2ThreadId(context: IExecuteSingleFunctions, answered: IDataObject): Promise<string> {
	// The account's type is the one the account-kind check already looked up in this execution (accountKinds.ts).
	const accountId = String(context.getNodeParameter('accountId', '', { extractValue: true }) ?? '').trim();
	const type = await accountTypeOf(context, accountId);
	return String(type === 'IMAP' && answered.message_id ? answered.message_id : answered.id);
}

/**
 * Turns the compose fields into what POST /emails and /drafts take, refusing before anything is sent what Unipile
 * would refuse or what would send the wrong email: malformed addresses, no recipient, an empty body, header names
 * Unipile rejects. Recipients go as JSON text parts (`to`, `cc`, `bcc`), as the SDK sends them.
 */
export function composeEmail(kind: ComposeKind) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const form = (requestOptions.body ?? {}) as IDataObject;
		const to = recipients(this, 'To', form.to);
		const cc = recipients(this, 'Cc', form.cc);
		const bcc = recipients(this, 'Bcc', form.bcc);
		if (kind !== 'draft' && !hasText(form.body)) {
			throw refuse(this, 'The email has no body: "Body" is empty', 'Enter the content of the email (HTML or plain text), or map it from an earlier node.');
		}
		const headers = this.getNodeParameter('options.customHeaders.header', []) as Array<{ name?: string; value?: string }>;
		for (const header of headers) {
			const name = String(header.name ?? '').trim();
			if (!CUSTOM_HEADER.test(name) && !ALLOWED_HEADERS.some((allowed) => allowed.toLowerCase() === name.toLowerCase())) {
				throw refuse(
					this,
					`Custom Headers: "${name}" is not a header Unipile lets you set`,
					`Use a name starting with X- (e.g. X-Campaign), or one of ${ALLOWED_HEADERS.join(', ')}.`,
				);
			}
		}
		// A draft brings its own recipients.
		const sendsDraft = kind === 'send' && hasText(this.getNodeParameter('options.draftId', ''));
		if (kind === 'reply') {
			const answered = await answeredEmail(this);
			const onV2 = credentialTypeOf(this) === 'unipileV2Api';
			form.account_id = answered.account_id;
			form.reply_to = onV2 ? await v2ThreadId(this, answered) : answered.id;
			if (to.length === 0) {
				// v1 names them from_attendee and reply_to_attendees, v2 from and reply_to.
				const replyTo = addressesOf(onV2 ? answered.reply_to : answered.reply_to_attendees);
				to.push(...(replyTo.length ? replyTo : addressesOf(onV2 ? answered.from : answered.from_attendee).slice(0, 1)));
			}
			if (!hasText(form.subject)) {
				const subject = String(answered.subject ?? '').trim();
				form.subject = /^re\s*:/i.test(subject) ? subject : `Re: ${subject}`;
			}
		}
		if (kind !== 'draft' && to.length === 0 && !sendsDraft) {
			throw refuse(
				this,
				kind === 'reply' ? 'No recipient: the email answered has no sender address and "To" is empty' : 'No recipient: "To" is empty',
				ADDRESS_HINT,
			);
		}
		const tracking = this.getNodeParameter('options.trackingOptions', {}) as IDataObject;
		const trackingOptions = Object.fromEntries(
			['opens', 'links', 'label'].filter((key) => tracking[key] !== undefined && tracking[key] !== '').map((key) => [key, tracking[key]]),
		);
		if (Object.keys(trackingOptions).length) form.tracking_options = JSON.stringify(trackingOptions);
		const list = (entries: MailRecipient[]) => (entries.length ? JSON.stringify(entries) : '');
		form.to = list(to);
		form.cc = list(cc);
		form.bcc = list(bcc);
		requestOptions.body = form;
		if (kind !== 'draft') requestOptions.headers = { ...(requestOptions.headers ?? {}), 'Idempotency-Key': idempotencyKey(this) };
		return requestOptions;
	};
}
