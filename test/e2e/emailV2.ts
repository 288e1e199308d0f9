/**
 * The Unipile Email workflows run again on Unipile API v2 in the real n8n (run.ts adds them to the v2 reruns of
 * workflowChecks.ts: Authentication and credential switched by `onV2`, the v1 Gmail account mapped to the v2 one):
 * what a user sees on v2, and the v2 requests the sandbox received, field by field.
 */
import { isDeepStrictEqual } from 'node:util';
import type { WorkflowCheck } from './workflowChecks';

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

export function emailWorkflowsOnV2(): WorkflowCheck[] {
	return [
		{
			// Get Many of the INBOX folder (by its role: one folders call, then the folder's route), then Reply in the thread.
			file: 'workflows/email-reply.json',
			async assert(run, ctx) {
				const sb = ctx.sandbox;
				const google = sb.v2.accounts.find((a) => a.provider === 'google' && a.status === 'running')!;
				const [sent] = run.items;
				assert(run.items.length === 1 && sent.json.object === 'EmailSent', `expected EmailSent, got ${JSON.stringify(run.items).slice(0, 300)}`);
				const mailbox = (await (await fetch(`${sb.url}/_sandbox/v2/mailboxes/${google.id}`)).json()) as { emails: Array<Record<string, unknown>> };
				const reply = mailbox.emails.find((e) => e.id === sent.json.id)!;
				const original = mailbox.emails.find((e) => e.id !== reply.id && e.thread_id === reply?.thread_id);
				assert(reply && original, `the reply is not in the thread of an email of the mailbox: ${JSON.stringify(reply).slice(0, 300)}`);
				const calls = sb.requests.filter((r) => !r.rawPath.startsWith('/_sandbox')).map((r) => ({ method: r.method, path: r.path, query: r.query }));
				// The account is looked up once per execution, before its first request (the account-kind check); Reply's
				// threading reuses that answer.
				const want = [
					{ method: 'GET', path: `/v2/accounts/${google.id}`, query: {} },
					{ method: 'GET', path: `/v2/${google.id}/folders`, query: { limit: '250' } },
					{ method: 'GET', path: `/v2/${google.id}/folders/INBOX/emails`, query: { limit: '1' } },
					{ method: 'GET', path: `/v2/${google.id}/emails/${String(original.id)}`, query: {} },
					{ method: 'POST', path: `/v2/${google.id}/emails/send`, query: {} },
				];
				assert(isDeepStrictEqual(calls, want), `v2 calls: ${JSON.stringify(calls)}`);
				const post = sb.requests.find((r) => r.method === 'POST')!;
				const subject = String(original.subject);
				const body = { to: original.from, subject: /^re\s*:/i.test(subject) ? subject : `Re: ${subject}`, html: '<p>Hello from the real n8n</p>', reply_to_message_id: original.id };
				assert(post.status === 200 && isDeepStrictEqual(post.json, body), `send body: ${JSON.stringify(post.json)}`);
				assert(post.headers['idempotency-key'] === undefined, 'an Idempotency-Key went to v2, which does not document one');
			},
		},
	];
}
