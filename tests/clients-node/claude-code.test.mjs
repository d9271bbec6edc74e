import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answeredRows, baseUrl, newKey, sum } from './gateway.mjs';
import { jsonLines, run, tempDir } from './cli.mjs';

// Claude Code itself (`claude -p`), pointed at the gateway the way the demo banner says, with no network beyond
// loopback: telemetry and non-essential traffic (update checks, feedback) off, and its own home folder.
const claude = new URL('./node_modules/.bin/claude', import.meta.url).pathname;

async function claudeP(prompt, { key, args = [], model, cwd = tempDir('sg-claude-work-') }) {
  const env = {
    HOME: tempDir('sg-claude-home-'),
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_AUTH_TOKEN: key,
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  if (model) env.ANTHROPIC_MODEL = model;
  const result = await run(claude, ['-p', prompt, ...args], { cwd, env });
  assert.equal(result.code, 0, `claude exited ${result.code}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/**
 * Claude Code's own usage figures (its `modelUsage`, summed over the turns) agree with
 * the gateway's rows, and every row came through /v1/messages.
 */
async function assertLogged(keyId, result, turns) {
  const usage = Object.values(result.modelUsage);
  const rows = await answeredRows(keyId, turns, '/v1/messages');
  assert.ok(rows.every((row) => row.cost > 0));
  // Anthropic's input_tokens leave out the prefix-cache hits, which come as cache_read_input_tokens.
  assert.equal(sum(rows, 'prompt_tokens'), sum(usage, 'inputTokens') + sum(usage, 'cacheReadInputTokens'));
  assert.equal(sum(rows, 'completion_tokens'), sum(usage, 'outputTokens'));
  return rows;
}

test('claude code: -p answers, with its default model name served through the demo alias', async () => {
  const { key, keyId } = await newKey('claude-code answer');
  const result = JSON.parse(await claudeP('Say hello [[sim:tokens=7]]', { key, args: ['--output-format', 'json'] }));

  assert.equal(result.is_error, false);
  assert.equal(result.num_turns, 1);
  assert.ok(result.result.trim().split(' ').length >= 7);
  const [row] = await assertLogged(keyId, result, 1);
  // No ANTHROPIC_MODEL: Claude Code asks for its own claude-opus-* name, which the demo aliases to Kimi.
  assert.equal(Object.keys(result.modelUsage).filter((m) => m.startsWith('claude-opus-')).length, 1);
  assert.equal(row.model, 'moonshotai/Kimi-K2.6');
});

test('claude code: the Read tool round trip reads a real file', async () => {
  const { key, keyId } = await newKey('claude-code read');
  const work = tempDir('sg-claude-read-');
  const file = join(work, 'notes.txt');
  writeFileSync(file, 'The secret word is pelican.\n');
  const out = await claudeP(`Use the Read tool on the notes. [[sim:args={"file_path": "${file}"}]]`, {
    key,
    cwd: work,
    model: 'moonshotai/Kimi-K2.6',
    args: ['--output-format', 'stream-json', '--verbose', '--allowedTools', 'Read'],
  });
  const events = jsonLines(out);
  const blocks = events.filter((e) => e.type === 'assistant' || e.type === 'user').flatMap((e) => e.message.content);
  const call = blocks.find((b) => b.type === 'tool_use');
  const answer = blocks.find((b) => b.type === 'tool_result');
  const result = events.find((e) => e.type === 'result');

  assert.equal(call.name, 'Read');
  assert.equal(call.input.file_path, file);
  assert.equal(answer.tool_use_id, call.id);
  assert.match(JSON.stringify(answer.content), /pelican/);
  assert.equal(result.subtype, 'success');
  assert.equal(result.num_turns, 2);
  assert.match(result.result, /tool result/);
  await assertLogged(keyId, result, 2);
});

test('claude code: a streamed answer arrives as text deltas', async () => {
  const { key, keyId } = await newKey('claude-code stream');
  const out = await claudeP('Stream a short answer [[sim:tokens=12]]', {
    key,
    model: 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8',
    args: ['--output-format', 'stream-json', '--verbose', '--include-partial-messages'],
  });
  const events = jsonLines(out);
  const deltas = events
    .filter((e) => e.type === 'stream_event' && e.event.type === 'content_block_delta' && e.event.delta.type === 'text_delta')
    .map((e) => e.event.delta.text);
  const result = events.find((e) => e.type === 'result');

  assert.ok(deltas.length >= 12, `only ${deltas.length} text deltas`);
  assert.equal(deltas.join('').trim(), result.result.trim());
  await assertLogged(keyId, result, 1);
});
