import { NodeOperationError, type IDataObject, type IExecuteSingleFunctions, type IHttpRequestOptions, type INodeProperties } from 'n8n-workflow';
import { paginationFields, pathParam } from '../../../shared/descriptions';
import { binaryFields, fieldOrder, MULTIPART } from '../../../shared/multipart';
import { hiddenOnV2 } from '../../../shared/v2';
import { linkedinField, linkedinProviderIdOf } from '../../../shared/linkedinUrls';
import { compact, linkedinAccount, maxLength, simplifyField, simplifyWith, withoutEmpty } from '../../fields';

const show = (...operation: string[]) => ({ resource: ['post'], operation });
const postPath = `/posts/${pathParam('postId')}`;

/** LinkedIn's limit on a comment (the SDK's commentPostBody: text 1–1250). */
export const COMMENT_MAX = 1250;
/** LinkedIn's limit on a post's text. */
export const POST_TEXT_MAX = 3000;

function postIdField(displayShow: ReturnType<typeof show>, routing?: INodeProperties['routing']): INodeProperties {
	return {
		displayName: 'Post ID',
		name: 'postId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. urn:li:activity:7123456789012345678',
		description:
			'The social ID of the post (social_id in Get and Get Many), or the post URL (linkedin.com/feed/update/urn:li:activity:… or linkedin.com/posts/…-activity-…). Get also takes the number in the post URL; comments and reactions need the social ID.',
		displayOptions: { show: displayShow },
		routing: {
			...routing,
			send: { ...routing?.send, preSend: [linkedinField('postId', 'post', 'Post ID', routing?.send?.property ? { body: routing.send.property } : { path: true })] },
		},
	};
}

export function simplifyPost(post: IDataObject): IDataObject {
	const author = (post.author ?? {}) as IDataObject;
	return compact({
		id: post.id,
		// Comments and reactions address a post by this one.
		social_id: post.social_id,
		text: post.text,
		date: post.parsed_datetime ?? post.date,
		author_name: author.name,
		author_public_identifier: author.public_identifier,
		author_is_company: author.is_company,
		share_url: post.share_url,
		reaction_counter: post.reaction_counter,
		comment_counter: post.comment_counter,
		repost_counter: post.repost_counter,
		impressions_counter: post.impressions_counter,
		is_repost: post.is_repost,
		attachments: Array.isArray(post.attachments) ? post.attachments.length : undefined,
	});
}

/** A v2 Post: the same output fields as v1's simplified post (v2 has one post ID: `id`). */
export function simplifyPostV2(post: IDataObject): IDataObject {
	const author = (post.author ?? {}) as IDataObject;
	const reactions = Array.isArray(post.reactions_counter) ? (post.reactions_counter as IDataObject[]) : undefined;
	return compact({
		id: post.id,
		social_id: post.id,
		text: post.text,
		date: post.created_at,
		author_name: author.display_name,
		author_public_identifier: author.public_identifier,
		author_is_company: author.type === undefined ? undefined : author.type === 'organization',
		share_url: post.share_url,
		reaction_counter: reactions?.reduce((sum, entry) => sum + (Number(entry.count) || 0), 0),
		comment_counter: post.comments_counter ?? undefined,
		repost_counter: post.reposts_counter ?? undefined,
		is_repost: post.is_repost,
		attachments: Array.isArray(post.attachments) ? post.attachments.length : undefined,
	});
}

/**
 * Post → Comment's Mentions: each person's place in the text is `{{0}}`, `{{1}}`… (in the order given). v1 takes
 * `mentions: [{name, profile_id}]` beside the text (Unipile's post mentions; *unconfirmed* for comments); v2 takes
 * `@id` in the text (see `mentionedText`). A profile URL or public identifier is looked up once per execution.
 */
