import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Turns what users paste as their DSN into the API base URL. Runs inside n8n expressions (via toString),
 * so it must stay self-contained plain JS: no imports, no regex literals, no `??`.
 */
export function unipileBaseUrl(dsn: unknown): string {
	let url = String(dsn === undefined || dsn === null ? '' : dsn).trim();
	while (url.endsWith('/')) url = url.slice(0, -1);
	if (url.toLowerCase().endsWith('/api/v1')) url = url.slice(0, -'/api/v1'.length);
	const lower = url.toLowerCase();
	if (!lower.startsWith('http://') && !lower.startsWith('https://')) {
		// Without a scheme: Unipile's DSNs are HTTPS; a loopback or private address (a local sandbox or proxy) is
		// plain HTTP, where https:// only fails with EPROTO.
		const host = lower.split('/')[0].split(':')[0];
		const second = Number(host.split('.')[1]);
		const local =
			host === 'localhost' || host.endsWith('.localhost') || lower.startsWith('[::1]') || host.startsWith('127.') || host.startsWith('10.') ||
			host.startsWith('192.168.') || host.startsWith('169.254.') || host === '0.0.0.0' || (host.startsWith('172.') && second >= 16 && second <= 31);
		url = (local ? 'http://' : 'https://') + url;
	}
	return url + '/api/v1';
}

export const unipileBaseUrlExpression = `={{ (${unipileBaseUrl.toString()})($credentials.dsn) }}`;

/** What the credential test says when Unipile refuses the key; a v2 key is the usual mix-up. */
export const V1_KEY_REFUSED =
	'Unipile refused this API key. Check the API Key: paste an access token from the Unipile dashboard (Access Tokens) and check the DSN shown at the top of the dashboard. A key of a v2 application (accounts on https://api.unipile.com, no DSN) only works in the "Unipile V2 API" credential.';

/** What the credential test says when nothing answers v1 at the DSN; the v2 address is the usual mix-up. */
export const V1_NOT_FOUND =
	'Nothing answers Unipile API v1 at this DSN. Copy the DSN from the top of the Unipile dashboard (e.g. api1.unipile.com:13111). https://api.unipile.com is the address of Unipile API v2: use the "Unipile V2 API" credential for it.';

export class UnipileApi implements ICredentialType {
	name = 'unipileApi';

	displayName = 'Unipile API';

	icon: Icon = { light: 'file:../icons/unipile.svg', dark: 'file:../icons/unipile.dark.svg' };

	documentationUrl = 'https://developer.unipile.com/docs/getting-started';

	properties: INodeProperties[] = [
		{
			displayName: 'DSN',
			name: 'dsn',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'api1.unipile.com:13111',
			description:
				'Your Unipile DSN, shown at the top of the Unipile dashboard. A full URL such as https://api1.unipile.com:13111 or http://127.0.0.1:8080 (a local sandbox) also works.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An access token generated in the Unipile dashboard (Access Tokens)',
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

	// No `test` here: the nodes name `unipileApiTest` (nodes/shared/credentialTest.ts) in `testedBy`, a function test that can
	// word network failures, which a declarative test leaves to n8n as raw codes (ENOTFOUND, ECONNREFUSED, EPROTO).
}
