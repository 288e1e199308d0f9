import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { linkedinProfileOptions, paginationFields, pathParam } from '../../../shared/descriptions';
import { linkedinField } from '../../../shared/linkedinUrls';
import { hiddenOnV2 } from '../../../shared/v2';
import { compact, linkedinAccount, simplifyField, simplifyWith } from '../../fields';

const show = (...operation: string[]) => ({ resource: ['user'], operation });

/** Unipile answers relations' `created_at` as epoch milliseconds (a second-based value is scaled, *unconfirmed* unit). */
function epochToIso(value: unknown): string | undefined {
	if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
	return new Date(value < 1e12 ? value * 1000 : value).toISOString();
}

const fullName = (first: unknown, last: unknown) =>
	[first, last].filter((part) => typeof part === 'string' && part !== '').join(' ') || undefined;

export function simplifyProfile(profile: IDataObject): IDataObject {
	const experience = Array.isArray(profile.work_experience) ? (profile.work_experience as IDataObject[]) : [];
	const current = experience.find((job) => job.current === true) ?? experience[0];
	const contact = (profile.contact_info ?? {}) as IDataObject;
	return compact({
		provider_id: profile.provider_id,
		public_identifier: profile.public_identifier,
		name: fullName(profile.first_name, profile.last_name),
		first_name: profile.first_name,
		last_name: profile.last_name,
		headline: profile.headline,
		company: current?.company,
		position: current?.position,
		location: profile.location,
		network_distance: profile.network_distance,
		is_relationship: profile.is_relationship,
		public_profile_url: profile.public_profile_url,
		profile_picture_url: profile.profile_picture_url,
		email: Array.isArray(contact.emails) ? contact.emails[0] : undefined,
	});
}

export function simplifyRelation(relation: IDataObject): IDataObject {
	return compact({
		// `member_id` is the member's provider ID: what Send Invitation, Get Profile and Start Chat take.
		provider_id: relation.member_id,
		public_identifier: relation.public_identifier,
		name: fullName(relation.first_name, relation.last_name),
		first_name: relation.first_name,
		last_name: relation.last_name,
		headline: relation.headline,
		public_profile_url: relation.public_profile_url,
		profile_picture_url: relation.profile_picture_url,
		connected_at: epochToIso(relation.created_at),
	});
}

/** A v2 UserProfile (or User): the same output fields as v1's simplified profile. */
export function simplifyProfileV2(profile: IDataObject): IDataObject {
	const specifics = (profile.specifics ?? {}) as IDataObject;
	const experience = Array.isArray(specifics.experience) ? (specifics.experience as IDataObject[]) : [];
	const current = experience.find((job) => job.current === true || job.is_current === true) ?? experience[0];
	return compact({
		// v2's user id is the provider ID.
		provider_id: profile.id,
		public_identifier: profile.public_identifier,
		name: profile.display_name ?? fullName(profile.first_name, profile.last_name),
		first_name: profile.first_name,
		last_name: profile.last_name,
		headline: specifics.headline ?? profile.description,
		company: current?.company ?? (current?.company_name as string | undefined),
		position: current?.position ?? current?.title,
		location: profile.location ?? specifics.location,
		network_distance: specifics.network_distance,
		is_relationship: specifics.network_distance === undefined ? undefined : specifics.network_distance === 'FIRST_DEGREE',
		public_profile_url: profile.profile_url,
		profile_picture_url: profile.public_picture_url,
	});
}

/** A v2 UserRelation `{id, user, created_at?}`: the same output fields as v1's simplified relation. */
export function simplifyRelationV2(relation: IDataObject): IDataObject {
	const user = (relation.user ?? {}) as IDataObject;
	return compact({
		provider_id: user.id,
		public_identifier: user.public_identifier,
		name: user.display_name ?? fullName(user.first_name, user.last_name),
		first_name: user.first_name,
		last_name: user.last_name,
		headline: user.description,
		public_profile_url: user.profile_url,
		profile_picture_url: user.public_picture_url,
		connected_at: typeof relation.created_at === 'string' ? relation.created_at : epochToIso(relation.created_at),
	});
}

