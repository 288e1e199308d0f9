import {
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';
import { AddressError, parseAddresses } from '../../../shared/addresses';
import { paginationFields, pathParam } from '../../../shared/descriptions';
import { hiddenOnV2, shownOnV2 } from '../../../shared/v2';
import { calendarAccount, calendarLocator, calendarUrl, doneItem, simplifyEvents, v1List, v1UnavailableNotice } from '../shared';
import { checkOrder, eventTimeZone, toEventTime, toFilterTime } from './times';

const show = { resource: ['event'] };
const op = (...operation: string[]) => ({ ...show, operation });
const eventUrl = `${calendarUrl}/events/${pathParam('eventId')}`;

const CONFERENCES = [
	{ name: 'Google Meet', value: 'google_meet' },
	{ name: 'Microsoft Teams', value: 'teams' },
	{ name: 'Skype', value: 'skype' },
	{ name: 'Zoom', value: 'zoom' },
];

function refuse(context: IExecuteSingleFunctions, message: string, description: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex: context.getItemIndex(), description });
}

/** Attendees as people type them (`Ada <ada@example.com>, bob@example.com`, an array, objects): `[{email}]`. */
function attendeesOf(context: IExecuteSingleFunctions, value: unknown): IDataObject[] {
	try {
		return parseAddresses('Attendees', value).map((recipient) => ({ email: recipient.identifier }));
	} catch (error) {
		throw refuse(
			context,
			error instanceof AddressError ? error.message : String(error),
			'Write attendees as "Ada Lovelace <ada@example.com>, bob@example.com", or map an array of addresses or of {email} objects.',
		);
	}
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** The online meeting: a provider to generate one, or with Conference URL an existing meeting to attach (HTTPS). */
function conferenceOf(context: IExecuteSingleFunctions, provider: unknown, url: unknown): IDataObject | null | undefined {
	if (isEmpty(provider) || provider === 'keep') return undefined;
	if (provider === 'remove') return null;
	const conference: IDataObject = { provider: String(provider) };
	if (!isEmpty(url)) {
		const link = String(url).trim();
		let parsed: URL | undefined;
		try {
			parsed = new URL(link);
		} catch {
			parsed = undefined;
		}
		if (parsed?.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') {
			throw refuse(context, `"Conference URL" is not an HTTPS link: ${JSON.stringify(link)}`, 'Give the join link of an existing meeting, such as https://zoom.us/j/123456789, or leave it empty to have one created.');
		}
		conference.url = link;
	}
	return conference;
}

/**
 * The body of Create and Update, the same on v1 and v2: `title`, `body`, `location`, `attendees [{email}]`,
 * `start`/`end` (`{type: "datetime", date_time, timezone}` or `{type: "date", date}`), `conference`, `notify`.
 * Times and addresses are checked here, before anything is sent.
 */
function eventBody(mode: 'create' | 'update') {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const zone = eventTimeZone(this);
		const fields = (mode === 'create' ? this.getNodeParameter('additionalFields', {}) : this.getNodeParameter('updateFields', {})) as IDataObject;
		const given: IDataObject =
			mode === 'create'
				? { ...fields, title: this.getNodeParameter('title', ''), start: this.getNodeParameter('start', ''), end: this.getNodeParameter('end', ''), attendees: this.getNodeParameter('attendees', '') }
				: fields;
		const body: IDataObject = {};
		if (!isEmpty(given.title)) body.title = String(given.title).trim();
		if (!isEmpty(given.description)) body.body = String(given.description);
		if (!isEmpty(given.location)) body.location = String(given.location).trim();
		if (mode === 'create' || given.attendees !== undefined) body.attendees = attendeesOf(this, given.attendees);
		for (const [name, label] of [['start', 'Start'], ['end', 'End']] as const) {
			if (mode === 'create' && isEmpty(given[name])) throw refuse(this, `"${label}" is empty`, `Enter when the event ${name === 'start' ? 'starts' : 'ends'}, e.g. 2026-05-28T10:00:00, or map a date with an expression.`);
		}
		const start = isEmpty(given.start) ? undefined : toEventTime(this, 'Start', given.start, zone);
		const end = isEmpty(given.end) ? undefined : toEventTime(this, 'End', given.end, zone);
		if (start && end) checkOrder(this, start, end);
		if (start) body.start = start.time as unknown as IDataObject;
		if (end) body.end = end.time as unknown as IDataObject;
		const conference = conferenceOf(this, given.conference, given.conferenceUrl);
		if (conference !== undefined) body.conference = conference;
		if (!isEmpty(given.notify)) body.notify = given.notify;
		if (mode === 'update' && Object.keys(body).length === 0) {
			throw refuse(this, 'Nothing to update: no field was chosen', 'Add at least one field under Update Fields (Title, Start, End, Attendees, Location, Description or Online Meeting).');
		}
		requestOptions.body = body;
		return requestOptions;
	};
}

