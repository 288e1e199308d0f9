import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { unipileBaseUrl, V1_KEY_REFUSED, V1_NOT_FOUND } from '../../credentials/UnipileApi.credentials';
import { unipileV2BaseUrl, V2_KEY_REFUSED, V2_NOT_FOUND } from '../../credentials/UnipileV2Api.credentials';

/**
 * The credential tests of both Unipile credentials, as functions (nodes name them in `testedBy`). A declarative test
 * cannot word network failures: n8n shows `error.cause.code` (ENOTFOUND, ECONNREFUSED, ERR_INVALID_URL, EPROTO) before
 * any rule. Here every outcome names the credential field to fix. The request goes through Node's fetch: the test
 * context only offers the deprecated `helpers.request`, which n8n's lint refuses. The key never enters a message.
 */

/** How long the test waits for Unipile; the editor shows nothing until the test answers. */
export const CREDENTIAL_TEST_TIMEOUT_SECONDS = 15;

/** What differs between the v1 and v2 credential tests. */
interface ApiProbe {
	/** The credential's field that holds the address: "DSN" (v1) or "Base URL" (v2). */
	addressField: string;
	/** What the user typed in that field. */
	given: string;
	/** The API root the nodes send to (…/api/v1 or …/v2). */
	baseUrl: string;
	/** The request that proves the key works, relative to baseUrl (always with ?limit=1). */
	probe: string;
	/** Whether the probe's path is what the nodes would send to: anything else means the address field held more than an address. */
	acceptsPath: (pathname: string) => boolean;
	/** Whether an empty address field means Unipile's own address (v2) rather than a missing one (v1). */
	emptyMeansDefault: boolean;
	/** How to fill the address field, appended to every address problem. */
	addressAdvice: string;
	keyRefused: string;
	notFound: string;
	emptyKey: string;
}

const V1_ADDRESS_ADVICE = 'Copy the DSN from the top of the Unipile dashboard, e.g. api1.unipile.com:13111 (https://api1.unipile.com:13111 also works).';
const V2_ADDRESS_ADVICE = 'Leave the Base URL at https://api.unipile.com (or the address of your proxy or local sandbox, e.g. http://127.0.0.1:8080).';

const error = (message: string): INodeCredentialTestResult => ({ status: 'Error', message });

/** Where the probe went, for messages: host and port, the port spelled out even when it is the scheme's default. */
function hostAndPort(url: URL): string {
	const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
	return `${url.hostname}:${port}`;
}

/** The network error's code: fetch wraps the system error (ENOTFOUND, ECONNREFUSED, TLS codes) as `cause`. */
function codeOf(thrown: unknown): { code: string; detail: string } {
	const cause = (thrown as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
	const code = typeof cause?.code === 'string' ? cause.code : '';
	const detail = typeof cause?.message === 'string' ? cause.message : thrown instanceof Error ? thrown.message : String(thrown);
	return { code, detail };
}

const TLS_MISMATCH = ['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST'];

/** The words for a request that got no HTTP answer. */
function networkFailure(p: ApiProbe, url: URL, thrown: unknown): string {
	const where = hostAndPort(url);
	const name = (thrown as { name?: unknown } | undefined)?.name;
	if (name === 'TimeoutError' || name === 'AbortError') {
		return `No answer within ${CREDENTIAL_TEST_TIMEOUT_SECONDS} s from ${where}. Check the ${p.addressField} (host and port) and that n8n can reach that address (firewall, proxy). ${p.addressAdvice}`;
	}
	const { code, detail } = codeOf(thrown);
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return `No server named ${url.hostname} was found (${code}). Check the ${p.addressField}: its host name is wrong or misspelt. ${p.addressAdvice}`;
	}
	if (code === 'ECONNREFUSED') {
		return `Nothing listens at ${where} (connection refused). Check the port in the ${p.addressField}. ${p.addressAdvice}`;
	}
	if (TLS_MISMATCH.includes(code) || code.startsWith('ERR_SSL_')) {
		return url.protocol === 'https:'
			? `${where} does not answer HTTPS (${code}): it looks like a plain HTTP server. If it is your own sandbox or proxy, write the ${p.addressField} with http:// (e.g. http://${where}); Unipile itself is only reached with https://.`
			: `The TLS connection to ${where} failed (${code}). Check the ${p.addressField}: Unipile is reached with https://. ${p.addressAdvice}`;
	}
	if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
		return `The certificate of ${where} was not accepted (${code}). Check the ${p.addressField}: it should name a Unipile server (or your proxy, with a valid certificate). ${p.addressAdvice}`;
	}
	if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
		const hint = url.protocol === 'http:' ? ` If that server speaks HTTPS, write the ${p.addressField} with https://.` : '';
		return `${where} closed the connection without answering (${code}). Check the ${p.addressField}.${hint} ${p.addressAdvice}`;
	}
	if (detail === 'bad port') {
		return `Port ${url.port} cannot be used (browsers and Node's fetch refuse it). Check the port in the ${p.addressField}. ${p.addressAdvice}`;
	}
	return `Could not reach ${where} (${code !== '' ? code : detail}). Check the ${p.addressField} and that n8n can reach that address. ${p.addressAdvice}`;
}

