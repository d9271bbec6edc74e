import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { apiKey, baseUrl, models, weatherSchema, words } from './gateway.mjs';

const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey, maxRetries: 0 });
const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: weatherSchema } }];

test('openai: completes a chat', async () => {
  const completion = await client.chat.completions.create({
    model: models.qwen,
    messages: [{ role: 'user', content: 'Hello from node [[sim:tokens=6]]' }],
  });
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.equal(words(completion.choices[0].message.content), 6);
  assert.equal(completion.usage.completion_tokens, 6);
});

test('openai: a stream delivers every token, then the usage, with no malformed chunk', async () => {
  const stream = await client.chat.completions.create({
    model: models.qwen,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Stream to node [[sim:tokens=10]]' }],
  });
  let text = '';
  let usage = null;
  let finish = null;
  for await (const chunk of stream) {
    assert.equal(usage, null, 'no chunk may follow the usage chunk');
    if (chunk.usage) {
      usage = chunk.usage;
      continue;
    }
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(finish, 'stop');
  assert.equal(words(text), 10);
  assert.equal(usage.completion_tokens, 10);
});

test('openai: Kimi reasoning is visible as reasoning_content in the stream', async () => {
  const stream = await client.chat.completions.create({
    model: models.kimi,
    stream: true,
    max_tokens: 2048,
    messages: [{ role: 'user', content: 'Think first [[sim:reasoning=5]] [[sim:tokens=4]]' }],
  });
  let reasoning = '';
  let text = '';
  for await (const chunk of stream) {
    reasoning += chunk.choices[0]?.delta?.reasoning_content ?? '';
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.equal(words(reasoning), 5);
  assert.equal(words(text), 4);
});

test('openai: a tool call round-trips (call, result, answer)', async () => {
  const messages = [{ role: 'user', content: 'Use get_weather for Cairo' }];
  const first = await client.chat.completions.create({ model: models.qwen, messages, tools, max_tokens: 1024 });
  const call = first.choices[0].message.tool_calls[0];
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  assert.equal(call.function.name, 'get_weather');
  assert.equal(typeof JSON.parse(call.function.arguments).city, 'string');

  messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '35 C, dry' });
  const second = await client.chat.completions.create({ model: models.qwen, messages, tools, max_tokens: 1024 });
  assert.equal(second.choices[0].finish_reason, 'stop');
  assert.ok(second.choices[0].message.content.length > 0);
});

test('openai: errors surface as typed exceptions with the gateway message', async () => {
  const wrongKey = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'sg-wrong', maxRetries: 0 });
  await assert.rejects(
    wrongKey.chat.completions.create({ model: models.qwen, messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof OpenAI.AuthenticationError && err.status === 401,
  );
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof OpenAI.NotFoundError && /Served models/.test(err.message),
  );
  await assert.rejects(
    client.chat.completions.create({ model: models.qwen, messages: [{ role: 'user', content: 'hi' }], max_tokens: -5 }),
    (err) => err instanceof OpenAI.BadRequestError && /max_tokens/.test(err.message),
  );
});
