import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { accountOfKind, LINKEDIN_ACCOUNTS } from '../shared/accountKinds';
import { authenticationProperty, resourceProperties, unipileRequestsOnBothApis } from '../shared/node';
import { unipileCredentialTests } from '../shared/credentialTest';
import { sendingLimitsField } from '../shared/pacing';
import { bypassCacheField } from '../shared/v2';
import { linkedinListSearch } from './listSearch';
import { companyFields, companyOperations } from './resources/company';
import { companyV2 } from './resources/company/v2';
import { invitationFields, invitationOperations } from './resources/invitation';
import { invitationV2 } from './resources/invitation/v2';
import { postFields, postOperations } from './resources/post';
import { postV2 } from './resources/post/v2';
import { searchFields, searchOperations } from './resources/search';
import { searchV2 } from './resources/search/v2';
import { userFields, userOperations } from './resources/user';
import { userV2 } from './resources/user/v2';

const linkedinProperties = resourceProperties(
	[
		{ name: 'Company', value: 'company' },
		{ name: 'Invitation', value: 'invitation' },
		{ name: 'Post', value: 'post' },
		{ name: 'Search', value: 'search' },
		{ name: 'User', value: 'user' },
	],
	'invitation',
	[
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
		sendingLimitsField({ resource: ['invitation', 'post'], operation: ['send', 'comment', 'react'] }),
		bypassCacheField({
			resource: ['company', 'invitation', 'post', 'search', 'user'],
			operation: ['get', 'getAll', 'getAllReceived', 'getAllSent', 'getComments', 'getReactions', 'getParameters', 'getFollowers', 'getFollowing', 'getInmailBalance', 'getOwnProfile', 'getProfile', 'getRelations'],
		}),
	],
	[accountOfKind(LINKEDIN_ACCOUNTS, 'Unipile LinkedIn')],
);

/** Where each operation goes on Unipile API v2 (its v1 route is in its description). */
export const LINKEDIN_V2_ROUTES = { company: companyV2, invitation: invitationV2, post: postV2, search: searchV2, user: userV2 };

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
		...unipileRequestsOnBothApis(LINKEDIN_V2_ROUTES),
		properties: [authenticationProperty, ...linkedinProperties],
	};

	methods = { credentialTest: unipileCredentialTests, listSearch: linkedinListSearch };
}
