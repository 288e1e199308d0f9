import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** Where Unipile API v2 lives; one address for every customer (v1 had a DSN per customer). */
export const UNIPILE_V2_BASE_URL = 'https://api.unipile.com';

/**
 * Turns the credential's base URL into the v2 API root (`…/v2`). Runs inside n8n expressions (via toString), so it
 * must stay self-contained plain JS: no imports, no regex literals, no `??`.
 */
export function unipileV2BaseUrl(baseUrl: unknown): string {
	let url = String(baseUrl === undefined || baseUrl === null ? '' : baseUrl).trim();
	if (url === '') url = 'https://api.unipile.com';
	while (url.endsWith('/')) url = url.slice(0, -1);
	if (url.toLowerCase().endsWith('/v2')) url = url.slice(0, -'/v2'.length);
	const lower = url.toLowerCase();
	if (!lower.startsWith('http://') && !lower.startsWith('https://')) {
		// Without a scheme: Unipile is HTTPS; a loopback or private address (a local sandbox or proxy) is plain HTTP.
		const host = lower.split('/')[0].split(':')[0];
		const second = Number(host.split('.')[1]);
		const local =
			host === 'localhost' || host.endsWith('.localhost') || lower.startsWith('[::1]') || host.startsWith('127.') || host.startsWith('10.') ||
			host.startsWith('192.168.') || host.startsWith('169.254.') || host === '0.0.0.0' || (host.startsWith('172.') && second >= 16 && second <= 31);
		url = (local ? 'http://' : 'https://') + url;
	}
	return url + '/v2';
}

export const unipileV2BaseUrlExpression = `={{ (${unipileV2BaseUrl.toString()})($credentials.baseUrl) }}`;

/** What the credential test says when Unipile refuses the key: the usual cause is a v1 access token. */
export const V2_KEY_REFUSED =
	'Unipile API v2 refused this API key. Check the API Key: create a key in the v2 dashboard (API Keys). An access token from a v1 account (one with a DSN such as api1.unipile.com:13111) only works in the "Unipile API" credential (v1, with a DSN).';

/** What the credential test says when nothing answers v2 at the address: the usual cause is a v1 DSN pasted. */
export const V2_NOT_FOUND =
	'Nothing answers Unipile API v2 at this Base URL. Leave it at https://api.unipile.com. A DSN such as api1.unipile.com:13111 belongs to a v1 account: use the "Unipile API" credential (v1, with a DSN) for it.';

/**
 * Named `unipileV2Api` ("Unipile V2 API"), not `unipileApiV2`: n8n's own lint and its verification scan require a
 * credential's name to end in `Api` and its display name in `API`.
 */
export class UnipileV2Api implements ICredentialType {
	name = 'unipileV2Api';

	displayName = 'Unipile V2 API';

	icon: Icon = { light: 'file:../icons/unipile.svg', dark: 'file:../icons/unipile.dark.svg' };

	documentationUrl = 'https://developer.unipile.com/v2.0/reference/api-usage';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An API key of your Unipile v2 application (Unipile dashboard → API Keys)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: UNIPILE_V2_BASE_URL,
			description: 'Leave as is for Unipile. Change it only for a proxy in front of Unipile or a local sandbox (e.g. http://127.0.0.1:8080).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				// Trimmed: a key pasted with a trailing newline would otherwise make an invalid header.
				'X-API-KEY': '={{ String($credentials.apiKey).trim() }}',
			},
		},
	};

	// No `test` here: the nodes name `unipileV2ApiTest` (nodes/shared/credentialTest.ts) in `testedBy`, a function test that can
	// word network failures, which a declarative test leaves to n8n as raw codes (ENOTFOUND, ECONNREFUSED, EPROTO).
}
