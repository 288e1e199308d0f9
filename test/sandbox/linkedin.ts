/**
 * LinkedIn outreach in the sandbox (REFERENCE-USERS-EMAIL-WEBHOOKS.md section A): relations, invitations, followers,
 * posts with comments and reactions, company pages, search and its parameters, InMail balance.
 *
 * State lives per LinkedIn account and is built lazily from the store's seed, so it is deterministic and costs
 * nothing to tests that never touch LinkedIn. `store.reset()` drops it (see `SandboxStore.extensions`).
 *
 * Rules enforced as Unipile does (by name; the exact mapping of each situation is *unconfirmed* in the reference):
 * - an invitation note is at most 300 characters (400 too_many_characters), a comment 1–1,250;
 * - inviting someone with a pending invitation → 422 already_invited_recently; re-inviting after a withdrawal →
 *   422 cannot_resend_yet; inviting a relation → 422 cannot_invite_attendee; a public identifier or unknown id as
 *   provider_id → 422 invalid_recipient; over the daily quota (off unless set) → 422 limit_exceeded;
 * - a cancelled invitation disappears; an accepted one (received: through the API with its shared_secret; sent:
 *   `acceptSentInvitation`) becomes a relation at the head of the list;
 * - Sales Navigator / Recruiter search without that subscription → 403 feature_not_subscribed.
 */
import { BASE_DATE_MS, mulberry32, SandboxStore, type Account } from './data';
import { ApiError, decodeCursor, encodeCursor, invalid, missing, notFound, type Query, type SortKey } from './http';
import type { MultipartFile } from './multipart';
import type { Route, RouteContext, RouteResult } from './routes';

// ---------------------------------------------------------------------------------------------- data model

export interface LinkedinMember {
	provider_id: string;
	public_identifier: string;
	first_name: string;
	last_name: string;
	headline: string;
	location: string;
	location_id: string;
	industry: string;
	industry_id: string;
	company: string;
	company_id: string;
	school_id: string;
	member_id: string;
	profile_picture_url?: string;
	/** Followers/following/posts are generated from this, so every member looks different. */
	hash: number;
}

export interface Relation {
	member: LinkedinMember;
	created_at: number;
	connection_urn: string;
}

export interface SentInvitation {
	id: string;
	member: LinkedinMember;
	date: string;
	text: string | null;
	user_email?: string;
}

export interface ReceivedInvitation {
	id: string;
	member: LinkedinMember;
	date: string;
	text: string | null;
	shared_secret: string;
}

export interface Post {
	object: 'Post';
	provider: 'LINKEDIN';
	id: string;
	social_id: string;
	share_url: string;
	text: string;
	date: string;
	parsed_datetime: string;
	reaction_counter: number;
	comment_counter: number;
	repost_counter: number;
	impressions_counter: number;
	author: { public_identifier: string; name: string; is_company: boolean };
	permissions: { can_react: boolean; can_share: boolean; can_post_comments: boolean };
	is_repost: boolean;
	attachments: Array<Record<string, unknown>>;
}

export interface Comment {
	object: 'Comment';
	id: string;
	author: string | null;
	author_details: { id: string | null; headline: string | null; profile_url: string | null; network_distance: 'FIRST_DEGREE' | 'SECOND_DEGREE' | 'THIRD_DEGREE' | 'OUT_OF_NETWORK' | null };
	date: string;
	text: string;
	reaction_counter: number;
	reply_counter: number;
}

export interface Reaction {
	object: 'PostReaction';
	value: 'LIKE' | 'PRAISE' | 'APPRECIATION' | 'EMPATHY' | 'INTEREST' | 'ENTERTAINMENT';
	post_id: string;
	comment_id?: string;
	author: { id: string; type: 'INDIVIDUAL' | 'COMPANY'; name: string | null; headline: string | null; profile_url: string | null; network_distance?: 'FIRST_DEGREE' | 'SECOND_DEGREE' | 'THIRD_DEGREE' | 'OUT_OF_NETWORK' };
}

export interface Company {
	id: string;
	name: string;
	public_identifier: string;
	industry: string;
	industry_id: string;
	location: string;
	followers: number;
}

interface PostState {
	post: Post;
	/** newest first; replies are kept in `replies` by parent id */
	comments: Comment[];
	replies: Map<string, Comment[]>;
	reactions: Reaction[];
	ownerKey: string;
}

export interface LinkedinAccountState {
	accountId: string;
	self: LinkedinMember;
	members: LinkedinMember[];
	memberByKey: Map<string, LinkedinMember>;
	/** newest first */
	relations: Relation[];
	sent: SentInvitation[];
	received: ReceivedInvitation[];
	/** provider ids whose invitation was withdrawn: LinkedIn refuses a new one for a while */
	withdrawn: Set<string>;
	invitationsToday: number;
	/** null = no daily quota (default, so bulk tests and the bench are not throttled) */
	dailyInvitationQuota: number | null;
	subscriptions: { premium: boolean; sales_navigator: boolean; recruiter: boolean };
	inmailCredits: { premium: number; sales_navigator: number; recruiter: number };
	postsByOwner: Map<string, PostState[]>;
	postById: Map<string, PostState>;
	clock: number;
	rng: () => number;
	serial: number;
}

export interface LinkedinState {
	accounts: Map<string, LinkedinAccountState>;
}

export const LINKEDIN_LIMITS = { invitationNote: 300, comment: 1250, postText: 3000 } as const;
export const RELATIONS_SEEDED = 1234;
export const MEMBERS_SEEDED = 1600;
export const RECEIVED_SEEDED = 6;
export const OWN_FOLLOWERS = 230;