async function mentionsPreSend(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const given = ((this.getNodeParameter('mentions', {}) as IDataObject).mention ?? []) as IDataObject[];
	if (given.length === 0) return requestOptions;
	const body = requestOptions.body as IDataObject;
	const text = String(body.text ?? '');
	const mentions: IDataObject[] = [];
	for (const [index, mention] of given.entries()) {
		const name = String(mention.name ?? '').trim();
		const refuse = (message: string, description: string) => new NodeOperationError(this.getNode(), message, { itemIndex: this.getItemIndex(), description });
		if (name === '') throw refuse(`Mention ${index + 1} has no Name`, 'Give the name shown for the person (as LinkedIn displays it).');
		if (!text.includes(`{{${index}}}`)) throw refuse(`"Text" has no {{${index}}} for mention ${index + 1} (${name})`, `Write {{${index}}} in Text where ${name} is mentioned: mentions are numbered from {{0}} in the order given.`);
		mentions.push({ name, profile_id: await linkedinProviderIdOf(this, mention.person, String(body.account_id ?? ''), `Mention ${index + 1} → Person`) });
	}
	body.mentions = mentions;
	return requestOptions;
}

/** v2 mentions a person as `@id` in the text: each `{{i}}` becomes the i-th mention's `@provider_id`. */
export function mentionedText(request: { body: IDataObject }): unknown {
	const mentions = Array.isArray(request.body.mentions) ? (request.body.mentions as IDataObject[]) : [];
	if (mentions.length === 0) return request.body.text;
	return String(request.body.text ?? '').replace(/\{\{(\d+)\}\}/g, (placeholder, index: string) => (mentions[Number(index)] ? `@${String(mentions[Number(index)].profile_id)}` : placeholder));
}

export const postOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['post'] } },
	options: [
		{
			name: 'Comment',
			value: 'comment',
			action: 'Comment on a post',
			description: 'Comment on a post, or reply to one of its comments (at most 1,250 characters)',
			routing: {
				request: { method: 'POST', url: `=${postPath}/comments` },
				send: { preSend: [maxLength('text', 'Text', COMMENT_MAX, 'LinkedIn refuses longer comments.'), withoutEmpty('comment_id')] },
			},
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create a post',
			description: 'Publish a post with a text and optional images, videos or a document',
			routing: {
				request: { method: 'POST', url: '/posts', headers: MULTIPART },
				// The SDK's createPost order: text, account_id, then the files.
				send: { preSend: [maxLength('text', 'Text', POST_TEXT_MAX, 'LinkedIn refuses longer posts.'), fieldOrder(['text', 'account_id', 'attachments'])] },
			},
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a post',
			description: 'Get a post by its ID (from its URL) or its social ID',
			routing: { request: { method: 'GET', url: `=${postPath}` } },
		},
		{
			name: 'Get Comments',
			value: 'getComments',
			action: 'Get the comments of a post',
			description: "List a post's comments, or the replies to one comment",
			routing: { request: { method: 'GET', url: `=${postPath}/comments` } },
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many posts',
			description: 'List the posts of a member or a company page, newest first',
			routing: {
				request: { method: 'GET', url: `=/users/${pathParam('identifier')}/posts` },
				output: { postReceive: [simplifyWith(simplifyPost, simplifyPostV2)] },
			},
		},
		{
			name: 'Get Reactions',
			value: 'getReactions',
			action: 'Get the reactions to a post',
			description: 'List who reacted to a post (or to one of its comments), and how',
			routing: { request: { method: 'GET', url: `=${postPath}/reactions` } },
		},
		{
			name: 'React',
			value: 'react',
			action: 'React to a post',
			description: 'Like, celebrate, support, love, find insightful or funny a post or one of its comments',
			routing: { request: { method: 'POST', url: '/posts/reaction' }, send: { preSend: [withoutEmpty('comment_id')] } },
		},
	],
	default: 'get',
};

