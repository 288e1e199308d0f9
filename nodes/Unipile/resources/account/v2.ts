import { NodeOperationError, type IDataObject, type IExecutePaginationFunctions } from 'n8n-workflow';
import { providerLabel } from '../../../shared/descriptions';
import type { FieldSource, V1Request, V2Route, V2Unavailable } from '../../../shared/v2';

/** What users see instead of Resync's fields on v2, and the error if a workflow still runs it. */
export const RESYNC_ON_V2 = 'Unipile API v2 has no resync: Unipile keeps v2 accounts in sync itself.';

/** v1's provider values as v2 names them; the others (Messenger, X) have no v2 connection. */
const MESSAGING_PROVIDERS: Record<string, string> = { INSTAGRAM: 'instagram', LINKEDIN: 'linkedin', TELEGRAM: 'telegram', WHATSAPP: 'whatsapp' };
const HOSTED_PROVIDERS: Record<string, string> = { ...MESSAGING_PROVIDERS, GOOGLE: 'google', MAIL: 'imap', OUTLOOK: 'outlook' };

function v2Provider(context: IExecutePaginationFunctions, value: unknown, known: Record<string, string>): string {
	const provider = known[String(value ?? '')];
	if (provider !== undefined) return provider;
	throw new NodeOperationError(context.getNode(), `${providerLabel(value)} accounts cannot be connected on Unipile API v2`, {
		itemIndex: context.getItemIndex(),
		description: `Unipile API v2 connects ${Object.keys(known).map(providerLabel).join(', ')} accounts. Choose "Unipile API V1 (DSN)" in Authentication to connect a ${providerLabel(value)} account with a v1 application.`,
	});
}

/** The entries given, or nothing: settings left empty send no `{}` (the table's fields drop only '' and []). */
function given(entries: IDataObject): IDataObject | undefined {
	const kept = Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== null && value !== ''));
	return Object.keys(kept).length > 0 ? kept : undefined;
}

/** v1's flat sign-in fields as v2's `credentials` of the provider. */
function credentials(request: V1Request, context: IExecutePaginationFunctions): IDataObject | undefined {
	const body = request.body;
	switch (v2Provider(context, body.provider, MESSAGING_PROVIDERS)) {
		case 'linkedin':
			// The li_at cookie joins an existing browser session; li_a is v2's premium_access_token.
			if (body.access_token !== undefined) return given({ access_token: body.access_token, premium_access_token: body.premium_token, user_agent: body.user_agent });
			return given({ username: body.username, password: body.password, user_agent: body.user_agent });
		case 'instagram':
			return given({ username: body.username, password: body.password });
		default:
			// WhatsApp and Telegram sign in by scanning a QR code.
			return { qrcode: true };
	}
}

/** v1's proxy (body) and proxy location (query `country`, `ip`) as v2's `config`. */
function config(request: V1Request): IDataObject | undefined {
	const proxy = request.body.proxy as IDataObject | undefined;
	return given({
		custom_proxy: proxy ? given(proxy) : undefined,
		auto_proxy_config: given({ country: request.qs.country, ip: request.qs.ip }),
	});
}

const intentBody: Record<string, FieldSource> = {
	provider: (request, context) => v2Provider(context, request.body.provider, MESSAGING_PROVIDERS),
	credentials,
	config,
};

const accountParameter: FieldSource = (_request, context) => String(context.getNodeParameter('accountId', '', { extractValue: true }) ?? '').trim();

/** v1's hosted link providers ("*" or a list) in v2's names; a reconnection link may offer any ("*"): the account decides. */
function hostedProviders(request: V1Request, context: IExecutePaginationFunctions): string | string[] {
	const providers = request.body.providers;
	if (request.body.type === 'reconnect' || providers === undefined || providers === '*') return '*';
	return (Array.isArray(providers) ? providers : [providers]).map((provider) => v2Provider(context, provider, HOSTED_PROVIDERS));
}

export const accountV2: Record<string, V2Route | V2Unavailable> = {
	connect: { method: 'POST', path: '/auth/intent', body: intentBody },
	createHostedAuthLink: {
		method: 'POST',
		path: '/auth/link',
		body: {
			providers: hostedProviders,
			expires_on: 'expiresOn',
			redirect_uri: 'redirect_uri',
			state: 'state',
			account_id: (request) => (request.body.type === 'reconnect' ? request.body.reconnect_account : undefined),
		},
	},
	delete: { method: 'DELETE', path: '/accounts/{accountId}' },
	get: { method: 'GET', path: '/accounts/{accountId}' },
	getAll: { method: 'GET', path: '/accounts/', query: { limit: (request) => (request.qs.limit === undefined ? undefined : String(request.qs.limit)) }, list: true },
	// v2 reconnects through a new auth intent for the (disconnected) account.
	reconnect: { method: 'POST', path: '/auth/intent', body: { ...intentBody, account_id: accountParameter } },
	resync: { unavailable: RESYNC_ON_V2 },
	solveCheckpoint: { method: 'POST', path: '/auth/checkpoint', body: { intent_id: 'intent_id', code: 'code' } },
};