const FIRST = ['Alice', 'Bruno', 'Chloé', 'David', 'Emma', 'Farid', 'Gabriela', 'Hiro', 'Inès', 'Jonas', 'Kateryna', 'Liam', 'Maëlle', 'Noah', 'Olivia', 'Pavel', 'Quentin', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoë'];
const LAST = ['Martin', 'Dubois', 'García', 'Müller', 'Rossi', 'Nguyen', 'Smith', 'Kowalski', "O'Brien", 'Tanaka', 'Silva', 'Novak', 'Haddad', 'Johansson', 'Łukasiewicz', 'Okafor'];
const ROLES = ['Software Engineer', 'Head of Sales', 'Product Manager', 'Recruiter', 'Founder & CEO', 'Data Scientist', 'Marketing Director', 'Account Executive'];

export const LOCATIONS = [
	{ id: '105015875', title: 'France' },
	{ id: '106383538', title: 'Paris, Île-de-France, France' },
	{ id: '101165590', title: 'United Kingdom' },
	{ id: '90009496', title: 'London Area, United Kingdom' },
	{ id: '101282230', title: 'Germany' },
	{ id: '106967730', title: 'Berlin, Germany' },
	{ id: '103644278', title: 'United States' },
	{ id: '105080838', title: 'New York, United States' },
];
export const INDUSTRIES = [
	{ id: '4', title: 'Software Development' },
	{ id: '96', title: 'IT Services and IT Consulting' },
	{ id: '43', title: 'Financial Services' },
	{ id: '14', title: 'Hospitals and Health Care' },
	{ id: '80', title: 'Advertising Services' },
];
export const COMPANIES: Company[] = [
	{ id: '1035', name: 'Acme Corp', public_identifier: 'acme-corp', industry: 'Software Development', industry_id: '4', location: 'Paris', followers: 48210 },
	{ id: '2048', name: 'Globex', public_identifier: 'globex', industry: 'Financial Services', industry_id: '43', location: 'London', followers: 12034 },
	{ id: '3141', name: 'Initech', public_identifier: 'initech', industry: 'IT Services and IT Consulting', industry_id: '96', location: 'Berlin', followers: 5120 },
	{ id: '4096', name: 'Umbrella Health', public_identifier: 'umbrella-health', industry: 'Hospitals and Health Care', industry_id: '14', location: 'New York', followers: 90871 },
	{ id: '5005', name: 'Sandbox Ads', public_identifier: 'sandbox-ads', industry: 'Advertising Services', industry_id: '80', location: 'Paris', followers: 733 },
];
export const SCHOOLS = [
	{ id: '12345', title: 'Université Paris Cité' },
	{ id: '23456', title: 'Imperial College London' },
	{ id: '34567', title: 'TU Berlin' },
];
const SERVICES = [
	{ id: '220', title: 'Software Development' },
	{ id: '221', title: 'Web Design' },
	{ id: '330', title: 'Business Consulting' },
];
const SKILLS = [
	{ id: '50', title: 'TypeScript' },
	{ id: '51', title: 'Negotiation' },
	{ id: '52', title: 'Machine Learning' },
];
const JOB_TITLES = ROLES.map((title, i) => ({ id: String(100 + i), title }));

export const SEARCH_PARAMETER_TYPES = [
	'LOCATION', 'PEOPLE', 'COMPANY', 'SCHOOL', 'INDUSTRY', 'SERVICE', 'JOB_FUNCTION', 'JOB_TITLE', 'EMPLOYMENT_TYPE', 'SKILL',
	'GROUPS', 'DEPARTMENT', 'PERSONA', 'ACCOUNT_LISTS', 'LEAD_LISTS', 'TECHNOLOGIES', 'SAVED_ACCOUNTS', 'SAVED_SEARCHES', 'RECENT_SEARCHES', 'POSTAL_CODE', 'HIRING_PROJECTS',
] as const;
export const SEARCH_SERVICES = ['CLASSIC', 'SALES_NAVIGATOR', 'RECRUITER'] as const;
export const REACTION_TYPES = { like: 'LIKE', celebrate: 'PRAISE', support: 'APPRECIATION', love: 'EMPATHY', insightful: 'INTEREST', funny: 'ENTERTAINMENT' } as const;

const HOUR = 3_600_000;

function hashOf(s: string): number {
	let h = 2166136261;
	for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
	return h;
}

function slug(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ł/gi, 'l')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomId(rng: () => number, n: number, alphabet = ALNUM): string {
	let s = '';
	for (let i = 0; i < n; i++) s += alphabet[(rng() * alphabet.length) | 0];
	return s;
}

function digits(rng: () => number, n: number): string {
	return String(1 + ((rng() * 9) | 0)) + randomId(rng, n - 1, '0123456789');
}

const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------- state

const STATE_KEY = 'linkedin';

export function linkedinState(store: SandboxStore): LinkedinState {
	let s = store.extensions.get(STATE_KEY) as LinkedinState | undefined;
	if (!s) {
		s = { accounts: new Map() };
		store.extensions.set(STATE_KEY, s);
	}
	return s;
}

function makeMember(rng: () => number, serial: number): LinkedinMember {
	const first = FIRST[(rng() * FIRST.length) | 0];
	const last = LAST[(rng() * LAST.length) | 0];
	const company = COMPANIES[(rng() * COMPANIES.length) | 0];
	const location = LOCATIONS[(rng() * LOCATIONS.length) | 0];
	const role = ROLES[(rng() * ROLES.length) | 0];
	const providerId = `ACoAA${randomId(rng, 34)}`;
	const m: LinkedinMember = {
		provider_id: providerId,
		public_identifier: `${slug(`${first} ${last}`)}-${serial.toString(36)}${randomId(rng, 3, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
		first_name: first,
		last_name: last,
		headline: `${role} at ${company.name}`,
		location: location.title,
		location_id: location.id,
		industry: company.industry,
		industry_id: company.industry_id,
		company: company.name,
		company_id: company.id,
		school_id: SCHOOLS[(rng() * SCHOOLS.length) | 0].id,
		member_id: digits(rng, 9),
		hash: hashOf(providerId),
	};
	if (serial % 7 !== 3) m.profile_picture_url = `https://media.sandbox.unipile.test/linkedin/${providerId}.jpg`;
	return m;
}

/** The LinkedIn world seen from one account (400 for other account types, 404 for unknown ids). */
export function accountState(store: SandboxStore, accountId: string): LinkedinAccountState {
	const acc = store.accountById.get(accountId);
	if (!acc) throw notFound(`account_id: account ${JSON.stringify(accountId)} not found`);
	if (acc.type !== 'LINKEDIN') throw invalid(`account_id: ${accountId} is a ${acc.type} account; this route needs a LINKEDIN account`);
	const all = linkedinState(store).accounts;
	let st = all.get(acc.id);
	if (!st) {
		st = seedAccount(store, acc);
		all.set(acc.id, st);
	}
	return st;
}

function seedAccount(store: SandboxStore, acc: Account): LinkedinAccountState {
	const rng = mulberry32((store.options.seed * 7919) ^ hashOf(acc.id));
	const selfProviderId = String((acc.connection_params.im as Record<string, unknown>).id ?? store.accountSelf(acc.id)?.provider_id ?? `ACoAA${randomId(rng, 34)}`);
	const self: LinkedinMember = {
		...makeMember(rng, 0),
		provider_id: selfProviderId,
		public_identifier: acc.id === 'acc_linkedin_1' ? 'sandra-box' : slug(acc.name) || acc.id,
		first_name: acc.name.split(' ')[0],
		last_name: acc.name.split(' ').slice(1).join(' '),
		headline: 'Developer Advocate',
		hash: hashOf(selfProviderId),
	};
	const st: LinkedinAccountState = {
		accountId: acc.id,
		self,
		members: [],
		memberByKey: new Map(),
		relations: [],
		sent: [],
		received: [],
		withdrawn: new Set(),
		invitationsToday: 0,
		dailyInvitationQuota: null,
		subscriptions: { premium: true, sales_navigator: false, recruiter: false },
		inmailCredits: { premium: 15, sales_navigator: 50, recruiter: 100 },
		postsByOwner: new Map(),
		postById: new Map(),
		clock: BASE_DATE_MS,
		rng,
		serial: 0,
	};
	addMember(st, self);
	for (let i = 1; i <= MEMBERS_SEEDED; i++) addMember(st, makeMember(rng, i));
	// The first members are relations, oldest last; connected over the year before the base date.
	for (let i = 0; i < RELATIONS_SEEDED; i++) {
		const member = st.members[1 + i];
		st.relations.push({ member, created_at: BASE_DATE_MS - (i + 1) * 7 * HOUR - ((rng() * HOUR) | 0), connection_urn: `urn:li:fsd_connection:${member.provider_id}` });
	}
	for (let i = 0; i < RECEIVED_SEEDED; i++) {
		// From the end of the member list: searches list them last, so the people a search finds first are invitable.
		const member = st.members[MEMBERS_SEEDED - i];
		st.received.push({
			id: digits(rng, 19),
			member,
			date: iso(BASE_DATE_MS - (i + 1) * 5 * HOUR),
			text: i % 2 === 0 ? `Hi ${self.first_name}, I'd like to join your network.` : null,
			shared_secret: randomId(rng, 24),
		});
	}
	return st;
}

function addMember(st: LinkedinAccountState, m: LinkedinMember): void {
	st.members.push(m);
	st.memberByKey.set(m.provider_id, m);
	st.memberByKey.set(m.public_identifier.toLowerCase(), m);
}

function tick(st: LinkedinAccountState, store: SandboxStore): number {
	st.clock = Math.max(st.clock + 1, Date.parse(store.now()));
	return st.clock;
}

export function findMember(st: LinkedinAccountState, identifier: string): LinkedinMember | undefined {
	return st.memberByKey.get(identifier) ?? st.memberByKey.get(identifier.toLowerCase());
}

function findCompany(identifier: string): Company | undefined {
	const key = identifier.toLowerCase();
	return COMPANIES.find((c) => c.id === identifier || c.public_identifier === key);
}

function isRelation(st: LinkedinAccountState, m: LinkedinMember): boolean {
	return st.relations.some((r) => r.member === m);
}

function distanceOf(st: LinkedinAccountState, m: LinkedinMember): 'DISTANCE_1' | 'DISTANCE_2' | 'DISTANCE_3' | 'OUT_OF_NETWORK' {
	if (isRelation(st, m)) return 'DISTANCE_1';
	return (['DISTANCE_2', 'DISTANCE_2', 'DISTANCE_3', 'OUT_OF_NETWORK'] as const)[m.hash % 4];
}

const DEGREE = { DISTANCE_1: 'FIRST_DEGREE', DISTANCE_2: 'SECOND_DEGREE', DISTANCE_3: 'THIRD_DEGREE', OUT_OF_NETWORK: 'OUT_OF_NETWORK' } as const;

function fullName(m: LinkedinMember): string {
	return `${m.first_name} ${m.last_name}`.trim();
}

function profileUrl(m: LinkedinMember): string {
	return `https://www.linkedin.com/in/${m.public_identifier}`;
}

// ---------------------------------------------------------------------------------------------- test controls

/** The person accepts an invitation this account sent: it leaves the sent list and they become a relation. */
export function acceptSentInvitation(store: SandboxStore, accountId: string, invitationOrProviderId: string): Relation {
	const st = accountState(store, accountId);
	const inv = st.sent.find((i) => i.id === invitationOrProviderId || i.member.provider_id === invitationOrProviderId || i.member.public_identifier === invitationOrProviderId);
	if (!inv) throw new Error(`acceptSentInvitation: no pending invitation ${invitationOrProviderId} in ${accountId}`);
	st.sent = st.sent.filter((i) => i !== inv);
	return addRelation(store, st, inv.member);
}

/** Someone invites this account (for Get All Received / Handle). */
export function receiveInvitation(store: SandboxStore, accountId: string, text: string | null = null): ReceivedInvitation {
	const st = accountState(store, accountId);
	const member = st.members.find((m) => m !== st.self && !isRelation(st, m) && !st.sent.some((i) => i.member === m) && !st.received.some((i) => i.member === m));
	if (!member) throw new Error('receiveInvitation: nobody left to invite you');
	const inv: ReceivedInvitation = { id: digits(st.rng, 19), member, date: iso(tick(st, store)), text, shared_secret: randomId(st.rng, 24) };
	st.received.unshift(inv);
	return inv;
}

/** Members this account can invite (not a relation, nothing pending, never withdrawn). */
export function invitableMembers(store: SandboxStore, accountId: string): LinkedinMember[] {
	const st = accountState(store, accountId);
	return st.members.filter(
		(m) => m !== st.self && !isRelation(st, m) && !st.sent.some((i) => i.member === m) && !st.received.some((i) => i.member === m) && !st.withdrawn.has(m.provider_id),
	);
}

function addRelation(store: SandboxStore, st: LinkedinAccountState, member: LinkedinMember): Relation {
	const rel: Relation = { member, created_at: tick(st, store), connection_urn: `urn:li:fsd_connection:${member.provider_id}` };
	st.relations.unshift(rel);
	return rel;
}

// ---------------------------------------------------------------------------------------------- JSON shapes

function relationJson(r: Relation): Record<string, unknown> {
	const m = r.member;
	const out: Record<string, unknown> = {
		object: 'UserRelation',
		connection_urn: r.connection_urn,
		created_at: r.created_at,
		first_name: m.first_name,
		last_name: m.last_name,
		member_id: m.provider_id,
		member_urn: `urn:li:member:${m.member_id}`,
		headline: m.headline,
		public_identifier: m.public_identifier,
		public_profile_url: profileUrl(m),
	};
	if (m.profile_picture_url) out.profile_picture_url = m.profile_picture_url;
	return out;
}

function sentJson(st: LinkedinAccountState, i: SentInvitation): Record<string, unknown> {
	return {
		object: 'InvitationSent',
		id: i.id,
		invited_user: fullName(i.member),
		invited_user_id: i.member.provider_id,
		invited_user_public_id: i.member.public_identifier,
		invited_user_description: i.member.headline,
		date: i.date,
		parsed_datetime: i.date,
		invitation_text: i.text,
		inviter: { inviter_name: fullName(st.self), inviter_id: st.self.provider_id, inviter_public_identifier: st.self.public_identifier, inviter_description: st.self.headline },
	};
}

function receivedJson(st: LinkedinAccountState, i: ReceivedInvitation): Record<string, unknown> {
	return {
		object: 'InvitationReceived',
		id: i.id,
		invited_user: fullName(st.self),
		invited_user_id: st.self.provider_id,
		invited_user_public_id: st.self.public_identifier,
		invited_user_description: st.self.headline,
		date: i.date,
		parsed_datetime: i.date,
		invitation_text: i.text,
		inviter: { inviter_name: fullName(i.member), inviter_id: i.member.provider_id, inviter_public_identifier: i.member.public_identifier, inviter_description: i.member.headline },
		specifics: { provider: 'LINKEDIN', shared_secret: i.shared_secret },
	};
}

function followerJson(m: LinkedinMember): Record<string, unknown> {
	const out: Record<string, unknown> = { object: 'UserFollower', id: m.provider_id, urn: `urn:li:member:${m.member_id}`, name: fullName(m), headline: m.headline, profile_url: profileUrl(m) };
	if (m.profile_picture_url) {
		out.profile_picture_url = m.profile_picture_url;
		out.profile_picture_url_large = m.profile_picture_url.replace('.jpg', '_800.jpg');
	}
	return out;
}

/** GET /users/{identifier} for a LinkedIn member who is not a chat attendee (used by routes.ts getProfile). */
export function linkedinMemberProfile(store: SandboxStore, account: Account, identifier: string, sections: string[]): Record<string, unknown> | undefined {
	if (account.type !== 'LINKEDIN') return undefined;
	const st = accountState(store, account.id);
	const m = findMember(st, identifier);
	if (!m) return undefined;
	const distance = m === st.self ? 'OUT_OF_NETWORK' : distanceOf(st, m);
	const profile: Record<string, unknown> = {
		object: 'UserProfile',
		provider: 'LINKEDIN',
		provider_id: m.provider_id,
		public_identifier: m.public_identifier,
		member_urn: `urn:li:member:${m.member_id}`,
		first_name: m.first_name,
		last_name: m.last_name,
		headline: m.headline,
		location: m.location,
		websites: [],
		is_open_profile: m.hash % 3 === 0,
		is_premium: m.hash % 4 === 0,
		is_influencer: false,
		is_creator: m.hash % 9 === 0,
		is_relationship: distance === 'DISTANCE_1',
		is_self: m === st.self,
		invitation: pendingInvitationOf(st, m),
		network_distance: DEGREE[distance],
		follower_count: m.hash % 5000,
		connections_count: m.hash % 500,
		shared_connections_count: m.hash % 20,
		public_profile_url: profileUrl(m),
	};
	if (profile.invitation === undefined) delete profile.invitation;
	if (m.profile_picture_url) profile.profile_picture_url = m.profile_picture_url;
	const all = sections.includes('*');
	if (all || sections.includes('about')) profile.summary = `Hi, I am ${fullName(m)} — ${m.headline}.`;
	if (all || sections.includes('experience'))
		profile.work_experience = [{ position: m.headline.split(' at ')[0], company: m.company, company_id: m.company_id, location: m.location, current: true, start: '1/1/2022', end: null }];
	if (all || sections.includes('education')) profile.education = [{ school: SCHOOLS.find((s) => s.id === m.school_id)?.title ?? 'School', degree: 'Master', field_of_study: 'Computer Science', start: '2015', end: '2017' }];
	if (all || sections.includes('languages')) profile.languages = [{ name: 'English', proficiency: 'Full professional proficiency' }];
	if (all || sections.includes('skills')) profile.skills = [{ name: 'TypeScript', endorsement_count: m.hash % 40 }];
	if (all || sections.includes('certifications')) profile.certifications = [{ name: 'Cloud Practitioner', organization: 'AWS' }];
	return profile;
}

function pendingInvitationOf(st: LinkedinAccountState, m: LinkedinMember): Record<string, unknown> | undefined {
	const sent = st.sent.find((i) => i.member === m);
	if (sent) return { type: 'SENT', status: 'PENDING' };
	const received = st.received.find((i) => i.member === m);
	if (received) return { type: 'RECEIVED', status: 'PENDING' };
	return undefined;
}

// ---------------------------------------------------------------------------------------------- posts

function ensurePosts(store: SandboxStore, st: LinkedinAccountState, owner: { key: string; name: string; public_identifier: string; is_company: boolean; hash: number }): PostState[] {
	let list = st.postsByOwner.get(owner.key);
	if (list) return list;
	list = [];
	// Companies post a lot (several pages at 100), people a little.
	const count = owner.is_company ? 120 + (owner.hash % 30) : owner.key === st.self.provider_id ? 3 : 2 + (owner.hash % 12);
	const rng = mulberry32(owner.hash ^ store.options.seed);
	for (let i = 0; i < count; i++) {
		const ms = BASE_DATE_MS - (i + 1) * 26 * HOUR - ((rng() * HOUR) | 0);
		list.push(makePost(st, owner, ms, `${owner.name}: update #${count - i} — ${ROLES[(rng() * ROLES.length) | 0]} insights`, rng, owner.hash % 5 === 0 && i === 0));
	}
	st.postsByOwner.set(owner.key, list);
	for (const p of list) indexPost(st, p);
	return list;
}

function makePost(st: LinkedinAccountState, owner: { key: string; name: string; public_identifier: string; is_company: boolean }, ms: number, text: string, rng: () => number, withImage = false): PostState {
	const id = digits(rng, 19);
	const comments = owner.is_company ? (rng() * 8) | 0 : (rng() * 4) | 0;
	const post: Post = {
		object: 'Post',
		provider: 'LINKEDIN',
		id,
		social_id: `urn:li:activity:${id}`,
		share_url: `https://www.linkedin.com/posts/${owner.public_identifier}_activity-${id}`,
		text,
		date: iso(ms).slice(0, 10),
		parsed_datetime: iso(ms),
		reaction_counter: 0,
		comment_counter: 0,
		repost_counter: (rng() * 5) | 0,
		impressions_counter: 100 + ((rng() * 5000) | 0),
		author: { public_identifier: owner.public_identifier, name: owner.name, is_company: owner.is_company },
		permissions: { can_react: true, can_share: true, can_post_comments: true },
		is_repost: false,
		attachments: [],
	};
	if (withImage) post.attachments.push({ id: randomId(rng, 12), type: 'img', unavailable: false, mimetype: 'image/jpeg', url: `https://media.sandbox.unipile.test/linkedin/post/${id}.jpg`, size: { width: 1200, height: 627 }, sticker: false });
	const ps: PostState = { post, comments: [], replies: new Map(), reactions: [], ownerKey: owner.key };
	for (let i = 0; i < comments; i++) {
		const author = st.members[1 + ((rng() * (st.members.length - 1)) | 0)];
		ps.comments.push(makeComment(st, author, iso(ms + (comments - i) * 60_000), `Great point, ${owner.name.split(' ')[0]}! (${i + 1})`, rng));
	}
	post.comment_counter = comments;
	return ps;
}

function makeComment(st: LinkedinAccountState, author: LinkedinMember, date: string, text: string, rng: () => number): Comment {
	return {
		object: 'Comment',
		id: digits(rng, 19),
		author: fullName(author),
		author_details: { id: author.provider_id, headline: author.headline, profile_url: profileUrl(author), network_distance: author === st.self ? null : DEGREE[distanceOf(st, author)] },
		date,
		text,
		reaction_counter: 0,
		reply_counter: 0,
	};
}

function indexPost(st: LinkedinAccountState, p: PostState): void {
	st.postById.set(p.post.id, p);
	st.postById.set(p.post.social_id, p);
}

function ownerOf(st: LinkedinAccountState, identifier: string, isCompany: boolean): { key: string; name: string; public_identifier: string; is_company: boolean; hash: number } | undefined {
	if (isCompany) {
		const c = findCompany(identifier);
		return c && { key: `company:${c.id}`, name: c.name, public_identifier: c.public_identifier, is_company: true, hash: hashOf(c.id) };
	}
	const m = identifier === 'me' ? st.self : findMember(st, identifier);
	return m && { key: m.provider_id, name: fullName(m), public_identifier: m.public_identifier, is_company: false, hash: m.hash };
}

/** A post by id or social id; posts of everyone the account has looked at, plus a few seeded ones. */
export function findPost(store: SandboxStore, st: LinkedinAccountState, id: string): PostState | undefined {
	if (st.postById.size === 0) {
		ensurePosts(store, st, ownerOf(st, st.self.provider_id, false)!);
		ensurePosts(store, st, ownerOf(st, COMPANIES[0].id, true)!);
		for (const m of st.members.slice(1, 6)) ensurePosts(store, st, ownerOf(st, m.provider_id, false)!);
	}
	return st.postById.get(id);
}

/** Any post of this account's world, for tests (a company's post with comments). */
export function samplePost(store: SandboxStore, accountId: string, opts: { withComments?: boolean } = {}): Post {
	const st = accountState(store, accountId);
	findPost(store, st, '');
	const list = ensurePosts(store, st, ownerOf(st, COMPANIES[0].id, true)!);
	return (opts.withComments ? list.find((p) => p.comments.length >= 2) ?? list[0] : list[0]).post;
}

// ---------------------------------------------------------------------------------------------- paging

function limitOf(q: Query, max: number, def: number): number {
	const v = q.one('limit');
	if (v === undefined) return def;
	if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw invalid(`limit: must be an integer between 1 and ${max}, got ${JSON.stringify(v)}`);
	return Number(v);
}

/**
 * Keyset paging over a list already in API order (`key` strictly decreasing along it). With a cursor the query's
 * filters are ignored (they travel inside it), as Unipile does.
 */
function page<T, F>(q: Query, scope: string, max: number, def: number, parseFilters: () => F, select: (f: F) => T[], key: (item: T) => SortKey): { items: T[]; cursor: string | null } {
	const queryLimit = q.has('limit') ? limitOf(q, max, def) : undefined;
	const raw = q.one('cursor');
	let filters: F;
	let after: SortKey | undefined;
	let limit: number;
	if (raw !== undefined) {
		const c = decodeCursor<F>(raw, scope);
		filters = c.f;
		after = c.k;
		limit = queryLimit ?? c.n;
	} else {
		filters = parseFilters();
		limit = queryLimit ?? def;
	}
	const all = select(filters);
	let start = 0;
	if (after) {
		const [a0, a1] = after;
		start = all.findIndex((x) => {
			const [k0, k1] = key(x);
			return k0 < a0 || (k0 === a0 && k1 < a1);
		});
		if (start < 0) start = all.length;
	}
	const items = all.slice(start, start + limit);
	const more = start + limit < all.length;
	return { items, cursor: more && items.length ? encodeCursor(scope, filters, key(items[items.length - 1]), limit) : null };
}

/** Key for lists in a fixed order: position counted from the end, so items added at the head don't shift pages. */
function positional<T>(list: T[]): (item: T) => SortKey {
	const index = new Map(list.map((x, i) => [x, i]));
	return (item) => [String(list.length - (index.get(item) ?? 0)).padStart(9, '0'), ''];
}

// ---------------------------------------------------------------------------------------------- body helpers

function onlyKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
	for (const k of Object.keys(body)) if (!allowed.includes(k)) throw invalid(`${k}: unknown field (allowed: ${allowed.join(', ')})`);
}

function bodyStr(body: Record<string, unknown>, name: string, required = false): string | undefined {
	const v = body[name];
	if (v === undefined || v === null) {
		if (required) throw missing(`${name}: this field is required`);
		return undefined;
	}
	if (typeof v !== 'string') throw invalid(`${name}: must be a string, got ${Array.isArray(v) ? 'array' : typeof v}`);
	if (v === '' || v === '[object Object]') {
		if (required && v === '') throw missing(`${name}: must not be empty`);
		throw invalid(`${name}: invalid value ${JSON.stringify(v)}`);
	}
	return v;
}

const ok = (json: unknown, status = 200): RouteResult => ({ status, json });
const tooLong = (field: string, max: number, got: number) => new ApiError(400, 'too_many_characters', `${field}: at most ${max} characters, got ${got}`);

function accountOf(ctx: RouteContext, from: 'query' | Record<string, unknown>): LinkedinAccountState {
	const id = from === 'query' ? ctx.query.required('account_id') : (bodyStr(from, 'account_id', true) as string);
	return accountState(ctx.store, id);
}

// ---------------------------------------------------------------------------------------------- users

function listRelations(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'limit', 'cursor', 'filter']);
	const st = accountOf(ctx, 'query');
	const p = page(
		q,
		`relations/${st.accountId}`,
		1000,
		100,
		() => ({ filter: q.str('filter')?.toLowerCase() }),
		(f) => (f.filter ? st.relations.filter((r) => fullName(r.member).toLowerCase().includes(f.filter as string)) : st.relations),
		(r) => [String(r.created_at).padStart(15, '0'), r.member.provider_id],
	);
	return ok({ object: 'UserRelationsList', items: p.items.map(relationJson), cursor: p.cursor });
}

