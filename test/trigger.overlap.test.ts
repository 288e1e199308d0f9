/**
 * Polls of one trigger that overlap (issue 15, found by the crash e2e): n8n 2.41 with durable poll cursors runs the
 * occurrences that fell due while it was down all at once after a restart, each from the same committed cursor, and
 * commits a poll's cursor with its execution some 100 ms after the poll returned. Without a guard every one of them
 * emitted the same messages (301 of 347 messages twice or more in the e2e). Through the real PollContext, with the
 * node's state handed out the way n8n's durable cursors do it (a copy per poll, committed only if it changed).
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { PollContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import { canonicalJson, PollGuard, STALE_RUNNING_MS, UNCOMMITTED_MS } from '../dist/nodes/UnipilePollingTrigger/pollGuard';
import { additionalDataFor, loadPackage, nodeTypes, pollHarness } from './harness/engine';
import { startSandbox, type Sandbox } from './sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ chats: 8, messagesPerChat: 3 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

type PollResult = INodeExecutionData[][] | null;

let durableSerial = 0;

/** n8n's durable cursors: each poll works on its own copy of the committed state; a changed copy is committed later. */
function durableTrigger() {
	let committed: IDataObject = {};
	const node: INode = {
		id: 'durable-node',
		name: 'Unipile Polling Trigger',
		type: 'CUSTOM.unipilePollingTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'unipileApi' },
		credentials: { unipileApi: { id: 'cred-1', name: 'Unipile account' } },
	};
	const additionalData = additionalDataFor({ dsn: sandbox.dsn, apiKey: sandbox.apiKey });
	let workflow: Workflow | undefined;
	return {
		/** Runs one poll; `commit()` is what n8n does once the execution (or the cursor alone) is written. */
		async poll(): Promise<{ result: PollResult; commit(): void }> {
			await loadPackage();
			workflow ??= new Workflow({ id: `wf-durable-${++durableSerial}`, nodes: [node], connections: {}, active: true, nodeTypes: nodeTypes(), staticData: {}, settings: { executionOrder: 'v1', timezone: 'UTC' } });
			const wf = workflow;
			const seed = structuredClone(committed);
			const snapshot = structuredClone(committed);
			const context = new PollContext(wf, node, additionalData, 'trigger', 'update', undefined, undefined, undefined, undefined, () => snapshot, () => 36_000);
			const nodeType = nodeTypes().getByNameAndVersion(node.type, 1);
			const result = (await wf.expression.withIsolate(async () => await nodeType.poll!.call(context))) as PollResult;
			return {
				result,
				commit: () => {
					if (canonicalJson(snapshot) !== canonicalJson(seed)) committed = structuredClone(snapshot);
				},
			};
		},
		committed: () => committed,
	};
}

const idsOf = (result: PollResult) => (result?.[0] ?? []).map((item) => String(item.json.id));