/** The words for an HTTP status other than 2xx. */
function httpFailure(p: ApiProbe, url: URL, status: number): string {
	if (status === 401 || status === 403) return p.keyRefused;
	if (status === 404) return p.notFound;
	const path = url.pathname;
	const serverTrouble = status >= 500 ? ' A 5xx status is usually a passing problem at Unipile: try again in a few minutes.' : '';
	const plainToTls = status === 400 && url.protocol === 'http:' ? ` If that server speaks HTTPS, write the ${p.addressField} with https://.` : '';
	return `Unipile answered HTTP ${status} to GET ${path} at ${hostAndPort(url)}. Check the ${p.addressField} (it should be the address of Unipile API ${p.baseUrl.endsWith('/v2') ? 'v2' : 'v1'}) and the API Key.${plainToTls}${serverTrouble} ${p.addressAdvice}`;
}

async function runProbe(p: ApiProbe, apiKey: unknown): Promise<INodeCredentialTestResult> {
	const key = typeof apiKey === 'string' ? apiKey.trim() : '';
	if (key === '') return error(p.emptyKey);
	// A header value cannot hold spaces inside or characters outside printable ASCII; fetch would refuse it with the
	// key in its message.
	if (!/^[\x21-\x7e]+$/.test(key)) {
		return error('The API Key contains spaces or characters that are not part of a key. Check the API Key: copy it again from the Unipile dashboard.');
	}
	let url: URL;
	try {
		url = new URL(`${p.baseUrl}${p.probe}?limit=1`);
	} catch {
		url = new URL('invalid:');
	}
	const isAddress =
		(p.given !== '' || p.emptyMeansDefault) &&
		!/\s/.test(p.given) &&
		(url.protocol === 'https:' || url.protocol === 'http:') &&
		url.hostname !== '' &&
		url.username === '' &&
		url.password === '' &&
		url.search === '?limit=1' &&
		p.acceptsPath(url.pathname);
	if (!isAddress) {
		// The nodes refuse the same addresses before sending (checkCredentials, checkV2Credentials).
		const extraPath = url.hostname !== '' && !/\s/.test(p.given) && !p.acceptsPath(url.pathname);
		const shown = p.given === '' ? 'is empty' : extraPath ? `has a path the API does not live at: ${JSON.stringify(p.given)}` : `is not an address: ${JSON.stringify(p.given)}`;
		return error(`The ${p.addressField} ${shown}. ${p.addressAdvice}`);
	}
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'GET',
			headers: { accept: 'application/json', 'X-API-KEY': key },
			redirect: 'manual',
			signal: AbortSignal.timeout(CREDENTIAL_TEST_TIMEOUT_SECONDS * 1000),
		});
	} catch (thrown) {
		return error(networkFailure(p, url, thrown));
	}
	// The body is not needed; reading it frees the connection.
	await response.arrayBuffer().catch(() => undefined);
	if (response.status >= 200 && response.status < 300) {
		return { status: 'OK', message: `Connection successful: Unipile API ${p.baseUrl.endsWith('/v2') ? 'v2' : 'v1'} at ${url.host} accepted the API Key.` };
	}
	return error(httpFailure(p, url, response.status));
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim());

/** The v1 credential's test: GET /api/v1/accounts?limit=1 at the DSN, as the nodes compute it. */
export async function unipileApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const given = textOf(data.dsn);
	return await runProbe(
		{
			addressField: 'DSN',
			given,
			baseUrl: unipileBaseUrl(given),
			probe: '/accounts',
			acceptsPath: (pathname) => pathname === '/api/v1/accounts',
			emptyMeansDefault: false,
			addressAdvice: V1_ADDRESS_ADVICE,
			keyRefused: V1_KEY_REFUSED,
			notFound: V1_NOT_FOUND,
			emptyKey: 'The API Key is empty. Check the API Key: paste an access token from the Unipile dashboard (Access Tokens).',
		},
		data.apiKey,
	);
}

/** The v2 credential's test: GET /v2/accounts/?limit=1 at the Base URL, as the nodes compute it. */
export async function unipileV2ApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const given = textOf(data.baseUrl);
	return await runProbe(
		{
			addressField: 'Base URL',
			given,
			baseUrl: unipileV2BaseUrl(given),
			probe: '/accounts/',
			acceptsPath: (pathname) => pathname.endsWith('/v2/accounts/'),
			emptyMeansDefault: true,
			addressAdvice: V2_ADDRESS_ADVICE,
			keyRefused: V2_KEY_REFUSED,
			notFound: V2_NOT_FOUND,
			emptyKey: 'The API Key is empty. Check the API Key: paste an API key of your Unipile v2 application (dashboard → API Keys).',
		},
		data.apiKey,
	);
}

/** What every node lists in `methods.credentialTest`; its credentials name these in `testedBy`. */
export const unipileCredentialTests = { unipileApiTest, unipileV2ApiTest };
