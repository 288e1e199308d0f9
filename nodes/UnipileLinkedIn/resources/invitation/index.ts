import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { paginationFields, pathParam } from '../../../shared/descriptions';
import { linkedinProviderIdOf } from '../../../shared/linkedinUrls';
import { hiddenOnV2 } from '../../../shared/v2';
import { linkedinAccount, maxLength, withoutEmpty } from '../../fields';

const show = (...operation: string[]) => ({ resource: ['invitation'], operation });

/** LinkedIn's limit on an invitation note (the SDK's UserInviteBody: message ≤ 300). */
export const INVITATION_NOTE_MAX = 300;

export const invitationOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['invitation'] } },
	options: [
		{
			name: 'Cancel',
			value: 'cancel',
			action: 'Cancel a sent invitation',
			description: 'Withdraw an invitation you sent that is still pending',
			routing: { request: { method: 'DELETE', url: `=/users/invite/sent/${pathParam('invitationId')}` } },
		},
		{
			name: 'Get Many Received',
			value: 'getAllReceived',
			action: 'Get many received invitations',
			description: 'List the invitations waiting for your answer, each with the shared secret Handle needs',
			routing: { request: { method: 'GET', url: '/users/invite/received' } },
		},
		{
			name: 'Get Many Sent',
			value: 'getAllSent',
			action: 'Get many sent invitations',
			description: 'List your pending invitations, newest first',
			routing: { request: { method: 'GET', url: '/users/invite/sent' } },
		},
		{
			name: 'Handle',
			value: 'handle',
			action: 'Accept or decline a received invitation',
			description: 'Accept (the person becomes a relation) or decline an invitation you received',
			routing: {
				request: { method: 'POST', url: `=/users/invite/received/${pathParam('invitationId')}`, body: { provider: 'LINKEDIN' } },
			},
		},
		{
			name: 'Send',
			value: 'send',
			action: 'Send an invitation',
			description: 'Invite a member to connect, with an optional note of up to 300 characters',
			routing: {
				request: { method: 'POST', url: '/users/invite' },
				send: {
					preSend: [
						maxLength('message', 'Message', INVITATION_NOTE_MAX, 'LinkedIn refuses longer invitation notes.'),
						withoutEmpty('message', 'user_email'),
					],
				},
			},
		},
	],
	default: 'send',
};

/** Send Invitation takes a profile URL or public identifier too: Unipile invites by provider ID only. */
async function inviteeProviderId(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body = requestOptions.body as IDataObject;
	body.provider_id = await linkedinProviderIdOf(this, this.getNodeParameter('providerId', ''), String(body.account_id ?? ''), 'Provider ID');
	return requestOptions;
}

export const invitationFields: INodeProperties[] = [
	linkedinAccount(show('send', 'handle'), 'body'),
	linkedinAccount(show('getAllSent', 'getAllReceived', 'cancel')),
	{
		displayName: 'Provider ID',
		name: 'providerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ACoAAA1b2c3',
		description:
			"The member's provider ID (as Get Profile, Get Relations or Search return it), public identifier, profile URL or Sales Navigator lead URL: a public identifier or URL is looked up once per person per execution (User → Get Profile)",
		displayOptions: { show: show('send') },
		routing: { send: { type: 'body', property: 'provider_id', value: '={{ String($value).trim() }}', preSend: [inviteeProviderId] } },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'A personal note sent with the invitation (at most 300 characters; free accounts get only a few notes a month)',
		displayOptions: { show: show('send') },
		routing: { send: { type: 'body', property: 'message' } },
	},
	// v2 invites by user ID only.
	hiddenOnV2({
		displayName: 'User Email',
		name: 'userEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'The email address of the member, for the people LinkedIn only lets you invite when you know it',
		displayOptions: { show: show('send') },
		routing: { send: { type: 'body', property: 'user_email' } },
	}),
	{
		displayName: 'Invitation ID',
		name: 'invitationId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID of the invitation, as Get Many Sent or Get Many Received return it',
		displayOptions: { show: show('cancel', 'handle') },
	},
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		options: [
			{ name: 'Accept', value: 'accept' },
			{ name: 'Decline', value: 'decline' },
		],
		default: 'accept',
		displayOptions: { show: show('handle') },
		routing: { send: { type: 'body', property: 'action' } },
	},
	// v2 accepts and declines by the request's ID alone.
	hiddenOnV2({
		displayName: 'Shared Secret',
		name: 'sharedSecret',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		// Items from Get Many Received carry it: a Handle right after needs no mapping.
		default: '={{ $json.specifics ? $json.specifics.shared_secret : "" }}',
		description: "The invitation's specifics.shared_secret from Get Many Received (filled in from the input item by default)",
		displayOptions: { show: show('handle') },
		routing: { send: { type: 'body', property: 'shared_secret' } },
	}),
	...paginationFields(show('getAllSent', 'getAllReceived'), { maxPageSize: 100 }),
];