export const postFields: INodeProperties[] = [
	// Account first, as in every LinkedIn operation.
	linkedinAccount(show('get', 'getAll', 'getComments', 'getReactions')),
	linkedinAccount(show('comment', 'react'), 'body'),
	linkedinAccount(show('create'), 'body'),
	postIdField(show('get', 'getComments', 'comment', 'getReactions')),
	// React names the post in its body; the others in the URL.
	postIdField(show('react'), { send: { type: 'body', property: 'post_id', value: '={{ String($value).trim() }}' } }),
	{
		displayName: 'Identifier',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. john-doe-1a2b3c, ACoAAA1b2c3 or 1035',
		description: 'The member (provider ID, public identifier or profile URL) or the company (ID, public identifier or company URL) whose posts to list',
		displayOptions: { show: show('getAll') },
		routing: { send: { preSend: [linkedinField('identifier', 'profileOrCompany', 'Identifier', { path: true })] } },
	},
	// v2 lists a member's or a company's posts by the same route.
	hiddenOnV2({
		displayName: 'Is Company',
		name: 'isCompany',
		type: 'boolean',
		default: false,
		description: 'Whether the identifier is a company page (on) or a member (off)',
		displayOptions: { show: show('getAll') },
		routing: { send: { type: 'query', property: 'is_company', value: '={{ $value ? "true" : "false" }}' } },
	}),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'The text of the post (at most 3,000 characters)',
		displayOptions: { show: show('create') },
		routing: { send: { type: 'body', property: 'text' } },
	},
	binaryFields({
		displayName: 'Attachments (Input Binary Fields)',
		name: 'attachments',
		bodyProperty: 'attachments',
		multiple: true,
		placeholder: 'e.g. data, photo',
		description:
			'Names of binary fields of the incoming item to attach (images, a video or a PDF), separated by commas. Each file keeps its file name and MIME type.',
		displayOptions: { show: show('create') },
	}),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: 'The comment (at most 1,250 characters). With Mentions, {{0}}, {{1}}… mark where each person is mentioned.',
		displayOptions: { show: show('comment') },
		routing: { send: { type: 'body', property: 'text' } },
	},
	{
		displayName: 'Mentions',
		name: 'mentions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Mention',
		default: {},
		description: 'People to mention in the comment: write {{0}} in Text for the first, {{1}} for the second…',
		displayOptions: { show: show('comment') },
		options: [
			{
				name: 'mention',
				displayName: 'Mention',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. Jane Doe', description: 'The name shown for the person' },
					{
						displayName: 'Person',
						name: 'person',
						type: 'string',
						default: '',
						placeholder: 'e.g. ACoAAA1b2c3 or https://www.linkedin.com/in/jane-doe',
						description: 'Provider ID, public identifier or profile URL of the person',
					},
				],
			},
		],
		routing: { send: { preSend: [mentionsPreSend] } },
	},
	{
		displayName: 'Reaction Type',
		name: 'reactionType',
		type: 'options',
		options: [
			{ name: 'Celebrate', value: 'celebrate' },
			{ name: 'Funny', value: 'funny' },
			{ name: 'Insightful', value: 'insightful' },
			{ name: 'Like', value: 'like' },
			{ name: 'Love', value: 'love' },
			{ name: 'Support', value: 'support' },
		],
		default: 'like',
		displayOptions: { show: show('react') },
		routing: { send: { type: 'body', property: 'reaction_type' } },
	},
	{
		displayName: 'Comment ID',
		name: 'commentId',
		type: 'string',
		default: '',
		description: 'Reply to this comment instead of commenting on the post',
		displayOptions: { show: show('comment') },
		routing: { send: { type: 'body', property: 'comment_id' } },
	},
	{
		displayName: 'Comment ID',
		name: 'commentId',
		type: 'string',
		default: '',
		description: 'React to this comment of the post instead of the post itself',
		displayOptions: { show: show('react') },
		routing: { send: { type: 'body', property: 'comment_id' } },
	},
	{
		displayName: 'Comment ID',
		name: 'commentId',
		type: 'string',
		default: '',
		description: 'List the replies to this comment instead of the comments of the post',
		displayOptions: { show: show('getComments') },
		routing: { send: { type: 'query', property: 'comment_id' } },
	},
	{
		displayName: 'Comment ID',
		name: 'commentId',
		type: 'string',
		default: '',
		description: 'List the reactions to this comment instead of those to the post',
		displayOptions: { show: show('getReactions') },
		routing: { send: { type: 'query', property: 'comment_id' } },
	},
	...paginationFields(show('getAll', 'getComments', 'getReactions'), { maxPageSize: 100 }),
	simplifyField(show('getAll')),
];
