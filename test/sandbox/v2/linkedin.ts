/**
 * LinkedIn on Unipile API v2 in the sandbox: relations, followers and following, relation requests (invitations),
 * posts with comments and reactions, company profiles, InMail credits, search per product and category, search
 * parameters. Routes from `unipile/unipile-node` sdk.gen.ts; request and answer shapes read in its types.gen.ts (each
 * named by its `…Data` / `…Responses` type where it is checked). Where the types leave a rule out (LinkedIn's text
 * limits, error types), the notes by each rule say so.
 *
 * State lives per running LinkedIn account and is built lazily from a seed of the account's id, so it is the same
 * after every reset and costs nothing to tests that never touch it. Lists page by cursor (as LinkedIn pages on v2).
 * Searches page as each route's query says (`ROUTE_PAGING`): classic people and companies by cursor alone (10 a
 * page), posts and Recruiter by cursor and limit, jobs and Sales Navigator by offset and limit; a search URL by offset.
 *
 * Rules enforced (the v2 error types of these situations are *unconfirmed*; they are v1's names under `provider/`):
 * - an invitation note is at most 300 characters, a comment 1–1,250, a post 3,000 (400 api/invalid_parameters);
 * - inviting someone with a pending request → 422 provider/already_invited_recently; a relation → 422
 *   provider/cannot_invite_attendee; over the daily quota (off unless set by `/_sandbox/v2/linkedin/quota`) → 422
 *   provider/limit_exceeded; an unknown user id → 404;
 * - cancel withdraws a sent request and declines a received one (the same route on v2); accept takes received ones
 *   only; both remove the request, accept makes the person a relation.
 */
import { mulberry32 } from '../data';
import { bad, notFound, V2Error } from './http';
import { decodeAttachments, fieldsOnly, obj, str, type Ctx, type Result, type V2Area, type V2Environment } from './env';
import type { V2User } from './schemas';
import type { V2AccountRec } from './store';

const FIRST = ['Ava', 'Ben', 'Clara', 'Diego', 'Elif', 'Femi', 'Gina', 'Hana', 'Ivan', 'Jade', 'Karim', 'Lina', 'Mateo', 'Noor', 'Oscar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tara'];
const LAST = ['Adams', 'Bauer', 'Costa', 'Dahl', 'Evans', 'Fischer', 'Garcia', 'Hill', 'Ito', 'Jensen', 'Khan', 'Lopez'];
const TITLES = ['Head of Sales', 'Founder', 'CTO', 'Recruiter', 'Product Manager', 'Data Engineer', 'Marketing Lead', 'Designer'];
export const V2_LOCATIONS = [
	{ id: '105015875', name: 'France' },
	{ id: '106383538', name: 'Paris, Île-de-France, France' },
	{ id: '103644278', name: 'United States' },
	{ id: '90009659', name: 'Berlin Metropolitan Area' },
];
export const V2_COMPANIES = [
	{ id: '1035', public_identifier: 'microsoft', name: 'Microsoft', industry: 'Software Development' },
	{ id: '4882', public_identifier: 'unipile', name: 'Unipile', industry: 'Software Development' },
	{ id: '1586', public_identifier: 'amazon', name: 'Amazon', industry: 'Retail' },
];
const INDUSTRIES = [
	{ id: '4', name: 'Software Development' },
	{ id: '27', name: 'Retail' },
];
/** The search parameter types the sandbox suggests values for, by v1's (upper-case) type names. */
const PARAMETERS: Record<string, Array<{ id: string; name: string }>> = {
	LOCATION: V2_LOCATIONS,
	COMPANY: V2_COMPANIES.map(({ id, name }) => ({ id, name })),
	INDUSTRY: INDUSTRIES,
	SCHOOL: [{ id: '12345', name: 'Sorbonne Université' }],
	SERVICE: [{ id: '50', name: 'Software Development Services' }],
	RELATION: [{ id: 'ACoAAB1relation', name: 'Ava Adams' }],
};
/** A profile's sections (`GetUserProfileData.query.with_sections`; each also as `…_preview`). */
const PROFILE_SECTIONS = ['linkedin_*', 'linkedin_experience', 'linkedin_education', 'linkedin_languages', 'linkedin_skills', 'linkedin_certifications', 'linkedin_volunteer_experience', 'linkedin_projects', 'linkedin_recommendations', 'linkedin_recruiting_activity', 'linkedin_interests'];
/** The parameter types each product lists (`GetClassicSearchParametersData`, `GetSalesSearchParametersData`, Recruiter's by source). */
const PARAMETER_TYPES: Record<string, string[]> = {
	classic: ['LOCATION', 'COMPANY', 'RELATION', 'PEOPLE', 'SCHOOL', 'INDUSTRY', 'SERVICE', 'JOB_FUNCTION', 'JOB_TITLE', 'EMPLOYMENT_TYPE', 'SKILL'],
	sales_navigator: ['COMPANY', 'ACCOUNT_LIST', 'LEAD_LIST', 'LOCATION', 'POSTAL_CODE', 'JOB_FUNCTION', 'JOB_TITLE', 'INDUSTRY', 'GROUP', 'SCHOOL', 'RELATION', 'PERSONA', 'SAVED_PEOPLE_SEARCH', 'SAVED_COMPANY_SEARCH', 'RECENT_SEARCH', 'PROFILE_LANGUAGE'],
	recruiter: ['OCCUPATION', 'JOB_TITLE', 'JOB_FUNCTION', 'LOCATION', 'ZIPCODE', 'SKILL', 'COMPANY', 'SCHOOL', 'INDUSTRY', 'GROUP', 'PROJECT', 'CUSTOM_FILTER', 'PROFILE_LANGUAGE', 'SPOKEN_LANGUAGE', 'SEAT', 'SAVED_SEARCH', 'DEGREE'],
};

/** A member of the seeded network, with what search filters match on. */
export interface V2Member {
	user: V2User;
	headline: string;
	location_id: string;
	location: string;
	company_id: string;
	distance: 1 | 2 | 3;
}

export interface V2RelationRequest {
	object: 'RelationRequest';
	type: 'sent' | 'received';
	id: string;
	created_at: string;
	message?: string;
	user: V2User;
}

