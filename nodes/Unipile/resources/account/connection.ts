import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { providerLabel } from '../../../shared/descriptions';
import { invalidDate, toUnipileDate } from '../../../shared/validation';
import { credentialTypeOf } from '../../../shared/transport';

function isEmpty(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object') return Object.keys(value as object).length === 0;
	return false;
}

/** An optional field the user added but left empty is never sent: drops '', [], {} (also nested, e.g. a proxy's username). */
function withoutEmptyFields(body: IDataObject): IDataObject {
	const compact: IDataObject = {};
	for (const [key, value] of Object.entries(body)) {
		const cleaned =
			value !== null && typeof value === 'object' && !Array.isArray(value)
				? withoutEmptyFields(value as IDataObject)
				: value;
		if (!isEmpty(cleaned)) compact[key] = cleaned;
	}
	return compact;
}

/** `sync_limit.chats` / `.messages`: a count (0 = no history) or a date to sync from. */
function syncLimitValue(this: IExecuteSingleFunctions, field: string, value: unknown): number | string {
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text);
	const date = toUnipileDate(text, this.getTimezone());
	if (date !== undefined) return date;
	throw new NodeOperationError(this.getNode(), `"Sync Limit → ${field}" must be a number or a date: ${JSON.stringify(text)}`, {
		itemIndex: this.getItemIndex(),
		description: 'Give a quantity such as 500 (0 syncs no history) or a date such as 2026-01-31T00:00:00Z to sync from',
	});
}

/** preSend of Connect / Reconnect: removes what the user left empty and turns the sync limits into numbers or dates. */
export async function prepareConnectBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = withoutEmptyFields((requestOptions.body ?? {}) as IDataObject);
	const syncLimit = body.sync_limit as IDataObject | undefined;
	if (syncLimit) {
		for (const key of ['chats', 'messages']) {
			if (syncLimit[key] !== undefined) syncLimit[key] = syncLimitValue.call(this, key === 'chats' ? 'Chats' : 'Messages', syncLimit[key]);
		}
	}
	requestOptions.body = body;
	return requestOptions;
}

/** preSend of Create Hosted Auth Link: the expiry as Unipile's UTC date with milliseconds; empty options dropped. */
export async function prepareHostedAuthLinkBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = withoutEmptyFields((requestOptions.body ?? {}) as IDataObject);
	const expiresOn = toUnipileDate(body.expiresOn, this.getTimezone());
	if (expiresOn === undefined) throw invalidDate(this.getNode(), 'Expires On', body.expiresOn ?? '', this.getItemIndex());
	body.expiresOn = expiresOn;
	requestOptions.body = body;
	return requestOptions;
}

function nextStepFor(checkpoint: IDataObject | undefined, object: unknown, provider: string, accountId: string): string {
	const app = provider ? providerLabel(provider) : 'the provider';
	const solve = `call Account → Solve Checkpoint with Provider ${provider || '(the same provider)'}, Account ID ${accountId} and`;
	if (!checkpoint) {
		if (object === 'AccountReconnected') return `The account is reconnected: keep using Account ID ${accountId}.`;
		return `The account is connected: use Account ID ${accountId} in the other operations.`;
	}
	// A WhatsApp pairing comes back as a checkpoint carrying the code to type in the app.
	if (typeof checkpoint.code === 'string' || typeof checkpoint.pairing_code === 'string')
		return `In ${app} on the phone, open Linked devices → Link a device → Link with phone number instead, and enter pairingCode; the account then connects by itself (check with Account → Get, Account ID ${accountId}).`;
	switch (checkpoint.type) {
		case 'QRCODE':
			return provider === 'TELEGRAM'
				? `Turn qrCode into a QR code and scan it in Telegram (Settings → Devices → Link Desktop Device) within a few minutes; the account then connects by itself (check with Account → Get, Account ID ${accountId}).`
				: `Turn qrCode into a QR code and scan it with ${app} (Settings → Linked devices → Link a device) within a few minutes; the account then connects by itself (check with Account → Get, Account ID ${accountId}).`;
		case '2FA':
		case 'OTP':
			return `Get the code ${app} sent${checkpoint.source === 'SMS' ? ' by SMS' : checkpoint.source === 'APP' ? ' to the authentication app' : ''}, then ${solve} the code.`;
		case 'PHONE_REGISTER':
			return `${app} wants a mobile phone number to send a code to: ${solve} the phone number as the code.`;
		case 'IN_APP_VALIDATION':
			return `Confirm the sign-in in the ${app} app; the account then connects by itself (check with Account → Get, Account ID ${accountId}).`;
		case 'CAPTCHA':
			return `${app} asked for a captcha Unipile could not solve: connect this account through Account → Create Hosted Auth Link${provider === 'LINKEDIN' ? ', or with its cookies' : ''}.`;
		case 'CONTRACT_CHOOSER':
			return `Pick a LinkedIn Recruiter contract in contract_options, then ${solve} its id as the code.`;
		default:
			return `Unipile asks for a ${String(checkpoint.type)} checkpoint: ${solve} the code, if one was sent.`;
	}
}

