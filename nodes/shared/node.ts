import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

type PreSendAction = (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
import { unipileBaseUrl, unipileBaseUrlExpression } from '../../credentials/UnipileApi.credentials';
import { unipileV2BaseUrl } from '../../credentials/UnipileV2Api.credentials';
import { runUnipileRequest, unipileRequestRunner } from './transport';
import type { V2Routes } from './v2';
import { checkParameters } from './validation';

/**
 * The Resource parameter of a declarative Unipile node, followed by the node's operations and fields. Its
 * `routing.send` switches every operation onto the shared transport (`paginate` is what makes RoutingNode hand the
 * request to `requestOperations.pagination`) and checks the shown parameters before anything is sent.
 */
export function resourceProperties(
	resources: INodePropertyOptions[],
	defaultResource: string,
	operationsAndFields: INodeProperties[],
	/** Run after the parameter check, before the operation's own (e.g. `accountOfKind`, see accountKinds.ts). */
	checks: PreSendAction[] = [],
): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources,
			default: defaultResource,
			routing: { send: { paginate: true, preSend: [checkParameters(() => properties), ...checks] } },
		},
		...operationsAndFields,
	];
	return properties;
}

/** Where a declarative Unipile node sends its requests, and the one function every request runs through. */
export const unipileRequests: Pick<INodeTypeDescription, 'credentials' | 'requestDefaults' | 'requestOperations'> = {
	credentials: [{ name: 'unipileApi', required: true, testedBy: 'unipileApiTest' }],
	requestDefaults: { baseURL: unipileBaseUrlExpression, headers: { accept: 'application/json' } },
	requestOperations: { pagination: runUnipileRequest },
};

/**
 * Which Unipile API a node works with; its values are a contract (saved workflows hold them). New Unipile accounts are
 * on v2; moving a workflow between the APIs is choosing the other value and its credential: parameters keep their
 * names and meaning.
 */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Unipile API V1 (DSN)', value: 'unipileApi', description: 'Accounts created before v2: a DSN such as api1.unipile.com:13111 and an access token' },
		{ name: 'Unipile API V2', value: 'unipileApiV2', description: 'Accounts on https://api.unipile.com with an API key (new Unipile accounts)' },
	],
	default: 'unipileApiV2',
};

/** The requests of a node that works on both APIs: the credential and base URL follow Authentication. */
export function unipileRequestsOnBothApis(v2Routes: V2Routes): Pick<INodeTypeDescription, 'credentials' | 'requestDefaults' | 'requestOperations'> {
	return {
		credentials: [
			{ name: 'unipileApi', required: true, testedBy: 'unipileApiTest', displayOptions: { show: { authentication: ['unipileApi'] } } },
			{ name: 'unipileV2Api', required: true, testedBy: 'unipileV2ApiTest', displayOptions: { show: { authentication: ['unipileApiV2'] } } },
		],
		requestDefaults: {
			baseURL: `={{ $parameter["authentication"] === "unipileApiV2" ? (${unipileV2BaseUrl.toString()})($credentials.baseUrl) : (${unipileBaseUrl.toString()})($credentials.dsn) }}`,
			headers: { accept: 'application/json' },
		},
		requestOperations: { pagination: unipileRequestRunner(v2Routes) },
	};
}