function followList(kind: 'followers' | 'following') {
	return (ctx: RouteContext): RouteResult => {
		const q = ctx.query.only(['account_id', 'user_id', 'limit', 'cursor']);
		const st = accountOf(ctx, 'query');
		const userId = q.str('user_id');
		const user = userId === undefined ? st.self : findMember(st, userId);
		if (!user) throw notFound(`user_id: user ${JSON.stringify(userId)} not found`);
		const count = user === st.self ? (kind === 'followers' ? OWN_FOLLOWERS : 40) : user.hash % (kind === 'followers' ? 150 : 60);
		const offset = user.hash % 97;
		const people = Array.from({ length: count }, (_, i) => st.members[1 + ((offset + i * (kind === 'followers' ? 3 : 5)) % (st.members.length - 1))]).filter((m) => m !== user);
		const p = page(q, `${kind}/${st.accountId}/${user.provider_id}`, 100, 100, () => ({}), () => people, positional(people));
		if (kind === 'followers') return ok({ object: 'UserFollowersList', items: p.items.map(followerJson), cursor: p.cursor });
		// *unconfirmed*: a mirror shows relation-shaped items for following.
		return ok({ object: 'UserRelationsList', items: p.items.map((m) => relationJson({ member: m, created_at: BASE_DATE_MS - m.hash % 1_000_000_000, connection_urn: `urn:li:fsd_connection:${m.provider_id}` })), cursor: p.cursor });
	};
}