describe('Unipile Polling Trigger: overlapping polls of one trigger', () => {
	test('durable cursors: polls started together after a restart emit each new message once', async () => {
		const trigger = durableTrigger();
		(await trigger.poll()).commit(); // seeds
		const injected = ['acc_whatsapp_1', 'acc_telegram_1', 'acc_linkedin_1'].map((accountId) => sandbox.injectMessage({ accountId }).id);
		const polls = await Promise.all([trigger.poll(), trigger.poll(), trigger.poll(), trigger.poll()]);
		const emitting = polls.filter((p) => p.result !== null);
		expect(emitting).toHaveLength(1);
		expect(idsOf(emitting[0].result)).toEqual(injected);
		for (const p of polls) p.commit();
		expect((await trigger.poll()).result).toBeNull();
	});

	test("durable cursors: a poll that reads the state before the last emit's commit emits nothing; after the commit polling goes on", async () => {
		const trigger = durableTrigger();
		(await trigger.poll()).commit();
		const first = sandbox.injectMessage({ accountId: 'acc_whatsapp_1' }).id;
		const a = await trigger.poll();
		expect(idsOf(a.result)).toEqual([first]);
		const before = canonicalJson(trigger.committed());
		const b = await trigger.poll(); // A's execution is not written yet
		expect(b.result).toBeNull();
		b.commit();
		expect(canonicalJson(trigger.committed())).toBe(before);
		a.commit();
		const second = sandbox.injectMessage({ accountId: 'acc_telegram_1' }).id;
		expect(idsOf((await trigger.poll()).result)).toEqual([second]);
	});

	test("n8n's default (one in-memory state): a poll started while another runs emits nothing, and the messages come once", async () => {
		const harness = pollHarness({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, parameters: {} });
		expect(await harness.poll()).toBeNull();
		const injected = sandbox.injectMessage({ accountId: 'acc_whatsapp_1' }).id;
		sandbox.injectFault({ method: 'GET', path: '/messages', delayMs: 300 });
		const [slow, overlapping] = await Promise.all([harness.poll(), harness.poll()]);
		expect(idsOf(slow)).toEqual([injected]);
		expect(overlapping).toBeNull();
		expect(await harness.poll()).toBeNull();
	});

	test('two triggers do not hold each other up', async () => {
		const one = pollHarness({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, parameters: {} });
		const two = pollHarness({ credentials: { dsn: sandbox.dsn, apiKey: sandbox.apiKey }, parameters: {} });
		await Promise.all([one.poll(), two.poll()]);
		const injected = sandbox.injectMessage({ accountId: 'acc_whatsapp_1' }).id;
		const [a, b] = await Promise.all([one.poll(), two.poll()]);
		expect(idsOf(a)).toEqual([injected]);
		expect(idsOf(b)).toEqual([injected]);
	});
});

describe('PollGuard', () => {
	const t0 = 1_000_000;

	test('one poll at a time per key; another key is free', () => {
		const guard = new PollGuard();
		const first = guard.enter('wf:a', '{}', t0);
		expect(first.go).toBe(true);
		expect(guard.enter('wf:a', '{}', t0 + 10)).toEqual({ go: false, reason: 'running' });
		expect(guard.enter('wf:b', '{}', t0 + 10).go).toBe(true);
		if (first.go) guard.leave('wf:a', first.token, undefined, t0 + 20);
		expect(guard.enter('wf:a', '{}', t0 + 30).go).toBe(true);
	});

	test('after an emit, only the state it left lets the next poll go, until UNCOMMITTED_MS', () => {
		const guard = new PollGuard();
		const first = guard.enter('k', 'S0', t0);
		if (!first.go) throw new Error('first poll refused');
		guard.leave('k', first.token, 'S1', t0 + 100);
		expect(guard.enter('k', 'S0', t0 + 200)).toEqual({ go: false, reason: 'uncommitted' });
		expect(guard.enter('k', 'S1', t0 + 300).go).toBe(true);
		const again = new PollGuard();
		const a = again.enter('k', 'S0', t0);
		if (!a.go) throw new Error('refused');
		again.leave('k', a.token, 'S1', t0);
		// The commit never landed: the saved state is read again and its messages come again (none lost).
		expect(again.enter('k', 'S0', t0 + UNCOMMITTED_MS).go).toBe(true);
	});

	test('an abandoned poll stops blocking after STALE_RUNNING_MS, and its late end does not undo the newer poll', () => {
		const guard = new PollGuard();
		const hung = guard.enter('k', 'S0', t0);
		if (!hung.go) throw new Error('refused');
		expect(guard.enter('k', 'S0', t0 + STALE_RUNNING_MS - 1).go).toBe(false);
		const next = guard.enter('k', 'S0', t0 + STALE_RUNNING_MS);
		expect(next.go).toBe(true);
		guard.leave('k', hung.token, 'S-late', t0 + STALE_RUNNING_MS + 1);
		expect(guard.enter('k', 'S0', t0 + STALE_RUNNING_MS + 2)).toEqual({ go: false, reason: 'running' });
	});

	test('canonicalJson ignores key order (a database may reorder a JSON column)', () => {
		expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } })).toBe(canonicalJson({ a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 }));
		expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
	});
});