interface V2Comment {
	object: 'Comment';
	id: string;
	post_id: string;
	author: V2User;
	created_at: string;
	text: string;
	is_sender: boolean;
	can_reply: boolean;
	can_react: boolean;
	reply_counter: number;
	reactions_counter: Array<{ reaction: string; count: number }>;
	/** the comment answered, for replies */
	parent?: string;
}

interface V2Reaction {
	object: 'Reaction';
	value: string;
	is_sender: boolean;
	sender: V2User;
	/** sort key (newest first) and the comment reacted to, kept out of the answer */
	k: string;
	comment?: string;
}

interface V2PostRec {
	post: Record<string, unknown> & { id: string; created_at: string; author: V2User };
	comments: V2Comment[];
	reactions: V2Reaction[];
}

export interface V2LinkedinState {
	owner: V2User;
	members: V2Member[];
	/** newest first */
	relations: Array<{ object: 'UserRelation'; id: string; user: V2User; created_at: string }>;
	followers: V2User[];
	following: V2User[];
	requests: V2RelationRequest[];
	posts: V2PostRec[];
	dailyInvitationQuota?: number;
	invitationsToday: number;
	inmailCredits: { classic?: number; sales_navigator?: number; recruiter?: number };
}

/** LinkedIn's reaction values on v2. */
export const V2_REACTIONS = ['linkedin_like', 'linkedin_celebrate', 'linkedin_support', 'linkedin_love', 'linkedin_insightful', 'linkedin_funny'];

const iso = (ms: number) => new Date(ms).toISOString();
const BASE = Date.UTC(2026, 10, 1);

/**
 * Each search route's body fields, by `product/category` (types.gen.ts `PerformClassicPeopleSearchData`,
 * `…CompaniesSearchData`, `…PostsSearchData`, `…JobsSearchData`, `PerformRecruiterPeopleSearchData`); Sales
 * Navigator's from `PerformSalesPeopleSearchData`, `PerformSalesCompaniesSearchData`.
 */
const PEOPLE_FILTERS = ['keywords', 'network_distance', 'location', 'current_company', 'past_company', 'school', 'connections_of', 'followers_of', 'industry', 'service', 'profile_language', 'open_to_volunteering', 'advanced_keywords'];
const ROUTE_FILTERS: Record<string, string[]> = {
	'classic/people': PEOPLE_FILTERS,
	'classic/companies': ['keywords', 'location', 'industry', 'headcount', 'has_job_postings', 'is_employing_relations'],
	'classic/posts': ['keywords', 'sort_by', 'date_posted', 'content_type', 'posted_by', 'mentioning', 'author'],
	'classic/jobs': ['keywords', 'sort_by', 'date_posted', 'workplace_type', 'seniority', 'employment_status', 'company', 'primary_location', 'location', 'location_radius', 'industry', 'function', 'job_title', 'easy_apply', 'has_verifications', 'under_10_applicants', 'in_your_network', 'fair_chance_employer', 'salary', 'benefits', 'commitments'],
	'recruiter/people': ['keywords', 'spotlights', 'load_saved_search', 'load_custom_filter', 'save_search', 'save_custom_filter', 'network_distance', 'location', 'postal_code', 'postal_code_radius', 'job_title', 'occupation', 'skills', 'company', 'current_company', 'past_company', 'company_size', 'years_of_experience', 'years_in_current_position', 'years_in_current_company', 'degree', 'workplace_type', 'school', 'field_of_study', 'employment_type', 'graduation_year', 'industry', 'seniority', 'spoken_language', 'profile_language', 'project', 'job_function', 'first_name', 'last_name', 'recently_joined', 'is_military_veteran', 'recruiting_activity', 'hide_previously_viewed', 'group', 'is_past_applicant', 'notes', 'tags'],
	'sales_navigator/people': ['keywords', 'save_search', 'load_saved_search', 'load_recent_search', 'current_company', 'past_company', 'company_headcount', 'company_type', 'company_location', 'function', 'current_job_title', 'past_job_title', 'seniority', 'years_in_company', 'years_in_position', 'location', 'postal_code', 'industry', 'first_name', 'last_name', 'profile_language', 'years_of_experience', 'group', 'school', 'following_your_company', 'viewed_your_profile_recently', 'network_distance', 'connections_of', 'past_colleague', 'shared_experiences', 'changed_jobs', 'posted_on_linkedin', 'persona', 'account_list', 'lead_list', 'recent_interaction', 'saved_resources'],
	'sales_navigator/companies': ['keywords', 'save_search', 'load_saved_search', 'load_recent_search', 'annual_revenue', 'headcount', 'headcount_growth', 'location', 'postal_code', 'industry', 'followers', 'department_headcount', 'department_headcount_growth', 'fortune', 'spotlights', 'saved_accounts', 'account_list'],
};
/**
 * How each search route pages, in its query: classic people and companies by cursor alone, 10 a page; posts by
 * cursor and limit (default 3, up to 49); jobs by offset and limit (up to 50); Recruiter by cursor and limit (up to
 * 100); Sales Navigator by offset and limit (up to 100).
 */
const ROUTE_PAGING: Record<string, { by: 'cursor' | 'offset'; limit?: { max: number; default: number }; fixed?: number }> = {
	'classic/people': { by: 'cursor', fixed: 10 },
	'classic/companies': { by: 'cursor', fixed: 10 },
	'classic/posts': { by: 'cursor', limit: { max: 49, default: 3 } },
	'classic/jobs': { by: 'offset', limit: { max: 50, default: 10 } },
	'recruiter/people': { by: 'cursor', limit: { max: 100, default: 10 } },
	'sales_navigator/people': { by: 'offset', limit: { max: 100, default: 10 } },
	'sales_navigator/companies': { by: 'offset', limit: { max: 100, default: 10 } },
};
/** Classic search parameter types (`GetClassicSearchParametersData.query.type`); Recruiter's of source SEARCH. */
const RECRUITER_SOURCES = ['APPLICANTS', 'PIPELINE', 'SEARCH', 'JOB_POSTING', 'JOBS'];
const NETWORK = ['', 'FIRST_DEGREE', 'SECOND_DEGREE', 'THIRD_DEGREE'];