function inmailBalance(ctx: RouteContext): RouteResult {
	ctx.query.only(['account_id']);
	const st = accountOf(ctx, 'query');
	const s = st.subscriptions;
	return ok({
		object: 'LinkedinInmailBalance',
		premium: s.premium ? st.inmailCredits.premium : null,
		recruiter: s.recruiter ? st.inmailCredits.recruiter : null,
		sales_navigator: s.sales_navigator ? st.inmailCredits.sales_navigator : null,
	});
}

// ---------------------------------------------------------------------------------------------- invitations

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function sendInvitation(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const body = ctx.json();
	onlyKeys(body, ['account_id', 'provider_id', 'message', 'user_email']);
	const st = accountOf(ctx, body);
	const providerId = bodyStr(body, 'provider_id', true) as string;
	const message = body.message === '' ? undefined : bodyStr(body, 'message');
	const email = bodyStr(body, 'user_email');
	if (message !== undefined && message.length > LINKEDIN_LIMITS.invitationNote) throw tooLong('message', LINKEDIN_LIMITS.invitationNote, message.length);
	if (email !== undefined && !EMAIL_RE.test(email)) throw invalid(`user_email: not an email address: ${JSON.stringify(email)}`);
	const member = st.memberByKey.get(providerId);
	if (!member || member.public_identifier === providerId.toLowerCase()) {
		if (member) throw new ApiError(422, 'invalid_recipient', `provider_id: ${JSON.stringify(providerId)} is a public identifier; send the provider_id (ACo…) that Get Profile returns`);
		throw new ApiError(422, 'invalid_recipient', `provider_id: no LinkedIn member ${JSON.stringify(providerId)}`);
	}
	if (member === st.self) throw new ApiError(422, 'invalid_recipient', 'provider_id: you cannot invite yourself');
	if (isRelation(st, member)) throw new ApiError(422, 'cannot_invite_attendee', `provider_id: ${fullName(member)} is already one of your relations`);
	if (st.sent.some((i) => i.member === member) || st.received.some((i) => i.member === member))
		throw new ApiError(422, 'already_invited_recently', `provider_id: an invitation between you and ${fullName(member)} is already pending`);
	if (st.withdrawn.has(member.provider_id)) throw new ApiError(422, 'cannot_resend_yet', `provider_id: you withdrew an invitation to ${fullName(member)}; LinkedIn refuses a new one for a few weeks`);
	if (st.dailyInvitationQuota !== null && st.invitationsToday >= st.dailyInvitationQuota)
		throw new ApiError(422, 'limit_exceeded', `You reached LinkedIn's invitation limit (${st.dailyInvitationQuota} today)`);
	st.invitationsToday++;
	const inv: SentInvitation = { id: digits(st.rng, 19), member, date: iso(tick(st, ctx.store)), text: message ?? null };
	if (email !== undefined) inv.user_email = email;
	st.sent.unshift(inv);
	// `usage` as a mirror shows it (*unconfirmed*): invitations sent in the current period.
	return ok({ object: 'UserInvitationSent', invitation_id: inv.id, usage: st.invitationsToday }, 201);
}

