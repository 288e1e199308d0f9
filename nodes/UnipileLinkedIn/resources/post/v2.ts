import type { IExecutePaginationFunctions } from 'n8n-workflow';
import { ItemFile, listEntries } from '../../../shared/multipart';
import { linkedinPathValue } from '../../../shared/linkedinUrls';
import type { V2Route } from '../../../shared/v2';
import { isGiven, listLimit } from '../../v2';
import { mentionedText } from './index';

const post = '/{accountId}/posts/{postId}';
/** A post URL in Post ID is its URN on v2 too. */
const postIdValue = { postId: linkedinPathValue('post', 'Post ID') };

/** The post's route, or its comment's when Comment ID is set (v2 addresses a comment under its post). */
const postOrComment = (onPost: string, onComment: string) => (context: IExecutePaginationFunctions) =>
	isGiven(context, 'commentId') ? `${post}/comments/{commentId}${onComment}` : `${post}${onPost}`;

export const postV2: Record<string, V2Route> = {
	// A reply to a comment is its own route on v2; the text is all either takes from v1's fields.
	comment: { method: 'POST', path: postOrComment('/comments', ''), pathValues: postIdValue, body: { text: mentionedText } },
	create: {
		method: 'POST',
		path: '/{accountId}/posts',
		// Files go inside the JSON body as base64 on v2.
		body: { text: 'text', attachments: (request) => listEntries(request.body.attachments).map((name) => new ItemFile(name, 'Attachments (Input Binary Fields)')) },
	},
	get: { method: 'GET', path: post, pathValues: postIdValue },
	getAll: { method: 'GET', path: '/{accountId}/users/{identifier}/posts', pathValues: { identifier: linkedinPathValue('profileOrCompany', 'Identifier') }, query: listLimit, list: true },
	getComments: { method: 'GET', path: postOrComment('/comments', '/replies'), pathValues: postIdValue, query: listLimit, list: true },
	getReactions: { method: 'GET', path: postOrComment('/reactions', '/reactions'), pathValues: postIdValue, query: listLimit, list: true },
	// v1's reaction types are v2's values prefixed "linkedin_".
	react: { method: 'POST', path: postOrComment('/reactions', '/reactions'), pathValues: postIdValue, body: { reaction: (request) => `linkedin_${String(request.body.reaction_type)}` } },
};
