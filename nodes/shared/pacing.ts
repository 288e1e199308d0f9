import { NodeOperationError, sleep, type IDataObject, type IDisplayOptions, type IExecutePaginationFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

/**
 * Daily caps and send windows ("Sending Limits") on the operations that reach people: Unipile LinkedIn → Invitation →
 * Send, Post → Comment and Post → React; Unipile → Chat → Start and Message → Send. An item over the account's cap for
 * the day, or outside the allowed weekdays and hours, is not sent and is no error: it comes out as
 * `{sent: false, reason, nextWindow, …}` so that an IF can put it back in a queue.
 */

/** The counter each paced operation counts on, by resource and operation (Start Chat and Send Message both send messages). */
const COUNTERS: Record<string, Record<string, string>> = {
	invitation: { send: 'invitation' },
	post: { comment: 'comment', react: 'reaction' },
	chat: { start: 'message' },
	message: { send: 'message' },
};

/** Where the counts live in the workflow's static data ('global': nodes of one workflow share an account's count). */
const STATIC_KEY = 'unipileSendingLimits';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** The Sending Limits collection, shown on the paced operations of a node only; the same on both APIs. */
export function sendingLimitsField(show: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Sending Limits',
		name: 'pacing',
		type: 'collection',
		placeholder: 'Add Limit',
		default: {},
		description:
			"Per account and day, counted across this workflow's production executions: items over the cap or outside the window are not sent and come out with sent = false, a reason and when the next window opens",
		displayOptions: { show },
		options: [
			{
				displayName: 'Allowed Weekdays',
				name: 'weekdays',
				type: 'multiOptions',
				options: WEEKDAYS.map((day) => ({ name: day[0].toUpperCase() + day.slice(1), value: day })),
				default: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
				description: 'The days (in the Time Zone) on which items are sent',
			},
			{
				displayName: 'Daily Cap',
				name: 'dailyCap',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 20,
				description: 'How many of these sends Unipile may accept per account and day (in the Time Zone); 0 sends none',
			},
			{
				displayName: 'From Hour',
				name: 'fromHour',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 23 },
				default: 9,
				description: 'Sending starts at this hour (0–23, in the Time Zone)',
			},
			{
				displayName: 'Random Delay Max (Seconds)',
				name: 'maxDelaySeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Longest random pause before each send after the first one of an execution',
			},
			{
				displayName: 'Random Delay Min (Seconds)',
				name: 'minDelaySeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Shortest random pause before each send after the first one of an execution (items not sent are not delayed)',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Paris',
				description: "The IANA time zone of the day, weekdays and hours; empty: the workflow's time zone",
			},
			{
				displayName: 'To Hour',
				name: 'toHour',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 24 },
				default: 18,
				description: 'Sending stops at this hour (1–24, in the Time Zone; 18 means up to 17:59)',
			},
		],
	};
}

interface Limits {
	dailyCap?: number;
	weekdays?: string[];
	fromHour: number;
	toHour: number;
	minDelayMs: number;
	maxDelayMs: number;
	timeZone: string;
	windowed: boolean;
}

interface Counter {
	day: string;
	count: number;
}

/** A local date and time in a time zone. */
interface LocalTime {
	year: number;
	month: number;
	day: number;
	hour: number;
	weekday: number; // 0 = Monday
}

function localTime(instant: number, timeZone: string): LocalTime {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', weekday: 'long' })
			.formatToParts(new Date(instant))
			.map((part) => [part.type, part.value]),
	);
	return {
		year: Number(parts.year),
		month: Number(parts.month),
		day: Number(parts.day),
		hour: Number(parts.hour) % 24,
		weekday: WEEKDAYS.indexOf(String(parts.weekday).toLowerCase() as (typeof WEEKDAYS)[number]),
	};
}

function dayOf(time: LocalTime): string {
	return `${time.year}-${String(time.month).padStart(2, '0')}-${String(time.day).padStart(2, '0')}`;
}

/** The instant a local date and hour (whole hour) starts in a time zone (the first such instant across a DST change). */
function instantOf(year: number, month: number, day: number, hour: number, timeZone: string): number {
	const wanted = Date.UTC(year, month - 1, day, hour);
	let guess = wanted;
	for (let i = 0; i < 3; i++) {
		const seen = localTime(guess, timeZone);
		const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour);
		if (seenAsUtc === wanted) break;
		guess += wanted - seenAsUtc;
	}
	return guess;
}

/** "now" in ms; tests of this package cannot move it: windows are chosen around the real time. */
const now = () => Date.now();

/** The counter of the node's operation, or undefined when the operation is not paced. */
function counterOf(context: IExecutePaginationFunctions): string | undefined {
	return COUNTERS[String(context.getNodeParameter('resource', ''))]?.[String(context.getNodeParameter('operation', ''))];
}