function listSent(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'limit', 'cursor']);
	const st = accountOf(ctx, 'query');
	const p = page(q, `invite_sent/${st.accountId}`, 100, 10, () => ({}), () => st.sent, (i) => [i.date, i.id]);
	return ok({ object: 'InvitationList', items: p.items.map((i) => sentJson(st, i)), cursor: p.cursor });
}

function cancelSent(ctx: RouteContext): RouteResult {
	ctx.query.only(['account_id']);
	const st = accountOf(ctx, 'query');
	const inv = st.sent.find((i) => i.id === ctx.params.invitation_id);
	if (!inv) throw notFound(`invitation ${JSON.stringify(ctx.params.invitation_id)} not found among the pending invitations of ${st.accountId}`);
	st.sent = st.sent.filter((i) => i !== inv);
	st.withdrawn.add(inv.member.provider_id);
	return ok({ object: 'InvitationCanceled' });
}

function listReceived(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'limit', 'cursor']);
	const st = accountOf(ctx, 'query');
	const p = page(q, `invite_received/${st.accountId}`, 100, 10, () => ({}), () => st.received, (i) => [i.date, i.id]);
	return ok({ object: 'InvitationList', items: p.items.map((i) => receivedJson(st, i)), cursor: p.cursor });
}

function handleReceived(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const body = ctx.json();
	onlyKeys(body, ['provider', 'account_id', 'shared_secret', 'action']);
	const provider = bodyStr(body, 'provider', true);
	if (provider !== 'LINKEDIN') throw invalid(`provider: must be LINKEDIN for a LinkedIn account, got ${JSON.stringify(provider)}`);
	const st = accountOf(ctx, body);
	const action = bodyStr(body, 'action', true);
	if (action !== 'accept' && action !== 'decline') throw invalid(`action: must be accept or decline, got ${JSON.stringify(action)}`);
	const secret = bodyStr(body, 'shared_secret', true);
	const inv = st.received.find((i) => i.id === ctx.params.invitation_id);
	if (!inv) throw notFound(`invitation ${JSON.stringify(ctx.params.invitation_id)} not found among the invitations ${st.accountId} received`);
	if (secret !== inv.shared_secret) throw invalid('shared_secret: does not match this invitation (take it from specifics.shared_secret of the received invitation)');
	st.received = st.received.filter((i) => i !== inv);
	if (action === 'accept') addRelation(ctx.store, st, inv.member);
	// *unconfirmed* shape (a clone's).
	return ok({ object: 'UserInvitationHandled', status: action === 'accept' ? 'ACCEPTED' : 'DECLINED' });
}

// ---------------------------------------------------------------------------------------------- posts routes

function listPosts(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'is_company', 'limit', 'cursor']);
	const st = accountOf(ctx, 'query');
	const isCompany = q.bool('is_company') ?? false;
	const owner = ownerOf(st, ctx.params.identifier, isCompany);
	if (!owner) {
		if (!isCompany && findCompany(ctx.params.identifier)) throw notFound(`${ctx.params.identifier} is a company: send is_company=true`);
		throw notFound(`${isCompany ? 'company' : 'user'} ${JSON.stringify(ctx.params.identifier)} not found`);
	}
	const list = ensurePosts(ctx.store, st, owner);
	const p = page(q, `posts/${st.accountId}/${owner.key}`, 100, 100, () => ({}), () => list, (x) => [x.post.parsed_datetime, x.post.id]);
	return ok({ object: 'PostList', items: p.items.map((x) => x.post), cursor: p.cursor });
}

function postOf(ctx: RouteContext, st: LinkedinAccountState, id: string, forWriting: boolean): PostState {
	const ps = findPost(ctx.store, st, id);
	if (!ps) throw notFound(`post ${JSON.stringify(id)} not found`);
	// Comments and reactions address a post by its social id (urn:li:activity:…), not the id in its URL.
	if (forWriting && id !== ps.post.social_id) throw invalid(`post_id: use the post's social_id (${ps.post.social_id}), not its id`);
	return ps;
}

function getPost(ctx: RouteContext): RouteResult {
	ctx.query.only(['account_id']);
	const st = accountOf(ctx, 'query');
	return ok(postOf(ctx, st, ctx.params.post_id, false).post);
}

function listComments(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'limit', 'cursor', 'comment_id']);
	const st = accountOf(ctx, 'query');
	const ps = postOf(ctx, st, ctx.params.post_id, true);
	const p = page(
		q,
		`comments/${ps.post.id}`,
		100,
		100,
		() => {
			const parent = q.str('comment_id');
			if (parent !== undefined && !ps.comments.some((c) => c.id === parent)) throw notFound(`comment_id: comment ${JSON.stringify(parent)} not found on this post`);
			return { parent };
		},
		(f) => (f.parent ? ps.replies.get(f.parent) ?? [] : ps.comments),
		(c) => [c.date, c.id],
	);
	const total = p.items.length && !q.has('cursor') && !q.has('comment_id') ? ps.comments.length : null;
	return ok({ object: 'CommentList', items: p.items, cursor: p.cursor, total_items: total });
}

