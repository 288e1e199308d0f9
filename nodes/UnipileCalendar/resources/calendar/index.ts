import { IANAZone } from 'luxon';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';
import { paginationFields } from '../../../shared/descriptions';
import { hiddenOnV2, shownOnV2 } from '../../../shared/v2';
import { calendarAccount, calendarLocator, calendarUrl, doneItem, v1List, v1UnavailableNotice } from '../shared';

const show = { resource: ['calendar'] };
const op = (...operation: string[]) => ({ ...show, operation });

/** Create's and Update's body: `name`, `description`, `timezone` (IANA), `background_color` (#rrggbb). */
function calendarBody(mode: 'create' | 'update') {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const fields = this.getNodeParameter(mode === 'create' ? 'additionalFields' : 'updateFields', {}) as IDataObject;
		const refuse = (message: string, description: string) => new NodeOperationError(this.getNode(), message, { itemIndex: this.getItemIndex(), description });
		const body: IDataObject = {};
		const name = mode === 'create' ? this.getNodeParameter('name', '') : fields.name;
		if (typeof name === 'string' && name.trim() !== '') body.name = name.trim();
		if (typeof fields.description === 'string' && fields.description !== '') body.description = fields.description;
		if (typeof fields.timeZone === 'string' && fields.timeZone.trim() !== '') {
			const zone = fields.timeZone.trim();
			if (!IANAZone.isValidZone(zone)) throw refuse(`"Time Zone" is not a time zone: ${JSON.stringify(zone)}`, 'Use an IANA time zone name such as Europe/Paris, America/New_York or UTC.');
			body.timezone = zone;
		}
		if (typeof fields.backgroundColor === 'string' && fields.backgroundColor.trim() !== '') {
			const color = fields.backgroundColor.trim();
			if (!/^#[0-9a-f]{6}$/i.test(color)) throw refuse(`"Color" is not a hexadecimal color: ${JSON.stringify(color)}`, 'Use #rrggbb, such as #1a73e8.');
			body.background_color = color;
		}
		if (mode === 'update' && Object.keys(body).length === 0) throw refuse('Nothing to update: no field was chosen', 'Add at least one field under Update Fields (Name, Description, Time Zone or Color).');
		requestOptions.body = body;
		return requestOptions;
	};
}

const CALENDAR_OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Get',
		value: 'get',
		action: 'Get a calendar',
		description: 'Get one calendar of an account',
		routing: { request: { method: 'GET', url: calendarUrl } },
	},
	{
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many calendars',
		description: "List an account's calendars (its own and those it subscribes to)",
		routing: { request: { method: 'GET', url: '/calendars' }, output: { postReceive: [v1List] } },
	},
];

/** Calendars are created, renamed and deleted on Unipile API v2 only. */
const V2_ONLY: INodePropertyOptions[] = [
	{
		name: 'Create',
		value: 'create',
		action: 'Create a calendar',
		description: 'Add a calendar to the account (Unipile API v2)',
		routing: { request: { method: 'POST', url: '/calendars' }, send: { preSend: [calendarBody('create')] } },
	},
	{
		name: 'Delete',
		value: 'delete',
		action: 'Delete a calendar',
		description: 'Delete a calendar and its events (Unipile API v2)',
		routing: { request: { method: 'DELETE', url: calendarUrl }, output: { postReceive: [doneItem('calendar')] } },
	},
	{
		name: 'Update',
		value: 'update',
		action: 'Update a calendar',
		description: 'Rename a calendar or change its description, time zone or color (Unipile API v2)',
		routing: { request: { method: 'PATCH', url: calendarUrl }, send: { preSend: [calendarBody('update')] } },
	},
];

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show },
	options: CALENDAR_OPERATIONS,
	default: 'getAll',
};

export const calendarOperations: INodeProperties[] = [
	hiddenOnV2(operationProperty),
	shownOnV2({ ...operationProperty, options: [...CALENDAR_OPERATIONS, ...V2_ONLY].sort((a, b) => a.name.localeCompare(b.name)) }),
];

const timeZoneOption: INodeProperties = { displayName: 'Time Zone', name: 'timeZone', type: 'string', default: '', placeholder: 'e.g. Europe/Paris', description: 'The IANA time zone of the calendar' };
const colorOption: INodeProperties = { displayName: 'Color', name: 'backgroundColor', type: 'color', default: '#1a73e8', description: 'The background color of the calendar' };
const descriptionOption: INodeProperties = { displayName: 'Description', name: 'description', type: 'string', default: '' };

export const calendarFields: INodeProperties[] = [
	calendarAccount(op('create', 'delete', 'get', 'getAll', 'update'), 'The Google or Microsoft account whose calendars to use (calendar permissions must be enabled for it in Unipile)'),
	calendarLocator(op('delete', 'get', 'update'), 'The calendar'),
	...paginationFields(op('getAll')),
	shownOnV2({ displayName: 'Name', name: 'name', type: 'string', required: true, default: '', placeholder: 'e.g. Sales meetings', displayOptions: { show: op('create') } }),
	shownOnV2({
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: op('create') },
		options: [colorOption, descriptionOption, timeZoneOption],
	}),
	shownOnV2({
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: op('update') },
		options: [colorOption, descriptionOption, { displayName: 'Name', name: 'name', type: 'string', default: '' }, timeZoneOption],
	}),
	v1UnavailableNotice('calendarV2Notice', 'calendar', { create: 'Calendar → Create', delete: 'Calendar → Delete', update: 'Calendar → Update' }),
];
