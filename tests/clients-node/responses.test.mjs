import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { apiKey, baseUrl, models, weatherSchema, words } from './gateway.mjs';

// The Responses API (`client.responses`), as Codex CLI and the Agents SDK call it.
const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey, maxRetries: 0 });
const tools = [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: weatherSchema, strict: false }];

test('responses: create answers with output_text and usage', async () => {
  const response = await client.responses.create({
    model: models.qwen,
    instructions: 'Be brief.',
    input: 'Hello from node [[sim:tokens=6]]',
    metadata: { ticket: 'T-7' },
  });
  assert.equal(response.object, 'response');
  assert.equal(response.status, 'completed');
  assert.equal(words(response.output_text), 6);
  assert.equal(response.usage.output_tokens, 6);
  assert.ok(response.usage.input_tokens > 0);
  assert.equal(response.metadata.ticket, 'T-7');
});

test('responses: stream() emits typed events and a final response that agrees with them', async () => {
  const stream = client.responses.stream({
    model: models.kimi,
    input: 'Think, then stream [[sim:reasoning=4]] [[sim:tokens=8]]',
    max_output_tokens: 4096,
  });
  const types = [];
  let text = '';
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'response.output_text.delta') text += event.delta;
  }
  const final = await stream.finalResponse();
  assert.equal(types[0], 'response.created');
  assert.equal(types.at(-1), 'response.completed');
  assert.ok(types.includes('response.reasoning_summary_text.delta'));
  assert.equal(words(text), 8);
  assert.equal(final.output_text, text);
  assert.deepEqual(final.output.map((o) => o.type), ['reasoning', 'message']);
  assert.equal(final.usage.output_tokens, 12);
});

test('responses: create with stream: true iterates the same events', async () => {
  const events = await client.responses.create({ model: models.qwen, input: 'Stream raw [[sim:tokens=5]]', stream: true });
  let completed = null;
  let text = '';
  for await (const event of events) {
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed') completed = event.response;
  }
  assert.equal(words(text), 5);
  assert.equal(completed.usage.output_tokens, 5);
});

test('responses: a function call round-trips over two turns', async () => {
  const input = [{ role: 'user', content: 'Use get_weather for Oslo' }];
  const first = await client.responses.create({ model: models.qwen, input, tools });
  const call = first.output.find((o) => o.type === 'function_call');
  assert.equal(call.name, 'get_weather');
  assert.equal(typeof JSON.parse(call.arguments).city, 'string');

  input.push(call, { type: 'function_call_output', call_id: call.call_id, output: '4 C, snow' });
  const second = await client.responses.create({ model: models.qwen, input, tools });
  assert.equal(second.status, 'completed');
  assert.match(second.output_text, /^Using the tool result/);
});

test('responses: a json_schema text format gives output that parses (responses.parse)', async () => {
  const response = await client.responses.parse({
    model: models.qwen,
    input: 'Name a river and its length in km',
    max_output_tokens: 256,
    text: {
      format: {
        type: 'json_schema',
        name: 'river',
        strict: true,
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, length_km: { type: 'integer' } },
          required: ['name', 'length_km'],
          additionalProperties: false,
        },
      },
    },
  });
  assert.equal(typeof response.output_parsed.name, 'string');
  assert.ok(Number.isInteger(response.output_parsed.length_km));
});

test('responses: a built-in tool is a typed 400 naming the field', async () => {
  await assert.rejects(
    client.responses.create({ model: models.qwen, input: 'search', tools: [{ type: 'web_search' }] }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'tools[0].type',
  );
});

test('responses: a host stalling mid-stream surfaces as an SDK error, never a completed response', async () => {
  const stream = client.responses.stream({ model: models.minimax, input: 'Stall [[sim:tokens=40]] [[sim:fault=stall-after=4]]' });
  const types = [];
  await assert.rejects(
    (async () => {
      for await (const event of stream) types.push(event.type);
    })(),
    (err) => err instanceof OpenAI.APIError && /stopped mid-stream/.test(err.message),
  );
  assert.ok(types.includes('response.failed'));
  assert.ok(!types.includes('response.completed'));
});