function sendComment(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const body = ctx.json();
	onlyKeys(body, ['account_id', 'text', 'comment_id', 'mentions', 'external_link', 'as_organization']);
	const st = accountOf(ctx, body);
	const ps = postOf(ctx, st, ctx.params.post_id, true);
	const text = bodyStr(body, 'text', true) as string;
	if (text.length > LINKEDIN_LIMITS.comment) throw tooLong('text', LINKEDIN_LIMITS.comment, text.length);
	const parentId = bodyStr(body, 'comment_id');
	if (!ps.post.permissions.can_post_comments) throw new ApiError(403, 'action_required', 'comments are closed on this post');
	const comment = makeComment(st, st.self, iso(tick(st, ctx.store)), text, st.rng);
	if (parentId !== undefined) {
		const parent = ps.comments.find((c) => c.id === parentId);
		if (!parent) throw notFound(`comment_id: comment ${JSON.stringify(parentId)} not found on this post`);
		const replies = ps.replies.get(parent.id) ?? [];
		replies.unshift(comment);
		ps.replies.set(parent.id, replies);
		parent.reply_counter++;
	} else ps.comments.unshift(comment);
	ps.post.comment_counter++;
	return ok({ object: 'CommentSent', comment_id: comment.id }, 201);
}

function react(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const body = ctx.json();
	onlyKeys(body, ['account_id', 'post_id', 'reaction_type', 'comment_id', 'as_organization']);
	const st = accountOf(ctx, body);
	const ps = postOf(ctx, st, bodyStr(body, 'post_id', true) as string, true);
	const type = bodyStr(body, 'reaction_type') ?? 'like';
	if (!(type in REACTION_TYPES)) throw invalid(`reaction_type: must be one of ${Object.keys(REACTION_TYPES).join(', ')}, got ${JSON.stringify(type)}`);
	const commentId = bodyStr(body, 'comment_id');
	const comment = commentId === undefined ? undefined : [...ps.comments, ...[...ps.replies.values()].flat()].find((c) => c.id === commentId);
	if (commentId !== undefined && !comment) throw notFound(`comment_id: comment ${JSON.stringify(commentId)} not found on this post`);
	// One reaction per person and target: reacting again changes it.
	const existing = ps.reactions.find((r) => r.author.id === st.self.provider_id && r.comment_id === commentId);
	const value = REACTION_TYPES[type as keyof typeof REACTION_TYPES];
	if (existing) existing.value = value;
	else {
		const r: Reaction = {
			object: 'PostReaction',
			value,
			post_id: ps.post.social_id,
			author: { id: st.self.provider_id, type: 'INDIVIDUAL', name: fullName(st.self), headline: st.self.headline, profile_url: profileUrl(st.self) },
		};
		if (commentId !== undefined) r.comment_id = commentId;
		ps.reactions.unshift(r);
		if (comment) comment.reaction_counter++;
		else ps.post.reaction_counter++;
	}
	return ok({ object: 'ReactionAdded' }, 201);
}

function listReactions(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'comment_id', 'limit', 'cursor']);
	const st = accountOf(ctx, 'query');
	const ps = postOf(ctx, st, ctx.params.post_id, true);
	if (ps.reactions.length === 0 && ps.post.reaction_counter === 0) seedReactions(st, ps);
	const p = page(
		q,
		`reactions/${ps.post.id}`,
		100,
		100,
		() => ({ comment_id: q.str('comment_id') }),
		(f) => ps.reactions.filter((r) => r.comment_id === f.comment_id),
		positional(ps.reactions),
	);
	return ok({ object: 'PostReactionList', items: p.items, cursor: p.cursor });
}

function seedReactions(st: LinkedinAccountState, ps: PostState): void {
	const n = 3 + (hashOf(ps.post.id) % 140);
	const values = Object.values(REACTION_TYPES);
	for (let i = 0; i < n; i++) {
		const m = st.members[1 + ((hashOf(ps.post.id) + i * 11) % (st.members.length - 1))];
		ps.reactions.push({
			object: 'PostReaction',
			value: values[(m.hash + i) % values.length],
			post_id: ps.post.social_id,
			author: { id: m.provider_id, type: 'INDIVIDUAL', name: fullName(m), headline: m.headline, profile_url: profileUrl(m), network_distance: DEGREE[distanceOf(st, m)] },
		});
	}
	ps.post.reaction_counter = n;
}

const POST_TEXT_FIELDS = ['account_id', 'text', 'video_thumbnail', 'repost', 'external_link', 'as_organization', 'mentions'];
const POST_MEDIA = /^(image\/(jpeg|png|gif|webp)|video\/(mp4|quicktime|webm)|application\/pdf)$/;

function createPost(ctx: RouteContext): RouteResult {
	ctx.query.only([]);
	const parts = ctx.form();
	const fields = new Map<string, string[]>();
	const files: MultipartFile[] = [];
	for (const p of parts) {
		if (p.kind === 'file') {
			if (p.name !== 'attachments' && p.name !== 'video_thumbnail') throw invalid(`${p.name}: unknown file field (allowed: attachments, video_thumbnail)`);
			if (p.size === 0) throw invalid(`${p.name}: empty file ${JSON.stringify(p.fileName)}`);
			files.push(p);
			continue;
		}
		if (p.name === 'attachments') throw invalid(`attachments: must be a file, got a text field${p.value === '[object Object]' ? ' "[object Object]"' : ''}`);
		if (!POST_TEXT_FIELDS.includes(p.name)) throw invalid(`${p.name}: unknown field (allowed: ${POST_TEXT_FIELDS.join(', ')}, attachments)`);
		if (p.value === '[object Object]') throw invalid(`${p.name}: invalid value "[object Object]"`);
		fields.set(p.name, [...(fields.get(p.name) ?? []), p.value]);
	}
	const one = (name: string) => {
		const v = fields.get(name);
		if (v && v.length > 1) throw invalid(`${name}: expected a single value, got ${v.length}`);
		return v?.[0];
	};
	const accountId = one('account_id');
	if (!accountId) throw missing('account_id: this field is required');
	const st = accountState(ctx.store, accountId);
	const text = one('text');
	if (!text) throw missing('text: this field is required');
	if (text.length > LINKEDIN_LIMITS.postText) throw tooLong('text', LINKEDIN_LIMITS.postText, text.length);
	const attachments = files.filter((f) => f.name === 'attachments');
	if (attachments.length > 9) throw invalid(`attachments: at most 9 files, got ${attachments.length}`);
	const mimeOf = (f: MultipartFile) => SandboxStore.uploadMime(f.contentType, f.fileName, f.bytes);
	for (const f of attachments) {
		const type = mimeOf(f);
		if (!POST_MEDIA.test(type)) throw new ApiError(415, 'unsupported_media_type', `attachments: ${JSON.stringify(f.fileName)} is ${type || 'untyped'}; a post takes images, videos or a PDF`);
	}
	const asOrg = one('as_organization');
	if (asOrg !== undefined && !findCompany(asOrg)) throw notFound(`as_organization: company ${JSON.stringify(asOrg)} not found`);
	const ownerKey = asOrg === undefined ? st.self.provider_id : `company:${findCompany(asOrg)!.id}`;
	const owner = asOrg === undefined ? ownerOf(st, st.self.provider_id, false)! : ownerOf(st, asOrg, true)!;
	const list = ensurePosts(ctx.store, st, owner);
	const ps = makePost(st, owner, tick(st, ctx.store), text, st.rng);
	ps.post.comment_counter = 0;
	ps.comments = [];
	for (const f of attachments) {
		const mimetype = mimeOf(f);
		ctx.store.recordUpload('attachments', { fileName: f.fileName, mimeType: mimetype, bytes: f.bytes });
		const type = mimetype.startsWith('video/') ? 'video' : mimetype === 'application/pdf' ? 'file' : 'img';
		const base = { id: randomId(st.rng, 12), unavailable: false, mimetype, file_size: f.size };
		ps.post.attachments.push(type === 'img' ? { ...base, type, size: { width: 1200, height: 627 }, sticker: false } : type === 'video' ? { ...base, type, size: { width: 1280, height: 720 }, gif: false } : { ...base, type, file_name: f.fileName });
	}
	ps.ownerKey = ownerKey;
	list.unshift(ps);
	indexPost(st, ps);
	// `post_id` beside the SDK's `{object}` (*unconfirmed*).
	return ok({ object: 'PostCreated', post_id: ps.post.id }, 201);
}

// ---------------------------------------------------------------------------------------------- company

const VIEWER_PERMISSIONS = [
	'canMembersInviteToFollow', 'canReadContentSuggestions', 'canReadMessages', 'canUpdateOrganizationProfile', 'canCreateOrganicShare', 'canReadAdminDashboard',
	'canReadOrganizationActivity', 'canEditCurators', 'canManageOrganizationalPageFollow', 'canReadOrganizationFollowerAnalytics', 'canInviteMemberToFollow',
	'canReadOrganizationLeadsAnalytics', 'canEditPendingAdministrators', 'canManageMessagingAccess', 'canSeeEmployeeExperienceAsMember', 'canEmployeesInviteToFollow',
	'canSeeOrganizationAdministrativePage',
];

