import { startOpenAiStub, type OpenAiStub } from './e2e/openai-stub';

/**
 * The scripted OpenAI-compatible server the AI Agent e2e points n8n's OpenAI Chat Model at. Requests here have the
 * shapes the OpenAI SDK sends (the e2e covers what n8n really sends): each step is chosen from the conversation.
 */
describe('OpenAI stub', () => {
	let stub: OpenAiStub;
	beforeAll(async () => {
		stub = await startOpenAiStub({
			m: [
				() => ({ tool: 'List_chats', args: { limit: 2 } }),
				(c) => ({ tool: 'Send', args: { chatId: (c.toolResult(0) as Array<{ id: string }>)[0].id } }),
				(c) => ({ answer: `sent ${(c.toolResult(1) as { message_id: string }).message_id}` }),
			],
		});
	});
	afterAll(async () => await stub.close());

	const post = async (path: string, body: unknown) => {
		const res = await fetch(stub.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, json: (await res.json()) as Record<string, any> };
	};
	const tools = [
		{ type: 'function', function: { name: 'List_chats', description: 'Get many chats', parameters: { type: 'object', properties: { limit: { type: 'number' } } } } },
		{ type: 'function', function: { name: 'Send', description: 'Send a message', parameters: { type: 'object', properties: { chatId: { type: 'string' } } } } },
	];

	test('Chat Completions: a tool call, then a call using the first result, then an answer quoting the second', async () => {
		const user = { role: 'user', content: 'go' };
		const first = await post('/chat/completions', { model: 'm', messages: [user], tools });
		expect(first.status).toBe(200);
		const call1 = first.json.choices[0].message.tool_calls[0];
		expect([call1.function.name, JSON.parse(call1.function.arguments)]).toEqual(['List_chats', { limit: 2 }]);
		const history = [user, first.json.choices[0].message, { role: 'tool', tool_call_id: call1.id, content: JSON.stringify([{ id: 'chat_a' }, { id: 'chat_b' }]) }];
		const second = await post('/chat/completions', { model: 'm', messages: history, tools });
		const call2 = second.json.choices[0].message.tool_calls[0];
		expect([call2.function.name, JSON.parse(call2.function.arguments)]).toEqual(['Send', { chatId: 'chat_a' }]);
		history.push(second.json.choices[0].message, { role: 'tool', tool_call_id: call2.id, content: JSON.stringify({ message_id: 'msg_1' }) });
		const third = await post('/chat/completions', { model: 'm', messages: history, tools });
		expect(third.json.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'sent msg_1' }, finish_reason: 'stop' });
		expect(stub.requests.at(-1)!.conversation!.results.map((r) => r.name)).toEqual(['List_chats', 'Send']);
	});

	test('Responses API: function_call items out, function_call_output items back', async () => {
		const rTools = tools.map((t) => ({ type: 'function', ...t.function }));
		const first = await post('/responses', { model: 'm', input: [{ role: 'user', content: 'go' }], tools: rTools });
		const call = first.json.output[0];
		expect(call).toMatchObject({ type: 'function_call', name: 'List_chats', arguments: '{"limit":2}' });
		const second = await post('/responses', {
			model: 'm',
			input: [{ role: 'user', content: 'go' }, call, { type: 'function_call_output', call_id: call.call_id, output: '[{"id":"chat_z"}]' }],
			tools: rTools,
		});
		expect(second.json.output[0]).toMatchObject({ type: 'function_call', name: 'Send', arguments: '{"chatId":"chat_z"}' });
	});

	test('a tool the request does not offer, or a tool result that is not JSON, is refused with a message saying so', async () => {
		const refused = await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'go' }], tools: [tools[1]] });
		expect(refused.status).toBe(400);
		expect(refused.json.error.message).toMatch(/calls tool "List_chats", the request offers \["Send"\]/);
		const notJson = await post('/chat/completions', {
			model: 'm',
			messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'List_chats', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: '' }],
			tools,
		});
		expect(notJson.status).toBe(400);
		expect(notJson.json.error.message).toMatch(/tool result #0 \(List_chats\) is not JSON/);
	});

	test('the model ID picks the script; GET /models lists the scripted models', async () => {
		const unknown = await post('/chat/completions', { model: 'gpt-5-mini', messages: [{ role: 'user', content: 'go' }], tools });
		expect([unknown.status, unknown.json.error.message]).toEqual([400, 'OpenAI stub: no script for model "gpt-5-mini"; scripts: ["m"]']);
		const res = await fetch(`${stub.baseUrl}/models`);
		expect(((await res.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id)).toEqual(['m']);
	});
});
