import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
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
	if (!lower.startsWith('http://') && !lower.startsWith('https://')) url = 'https://' + url;
	return url + '/api/v1';
}

export const unipileBaseUrlExpression = `={{ (${unipileBaseUrl.toString()})($credentials.dsn) }}`;

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

	test: ICredentialTestRequest = {
		request: {
			baseURL: unipileBaseUrlExpression,
			url: '/accounts',
			method: 'GET',
			qs: { limit: 1 },
			headers: { accept: 'application/json' },
		},
	};
}
