import type { INodeProperties } from 'n8n-workflow';
import { namePictureFile } from './picture';
import { binaryDownloadRequest, binaryPropertyField, responseToBinary } from '../../../shared/binary';
import { accountLocator, dateFilter, paginationFields, pathParam } from '../../../shared/descriptions';

const show = { resource: ['attendee'] };
const attendeePath = `/chat_attendees/${pathParam('attendeeId')}`;

export const attendeeOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get an attendee',
			description: 'Get one chat attendee (a person you talk with) by its ID',
			routing: { request: { method: 'GET', url: `=${attendeePath}` } },
		},
		{
			name: 'Get Chats',
			value: 'getChats',
			action: 'Get the chats of an attendee',
			description: 'List the one-to-one chats with an attendee',
			routing: { request: { method: 'GET', url: `=${attendeePath}/chats` } },
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many attendees of your chats',
			description: 'List the people your accounts talk with',
			routing: { request: { method: 'GET', url: '/chat_attendees' } },
		},
		{
			name: 'Get Messages',
			value: 'getMessages',
			action: 'Get the messages of an attendee',
			description: 'List the messages exchanged with an attendee, newest first',
			routing: { request: { method: 'GET', url: `=${attendeePath}/messages` } },
		},
		{
			name: 'Get Picture',
			value: 'getPicture',
			action: 'Get the picture of an attendee',
			description: "Download an attendee's profile picture (or a group chat's picture, given the chat ID)",
			routing: {
				request: { method: 'GET', url: `=${attendeePath}/picture`, ...binaryDownloadRequest },
				output: { postReceive: [responseToBinary, namePictureFile] },
			},
		},
	],
	default: 'getAll',
};

const accountIdFilter = accountLocator({
	description: 'Only those of this Unipile account',
	routing: { send: { type: 'query', property: 'account_id' } },
});

function filtersFor(operation: string, what: string): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		displayOptions: { show: { ...show, operation: [operation] } },
		default: {},
		options: [accountIdFilter, dateFilter('after', what), dateFilter('before', what)],
	};
}

export const attendeeFields: INodeProperties[] = [
	{
		displayName: 'Attendee ID',
		name: 'attendeeId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4a7b2c9d1e3f5a6b8c0d',
		description: 'The Unipile ID of the attendee, or its provider ID',
		displayOptions: { show: { ...show, operation: ['get', 'getChats', 'getMessages'] } },
	},
	{
		displayName: 'Attendee or Chat ID',
		name: 'attendeeId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4a7b2c9d1e3f5a6b8c0d',
		description: "The Unipile ID of the attendee; a chat ID gives the group chat's picture",
		displayOptions: { show: { ...show, operation: ['getPicture'] } },
	},
	binaryPropertyField({ ...show, operation: ['getPicture'] }, 'Name of the binary field to put the picture in'),
	...paginationFields({ ...show, operation: ['getAll'] }),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		displayOptions: { show: { ...show, operation: ['getAll'] } },
		default: {},
		options: [accountIdFilter],
	},
	...paginationFields({ ...show, operation: ['getChats'] }),
	filtersFor('getChats', 'chats with activity'),
	...paginationFields({ ...show, operation: ['getMessages'] }),
	filtersFor('getMessages', 'messages sent'),
];