/** Get Many's Start and End filters, as ISO 8601 UTC date-times in the query. */
async function rangeQuery(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const zone = eventTimeZone(this);
	const qs = (requestOptions.qs ?? {}) as IDataObject;
	const from = this.getNodeParameter('start', '') as unknown;
	const to = this.getNodeParameter('end', '') as unknown;
	if (!isEmpty(from)) qs.start = toFilterTime(this, 'Start', from, zone);
	if (!isEmpty(to)) qs.end = toFilterTime(this, 'End', to, zone);
	if (qs.start !== undefined && qs.end !== undefined && Date.parse(String(qs.end)) <= Date.parse(String(qs.start))) {
		throw refuse(this, `"End" (${String(qs.end)}) must be after "Start" (${String(qs.start)})`, 'Set End later than Start, or leave one empty.');
	}
	requestOptions.qs = qs;
	return requestOptions;
}

const EVENT_OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Create',
		value: 'create',
		action: 'Create an event',
		description: 'Add an event to a calendar, with attendees and an optional online meeting',
		routing: { request: { method: 'POST', url: `${calendarUrl}/events` }, send: { preSend: [eventBody('create')] } },
	},
	{
		name: 'Delete',
		value: 'delete',
		action: 'Delete an event',
		description: 'Remove an event from its calendar',
		routing: { request: { method: 'DELETE', url: eventUrl }, output: { postReceive: [doneItem('event')] } },
	},
	{
		name: 'Get',
		value: 'get',
		action: 'Get an event',
		description: 'Get one event by its ID',
		routing: { request: { method: 'GET', url: eventUrl }, output: { postReceive: [simplifyEvents] } },
	},
	{
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many events',
		description: 'List the events of a calendar, optionally between two dates',
		routing: { request: { method: 'GET', url: `${calendarUrl}/events` }, send: { preSend: [rangeQuery] }, output: { postReceive: [v1List, simplifyEvents] } },
	},
	{
		name: 'Update',
		value: 'update',
		action: 'Update an event',
		description: 'Change the title, times, attendees, place or online meeting of an event',
		routing: { request: { method: 'PATCH', url: eventUrl }, send: { preSend: [eventBody('update')] } },
	},
];

/** What Unipile API v2 adds: cancelling an event (attendees are told) and answering an invitation. */
const V2_ONLY: INodePropertyOptions[] = [
	{
		name: 'Cancel',
		value: 'cancel',
		action: 'Cancel an event',
		description: 'Cancel an event and tell its attendees (Unipile API v2)',
		routing: { request: { method: 'POST', url: `${eventUrl}/cancel` }, output: { postReceive: [doneItem('event')] } },
	},
	{
		name: 'RSVP',
		value: 'rsvp',
		action: 'Answer an event invitation',
		description: "Accept, tentatively accept or decline an invitation in the account's calendar (Unipile API v2)",
		routing: { request: { method: 'POST', url: `${eventUrl}/rsvp` }, output: { postReceive: [doneItem('event')] } },
	},
];

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show },
	options: EVENT_OPERATIONS,
	default: 'create',
};

/** v1 lists, reads, creates, updates and deletes events; v2 also cancels them and answers invitations. */
export const eventOperations: INodeProperties[] = [
	hiddenOnV2(operationProperty),
	shownOnV2({ ...operationProperty, options: [...EVENT_OPERATIONS, ...V2_ONLY].sort((a, b) => a.name.localeCompare(b.name)) }),
];

const timeZoneField = (operations: string[]): INodeProperties => ({
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'string',
	default: '',
	placeholder: 'e.g. Europe/Paris',
	description:
		"The IANA time zone the times are read in (a time without an offset, such as 2026-05-28T10:00:00) and sent with. Empty: the workflow's time zone.",
	displayOptions: { show: op(...operations) },
});

const descriptionField: INodeProperties = { displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'The text of the event (its body)' };
const locationField: INodeProperties = { displayName: 'Location', name: 'location', type: 'string', default: '', placeholder: 'e.g. Paris office, room 3' };
const conferenceUrlField: INodeProperties = {
	displayName: 'Conference URL',
	name: 'conferenceUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://zoom.us/j/123456789',
	description: 'The join link of an existing online meeting to attach (with Online Meeting). Empty: the provider creates one where it can (Google Meet on Google, Teams on Outlook).',
};
const notifyField: INodeProperties = {
	displayName: 'Notify (Google)',
	name: 'notify',
	type: 'options',
	options: [
		{ name: 'All Guests', value: 'all' },
		{ name: 'External Guests Only', value: 'externalOnly' },
		{ name: 'Nobody', value: 'none' },
	],
	default: 'all',
	description: 'Which guests Google emails about the change (Google calendars only)',
};
const attendeesDescription = 'Who to invite, separated by commas: "Name <address>" or just the address. An expression may give an array of addresses or of {email} objects.';

