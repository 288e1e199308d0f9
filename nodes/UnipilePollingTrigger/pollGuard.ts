/**
 * One poll at a time per trigger, within one n8n process.
 *
 * n8n may start a poll while another poll of the same trigger is still running or still committing: a slow poll
 * overlapped by the next cron tick, and, with durable poll cursors, the burst of occurrences that fell due while n8n
 * was down, all claimed at once after a restart. Each reads the same saved state, so each would emit the same
 * messages. With durable cursors the state is committed with the execution some 100 ms after the poll returns; a
 * poll that reads the state before that commit would emit them again too.
 *
 * So a poll goes ahead only when no other poll of this trigger is running and, if the last poll emitted, the state
 * it reads is the state that poll left (its commit landed). Otherwise it returns nothing and leaves the state alone:
 * the next tick polls again. A state that never lands (a commit n8n refused, a result it discarded) stops blocking
 * after `UNCOMMITTED_MS`, so its messages are then read again from the state that was saved: none is lost. Polls
 * that emitted nothing leave no such mark: repeating them emits nothing either (a seed that n8n does not commit,
 * as at activation with durable cursors, is simply made again).
 */

/** A running poll older than this is taken as abandoned (n8n gives up on a poll after at most 45 s by default). */
export const STALE_RUNNING_MS = 5 * 60_000;
/** A produced state not seen saved after this is taken as never committed. */
export const UNCOMMITTED_MS = 60_000;

/** A value as a string independent of key order (a database may store JSON with its keys reordered). */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

interface Entry {
	token: object;
	runningSince?: number;
	/** The state the last emitting poll left, canonical, until a later poll reads it back. */
	produced?: string;
	producedAt?: number;
}

export type GuardVerdict = { go: true; token: object } | { go: false; reason: 'running' | 'uncommitted' };

export class PollGuard {
	private readonly entries = new Map<string, Entry>();

	/** Called before a poll reads or changes anything, with the state as read (canonical). */
	enter(key: string, savedState: string, now: number): GuardVerdict {
		const entry = this.entries.get(key);
		if (entry?.runningSince !== undefined && now - entry.runningSince < STALE_RUNNING_MS) return { go: false, reason: 'running' };
		if (entry?.produced !== undefined && entry.producedAt !== undefined && now - entry.producedAt < UNCOMMITTED_MS && entry.produced !== savedState) {
			return { go: false, reason: 'uncommitted' };
		}
		const token = {};
		this.entries.set(key, { token, runningSince: now });
		return { go: true, token };
	}

	/** Called when the poll ends (returned or threw), with the state it left if it emitted something (canonical). */
	leave(key: string, token: object, emittedWithState: string | undefined, now: number): void {
		if (this.entries.get(key)?.token !== token) return;
		if (emittedWithState === undefined) this.entries.delete(key);
		else this.entries.set(key, { token, produced: emittedWithState, producedAt: now });
	}
}

/** Shared by every trigger of this n8n process (module state lives as long as the process). */
export const pollGuard = new PollGuard();
