import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { apiKey, baseUrl, models, weatherSchema, words } from './gateway.mjs';

const client = new Anthropic({ baseURL: baseUrl, apiKey, maxRetries: 0 });
const tools = [{ name: 'get_weather', description: 'Weather for a city', input_schema: weatherSchema }];

test('anthropic: creates a message', async () => {
  const message = await client.messages.create({
    model: models.qwen,
    max_tokens: 64,
    messages: [{ role: 'user', content: 'Hello from node [[sim:tokens=7]]' }],
  });
  assert.equal(message.type, 'message');
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.content[0].type, 'text');
  assert.equal(words(message.content[0].text), 7);
  assert.equal(message.usage.output_tokens, 7);
  assert.ok(message.usage.input_tokens > 0);
});

test('anthropic: a stream arrives in order, thinking then text, with the final usage', async () => {
  const stream = client.messages.stream({
    model: models.kimi,
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    messages: [{ role: 'user', content: 'Think then answer [[sim:reasoning=6]] [[sim:tokens=8]]' }],
  });
  const order = [];
  let thinking = '';
  let text = '';
  for await (const event of stream) {
    order.push(event.type);
    if (event.type === 'content_block_delta' && event.delta.type === 'thinking_delta') thinking += event.delta.thinking;
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
  }
  const message = await stream.finalMessage();
  assert.equal(order[0], 'message_start');
  assert.deepEqual(order.slice(-2), ['message_delta', 'message_stop']);
  assert.deepEqual(message.content.map((b) => b.type), ['thinking', 'text']);
  assert.equal(words(thinking), 6);
  assert.equal(words(text), 8);
  assert.equal(message.usage.output_tokens, 14);
  assert.ok(message.usage.input_tokens > 0);
  assert.equal(message.stop_reason, 'end_turn');
});

test('anthropic: a tool call round-trips (tool_use, tool_result, answer)', async () => {
  const messages = [{ role: 'user', content: 'Use get_weather for Nairobi' }];
  const first = await client.messages.create({ model: models.qwen, max_tokens: 1024, tools, messages });
  const call = first.content.find((b) => b.type === 'tool_use');
  assert.equal(first.stop_reason, 'tool_use');
  assert.equal(call.name, 'get_weather');
  assert.equal(typeof call.input.city, 'string');

  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '24 C, rain' }] });
  const second = await client.messages.create({ model: models.qwen, max_tokens: 1024, tools, messages });
  assert.equal(second.stop_reason, 'end_turn');
  assert.equal(second.content[0].type, 'text');
});

test('anthropic: a streamed tool call assembles into its input', async () => {
  const stream = client.messages.stream({
    model: models.qwen,
    max_tokens: 1024,
    tools,
    tool_choice: { type: 'tool', name: 'get_weather' },
    messages: [{ role: 'user', content: 'Use get_weather for Perth' }],
  });
  const message = await stream.finalMessage();
  const call = message.content.find((b) => b.type === 'tool_use');
  assert.equal(call.name, 'get_weather');
  assert.equal(typeof call.input.city, 'string');
  assert.equal(message.stop_reason, 'tool_use');
});

test('anthropic: count_tokens answers for a request', async () => {
  // The gateway's count, corrected by what the demo's simulated hosts report while the other test files run, so
  // only its order of magnitude and its growth with the input are fixed.
  const words = (n) => [{ role: 'user', content: Array(n).fill('hello').join(' ') }];
  const hundred = await client.messages.countTokens({ model: models.qwen, messages: words(100) });
  const thousand = await client.messages.countTokens({ model: models.qwen, messages: words(1000) });
  assert.ok(hundred.input_tokens >= 40 && hundred.input_tokens < 250, `input_tokens ${hundred.input_tokens}`);
  assert.ok(thousand.input_tokens > 5 * hundred.input_tokens, `${thousand.input_tokens} vs ${hundred.input_tokens}`);
});

test('anthropic: errors surface as typed exceptions with the gateway message', async () => {
  const wrongKey = new Anthropic({ baseURL: baseUrl, apiKey: 'sg-wrong', maxRetries: 0 });
  await assert.rejects(
    wrongKey.messages.create({ model: models.qwen, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof Anthropic.AuthenticationError && /x-api-key/.test(err.message),
  );
  await assert.rejects(
    client.messages.create({ model: 'no-such-model', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof Anthropic.NotFoundError && /Served models/.test(err.message),
  );
  await assert.rejects(
    client.messages.create({ model: models.qwen, max_tokens: 8, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }] }] }),
    (err) => err instanceof Anthropic.BadRequestError && /document/.test(err.message),
  );
});