export const userOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['user'] } },
	options: [
		{
			name: 'Get Followers',
			value: 'getFollowers',
			action: 'Get the followers of a user',
			description: 'List the people following you or another member',
			routing: { request: { method: 'GET', url: '/users/followers' } },
		},
		{
			name: 'Get Following',
			value: 'getFollowing',
			action: 'Get who a user follows',
			description: 'List the members and pages you or another member follows',
			routing: { request: { method: 'GET', url: '/users/following' } },
		},
		{
			name: 'Get InMail Balance',
			value: 'getInmailBalance',
			action: 'Get the remaining inmail credits',
			description: 'How many InMail credits are left on Premium, Sales Navigator and Recruiter (null: no such subscription)',
			routing: { request: { method: 'GET', url: '/linkedin/inmail_balance' } },
		},
		{
			name: 'Get Own Profile',
			value: 'getOwnProfile',
			action: 'Get the profile of the connected account',
			description: 'Get the LinkedIn profile of the account itself (provider ID, name, Premium, Sales Navigator and Recruiter seats)',
			routing: { request: { method: 'GET', url: '/users/me' } },
		},
		{
			name: 'Get Profile',
			value: 'getProfile',
			action: 'Get a user profile',
			description: 'Get the LinkedIn profile of a member by provider ID or public identifier',
			routing: {
				request: { method: 'GET', url: `=/users/${pathParam('identifier')}` },
				output: { postReceive: [simplifyWith(simplifyProfile, simplifyProfileV2)] },
			},
		},
		{
			name: 'Get Relations',
			value: 'getRelations',
			action: 'Get the relations of the account',
			description: 'List your 1st-degree connections, newest first',
			routing: {
				request: { method: 'GET', url: '/users/relations' },
				output: { postReceive: [simplifyWith(simplifyRelation, simplifyRelationV2)] },
			},
		},
	],
	default: 'getProfile',
};

export const userFields: INodeProperties[] = [
	// Account first, as in every LinkedIn operation.
	linkedinAccount(show('getProfile', 'getOwnProfile', 'getRelations', 'getFollowers', 'getFollowing', 'getInmailBalance')),
	{
		displayName: 'Identifier',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. john-doe-1a2b3c or ACoAAA1b2c3',
		description: 'The provider ID of the member, their public identifier (the end of their profile URL), their profile URL or a Sales Navigator lead URL',
		displayOptions: { show: show('getProfile') },
		routing: { send: { preSend: [linkedinField('identifier', 'profile', 'Identifier', { path: true })] } },
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'e.g. ACoAAA1b2c3',
		description: "The provider ID (or profile URL) of the member whose followers (or follows) to list. Empty: the account's own.",
		displayOptions: { show: show('getFollowers', 'getFollowing') },
		routing: { send: { type: 'query', property: 'user_id', preSend: [linkedinField('userId', 'profile', 'User ID', { query: 'user_id' })] } },
	},
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'string',
		default: '',
		placeholder: 'e.g. Jane',
		description: 'Only relations whose name contains this text',
		displayOptions: { show: show('getRelations') },
		routing: { send: { type: 'query', property: 'filter' } },
	},
	...paginationFields(show('getRelations'), { maxPageSize: 1000 }),
	...paginationFields(show('getFollowers', 'getFollowing'), { maxPageSize: 100 }),
	simplifyField(show('getProfile', 'getRelations')),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show: show('getProfile') },
		default: {},
		options: [
			...linkedinProfileOptions('Extra profile sections to fetch (each costs time; Experience gives Simplify its company)'),
			// v2 reports a visit with its own route (visit-profile): a read never notifies.
			hiddenOnV2({
				displayName: 'Notify',
				name: 'notify',
				type: 'boolean',
				default: false,
				description: 'Whether LinkedIn tells the member that you viewed their profile',
				routing: { send: { type: 'query', property: 'notify', value: '={{ $value ? "true" : "false" }}' } },
			}, true),
		],
	},
];
