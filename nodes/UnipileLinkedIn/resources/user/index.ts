import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { LINKEDIN_APIS, paginationFields, pathParam } from '../../../shared/descriptions';
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
				output: { postReceive: [simplifyWith(simplifyProfile)] },
			},
		},
		{
			name: 'Get Relations',
			value: 'getRelations',
			action: 'Get the relations of the account',
			description: 'List your 1st-degree connections, newest first',
			routing: {
				request: { method: 'GET', url: '/users/relations' },
				output: { postReceive: [simplifyWith(simplifyRelation)] },
			},
		},
	],
	default: 'getProfile',
};

export const userFields: INodeProperties[] = [
	{
		displayName: 'Identifier',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. john-doe-1a2b3c or ACoAAA1b2c3',
		description: 'The provider ID of the member, or their public identifier (the end of their profile URL)',
		displayOptions: { show: show('getProfile') },
	},
	linkedinAccount(show('getProfile', 'getOwnProfile', 'getRelations', 'getFollowers', 'getFollowing', 'getInmailBalance')),
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'e.g. ACoAAA1b2c3',
		description: "The provider ID of the member whose followers (or follows) to list. Empty: the account's own.",
		displayOptions: { show: show('getFollowers', 'getFollowing') },
		routing: { send: { type: 'query', property: 'user_id' } },
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
			{
				displayName: 'LinkedIn API',
				name: 'linkedinApi',
				type: 'options',
				options: LINKEDIN_APIS,
				default: 'classic',
				description: 'Which LinkedIn product to read the profile with (Recruiter and Sales Navigator need that subscription)',
				routing: { send: { type: 'query', property: 'linkedin_api' } },
			},
			{
				displayName: 'LinkedIn Sections',
				name: 'linkedinSections',
				type: 'multiOptions',
				options: [
					{ name: 'About', value: 'about' },
					{ name: 'All Sections', value: '*' },
					{ name: 'Certifications', value: 'certifications' },
					{ name: 'Education', value: 'education' },
					{ name: 'Experience', value: 'experience' },
					{ name: 'Languages', value: 'languages' },
					{ name: 'Skills', value: 'skills' },
				],
				default: [],
				description: 'Extra profile sections to fetch (each costs time; Experience gives Simplify its company)',
				routing: {
					send: { type: 'query', property: 'linkedin_sections', value: '={{ $value.includes("*") ? "*" : $value.join(",") }}' },
				},
			},
			{
				displayName: 'Notify',
				name: 'notify',
				type: 'boolean',
				default: false,
				description: 'Whether LinkedIn tells the member that you viewed their profile',
				routing: { send: { type: 'query', property: 'notify', value: '={{ $value ? "true" : "false" }}' } },
			},
		],
	},
];
