import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { answeredRows, baseUrl, models, newKey, sum, words } from './gateway.mjs';

// The Vercel AI SDK's OpenAI-compatible provider, configured as docs/clients.md says.
async function provider(name) {
  const { key, keyId } = await newKey(name);
  const shardgate = createOpenAICompatible({
    name: 'shardgate',
    baseURL: `${baseUrl}/v1`,
    apiKey: key,
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
  return { model: shardgate(models.qwen), keyId };
}

async function assertLogged(keyId, turns, usage) {
  const rows = await answeredRows(keyId, turns, '/v1/chat/completions');
  assert.equal(sum(rows, 'prompt_tokens'), usage.inputTokens);
  assert.equal(sum(rows, 'completion_tokens'), usage.outputTokens);
}

test('ai sdk: generateText answers with usage', async () => {
  const { model, keyId } = await provider('ai-sdk text');
  const result = await generateText({ model, prompt: 'Hello from the AI SDK [[sim:tokens=7]]', maxRetries: 0 });

  assert.equal(words(result.text), 7);
  assert.equal(result.finishReason, 'stop');
  assert.equal(result.usage.outputTokens, 7);
  await assertLogged(keyId, 1, result.usage);
});

test('ai sdk: streamText streams the answer, then the usage', async () => {
  const { model, keyId } = await provider('ai-sdk stream');
  const result = streamText({ model, prompt: 'Stream from the AI SDK [[sim:tokens=11]]', maxRetries: 0 });
  let text = '';
  for await (const delta of result.textStream) text += delta;
  const usage = await result.usage;

  assert.equal(words(text), 11);
  assert.equal(usage.outputTokens, 11);
  await assertLogged(keyId, 1, usage);
});

test('ai sdk: tool steps call the tool, run it and answer from its result', async () => {
  const { model, keyId } = await provider('ai-sdk tools');
  const calls = [];
  const result = await generateText({
    model,
    prompt: 'Use get_weather for Oslo',
    tools: {
      get_weather: tool({
        description: 'Weather for a city',
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          calls.push(city);
          return `It is sunny in ${city}.`;
        },
      }),
    },
    stopWhen: stepCountIs(3),
    maxRetries: 0,
  });

  assert.equal(calls.length, 1);
  assert.equal(result.steps.length, 2);
  assert.equal(result.steps[0].finishReason, 'tool-calls');
  assert.equal(result.steps[0].toolResults[0].output, `It is sunny in ${calls[0]}.`);
  assert.equal(result.finishReason, 'stop');
  assert.ok(words(result.text) > 0);
  await assertLogged(keyId, 2, result.totalUsage);
});

test('ai sdk: generateObject returns an object that fits the schema', async () => {
  const { model, keyId } = await provider('ai-sdk object');
  const schema = z.object({ city: z.string(), population: z.number().int(), tags: z.array(z.string()) });
  const result = await generateObject({ model, schema, prompt: 'Describe a city', maxRetries: 0 });

  assert.deepEqual(schema.parse(result.object), result.object);
  assert.ok(result.usage.outputTokens > 0);
  await assertLogged(keyId, 1, result.usage);
});
