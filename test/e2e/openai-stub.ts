/**
 * A loopback stand-in for an OpenAI-compatible API that plays a scripted "model", for the AI Agent e2e check.
 *
 *   const stub = await startOpenAiStub({
 *     'reply-model': [
 *       (c) => ({ tool: 'List_unread_chats', args: { limit: 3 } }),
 *       (c) => ({ tool: 'Reply_in_chat', args: { chatId: c.toolResult(0)[0].id, text: 'On it' } }),
 *       (c) => ({ answer: `Replied in ${c.toolResult(0)[0].id}` }),
 *     ],
 *   });
 *   // openAiApi credential: url = stub.baseUrl, any apiKey; the chat model node's model ID picks the script
 *
 * It serves what n8n's OpenAI Chat Model node calls: POST /v1/chat/completions (node version ≤ 1.2, or 1.3 with "Use
 * Responses API" off), POST /v1/responses (version 1.3's default) and GET /v1/models (the model picker, the
 * credential test). Every request is answered from the conversation it carries, not from server state: step N runs
 * when the conversation holds N tool results, so a retried request gets the same answer.
 * A step that names a tool the request does not offer, an unknown model, or a request the script has no step for, gets a 400 whose
 * message says so: n8n then fails the execution with that text.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ToolDefinition {
	name: string;
	description: string;
	/** JSON schema of the arguments */
	parameters: { properties?: Record<string, { type?: string; description?: string }>; required?: string[] } & Record<string, unknown>;
}

export interface ToolResult {
	/** name of the tool that was called (from the call the stub made) */
	name: string;
	args: Record<string, unknown>;
	/** what n8n fed back, as sent */
	output: string;
}

export interface Conversation {
	api: 'chat.completions' | 'responses';
	model: string;
	/** the user's prompt (the last user message) */
	prompt: string;
	tools: ToolDefinition[];
	results: ToolResult[];
	/** output of the n-th tool call, parsed as JSON (throws with the text when it is not JSON) */
	toolResult(n: number): unknown;
}

export type StepReply = { tool: string; args: Record<string, unknown> } | { answer: string };
export type Step = (conversation: Conversation) => StepReply;

export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	body?: Record<string, unknown>;
	/** what the stub understood from it (model requests only) */
	conversation?: Omit<Conversation, 'toolResult'>;
	/** the step answered, or the error given */
	reply?: StepReply | { error: string };
}

export interface OpenAiStub {
	/** what goes into the openAiApi credential's Base URL, e.g. http://127.0.0.1:PORT/v1 */
	baseUrl: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/** Scripts by model ID (what the OpenAI Chat Model node sends as `model`). */
export async function startOpenAiStub(scripts: Record<string, Step[]>): Promise<OpenAiStub> {
	const requests: RecordedRequest[] = [];
	let serial = 0;
	const id = (prefix: string) => `${prefix}_stub${String(++serial).padStart(4, '0')}`;

	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
			const entry: RecordedRequest = { method: req.method ?? 'GET', path, headers: flatHeaders(req) };
			requests.push(entry);
			try {
				if (raw) entry.body = JSON.parse(raw) as Record<string, unknown>;
			} catch {
				return send(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
			}
			if (entry.method === 'GET' && path === '/v1/models') {
				return send(res, 200, { object: 'list', data: Object.keys(scripts).map((model) => ({ id: model, object: 'model', created: 0, owned_by: 'stub' })) });
			}
			const api = entry.method === 'POST' && path === '/v1/chat/completions' ? 'chat.completions' : entry.method === 'POST' && path === '/v1/responses' ? 'responses' : undefined;
			if (!api) return send(res, 404, { error: { message: `the stub does not serve ${entry.method} ${path}`, type: 'invalid_request_error' } });
			if (entry.body?.stream) return fail(entry, res, 'the stub does not stream; the request asked for stream: true');
			let conversation: Conversation;
			try {
				conversation = api === 'responses' ? readResponsesRequest(entry.body ?? {}) : readChatRequest(entry.body ?? {});
			} catch (e) {
				return fail(entry, res, (e as Error).message);
			}
			const { toolResult: _, ...plain } = conversation;
			entry.conversation = plain;
			const script = scripts[conversation.model];
			if (!script) return fail(entry, res, `no script for model "${conversation.model}"; scripts: ${JSON.stringify(Object.keys(scripts))}`);
			const step = script[conversation.results.length];
			if (!step) return fail(entry, res, `the script has ${script.length} steps; this request carries ${conversation.results.length} tool results`);
			let reply: StepReply;
			try {
				reply = step(conversation);
			} catch (e) {
				return fail(entry, res, `step ${conversation.results.length + 1}: ${(e as Error).message}`);
			}
			if ('tool' in reply && !conversation.tools.some((t) => t.name === reply.tool)) {
				return fail(entry, res, `step ${conversation.results.length + 1} calls tool "${reply.tool}", the request offers ${JSON.stringify(conversation.tools.map((t) => t.name))}`);
			}
			entry.reply = reply;
			send(res, 200, api === 'responses' ? responsesReply(reply, conversation.model, id) : chatReply(reply, conversation.model, id));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as { port: number }).port;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () =>
			new Promise<void>((r) => {
				server.closeAllConnections();
				server.close(() => r());
			}),
	};
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
	return out;
}