function limitsOf(context: IExecutePaginationFunctions): Limits | undefined {
	const raw = context.getNodeParameter('pacing', {}) as IDataObject;
	if (!raw || Object.keys(raw).length === 0) return undefined;
	const node = context.getNode();
	const itemIndex = context.getItemIndex();
	const wrong = (field: string, problem: string, fix: string) =>
		new NodeOperationError(node, `Sending Limits → ${field} ${problem}`, { itemIndex, description: fix });
	const whole = (name: string, field: string, min: number, max: number, fallback: number | undefined) => {
		if (raw[name] === undefined || raw[name] === '') return fallback;
		const value = Number(raw[name]);
		if (!Number.isFinite(value) || value < min || value > max) throw wrong(field, `must be a number from ${min} to ${max}, not ${JSON.stringify(raw[name])}`, `Set "${field}" in Sending Limits to a value in range.`);
		return value;
	};
	const timeZone = String(raw.timeZone ?? '').trim() || context.getTimezone();
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
	} catch {
		throw wrong('Time Zone', `"${timeZone}" is not a time zone`, 'Use an IANA time zone name such as Europe/Paris or America/New_York, or leave it empty for the workflow\'s time zone.');
	}
	const fromHour = whole('fromHour', 'From Hour', 0, 23, 0)!;
	const toHour = whole('toHour', 'To Hour', 1, 24, 24)!;
	if (fromHour >= toHour) throw wrong('From Hour', `(${fromHour}) must be before To Hour (${toHour})`, 'Sending happens from From Hour up to To Hour of the same day: choose a From Hour earlier than the To Hour.');
	const minDelay = whole('minDelaySeconds', 'Random Delay Min (Seconds)', 0, 86_400, 0)!;
	const maxDelay = whole('maxDelaySeconds', 'Random Delay Max (Seconds)', 0, 86_400, minDelay)!;
	if (maxDelay < minDelay) throw wrong('Random Delay Max (Seconds)', `(${maxDelay}) is below Random Delay Min (${minDelay})`, 'Set the maximum at or above the minimum.');
	let weekdays: string[] | undefined;
	if (raw.weekdays !== undefined) {
		weekdays = (Array.isArray(raw.weekdays) ? raw.weekdays : String(raw.weekdays).split(',')).map((day) => String(day).trim().toLowerCase());
		const unknown = weekdays.filter((day) => !(WEEKDAYS as readonly string[]).includes(day));
		if (unknown.length) throw wrong('Allowed Weekdays', `has unknown days: ${unknown.join(', ')}`, `Use ${WEEKDAYS.join(', ')}.`);
	}
	return {
		dailyCap: whole('dailyCap', 'Daily Cap', 0, 1_000_000, undefined),
		weekdays,
		fromHour,
		toHour,
		minDelayMs: minDelay * 1000,
		maxDelayMs: maxDelay * 1000,
		timeZone,
		windowed: weekdays !== undefined || raw.fromHour !== undefined || raw.toHour !== undefined,
	};
}

/** The account a send counts on: the Account parameter (Send Message on v1 has it among its Options). */
function accountOf(context: IExecutePaginationFunctions): string {
	for (const name of ['accountId', 'options.accountId']) {
		let value = '';
		try {
			value = String(context.getNodeParameter(name, '', { extractValue: true }) ?? '').trim();
		} catch {
			// Not set (n8n cannot extract a value from an option left out).
		}
		if (value) return value;
	}
	return '';
}

type Reason = 'daily_cap_reached' | 'outside_hours' | 'not_a_sending_day';

/**
 * Whether an item may be sent now, and if not why and when it could: the first instant, from now, on an allowed
 * weekday, within the hours, and on a day whose cap is not used up (only today's can be).
 */
function decide(limits: Limits, at: number, sentToday: number): { reason?: Reason; nextWindow?: number } {
	const today = localTime(at, limits.timeZone);
	const capReached = limits.dailyCap !== undefined && sentToday >= limits.dailyCap;
	const allowedDay = (weekday: number) => !limits.weekdays || limits.weekdays.includes(WEEKDAYS[weekday]);
	const inHours = today.hour >= limits.fromHour && today.hour < limits.toHour;
	let reason: Reason | undefined;
	if (!allowedDay(today.weekday)) reason = 'not_a_sending_day';
	else if (!inHours) reason = 'outside_hours';
	else if (capReached) reason = 'daily_cap_reached';
	if (!reason) return {};
	if (limits.weekdays?.length === 0 || (limits.dailyCap === 0 && reason === 'daily_cap_reached')) return { reason };
	for (let offset = 0; offset <= 8; offset++) {
		// Noon of the day, moved by whole days: stays on the right calendar day across DST changes.
		const noon = instantOf(today.year, today.month, today.day, 12, limits.timeZone) + offset * 86_400_000;
		const day = localTime(noon, limits.timeZone);
		if (!allowedDay(day.weekday)) continue;
		if (offset === 0 && (capReached || today.hour >= limits.toHour)) continue;
		if (limits.dailyCap === 0) break;
		const start = instantOf(day.year, day.month, day.day, limits.fromHour, limits.timeZone);
		return { reason, nextWindow: Math.max(start, at) };
	}
	return { reason };
}

