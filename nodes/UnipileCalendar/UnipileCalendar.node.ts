import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { accountOfKind, CALENDAR_ACCOUNTS, searchAccountsOf } from '../shared/accountKinds';
import { authenticationProperty, resourceProperties, unipileRequestsOnBothApis } from '../shared/node';
import { unipileCredentialTests } from '../shared/credentialTest';
import { bypassCacheField } from '../shared/v2';
import { calendarFields, calendarOperations } from './resources/calendar';
import { calendarV2 } from './resources/calendar/v2';
import { eventFields, eventOperations } from './resources/event';
import { eventV2 } from './resources/event/v2';
import { searchCalendars } from './listSearch';

const unipileCalendarProperties = resourceProperties(
	[
		{ name: 'Calendar', value: 'calendar' },
		{ name: 'Event', value: 'event' },
	],
	'event',
	[...calendarOperations, ...eventOperations, ...calendarFields, ...eventFields, bypassCacheField({ resource: ['calendar', 'event'], operation: ['get', 'getAll'] })],
	[accountOfKind(CALENDAR_ACCOUNTS, 'Unipile Calendar')],
);

/** Where each operation goes on Unipile API v2 (its v1 route is in its description). */
export const CALENDAR_V2_ROUTES = { calendar: calendarV2, event: eventV2 };

export class UnipileCalendar implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Unipile Calendar',
		name: 'unipileCalendar',
		icon: { light: 'file:../../icons/unipile.svg', dark: 'file:../../icons/unipile.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'List, book, move and cancel events in the Google and Microsoft calendars of accounts connected to Unipile',
		defaults: { name: 'Unipile Calendar' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		...unipileRequestsOnBothApis(CALENDAR_V2_ROUTES),
		properties: [authenticationProperty, ...unipileCalendarProperties],
	};

	methods = { credentialTest: unipileCredentialTests, listSearch: { searchAccounts: searchAccountsOf(CALENDAR_ACCOUNTS), searchCalendars } };
}