export class V2LinkedinArea implements V2Area {
	private readonly states = new Map<string, V2LinkedinState>();

	constructor(private readonly env: V2Environment) {}

	reset(): void {
		this.states.clear();
	}

	/** The account's LinkedIn state, seeded on first use. */
	state(accountId: string): V2LinkedinState {
		let st = this.states.get(accountId);
		if (!st) {
			st = this.seed(this.env.store.accounts.get(accountId)!);
			this.states.set(accountId, st);
		}
		return st;
	}

	private seed(acc: V2AccountRec): V2LinkedinState {
		let h = 7;
		for (const c of acc.account.id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
		const rng = mulberry32(h);
		const b62 = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rng() * 62)]).join('');
		const digits = (n: number) => Array.from({ length: n }, (_, i) => String(i === 0 ? 1 + Math.floor(rng() * 9) : Math.floor(rng() * 10))).join('');
		const members: V2Member[] = Array.from({ length: 60 }, (_, i) => {
			const first = FIRST[i % FIRST.length];
			const last = LAST[(i * 7) % LAST.length];
			const handle = `${first}-${last}-${digits(4)}`.toLowerCase();
			const company = V2_COMPANIES[i % V2_COMPANIES.length];
			const location = V2_LOCATIONS[i % V2_LOCATIONS.length];
			// Founders at 1, 9, … 41, 49 (second degree), 57 (third): a search for founders beyond the network finds some.
			const headline = `${TITLES[i % TITLES.length]} at ${company.name}`;
			const user: V2User = {
				object: 'User',
				id: `ACoAA${b62(34)}`,
				type: 'individual',
				display_name: `${first} ${last}`,
				first_name: first,
				last_name: last,
				public_identifier: handle,
				profile_url: `https://www.linkedin.com/in/${handle}`,
				description: headline,
			};
			return { user, headline, location_id: location.id, location: location.name, company_id: company.id, distance: i < 40 ? 1 : i < 52 ? 2 : 3 };
		});
		const relations = members
			.filter((m) => m.distance === 1)
			.map((m, i) => ({ object: 'UserRelation' as const, id: m.user.id, user: m.user, created_at: iso(BASE - (i + 1) * 86_400_000 - Math.floor(rng() * 3_600_000)) }));
		const followers = members.slice(0, 30).map((m) => m.user);
		const following = members.slice(45, 57).map((m) => m.user);
		const requests: V2RelationRequest[] = [
			...members.slice(52, 57).map((m, i): V2RelationRequest => ({ object: 'RelationRequest', type: 'received', id: digits(19), created_at: iso(BASE - (i + 1) * 3_600_000), ...(i % 2 === 0 ? { message: `Hi, ${acc.owner.first_name ?? 'there'}!` } : {}), user: m.user })),
			...members.slice(42, 46).map((m, i): V2RelationRequest => ({ object: 'RelationRequest', type: 'sent', id: digits(19), created_at: iso(BASE - (i + 2) * 7_200_000), user: m.user })),
		];
		const posts: V2PostRec[] = [];
		const authors = [acc.owner, ...members.slice(0, 3).map((m) => m.user)];
		for (let i = 0; i < 28; i++) {
			const author = authors[i % authors.length];
			const id = `urn:li:activity:7${digits(18)}`;
			const created = BASE - (i + 1) * 43_200_000;
			const comments: V2Comment[] = Array.from({ length: i % 4 === 0 ? 7 : 2 }, (_, c) => ({
				object: 'Comment' as const,
				id: digits(19),
				post_id: id,
				author: members[(i + c) % members.length].user,
				created_at: iso(created + (c + 1) * 60_000),
				text: `Comment ${c + 1} on post ${i + 1}`,
				is_sender: false,
				can_reply: true,
				can_react: true,
				reply_counter: 0,
				reactions_counter: [],
			}));
			const reactions: V2Reaction[] = Array.from({ length: i % 4 === 0 ? 9 : 3 }, (_, r) => ({
				object: 'Reaction' as const,
				value: V2_REACTIONS[r % V2_REACTIONS.length],
				is_sender: false,
				sender: members[(i * 3 + r) % members.length].user,
				k: iso(created + (r + 1) * 30_000) + String(r).padStart(3, '0'),
			}));
			posts.push({
				post: {
					object: 'Post',
					id,
					share_url: `https://www.linkedin.com/feed/update/${id}`,
					created_at: iso(created),
					text: `Post ${i + 1} by ${author.display_name}`,
					author,
					user_reacted: false,
					permissions: { can_share: true, can_react: true, can_post_comments: true },
					reactions_counter: [],
					comments_counter: 0,
					reposts_counter: i % 3,
					attachments: [],
					is_repost: false,
				},
				comments,
				reactions,
			});
		}
		const st: V2LinkedinState = { owner: acc.owner, members, relations, followers, following, requests, posts, invitationsToday: 0, inmailCredits: { classic: 15 } };
		for (const p of posts) this.count(p);
		return st;
	}

	/** A post's counters from its comments and reactions. */
	private count(p: V2PostRec): void {
		const byValue = new Map<string, number>();
		for (const r of p.reactions) if (!r.comment) byValue.set(r.value, (byValue.get(r.value) ?? 0) + 1);
		p.post.reactions_counter = [...byValue].map(([reaction, count]) => ({ reaction, count }));
		p.post.comments_counter = p.comments.filter((c) => !c.parent).length;
		for (const c of p.comments) c.reply_counter = p.comments.filter((r) => r.parent === c.id).length;
	}

	// ---------------------------------------------------------------------------------------------- routes

	route(ctx: Ctx): Result | undefined {
		const { method, segs } = ctx;
		const acc = segs.length >= 2 ? this.env.store.accounts.get(segs[0]) : undefined;
		if (!acc || acc.account.provider !== 'linkedin') return undefined;
		const n = segs.length;
		const [, area, a, b, c, d] = segs;
		const mine = () => this.state(this.env.methodsAccount(segs[0], ['linkedin']).account.id);
		if (area === 'users') {
			if (n === 3 && method === 'GET' && a !== 'me') {
				const m = this.member(mine(), a);
				// Chat peers the messaging store knows are answered there.
				return m ? this.profile(ctx, m) : undefined;
			}
			if (n === 3 && method === 'GET' && a === 'me') return undefined;
			if (a === 'me' && b === 'relation-requests') {
				if (n === 4 && method === 'GET') return this.listRequests(ctx, mine());
				if (n === 4 && method === 'POST') return this.createRequest(ctx, mine());
				if (n === 6 && method === 'POST' && (d === 'cancel' || d === 'accept')) return this.answerRequest(ctx, mine(), c, d);
			}
			if (n === 4 && method === 'GET' && b === 'relations') {
				if (a !== 'me') throw new V2Error(403, 'provider/insufficient_privileges', "LinkedIn shows only the account's own relations.");
				return this.listRelations(ctx, mine());
			}
			if (n === 4 && method === 'GET' && (b === 'followers' || b === 'following')) return this.listFollows(ctx, mine(), a, b);
			if (n === 4 && method === 'GET' && b === 'posts') return this.listPosts(ctx, mine(), a);
		}
		if (area === 'posts') {
			const st = mine();
			if (n === 2 && method === 'POST') return this.createPost(ctx, st, acc);
			const p = () => this.post(st, a);
			if (n === 3 && method === 'GET') return (ctx.query.only([]), { status: 200, json: p().post });
			if (n === 4 && b === 'comments' && method === 'GET') return this.listComments(ctx, p());
			if (n === 4 && b === 'comments' && method === 'POST') return this.addComment(ctx, st, p());
			if (n === 4 && b === 'reactions' && method === 'GET') return this.listReactions(ctx, p());
			if (n === 4 && b === 'reactions' && method === 'POST') return this.react(ctx, st, p());
			if (n === 5 && b === 'comments' && method === 'POST') return this.addComment(ctx, st, p(), this.comment(p(), c).id);
			if (n === 6 && b === 'comments' && d === 'replies' && method === 'GET') return this.listComments(ctx, p(), this.comment(p(), c).id);
			if (n === 6 && b === 'comments' && d === 'reactions' && method === 'GET') return this.listReactions(ctx, p(), this.comment(p(), c).id);
			if (n === 6 && b === 'comments' && d === 'reactions' && method === 'POST') return this.react(ctx, st, p(), this.comment(p(), c).id);
		}
		if (area === 'linkedin') {
			const st = mine();
			if (n === 3 && a === 'inmail-credits' && method === 'GET') {
				ctx.query.only(['service']);
				ctx.query.enumOf('service', ['classic', 'sales_navigator', 'recruiter'] as const);
				return { status: 200, json: { object: 'InmailCredits', credits: st.inmailCredits } };
			}
			if (n === 4 && a === 'company' && method === 'GET') return this.company(ctx, b);
			const product = a === 'sales-navigator' ? 'sales_navigator' : a === 'recruiter' ? 'recruiter' : 'classic';
			const rest = product === 'classic' ? segs.slice(2) : segs.slice(3);
			if (rest[0] === 'search') {
				if (rest.length === 1 && method === 'POST') return this.searchUrl(ctx, st, product);
				if (rest.length === 2 && rest[1] === 'parameters') {
					if (product === 'recruiter' ? method === 'POST' : method === 'GET') return this.parameters(ctx, product);
					throw new V2Error(405, 'api/method_not_allowed', `${product === 'recruiter' ? 'Recruiter search parameters are a POST' : 'Search parameters are a GET'}.`);
				}
				if (rest.length === 2 && method === 'POST') return this.search(ctx, st, product, rest[1]);
			}
		}
		return undefined;
	}

	control(method: string, path: string, body: () => Record<string, unknown>): [number, unknown] | undefined {
		if (path === '/_sandbox/v2/linkedin/quota' && method === 'POST') {
			const b = body();
			const st = this.state(String(b.accountId));
			st.dailyInvitationQuota = b.dailyInvitations === null ? undefined : Number(b.dailyInvitations);
			st.invitationsToday = 0;
			return [200, { ok: true }];
		}
		// Later, on LinkedIn: the person accepts the account's request and becomes its newest relation.
		if (path === '/_sandbox/v2/linkedin/accept-sent' && method === 'POST') {
			const b = body();
			const st = this.state(String(b.accountId));
			const request = st.requests.find((r) => r.type === 'sent' && r.user.id === b.userId);
			if (!request) return [404, notFound(`No sent relation request to ${String(b.userId)}.`).body()];
			st.requests.splice(st.requests.indexOf(request), 1);
			st.relations.unshift({ object: 'UserRelation', id: request.user.id, user: request.user, created_at: this.env.store.now() });
			return [200, { ok: true }];
		}
		// A fresh state with `count` more people beyond the network, none invited yet (for benches of many invitations).
		if (path === '/_sandbox/v2/linkedin/invitable' && method === 'POST') {
			const b = body();
			const accountId = String(b.accountId);
			this.states.delete(accountId);
			const st = this.state(accountId);
			const people = Array.from({ length: Number(b.count) }, (_, i): V2Member => {
				const handle = `invitable-${i}`;
				const user: V2User = { object: 'User', id: `ACoAAInvitable${String(i).padStart(6, '0')}`, type: 'individual', display_name: `${FIRST[i % FIRST.length]} Invitable${i}`, first_name: FIRST[i % FIRST.length], last_name: `Invitable${i}`, public_identifier: handle, profile_url: `https://www.linkedin.com/in/${handle}` };
				return { user, headline: 'Engineer', location_id: V2_LOCATIONS[0].id, location: V2_LOCATIONS[0].name, company_id: V2_COMPANIES[0].id, distance: 2 };
			});
			st.members.push(...people);
			return [200, people.map((m) => ({ id: m.user.id, first_name: m.user.first_name }))];
		}
		if (path === '/_sandbox/v2/linkedin/state' && method === 'POST') {
			const b = body();
			return [200, this.state(String(b.accountId))];
		}
		return undefined;
	}

	// ---------------------------------------------------------------------------------------------- people

	private member(st: V2LinkedinState, id: string): V2Member | undefined {
		return st.members.find((m) => m.user.id === id || m.user.public_identifier === id);
	}

	private profile(ctx: Ctx, m: V2Member): Result {
		const q = ctx.query.only(['variant', 'with_sections']);
		q.enumOf('variant', ['linkedin_classic', 'linkedin_recruiter', 'linkedin_sales_navigator'] as const);
		const sections = q.all('with_sections');
		for (const s of sections) if (!PROFILE_SECTIONS.includes(s.replace(/_preview$/, ''))) throw bad(`with_sections: unknown section ${JSON.stringify(s)}`);
		const { object: _o, specifics: _s, ...user } = m.user;
		const specifics: Record<string, unknown> = { member_id: m.user.id, network_distance: NETWORK[m.distance], is_premium: false, is_open_profile: false };
		if (sections.some((s) => s === 'linkedin_experience' || s === 'linkedin_*')) {
			specifics.experience = [{ company: V2_COMPANIES.find((c) => c.id === m.company_id)!.name, position: m.headline.split(' at ')[0], current: true }];
		}
		return { status: 200, json: { object: 'UserProfile', ...user, specifics } };
	}

	private listRelations(ctx: Ctx, st: V2LinkedinState): Result {
		const q = ctx.query.only(['limit', 'cursor', 'search']);
		const search = q.one('search');
		const filters: Record<string, string> = search === undefined ? {} : { search };
		const page = this.env.page(
			ctx,
			'linkedin',
			`relations ${st.owner.id}`,
			filters,
			(f) => st.relations.filter((r) => !f.search || r.user.display_name.toLowerCase().includes(f.search.toLowerCase())),
			(r) => `${r.created_at}|${r.id}`,
		);
		return { status: 200, json: page };
	}

	private listFollows(ctx: Ctx, st: V2LinkedinState, userId: string, list: 'followers' | 'following'): Result {
		ctx.query.only(['limit', 'cursor']);
		let users: V2User[];
		if (userId === 'me' || userId === st.owner.id) users = st[list];
		else {
			const m = this.member(st, userId);
			if (!m) throw notFound(`User ${userId} not found.`);
			// Another member's: a few of the network, different for each.
			const from = st.members.indexOf(m);
			users = st.members.filter((_x, i) => i !== from && (i + from) % (list === 'followers' ? 3 : 5) === 0).map((x) => x.user);
		}
		const indexed = users.map((u, i) => ({ u, k: String(100000 - i).padStart(6, '0') }));
		const page = this.env.page(ctx, 'linkedin', `${list} ${userId}`, {}, () => indexed, (x) => x.k);
		return { status: 200, json: { ...page, data: page.data.map((x) => x.u) } };
	}

	// ---------------------------------------------------------------------------------------------- relation requests

	private listRequests(ctx: Ctx, st: V2LinkedinState): Result {
		const q = ctx.query.only(['type', 'limit', 'cursor']);
		const type = q.enumOf('type', ['sent', 'received'] as const);
		// `GetRelationRequestsListData.query.type` is required, on every page.
		if (type === undefined) throw bad('type: required (sent or received)');
		const filters: Record<string, string> = { type };
		const page = this.env.page(ctx, 'linkedin', `requests ${st.owner.id}`, filters, (f) => st.requests.filter((r) => r.type === f.type), (r) => `${r.created_at}|${r.id}`);
		return { status: 200, json: page };
	}

	private createRequest(ctx: Ctx, st: V2LinkedinState): Result {
		ctx.query.only([]);
		const b = ctx.body();
		fieldsOnly(b, ['user_id', 'message']);
		const userId = str(b, 'user_id', true)!;
		const message = str(b, 'message', false);
		if (message !== undefined && message.length > 300) throw bad(`message: at most 300 characters (got ${message.length})`);
		const m = st.members.find((x) => x.user.id === userId);
		if (!m) throw notFound(`User ${userId} not found (user_id takes the member's provider ID).`);
		if (st.relations.some((r) => r.user.id === userId)) throw new V2Error(422, 'provider/cannot_invite_attendee', `${m.user.display_name} is already a relation.`);
		if (st.requests.some((r) => r.user.id === userId)) throw new V2Error(422, 'provider/already_invited_recently', `A relation request between you and ${m.user.display_name} is already pending.`);
		if (st.dailyInvitationQuota !== undefined && st.invitationsToday >= st.dailyInvitationQuota) {
			throw new V2Error(422, 'provider/limit_exceeded', `You reached LinkedIn's invitation limit (${st.dailyInvitationQuota} today).`);
		}
		st.invitationsToday++;
		const request: V2RelationRequest = { object: 'RelationRequest', type: 'sent', id: String(7_000_000_000_000_000_000n + BigInt(st.requests.length + st.invitationsToday)), created_at: this.env.store.now(), user: m.user };
		if (message !== undefined && message !== '') request.message = message;
		st.requests.unshift(request);
		return { status: 201, json: request };
	}

	private answerRequest(ctx: Ctx, st: V2LinkedinState, id: string, action: 'cancel' | 'accept'): Result {
		ctx.query.only([]);
		if (ctx.entry.json !== undefined) throw bad('this route takes no body');
		const request = st.requests.find((r) => r.id === id);
		if (!request) throw notFound(`Relation request ${id} not found.`);
		if (action === 'accept' && request.type !== 'received') throw bad('Only a received relation request can be accepted.');
		st.requests.splice(st.requests.indexOf(request), 1);
		if (action === 'cancel') return { status: 200, json: { object: 'RelationRequestCanceled' } };
		st.relations.unshift({ object: 'UserRelation', id: request.user.id, user: request.user, created_at: this.env.store.now() });
		return { status: 200, json: { object: 'RelationRequestConfirmed' } };
	}

	// ---------------------------------------------------------------------------------------------- posts

	private post(st: V2LinkedinState, id: string): V2PostRec {
		const p = st.posts.find((x) => x.post.id === id);
		if (!p) throw notFound(`Post ${id} not found.`);
		return p;
	}

	private comment(p: V2PostRec, id: string): V2Comment {
		const c = p.comments.find((x) => x.id === id);
		if (!c) throw notFound(`Comment ${id} not found on post ${p.post.id}.`);
		return c;
	}

	private listPosts(ctx: Ctx, st: V2LinkedinState, userId: string): Result {
		ctx.query.only(['limit', 'cursor']);
		const company = V2_COMPANIES.find((c) => c.id === userId || c.public_identifier === userId);
		const author = userId === 'me' ? st.owner : company ? undefined : userId === st.owner.id || userId === st.owner.public_identifier ? st.owner : this.member(st, userId)?.user;
		if (!author && !company) throw notFound(`User ${userId} not found.`);
		const page = this.env.page(
			ctx,
			'linkedin',
			`posts ${userId}`,
			{},
			() => (company ? [] : st.posts.filter((p) => p.post.author.id === author!.id)).map((p) => p.post),
			(p) => `${p.created_at}|${p.id}`,
		);
		return { status: 200, json: page };
	}

	private createPost(ctx: Ctx, st: V2LinkedinState, acc: V2AccountRec): Result {
		ctx.query.only([]);
		const b = ctx.body();
		fieldsOnly(b, ['text', 'attachments', 'can_read', 'can_comment', 'quoted_post_id', 'post_as', 'specifics']);
		const text = str(b, 'text', true, true)!;
		if (text.length > 3000) throw bad(`text: at most 3000 characters (got ${text.length})`);
		obj(b, 'specifics');
		const files = decodeAttachments(b, ctx.entry, false);
		const id = `urn:li:activity:7${String(this.env.store.nowMs()).padStart(18, '0')}`;
		const post: V2PostRec['post'] = {
			object: 'Post',
			id,
			share_url: `https://www.linkedin.com/feed/update/${id}`,
			created_at: this.env.store.now(),
			text,
			author: st.owner,
			user_reacted: false,
			permissions: { can_share: true, can_react: true, can_post_comments: true },
			reactions_counter: [],
			comments_counter: 0,
			reposts_counter: 0,
			attachments: files.map((f, i) => ({ object: 'Attachment', id: `${id}-${i}`, type: f.content_type.startsWith('image/') ? 'img' : 'file', mimetype: f.content_type, url: `https://media.licdn.com/sandbox/${i}`, is_inline: false, ...(f.content_type.startsWith('image/') ? { sticker: false } : { filename: f.filename }) })),
			is_repost: false,
		};
		for (const f of files) this.env.store.uploads.push({ accountId: acc.account.id, chatId: 'post', messageId: id, attachmentId: f.filename, filename: f.filename, content_type: f.content_type, size: f.size, sha256: f.sha256 });
		st.posts.unshift({ post, comments: [], reactions: [] });
		return { status: 201, json: post };
	}

	private listComments(ctx: Ctx, p: V2PostRec, parent?: string): Result {
		ctx.query.only(parent ? ['limit', 'cursor'] : ['limit', 'cursor', 'sort_by']);
		const page = this.env.page(
			ctx,
			'linkedin',
			`comments ${p.post.id} ${parent ?? ''}`,
			{},
			() => p.comments.filter((c) => c.parent === parent).sort((x, y) => (x.created_at < y.created_at ? 1 : -1)),
			(c) => `${c.created_at}|${c.id}`,
		);
		return { status: 200, json: { ...page, data: page.data.map(({ parent: _p, ...c }) => c) } };
	}

	private addComment(ctx: Ctx, st: V2LinkedinState, p: V2PostRec, parent?: string): Result {
		ctx.query.only([]);
		const b = ctx.body();
		fieldsOnly(b, ['text', 'comment_as', 'attachments']);
		const text = str(b, 'text', true)!;
		if (text.length > 1250) throw bad(`text: at most 1250 characters (got ${text.length})`);
		decodeAttachments(b, ctx.entry, false);
		const c: V2Comment = {
			object: 'Comment',
			id: String(7_100_000_000_000_000_000n + BigInt(p.comments.length)),
			post_id: p.post.id,
			author: st.owner,
			created_at: this.env.store.now(),
			text,
			is_sender: true,
			can_reply: true,
			can_react: true,
			reply_counter: 0,
			reactions_counter: [],
			...(parent ? { parent } : {}),
		};
		p.comments.push(c);
		this.count(p);
		const { parent: _p, ...shown } = c;
		// A comment and a reply are both 201 (`AddPostCommentResponses`, `ReplyToCommentResponses`).
		return { status: 201, json: shown };
	}

	private listReactions(ctx: Ctx, p: V2PostRec, comment?: string): Result {
		ctx.query.only(['limit', 'cursor']);
		const page = this.env.page(ctx, 'linkedin', `reactions ${p.post.id} ${comment ?? ''}`, {}, () => p.reactions.filter((r) => r.comment === comment).sort((x, y) => (x.k < y.k ? 1 : -1)), (r) => r.k);
		return { status: 200, json: { ...page, data: page.data.map(({ k: _k, comment: _c, ...r }) => r) } };
	}

	private react(ctx: Ctx, st: V2LinkedinState, p: V2PostRec, comment?: string): Result {
		ctx.query.only([]);
		const b = ctx.body();
		fieldsOnly(b, ['reaction', 'react_as']);
		const value = str(b, 'reaction', true)!;
		if (!V2_REACTIONS.includes(value)) throw new V2Error(400, 'provider/invalid_parameters', `reaction: LinkedIn takes ${V2_REACTIONS.join(', ')}; got ${JSON.stringify(value)}`);
		if (p.reactions.some((r) => r.is_sender && r.comment === comment)) throw new V2Error(422, 'provider/action_already_performed', 'You already reacted to this.');
		p.reactions.push({ object: 'Reaction', value, is_sender: true, sender: st.owner, k: this.env.store.now() + '999', ...(comment ? { comment } : {}) });
		this.count(p);
		return { status: 200, json: { object: comment ? 'CommentReactionAdded' : 'PostReactionAdded' } };
	}

	// ---------------------------------------------------------------------------------------------- company, search

	private company(ctx: Ctx, id: string): Result {
		ctx.query.only([]);
		const c = V2_COMPANIES.find((x) => x.id === id || x.public_identifier === id);
		if (!c) throw notFound(`Company ${id} not found.`);
		return {
			status: 200,
			json: {
				object: 'CompanyProfile',
				id: c.id,
				name: c.name,
				public_identifier: c.public_identifier,
				profile_url: `https://www.linkedin.com/company/${c.public_identifier}`,
				description: `${c.name} on LinkedIn`,
				followers_count: 1000 + Number(c.id),
				// The fields `GetClassicCompanyProfileResponses` requires.
				is_school: false,
				is_active: true,
				is_archived: false,
				is_employee: false,
				is_verified: true,
				is_claimable: false,
				is_claimable_by_viewer: false,
				mailbox: { id: `mbx_${c.id}`, enabled: true },
				viewer_roles: [],
				industry: [c.industry],
				locations: [{ is_headquarter: true, country_code: 'US', city: 'Redmond' }],
				insights: { headcount: 1000 },
				hashtags: [],
			},
		};
	}

	private parameters(ctx: Ctx, product: string): Result {
		let type: string | undefined;
		let keywords: string | undefined;
		if (product === 'recruiter') {
			ctx.query.only(['limit', 'offset']);
			const b = ctx.body();
			fieldsOnly(b, ['source', 'project_id', 'stage_id', 'type', 'keywords']);
			const source = str(b, 'source', true)!;
			if (!RECRUITER_SOURCES.includes(source)) throw bad(`source: one of ${RECRUITER_SOURCES.join(', ')}`);
			if (['APPLICANTS', 'PIPELINE'].includes(source)) str(b, 'project_id', true);
			type = str(b, 'type', true);
			keywords = str(b, 'keywords', false);
		} else {
			const q = ctx.query.only(['type', 'keywords', 'limit', 'offset']);
			type = q.one('type');
			keywords = q.one('keywords');
			if (type === undefined) throw bad('type: required');
			// Classic's keywords are required (`GetClassicSearchParametersData.query.keywords: string`); Sales Navigator's optional.
			if (product === 'classic' && keywords === undefined) throw bad('keywords: required');
		}
		if (!PARAMETER_TYPES[product].includes(type!)) throw bad(`type: one of ${PARAMETER_TYPES[product].join(', ')}`);
		const q = ctx.query;
		const limit = q.int('limit', 1, 100) ?? 10;
		const offset = q.int('offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
		const known = PARAMETERS[type!] ?? [];
		const all = known.filter((p) => !keywords || p.name.toLowerCase().includes(keywords.toLowerCase())).map((p) => ({ object: 'SearchParameter', id: p.id, name: p.name }));
		return { status: 200, json: { data: all.slice(offset, offset + limit), total_count: all.length } };
	}

	private searchUrl(ctx: Ctx, st: V2LinkedinState, product: string): Result {
		const b = ctx.body();
		fieldsOnly(b, ['url']);
		const url = str(b, 'url', true)!;
		const expected = product === 'sales_navigator' ? /linkedin\.com\/sales\/search\// : product === 'recruiter' ? /linkedin\.com\/talent\/search\// : /linkedin\.com\/search\/results\//;
		if (!expected.test(url)) throw bad(`url: not a ${product} search URL`);
		const category = /\/(companies|company)\b/.test(url) ? 'companies' : 'people';
		const keywords = new URL(url).searchParams.get('keywords') ?? undefined;
		return this.results(ctx, st, product, category, keywords ? { keywords } : {}, true);
	}

	private search(ctx: Ctx, st: V2LinkedinState, product: string, category: string): Result {
		const allowed = product === 'classic' ? ['people', 'companies', 'posts', 'jobs'] : product === 'sales_navigator' ? ['people', 'companies'] : ['people'];
		if (!allowed.includes(category)) throw notFound(`Cannot POST a ${product} ${category} search.`);
		const b = ctx.body();
		fieldsOnly(b, ROUTE_FILTERS[`${product}/${category}`]);
		return this.results(ctx, st, product, category, b);
	}

	/** One page of results, by offset (classic, Sales Navigator) or cursor (Recruiter), paging in the query. */
	private results(ctx: Ctx, st: V2LinkedinState, product: string, category: string, b: Record<string, unknown>, fromUrl = false): Result {
		const keywords = b.keywords === undefined ? undefined : str(b, 'keywords', false)!.toLowerCase();
		// Recruiter's people search takes `{id, priority?}` objects and industries as `{include?, exclude?}`; classic's
		// "Connections of" and "Followers of" one ID each (Sales Navigator's, not read, either form).
		const recruiter = product === 'recruiter' && !fromUrl;
		const ids = (name: string): string[] | undefined => {
			let v = b[name];
			if (v === undefined) return undefined;
			if (product === 'sales_navigator' && !fromUrl && ['location', 'current_company', 'past_company', 'school', 'industry'].includes(name)) {
				const o = obj(b, name)!;
				fieldsOnly(o, ['include', 'exclude'], name);
				for (const part of ['include', 'exclude']) if (o[part] !== undefined && (!Array.isArray(o[part]) || (o[part] as unknown[]).some((x) => typeof x !== 'string'))) throw bad(`${name}.${part}: a list of IDs (strings)`);
				return [...((o.include as string[]) ?? []), ...((o.exclude as string[]) ?? [])];
			}
			if (recruiter && name === 'industry') {
				const o = obj(b, 'industry')!;
				fieldsOnly(o, ['include', 'exclude'], 'industry');
				v = [...((o.include as unknown[]) ?? []), ...((o.exclude as unknown[]) ?? [])];
			}
			if (product === 'classic' && !fromUrl && (name === 'connections_of' || name === 'followers_of')) {
				if (typeof v !== 'string' || v === '') throw bad(`${name}: one parameter ID (a string)`);
				return [v];
			}
			if (!Array.isArray(v)) throw bad(`${name}: a list`);
			if (recruiter && ['location', 'current_company', 'past_company', 'school'].includes(name)) {
				return v.map((x, i) => {
					if (typeof x !== 'object' || x === null || Array.isArray(x)) throw bad(`${name}[${i}]: an object {id, priority?}`);
					fieldsOnly(x as Record<string, unknown>, ['id', 'priority', 'preferences'], `${name}[${i}]`);
					return str(x as Record<string, unknown>, 'id', true)!;
				});
			}
			if (v.some((x) => typeof x !== 'string' || x === '')) throw bad(`${name}: a list of IDs (strings)`);
			return v as string[];
		};
		const locations = ids('location');
		const companies = ids('current_company');
		for (const name of ['past_company', 'school', 'connections_of', 'followers_of', 'industry', 'service', 'company']) ids(name);
		let distance: number[] | undefined;
		if (b.network_distance !== undefined) {
			if (!Array.isArray(b.network_distance) || b.network_distance.some((x) => x !== 1 && x !== 2 && x !== 3)) throw bad('network_distance: a list of 1, 2 and 3');
			distance = b.network_distance as number[];
		}
		if (b.open_to_volunteering !== undefined && typeof b.open_to_volunteering !== 'boolean') throw bad('open_to_volunteering: a boolean');
		if (b.advanced_keywords !== undefined) fieldsOnly(obj(b, 'advanced_keywords')!, ['first_name', 'last_name', 'title', 'company', 'school'], 'advanced_keywords');
		let all: unknown[];
		// Result shapes per product (`Perform…SearchResponses`): what every product's result has, then its own required fields.
		const own: Record<string, Record<string, unknown>> = {
			classic: { product: 'classic' },
			sales_navigator: {
				product: 'sales_navigator',
				has_been_viewed: false,
				has_been_saved: false,
				has_posted_recently: false,
				has_viewed_your_profile: false,
				was_hired_recently: false,
				was_promoted_recently: false,
				follows_your_company: false,
				is_premium: false,
				is_past_colleague: false,
				is_open_profile: false,
				contact_info: {},
				lists_count: 0,
				notes_count: 0,
				education: [],
				skills: [],
				work_experience: [],
				languages: [],
				volunteering: [],
			},
			recruiter: { product: 'recruiter', visibility: 'partial', is_hidden_candidate: false, work_experience: [] },
		};
		if (category === 'people') {
			all = st.members
				.filter((m) => !keywords || `${m.user.display_name} ${m.headline}`.toLowerCase().includes(keywords))
				.filter((m) => !locations || locations.includes(m.location_id))
				.filter((m) => !companies || companies.includes(m.company_id))
				.filter((m) => !distance || distance.includes(m.distance))
				.map((m) => ({
					object: 'PeopleSearchResult',
					id: m.user.id,
					...(product === 'recruiter'
						? { candidate_id: `cand_${m.user.id}` }
						: { display_name: m.user.display_name, public_identifier: m.user.public_identifier, profile_url: m.user.profile_url }),
					headline: m.headline,
					location: m.location,
					network_distance: NETWORK[m.distance],
					...own[product],
				}));
		} else if (category === 'companies') {
			const company = product === 'sales_navigator' ? { product, lists_count: 0, notes_count: 0, has_been_saved: false, is_starred: false } : { product: 'classic' };
			all = V2_COMPANIES.filter((c) => !keywords || c.name.toLowerCase().includes(keywords)).map((c) => ({
				object: 'CompanySearchResult',
				id: c.id,
				display_name: c.name,
				public_identifier: c.public_identifier,
				industry: c.industry,
				profile_url: `https://www.linkedin.com/company/${c.public_identifier}`,
				...company,
			}));
		} else if (category === 'posts') {
			const keys = ['id', 'share_url', 'created_at', 'title', 'text', 'author', 'user_reacted', 'permissions', 'reactions_counter', 'comments_counter', 'reposts_counter', 'poll', 'event', 'attachments', 'analytics'];
			all = st.posts
				.filter((p) => !keywords || String(p.post.text).toLowerCase().includes(keywords))
				.map((p) => ({ object: 'PostSearchResult', ...Object.fromEntries(keys.filter((k) => (p.post as Record<string, unknown>)[k] !== undefined).map((k) => [k, (p.post as Record<string, unknown>)[k]])) }));
		} else {
			all = V2_COMPANIES.map((c, i) => ({
				object: 'JobSearchResult',
				id: `40${i}`,
				title: `Engineer at ${c.name}`,
				url: `https://www.linkedin.com/jobs/view/40${i}`,
				is_repost: false,
				is_promoted: false,
				easy_apply: true,
				few_applicants: false,
				company: { id: c.id, name: c.name },
				insights: [],
			}))
				.filter((j) => !keywords || j.title.toLowerCase().includes(keywords))
				.filter((j) => !b.company || (b.company as string[]).includes(j.company.id));
		}
		const route = `${product}/${category}`;
		if (fromUrl) {
			// Offset, limit and cursor (`PerformClassicSearchFromUrlData.query`); the page size by what the URL searches.
			const q = ctx.query.only(['offset', 'limit', 'cursor']);
			const max = product !== 'classic' ? 100 : category === 'jobs' ? 50 : category === 'posts' ? 49 : 10;
			const limit = q.int('limit', 1, max) ?? Math.min(10, max);
			const offset = q.int('offset', 0, 1000) ?? 0;
			return { status: 200, json: { data: all.slice(offset, offset + limit), total_count: all.length } };
		}
		const paging = ROUTE_PAGING[route];
		const q = ctx.query.only([paging.by, ...(paging.limit ? ['limit'] : [])]);
		const limit = paging.fixed ?? q.int('limit', 1, paging.limit!.max) ?? paging.limit!.default;
		if (paging.by === 'offset') {
			const offset = q.int('offset', 0, 1000) ?? 0;
			return { status: 200, json: { data: all.slice(offset, offset + limit), total_count: all.length } };
		}
		// A cursor names the search (its body) and where the next page starts.
		const scope = `${route} ${JSON.stringify(b)}`;
		let from = 0;
		const raw = q.one('cursor');
		if (raw !== undefined) {
			let c: { s?: unknown; o?: unknown };
			try {
				c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
			} catch {
				throw bad('cursor: invalid cursor');
			}
			if (c.s !== scope || typeof c.o !== 'number') throw bad('cursor: this cursor belongs to another search (send the same body with it)');
			from = c.o;
		}
		const data = all.slice(from, from + limit);
		const next = from + limit < all.length ? Buffer.from(JSON.stringify({ s: scope, o: from + limit })).toString('base64url') : undefined;
		return { status: 200, json: { data, ...(next ? { next_cursor: next } : {}) } };
	}
}