export const eventFields: INodeProperties[] = [
	calendarAccount(op('create', 'delete', 'get', 'getAll', 'update', 'cancel', 'rsvp'), 'The Google or Microsoft account whose calendar to use (calendar permissions must be enabled for it in Unipile)'),
	calendarLocator(op('create', 'delete', 'get', 'getAll', 'update', 'cancel', 'rsvp'), 'The calendar of the event'),
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Unipile ID of the event (from Event → Create or Get Many)',
		displayOptions: { show: op('delete', 'get', 'update', 'cancel', 'rsvp') },
	},
	// Create
	{ displayName: 'Title', name: 'title', type: 'string', required: true, default: '', placeholder: 'e.g. Intro call', displayOptions: { show: op('create') } },
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'When the event starts: a date-time (read in the Time Zone unless it has an offset), or a date such as 2026-05-28 for an all-day event',
		displayOptions: { show: op('create') },
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'When the event ends (after Start); for an all-day event the last day, inclusive',
		displayOptions: { show: op('create') },
	},
	timeZoneField(['create', 'update', 'getAll']),
	{
		displayName: 'Attendees',
		name: 'attendees',
		type: 'string',
		default: '',
		placeholder: 'e.g. Ada Lovelace <ada@example.com>, bob@example.com',
		description: attendeesDescription,
		displayOptions: { show: op('create') },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: op('create') },
		options: [
			conferenceUrlField,
			descriptionField,
			locationField,
			notifyField,
			{ displayName: 'Online Meeting', name: 'conference', type: 'options', options: CONFERENCES, default: 'google_meet', description: 'Add an online meeting to the event (the provider field `conference`)' },
		],
	},
	// Update
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: op('update') },
		options: [
			{ displayName: 'Attendees', name: 'attendees', type: 'string', default: '', description: 'The new list of attendees, replacing the old one: addresses (with names if you like) separated by commas, or an array from an expression' },
			conferenceUrlField,
			descriptionField,
			{ displayName: 'End', name: 'end', type: 'dateTime', default: '', description: 'When the event ends (after Start)' },
			locationField,
			notifyField,
			{
				displayName: 'Online Meeting',
				name: 'conference',
				type: 'options',
				options: [
					{ name: 'Google Meet', value: 'google_meet' },
					{ name: 'Microsoft Teams', value: 'teams' },
					{ name: 'Remove the Online Meeting', value: 'remove' },
					{ name: 'Skype', value: 'skype' },
					{ name: 'Zoom', value: 'zoom' },
				],
				default: 'google_meet',
				description: 'Add or change the online meeting (the provider field `conference`)',
			},
			{ displayName: 'Start', name: 'start', type: 'dateTime', default: '', description: 'When the event starts' },
			{ displayName: 'Title', name: 'title', type: 'string', default: '' },
		],
	},
	// Get Many
	...paginationFields(op('getAll')),
	{ displayName: 'Start', name: 'start', type: 'dateTime', default: '', description: 'Only events starting after this moment', displayOptions: { show: op('getAll') } },
	{ displayName: 'End', name: 'end', type: 'dateTime', default: '', description: 'Only events ending before this moment', displayOptions: { show: op('getAll') } },
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return only ID, title, start, end, attendee emails, location and meeting link instead of the full event',
		displayOptions: { show: op('get', 'getAll') },
	},
	// Cancel and RSVP (v2)
	shownOnV2({
		displayName: 'Answer',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Yes', value: 'yes' },
			{ name: 'Maybe', value: 'maybe' },
			{ name: 'No', value: 'no' },
		],
		default: 'yes',
		description: 'The answer to the invitation',
		displayOptions: { show: op('rsvp') },
		routing: { send: { type: 'body', property: 'status' } },
	}),
	shownOnV2({
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		default: '',
		description: 'A message sent with the answer (RSVP) or to the attendees (Cancel; Outlook only)',
		displayOptions: { show: op('cancel', 'rsvp') },
		routing: { send: { type: 'body', property: 'comment', value: '={{ String($value).trim() || undefined }}' } },
	}),
	v1UnavailableNotice('eventV2Notice', 'event', { cancel: 'Event → Cancel', rsvp: 'Event → RSVP' }),
];