export function companyJson(c: Company): Record<string, unknown> {
	const h = hashOf(c.id);
	return {
		object: 'CompanyProfile',
		id: c.id,
		name: c.name,
		description: `${c.name} builds things people use every day.`,
		entity_urn: `urn:li:fsd_company:${c.id}`,
		public_identifier: c.public_identifier,
		profile_url: `https://www.linkedin.com/company/${c.public_identifier}/`,
		tagline: `${c.industry}, done right`,
		followers_count: c.followers,
		is_following: h % 2 === 0,
		is_employee: false,
		messaging: { is_enabled: h % 3 !== 0 },
		default_locale: 'en_US',
		viewer_permissions: Object.fromEntries(VIEWER_PERMISSIONS.map((k) => [k, false])),
		organization_type: h % 2 === 0 ? 'PRIVATELY_HELD' : 'PUBLIC_COMPANY',
		locations: [{ is_headquarter: true, country: 'FR', city: c.location, street: ['1 rue de la Paix'] }],
		industry: [c.industry],
		employee_count: 50 + (h % 5000),
		website: `https://www.${c.public_identifier}.example`,
	};
}

function getCompany(ctx: RouteContext): RouteResult {
	ctx.query.only(['account_id']);
	accountOf(ctx, 'query');
	const c = findCompany(ctx.params.identifier);
	if (!c) throw notFound(`company ${JSON.stringify(ctx.params.identifier)} not found`);
	return ok(companyJson(c));
}

// ---------------------------------------------------------------------------------------------- search

const SEARCH_APIS = { classic: ['people', 'companies', 'posts', 'jobs'], sales_navigator: ['people', 'companies'], recruiter: ['people'] } as const;
const ID_FILTERS = ['industry', 'location', 'company', 'past_company', 'school', 'service', 'connections_of', 'followers_of'];
const ADVANCED_KEYS = ['first_name', 'last_name', 'title', 'company', 'school'];

interface SearchFilters {
	api: keyof typeof SEARCH_APIS;
	category: string;
	keywords?: string;
	ids: Record<string, string[]>;
	network_distance?: number[];
	profile_language?: string[];
	advanced?: Record<string, string>;
	open_to?: string[];
}

function stringArray(v: unknown, field: string): string[] {
	if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '' || x === '[object Object]')) throw invalid(`${field}: must be an array of non-empty strings (ids from GET /linkedin/search/parameters)`);
	return v as string[];
}

/** Classic filters are arrays of ids; Sales Navigator/Recruiter take `{include, exclude}` too (*unconfirmed*: both accepted). */
function idFilter(v: unknown, field: string, api: string): string[] {
	if (api !== 'classic' && v && typeof v === 'object' && !Array.isArray(v)) {
		const o = v as Record<string, unknown>;
		onlyKeys(o, ['include', 'exclude']);
		return o.include === undefined ? [] : stringArray(o.include, `${field}.include`);
	}
	return stringArray(v, field);
}

function parseSearchBody(body: Record<string, unknown>): SearchFilters | { url: URL } {
	if (body.url !== undefined) {
		onlyKeys(body, ['url']);
		const raw = bodyStr(body, 'url', true) as string;
		let url: URL;
		try {
			url = new URL(raw);
		} catch {
			throw invalid(`url: not a URL: ${JSON.stringify(raw)}`);
		}
		if (!/(^|\.)linkedin\.com$/.test(url.hostname) || !/^\/(search\/results|sales\/search|talent\/search)\//.test(url.pathname))
			throw invalid('url: must be a LinkedIn search URL (https://www.linkedin.com/search/results/…, /sales/search/… or /talent/search/…)');
		return { url };
	}
	const api = bodyStr(body, 'api', true) as string;
	if (!(api in SEARCH_APIS)) throw invalid(`api: must be one of ${Object.keys(SEARCH_APIS).join(', ')}, got ${JSON.stringify(api)}`);
	const category = bodyStr(body, 'category', true) as string;
	const categories = SEARCH_APIS[api as keyof typeof SEARCH_APIS] as readonly string[];
	if (!categories.includes(category)) throw invalid(`category: ${api} search takes ${categories.join(', ')}, got ${JSON.stringify(category)}`);
	const allowed = ['api', 'category', 'keywords', ...(category === 'people' ? [...ID_FILTERS, 'network_distance', 'profile_language', 'advanced_keywords', 'open_to'] : category === 'companies' ? ['industry', 'location', 'has_job_offers'] : category === 'posts' ? ['sort_by', 'date_posted', 'content_type', 'posted_by'] : ['location', 'sort_by', 'date_posted'])];
	onlyKeys(body, allowed);
	const f: SearchFilters = { api: api as SearchFilters['api'], category, ids: {} };
	f.keywords = bodyStr(body, 'keywords');
	for (const k of ID_FILTERS) if (body[k] !== undefined) f.ids[k] = idFilter(body[k], k, api);
	if (body.network_distance !== undefined) {
		const nd = body.network_distance;
		if (!Array.isArray(nd) || nd.some((x) => x !== 1 && x !== 2 && x !== 3)) throw invalid('network_distance: must be an array of 1, 2 or 3 (numbers)');
		f.network_distance = nd as number[];
	}
	if (body.profile_language !== undefined) {
		f.profile_language = stringArray(body.profile_language, 'profile_language');
		if (f.profile_language.some((l) => !/^[a-z]{2}$/.test(l))) throw invalid('profile_language: ISO 639-1 codes such as "en", "fr"');
	}
	if (body.open_to !== undefined) {
		f.open_to = stringArray(body.open_to, 'open_to');
		if (f.open_to.some((x) => x !== 'proBono' && x !== 'boardMember')) throw invalid('open_to: proBono or boardMember');
	}
	if (body.advanced_keywords !== undefined) {
		const a = body.advanced_keywords;
		if (!a || typeof a !== 'object' || Array.isArray(a)) throw invalid('advanced_keywords: must be an object');
		onlyKeys(a as Record<string, unknown>, ADVANCED_KEYS);
		f.advanced = {};
		for (const k of ADVANCED_KEYS) {
			const v = bodyStr(a as Record<string, unknown>, k);
			if (v !== undefined) f.advanced[k] = v;
		}
	}
	return f;
}

function filtersFromUrl(url: URL): SearchFilters {
	const path = url.pathname;
	const api: SearchFilters['api'] = path.startsWith('/sales/') ? 'sales_navigator' : path.startsWith('/talent/') ? 'recruiter' : 'classic';
	const seg = path.split('/').filter(Boolean);
	const kind = seg[seg.length - 1];
	const category = { people: 'people', companies: 'companies', content: 'posts', jobs: 'jobs', company: 'companies', lead: 'people' }[kind] ?? 'people';
	const ids: Record<string, string[]> = {};
	const geo = url.searchParams.get('geoUrn');
	if (geo) {
		try {
			ids.location = JSON.parse(geo) as string[];
		} catch {
			throw invalid('url: geoUrn is not a JSON array');
		}
	}
	return { api, category, keywords: url.searchParams.get('keywords') ?? undefined, ids };
}

function matches(text: string, keywords: string | undefined): boolean {
	if (!keywords) return true;
	const hay = text.toLowerCase();
	return keywords
		.toLowerCase()
		.split(/\s+/)
		.filter(Boolean)
		.every((w) => hay.includes(w));
}

function searchResults(store: SandboxStore, st: LinkedinAccountState, f: SearchFilters): Array<Record<string, unknown>> {
	if (f.category === 'people') {
		return st.members
			.filter((m) => m !== st.self)
			.filter((m) => matches(`${fullName(m)} ${m.headline} ${m.company}`, f.keywords))
			.filter((m) => !f.ids.location?.length || f.ids.location.includes(m.location_id))
			.filter((m) => !f.ids.industry?.length || f.ids.industry.includes(m.industry_id))
			.filter((m) => !f.ids.company?.length || f.ids.company.includes(m.company_id))
			.filter((m) => !f.ids.school?.length || f.ids.school.includes(m.school_id))
			.filter((m) => !f.network_distance?.length || f.network_distance.includes(Number(distanceOf(st, m).slice(-1)) || 4))
			.filter((m) => !f.advanced?.first_name || m.first_name.toLowerCase().includes(f.advanced.first_name.toLowerCase()))
			.filter((m) => !f.advanced?.last_name || m.last_name.toLowerCase().includes(f.advanced.last_name.toLowerCase()))
			.filter((m) => !f.advanced?.company || m.company.toLowerCase().includes(f.advanced.company.toLowerCase()))
			.map((m) => {
				const out: Record<string, unknown> = {
					object: 'SearchResult',
					type: 'PEOPLE',
					id: m.provider_id,
					name: fullName(m),
					first_name: m.first_name,
					last_name: m.last_name,
					public_identifier: m.public_identifier,
					public_profile_url: profileUrl(m),
					profile_url: f.api === 'classic' ? profileUrl(m) : `https://www.linkedin.com/sales/lead/${m.provider_id}`,
					profile_picture_url: m.profile_picture_url ?? null,
					member_urn: `urn:li:member:${m.member_id}`,
					network_distance: distanceOf(st, m),
					location: m.location,
					industry: m.industry,
					headline: m.headline,
					pending_invitation: st.sent.some((i) => i.member === m),
					premium: m.hash % 4 === 0,
					open_profile: m.hash % 3 === 0,
					shared_connections_count: m.hash % 20,
					current_positions: [{ company: m.company, company_id: m.company_id, description: null, role: m.headline.split(' at ')[0], location: m.location }],
				};
				if (f.api !== 'classic') out.can_send_inmail = true;
				return out;
			});
	}
	if (f.category === 'companies') {
		return COMPANIES.filter((c) => matches(`${c.name} ${c.industry}`, f.keywords))
			.filter((c) => !f.ids.industry?.length || f.ids.industry.includes(c.industry_id))
			.map((c) => ({ object: 'SearchResult', type: 'COMPANY', id: c.id, name: c.name, location: c.location, profile_url: `https://www.linkedin.com/company/${c.public_identifier}/`, industry: c.industry, summary: null, followers_count: c.followers, headcount: '51-200' }));
	}
	if (f.category === 'posts') {
		findPost(store, st, '');
		const seen = new Set<PostState>();
		return [...st.postById.values()]
			.filter((p) => !seen.has(p) && (seen.add(p), true))
			.filter((p) => matches(p.post.text, f.keywords))
			.sort((a, b) => (a.post.parsed_datetime < b.post.parsed_datetime ? 1 : -1))
			.map((p) => ({ ...p.post, object: 'SearchResult', type: 'POST' }));
	}
	return ROLES.filter((r) => matches(r, f.keywords)).flatMap((r, i) =>
		COMPANIES.map((c, j) => ({ object: 'SearchResult', type: 'JOB', id: String(4_000_000_000 + i * 100 + j), title: r, company: { id: c.id, name: c.name }, location: c.location, posted_at: iso(BASE_DATE_MS - (i + j) * HOUR) })),
	);
}

function search(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'limit', 'cursor']);
	const st = accountOf(ctx, 'query');
	const rawBody = ctx.json();
	const bodyCursor = rawBody.cursor;
	if (bodyCursor !== undefined) onlyKeys(rawBody, ['cursor']);
	const cursor = q.one('cursor') ?? (bodyCursor === undefined ? undefined : (bodyStr(rawBody, 'cursor', true) as string));
	let f: SearchFilters;
	let start = 0;
	let limit: number;
	const maxFor = (api: string) => (api === 'classic' ? 50 : 100);
	if (cursor !== undefined) {
		const c = decodeCursor<SearchFilters>(cursor, `search/${st.accountId}`);
		f = c.f;
		start = Number(c.k[0]);
		limit = q.has('limit') ? limitOf(q, maxFor(f.api), 10) : c.n;
	} else {
		const parsed = parseSearchBody(rawBody);
		f = 'url' in parsed ? filtersFromUrl(parsed.url) : parsed;
		limit = limitOf(q, maxFor(f.api), 10);
	}
	if (f.api === 'sales_navigator' && !st.subscriptions.sales_navigator) throw new ApiError(403, 'feature_not_subscribed', 'This account has no Sales Navigator subscription');
	if (f.api === 'recruiter' && !st.subscriptions.recruiter) throw new ApiError(403, 'feature_not_subscribed', 'This account has no LinkedIn Recruiter subscription');
	// LinkedIn shows at most 1,000 results of a classic search (2,500 in Sales Navigator).
	const all = searchResults(ctx.store, st, f).slice(0, f.api === 'classic' ? 1000 : 2500);
	const items = all.slice(start, start + limit);
	const next = start + limit < all.length ? encodeCursor(`search/${st.accountId}`, f, [String(start + limit), ''], limit) : null;
	return ok({
		object: 'LinkedinSearch',
		items,
		config: { params: { api: f.api, category: f.category, ...(f.keywords ? { keywords: f.keywords } : {}) } },
		paging: { start, page_count: items.length, total_count: all.length },
		cursor: next,
	});
}

