import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { unipileBaseUrlExpression } from '../../credentials/UnipileApi.credentials';
import { runUnipileRequest } from './transport';
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
): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources,
			default: defaultResource,
			routing: { send: { paginate: true, preSend: [checkParameters(() => properties)] } },
		},
		...operationsAndFields,
	];
	return properties;
}

/** Where a declarative Unipile node sends its requests, and the one function every request runs through. */
export const unipileRequests: Pick<INodeTypeDescription, 'credentials' | 'requestDefaults' | 'requestOperations'> = {
	credentials: [{ name: 'unipileApi', required: true }],
	requestDefaults: { baseURL: unipileBaseUrlExpression, headers: { accept: 'application/json' } },
	requestOperations: { pagination: runUnipileRequest },
};