function send(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

function fail(entry: RecordedRequest, res: ServerResponse, message: string): void {
	entry.reply = { error: message };
	send(res, 400, { error: { message: `OpenAI stub: ${message}`, type: 'invalid_request_error', param: null, code: null } });
}

function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : String((p as { text?: unknown }).text ?? ''))).join('');
	return '';
}

function parseArgs(raw: unknown): Record<string, unknown> {
	if (typeof raw !== 'string') return (raw as Record<string, unknown>) ?? {};
	return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

function conversationOf(api: Conversation['api'], body: Record<string, unknown>, prompt: string, tools: ToolDefinition[], results: ToolResult[]): Conversation {
	return {
		api,
		model: String(body.model ?? ''),
		prompt,
		tools,
		results,
		toolResult(n) {
			const r = results[n];
			if (!r) throw new Error(`no tool result #${n} yet (${results.length} so far)`);
			try {
				return JSON.parse(r.output) as unknown;
			} catch {
				throw new Error(`tool result #${n} (${r.name}) is not JSON: ${r.output.slice(0, 300)}`);
			}
		},
	};
}

/** Chat Completions: tools [{type:'function', function:{name, description, parameters}}]; calls on assistant messages, results as role 'tool'. */
function readChatRequest(body: Record<string, unknown>): Conversation {
	const messages = (body.messages ?? []) as Array<{ role: string; content?: unknown; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string }>;
	const tools = ((body.tools ?? []) as Array<{ function: ToolDefinition }>).map((t) => ({ ...t.function, description: t.function.description ?? '' }));
	const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
	const results: ToolResult[] = [];
	let prompt = '';
	for (const m of messages) {
		if (m.role === 'user') prompt = textOf(m.content);
		for (const c of m.tool_calls ?? []) calls.set(c.id, { name: c.function.name, args: parseArgs(c.function.arguments) });
		if (m.role === 'tool') {
			const call = calls.get(m.tool_call_id ?? '');
			if (!call) throw new Error(`a tool result answers call ${m.tool_call_id}, which no assistant message made`);
			results.push({ ...call, output: textOf(m.content) });
		}
	}
	return conversationOf('chat.completions', body, prompt, tools, results);
}

/** Responses API: tools [{type:'function', name, description, parameters}]; input items function_call / function_call_output. */
function readResponsesRequest(body: Record<string, unknown>): Conversation {
	const input = (typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input ?? [])) as Array<{ type?: string; role?: string; content?: unknown; call_id?: string; name?: string; arguments?: string; output?: unknown }>;
	const tools = ((body.tools ?? []) as Array<ToolDefinition & { type: string }>).filter((t) => t.type === 'function').map(({ type: _, ...t }) => ({ ...t, description: t.description ?? '' }));
	const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
	const results: ToolResult[] = [];
	let prompt = '';
	for (const item of input) {
		if (item.role === 'user') prompt = textOf(item.content);
		if (item.type === 'function_call') calls.set(item.call_id ?? '', { name: item.name ?? '', args: parseArgs(item.arguments) });
		if (item.type === 'function_call_output') {
			const call = calls.get(item.call_id ?? '');
			if (!call) throw new Error(`a function_call_output answers call ${item.call_id}, which no function_call made`);
			results.push({ ...call, output: textOf(item.output) });
		}
	}
	return conversationOf('responses', body, prompt, tools, results);
}

const USAGE_CHAT = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };

function chatReply(reply: StepReply, model: string, id: (p: string) => string): Record<string, unknown> {
	const message =
		'tool' in reply
			? { role: 'assistant', content: null, tool_calls: [{ id: id('call'), type: 'function', function: { name: reply.tool, arguments: JSON.stringify(reply.args) } }] }
			: { role: 'assistant', content: reply.answer };
	return {
		id: id('chatcmpl'),
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, logprobs: null, finish_reason: 'tool' in reply ? 'tool_calls' : 'stop' }],
		usage: USAGE_CHAT,
	};
}

function responsesReply(reply: StepReply, model: string, id: (p: string) => string): Record<string, unknown> {
	const output =
		'tool' in reply
			? [{ type: 'function_call', id: id('fc'), call_id: id('call'), name: reply.tool, arguments: JSON.stringify(reply.args), status: 'completed' }]
			: [{ type: 'message', id: id('msg'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: reply.answer, annotations: [] }] }];
	return {
		id: id('resp'),
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		model,
		output,
		usage: { input_tokens: 10, output_tokens: 10, total_tokens: 20, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
	};
}