function searchParameters(ctx: RouteContext): RouteResult {
	const q = ctx.query.only(['account_id', 'type', 'keywords', 'limit', 'service']);
	const st = accountOf(ctx, 'query');
	const type = q.required('type');
	if (!(SEARCH_PARAMETER_TYPES as readonly string[]).includes(type)) throw invalid(`type: must be one of ${SEARCH_PARAMETER_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
	const serviceRaw = q.str('service');
	const service = serviceRaw?.toUpperCase();
	if (service !== undefined && !(SEARCH_SERVICES as readonly string[]).includes(service)) throw invalid(`service: must be one of ${SEARCH_SERVICES.join(', ')}, got ${JSON.stringify(serviceRaw)}`);
	if (service === 'SALES_NAVIGATOR' && !st.subscriptions.sales_navigator) throw new ApiError(403, 'feature_not_subscribed', 'This account has no Sales Navigator subscription');
	if (service === 'RECRUITER' && !st.subscriptions.recruiter) throw new ApiError(403, 'feature_not_subscribed', 'This account has no LinkedIn Recruiter subscription');
	const limit = limitOf(q, 100, 10);
	const keywords = q.str('keywords');
	let pool: Array<{ id: string; title: string; additional_data?: Record<string, unknown> }>;
	switch (type) {
		case 'LOCATION':
			pool = LOCATIONS;
			break;
		case 'INDUSTRY':
			pool = INDUSTRIES;
			break;
		case 'COMPANY':
			pool = COMPANIES.map((c) => ({ id: c.id, title: c.name, additional_data: { public_identifier: c.public_identifier } }));
			break;
		case 'SCHOOL':
			pool = SCHOOLS;
			break;
		case 'SERVICE':
			pool = SERVICES;
			break;
		case 'SKILL':
			pool = SKILLS;
			break;
		case 'JOB_TITLE':
			pool = JOB_TITLES;
			break;
		case 'PEOPLE':
			pool = st.relations.slice(0, 200).map((r) => ({ id: r.member.provider_id, title: fullName(r.member), additional_data: { headline: r.member.headline } }));
			break;
		default:
			pool = [];
	}
	// Real LinkedIn needs keywords for most types; here an empty keyword lists the first few.
	const items = pool.filter((p) => matches(p.title, keywords)).slice(0, limit).map((p) => ({ object: 'LinkedinSearchParameter', ...p }));
	return ok({ object: 'LinkedinSearchParametersList', items, paging: { page_count: items.length } });
}

// ---------------------------------------------------------------------------------------------- table

const r = (method: string, path: string, handler: (ctx: RouteContext) => RouteResult): Route => ({ method, pattern: path.split('/').filter(Boolean), handler });

/** Listed before the core routes: `/users/relations` etc. must win over `/users/:identifier`. */
export const LINKEDIN_ROUTES: Route[] = [
	r('GET', '/users/relations', listRelations),
	r('GET', '/users/followers', followList('followers')),
	r('GET', '/users/following', followList('following')),
	r('POST', '/users/invite', sendInvitation),
	r('GET', '/users/invite/sent', listSent),
	r('DELETE', '/users/invite/sent/:invitation_id', cancelSent),
	r('GET', '/users/invite/received', listReceived),
	r('POST', '/users/invite/received/:invitation_id', handleReceived),
	r('GET', '/users/:identifier/posts', listPosts),
	r('POST', '/posts', createPost),
	r('POST', '/posts/reaction', react),
	r('GET', '/posts/:post_id', getPost),
	r('GET', '/posts/:post_id/comments', listComments),
	r('POST', '/posts/:post_id/comments', sendComment),
	r('GET', '/posts/:post_id/reactions', listReactions),
	r('GET', '/linkedin/company/:identifier', getCompany),
	r('POST', '/linkedin/search', search),
	r('GET', '/linkedin/search/parameters', searchParameters),
	r('GET', '/linkedin/inmail_balance', inmailBalance),
];