function nextStepOnV2(answer: IDataObject, provider: string, accountId: string | null, reconnect: boolean): string {
	const app = provider ? providerLabel(provider) : 'the provider';
	const solve = `call Account → Solve Checkpoint with Intent ID ${String(answer.intent_id)} and`;
	switch (answer.object) {
		case 'Account':
			return reconnect ? `The account is reconnected: keep using Account ID ${String(accountId)}.` : `The account is connected: use Account ID ${String(accountId)} in the other operations.`;
		case 'OauthUrl':
			return `Open url in a browser and sign in to ${app} within a few minutes; the account then appears in Account → Get Many.`;
		case 'AuthenticationQrCode':
			// v2 answers the scan through the intent: Solve Checkpoint waits for it and returns the account.
			return `Turn qrCode into a QR code and scan it with ${app}${provider === 'TELEGRAM' ? ' (Settings → Devices → Link Desktop Device)' : ' (Settings → Linked devices → Link a device)'} within a few minutes, then ${solve} any Code (such as "scanned") to get the account.`;
	}
	const checkpoint = (answer.checkpoint ?? {}) as IDataObject;
	switch (checkpoint.type) {
		case '2FA':
		case 'OTP':
			return `Get the code ${app} sent, then ${solve} the code.`;
		case 'OTP_OR_IN_APP_VALIDATION':
			return `Get the code ${app} sent, then ${solve} the code; or confirm the sign-in in the ${app} app, then ${solve} any Code to get the account.`;
		case 'PAIRING_CODE':
			return `Enter pairingCode in ${app} on the phone (Linked devices → Link a device → Link with phone number instead), then ${solve} any Code to get the account.`;
		case 'PHONE_REGISTER':
			return `${app} wants a mobile phone number to send a code to: ${solve} the phone number as the code.`;
		case 'IN_APP_VALIDATION':
			return `Confirm the sign-in in the ${app} app, then ${solve} any Code to get the account.`;
		case 'CAPTCHA':
			return `${app} asked for a captcha Unipile could not solve: connect this account through Account → Create Hosted Auth Link${provider === 'LINKEDIN' ? ', or with its cookies' : ''}.`;
		case 'CONTRACT_SELECTION':
			return `Pick a LinkedIn Recruiter contract in the checkpoint, then ${solve} its id as the code.`;
		default:
			return `Unipile asks for a ${String(checkpoint.type)} checkpoint: ${solve} the code, if one was sent.`;
	}
}

/**
 * v2's answers (an Account, an AuthenticationCheckpoint or AuthenticationQrCode with its intent_id, an OauthUrl) with
 * the same top-level fields as v1's, and intentId for Solve Checkpoint.
 */
function describeV2(this: IExecuteSingleFunctions, answer: IDataObject): IDataObject {
	const operation = String(this.getNodeParameter('operation', ''));
	const reconnect = operation === 'reconnect';
	const connecting = operation === 'connect' || reconnect;
	const provider = connecting ? String(this.getNodeParameter('provider', '') ?? '') : String(answer.provider ?? '').toUpperCase();
	const reconnected = reconnect ? String(this.getNodeParameter('accountId', '', { extractValue: true }) ?? '').trim() : '';
	const accountId = answer.object === 'Account' ? String(answer.id ?? '') : reconnected || null;
	const checkpoint = answer.object === 'AuthenticationCheckpoint' && answer.checkpoint && typeof answer.checkpoint === 'object' ? (answer.checkpoint as IDataObject) : undefined;
	const json: IDataObject = {
		...answer,
		accountId,
		intentId: typeof answer.intent_id === 'string' ? answer.intent_id : null,
		checkpointType: checkpoint ? String(checkpoint.type) : answer.object === 'AuthenticationQrCode' ? 'QRCODE' : null,
	};
	if (answer.object === 'AuthenticationQrCode' && typeof answer.qrcode === 'string') json.qrCode = answer.qrcode;
	const pairingCode = checkpoint?.code ?? checkpoint?.pairing_code;
	if (checkpoint && typeof pairingCode === 'string') json.pairingCode = pairingCode;
	json.nextStep = nextStepOnV2(answer, provider, accountId, reconnect);
	return json;
}

/**
 * postReceive of Connect / Reconnect / Solve Checkpoint: keeps Unipile's answer and adds what the next node needs at
 * the top level (accountId, checkpointType, qrCode or pairingCode; on v2 intentId too) and a sentence saying what to
 * do next.
 */
export async function describeConnection(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	if (credentialTypeOf(this) === 'unipileV2Api') return items.map((item) => ({ ...item, json: describeV2.call(this, item.json) }));
	const provider = String(this.getNodeParameter('provider', '') ?? '');
	return items.map((item) => {
		const answer = item.json;
		const checkpoint =
			answer.object === 'Checkpoint' && answer.checkpoint && typeof answer.checkpoint === 'object'
				? (answer.checkpoint as IDataObject)
				: undefined;
		const accountId = String(answer.account_id ?? '');
		const json: IDataObject = { ...answer, accountId, checkpointType: checkpoint ? String(checkpoint.type) : null };
		if (checkpoint?.type === 'QRCODE' && typeof checkpoint.qrcode === 'string') json.qrCode = checkpoint.qrcode;
		const pairingCode = checkpoint?.code ?? checkpoint?.pairing_code;
		if (checkpoint && typeof pairingCode === 'string') json.pairingCode = pairingCode;
		json.nextStep = nextStepFor(checkpoint, answer.object, provider, accountId);
		return { ...item, json };
	});
}
