import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answeredRows, baseUrl, newKey, sum } from './gateway.mjs';
import { jsonLines, run, tempDir } from './cli.mjs';

// Codex itself (`codex exec`), with the provider block the demo banner prints in a CODEX_HOME of its own.
const codex = new URL('./node_modules/.bin/codex', import.meta.url).pathname;

function codexHome() {
  const home = tempDir('sg-codex-home-');
  writeFileSync(
    join(home, 'config.toml'),
    `model = "moonshotai/Kimi-K2.6"
model_provider = "shardgate"
web_search = "disabled"

[features]
multi_agent = false

[model_providers.shardgate]
name = "Shardgate"
base_url = "${baseUrl}/v1"
env_key = "SHARDGATE_API_KEY"
wire_api = "responses"
`,
  );
  return home;
}

async function codexExec(prompt, { key, cwd = tempDir('sg-codex-work-') }) {
  const result = await run(codex, ['exec', '--skip-git-repo-check', '--json', prompt], {
    cwd,
    env: { CODEX_HOME: codexHome(), SHARDGATE_API_KEY: key },
  });
  assert.equal(result.code, 0, `codex exited ${result.code}: ${result.stderr}${result.stdout}`);
  const events = jsonLines(result.stdout);
  const failure = events.find((e) => e.type === 'turn.failed' || e.type === 'error');
  assert.equal(failure, undefined, JSON.stringify(failure));
  return events;
}

/** Codex's reported usage agrees with the gateway's rows, and every row came through /v1/responses. */
async function assertLogged(keyId, events, turns) {
  const usage = events.filter((e) => e.type === 'turn.completed').map((e) => e.usage);
  const rows = await answeredRows(keyId, turns, '/v1/responses');
  assert.ok(rows.every((row) => row.model === 'moonshotai/Kimi-K2.6'));
  assert.equal(sum(rows, 'prompt_tokens'), sum(usage, 'input_tokens'));
  assert.equal(sum(rows, 'completion_tokens'), sum(usage, 'output_tokens'));
}

test('codex: exec answers over the Responses API', async () => {
  const { key, keyId } = await newKey('codex answer');
  const events = await codexExec('Say hello [[sim:tokens=9]]', { key });
  const message = events.find((e) => e.type === 'item.completed' && e.item.type === 'agent_message');

  assert.equal(message.item.text.trim().split(' ').length, 9);
  await assertLogged(keyId, events, 1);
});

test('codex: the shell tool round trip runs a command and answers from its output', async () => {
  const { key, keyId } = await newKey('codex shell');
  const work = tempDir('sg-codex-shell-');
  writeFileSync(join(work, 'notes.txt'), 'The secret word is heron.\n');
  const events = await codexExec('Use exec_command to show the notes. [[sim:args={"cmd": "cat notes.txt"}]]', { key, cwd: work });
  const command = events.find((e) => e.type === 'item.completed' && e.item.type === 'command_execution');
  const message = events.find((e) => e.type === 'item.completed' && e.item.type === 'agent_message');

  assert.match(command.item.command, /cat notes\.txt/);
  assert.equal(command.item.exit_code, 0);
  assert.match(command.item.aggregated_output, /heron/);
  assert.match(message.item.text, /tool result/);
  await assertLogged(keyId, events, 2);
});
