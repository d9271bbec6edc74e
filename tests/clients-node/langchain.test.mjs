import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { answeredRows, baseUrl, logRows, models, newKey, sum, words } from './gateway.mjs';

// LangChain JS's ChatOpenAI, configured as docs/clients.md says: the OpenAI base URL and a Shardgate key.
async function chat(name, options = {}) {
  const { key, keyId } = await newKey(name);
  const model = new ChatOpenAI({ model: models.qwen, apiKey: key, configuration: { baseURL: `${baseUrl}/v1` }, maxRetries: 0, ...options });
  return { model, keyId };
}

async function assertLogged(keyId, turns, usage) {
  const rows = await answeredRows(keyId, turns, '/v1/chat/completions');
  if (usage) {
    assert.equal(sum(rows, 'prompt_tokens'), usage.input_tokens);
    assert.equal(sum(rows, 'completion_tokens'), usage.output_tokens);
  }
}

const weather = tool(async ({ city }) => `It is sunny in ${city}.`, {
  name: 'get_weather',
  description: 'Weather for a city',
  schema: z.object({ city: z.string() }),
});

test('langchain: invoke answers with usage metadata', async () => {
  const { model, keyId } = await chat('langchain invoke');
  const message = await model.invoke('Hello from LangChain [[sim:tokens=6]]');

  assert.equal(words(message.content), 6);
  assert.equal(message.usage_metadata.output_tokens, 6);
  assert.ok(message.usage_metadata.input_tokens > 0);
  await assertLogged(keyId, 1, message.usage_metadata);
});

test('langchain: stream yields chunks that add up to the answer and its usage', async () => {
  const { model, keyId } = await chat('langchain stream', { streamUsage: true });
  let full;
  for await (const chunk of await model.stream('Stream from LangChain [[sim:tokens=10]]')) {
    full = full === undefined ? chunk : full.concat(chunk);
  }

  assert.equal(words(full.content), 10);
  assert.equal(full.usage_metadata.output_tokens, 10);
  await assertLogged(keyId, 1, full.usage_metadata);
});

test('langchain: bindTools calls the tool, and the result goes back for an answer', async () => {
  const { model, keyId } = await chat('langchain tools');
  const withTools = model.bindTools([weather]);
  const question = new HumanMessage('Use get_weather for Oslo');
  const call = await withTools.invoke([question]);

  assert.equal(call.tool_calls.length, 1);
  assert.equal(call.tool_calls[0].name, 'get_weather');
  assert.equal(typeof call.tool_calls[0].args.city, 'string');
  const result = await weather.invoke(call.tool_calls[0]);
  assert.ok(result instanceof ToolMessage);
  const answer = await withTools.invoke([question, call, result]);

  assert.equal(answer.tool_calls.length, 0);
  assert.ok(words(answer.content) > 0);
  await assertLogged(keyId, 2);
});

const Answer = z.object({ answer: z.string() });
const City = z.object({ city: z.string(), population: z.number().int(), coastal: z.boolean() });

for (const [method, schema] of [
  ['jsonSchema', City],
  ['functionCalling', City],
  // jsonMode sends no schema (response_format json_object), so the answer is the host's {"answer": …} object.
  ['jsonMode', Answer],
]) {
  test(`langchain: withStructuredOutput (${method}) parses into the schema`, async () => {
    const { model, keyId } = await chat(`langchain structured ${method}`);
    const structured = model.withStructuredOutput(schema, { method, name: 'report' });
    const value = await structured.invoke('Describe a city as JSON');

    assert.deepEqual(schema.parse(value), value);
    await assertLogged(keyId, 1);
  });
}

test('langchain: tool_choice "any" gets a tool call even where the prompt names no tool', async () => {
  const { model, keyId } = await chat('langchain any');
  const time = tool(async () => 'noon', { name: 'get_time', description: 'The time', schema: z.object({ zone: z.string() }) });
  // Qwen's hosts cannot force a call; the gateway emulates "required" (docs/contract.md#invalid_tool_choice).
  const call = await model.bindTools([weather, time], { tool_choice: 'any' }).invoke('What should I know before going out?');

  assert.equal(call.tool_calls.length, 1);
  assert.ok(['get_weather', 'get_time'].includes(call.tool_calls[0].name));
  const [row] = await logRows(keyId, 1);
  assert.equal(row.attempts, 2);
  assert.ok(row.completion_tokens > call.usage_metadata.output_tokens, 'the held-back text answer is charged too');
});