/** The random delay, in steps of at most a second: an execution stopped meanwhile sends nothing more. */
async function pause(context: IExecutePaginationFunctions, ms: number): Promise<void> {
	const cancelled = () => context.getExecutionCancelSignal?.()?.aborted === true;
	for (let left = ms; left > 0 && !cancelled(); left -= 1000) await sleep(Math.min(left, 1000));
	if (cancelled()) throw new NodeOperationError(context.getNode(), 'The execution was stopped during the random delay; this item was not sent', { itemIndex: context.getItemIndex() });
}

/** One node's items of one execution take turns (RoutingNode starts them all at once): count, then delay, in order. */
const lanes = new WeakMap<object, Map<string, { tail: Promise<unknown>; sentInRun: boolean }>>();

/**
 * Runs `send` for one item under the node's Sending Limits, if the operation has them and any is set; otherwise just
 * runs it. Only a send Unipile accepted (no error) is counted.
 */
export async function withSendingLimits(context: IExecutePaginationFunctions, send: () => Promise<INodeExecutionData[]>): Promise<INodeExecutionData[]> {
	const counterName = counterOf(context);
	const limits = counterName === undefined ? undefined : limitsOf(context);
	if (counterName === undefined || !limits) return await send();
	const accountId = accountOf(context);
	if (limits.dailyCap !== undefined && !accountId) {
		throw new NodeOperationError(context.getNode(), 'Sending Limits → Daily Cap needs the account', {
			itemIndex: context.getItemIndex(),
			description: 'The cap is counted per account: on Unipile API v1, set Options → Account on Send Message.',
		});
	}
	const staticData = context.getWorkflowStaticData('global');
	let byNode = lanes.get(staticData);
	if (!byNode) lanes.set(staticData, (byNode = new Map()));
	let lane = byNode.get(context.getNode().name);
	if (!lane) byNode.set(context.getNode().name, (lane = { tail: Promise.resolve(), sentInRun: false }));
	const turn = lane;
	const result = turn.tail.then(async () => {
		const key = `${counterName}:${accountId}`;
		const at = now();
		const today = dayOf(localTime(at, limits.timeZone));
		const counters = (staticData[STATIC_KEY] ?? {}) as Record<string, Counter>;
		const sentToday = counters[key]?.day === today ? counters[key].count : 0;
		const { reason, nextWindow } = decide(limits, at, sentToday);
		if (reason) {
			const input = context.getInputData();
			return [
				{
					json: {
						sent: false,
						reason,
						nextWindow: nextWindow === undefined ? null : new Date(nextWindow).toISOString(),
						accountId: accountId || null,
						counter: counterName,
						sentToday,
						dailyCap: limits.dailyCap ?? null,
						timeZone: limits.timeZone,
						item: (input?.json ?? {}) as IDataObject,
					},
				},
			] as INodeExecutionData[];
		}
		if (turn.sentInRun && limits.maxDelayMs > 0) await pause(context, limits.minDelayMs + Math.random() * (limits.maxDelayMs - limits.minDelayMs));
		const answer = await send();
		turn.sentInRun = true;
		// Read again after the send (another node of this execution may have counted meanwhile); assigned whole, so that
		// n8n sees the static data changed and saves it after a production execution.
		const latest = (staticData[STATIC_KEY] ?? {}) as Record<string, Counter>;
		const count = (latest[key]?.day === today ? latest[key].count : 0) + 1;
		// Other counters stay (another node's time zone may be on another day); those of past days go.
		const oldest = dayOf(localTime(at - 2 * 86_400_000, limits.timeZone));
		const kept = Object.fromEntries(Object.entries(latest).filter(([name, counter]) => name !== key && counter.day >= oldest));
		staticData[STATIC_KEY] = { ...kept, [key]: { day: today, count } };
		return answer.map((item) => ({ ...item, json: { ...item.json, sent: true } }));
	});
	// The next item waits for this one, whatever its outcome.
	turn.tail = result.catch(() => undefined);
	return await result;
}
