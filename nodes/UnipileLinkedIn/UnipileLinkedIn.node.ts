import { NodeConnectionTypes, type INodeProperties, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { unipileBaseUrlExpression } from '../../credentials/UnipileApi.credentials';
import { runUnipileRequest } from '../shared/transport';
import { checkParameters } from '../shared/validation';
import { linkedinListSearch } from './listSearch';
import { companyFields, companyOperations } from './resources/company';
import { invitationFields, invitationOperations } from './resources/invitation';
import { postFields, postOperations } from './resources/post';
import { searchFields, searchOperations } from './resources/search';
import { userFields, userOperations } from './resources/user';

const linkedinProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Company', value: 'company' },
			{ name: 'Invitation', value: 'invitation' },
			{ name: 'Post', value: 'post' },
			{ name: 'Search', value: 'search' },
			{ name: 'User', value: 'user' },
		],
		default: 'invitation',
		// `paginate` is what makes RoutingNode hand the request to requestOperations.pagination.
		routing: { send: { paginate: true, preSend: [checkParameters(() => linkedinProperties)] } },
	},
	companyOperations,
	invitationOperations,
	postOperations,
	searchOperations,
	userOperations,
	...companyFields,
	...invitationFields,
	...postFields,
	...searchFields,
	...userFields,
];

export class UnipileLinkedIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Unipile LinkedIn',
		name: 'unipileLinkedIn',
		icon: { light: 'file:../../icons/unipile.svg', dark: 'file:../../icons/unipile.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Find people, read profiles, send invitations, follow relations, post, comment and search on LinkedIn through Unipile',
		defaults: { name: 'Unipile LinkedIn' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'unipileApi', required: true }],
		requestDefaults: {
			baseURL: unipileBaseUrlExpression,
			headers: { accept: 'application/json' },
		},
		requestOperations: { pagination: runUnipileRequest },
		properties: linkedinProperties,
	};

	methods = { listSearch: linkedinListSearch };
}
