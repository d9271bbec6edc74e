import assert from 'node:assert/strict';

// Where the gateway under test runs: run.sh starts `shardgate demo` (simulated hosts) and exports these.
export const baseUrl = process.env.SHARDGATE_URL;
export const apiKey = process.env.SHARDGATE_KEY;
if (!baseUrl || !apiKey) {
  throw new Error('Set SHARDGATE_URL and SHARDGATE_KEY (run.sh does it), e.g. from `shardgate demo`.');
}

export const models = {
  kimi: 'moonshotai/Kimi-K2.6',
  qwen: 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8',
  // Only the failure tests use it: a stalled stream quarantines its host, and no other test must meet that.
  minimax: 'MiniMaxAI/MiniMax-M2.7',
};

export const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
};

export const words = (text) => text.split(' ').filter((w) => w.length > 0).length;

// The real-client tests (Claude Code, Codex, LangChain, the AI SDK) each use a key of their own, so the request log's
// rows for a test are exactly the requests its client made.
export const adminKey = process.env.SHARDGATE_ADMIN_KEY;

async function admin(path, body) {
  const response = await fetch(`${baseUrl}/admin/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A new account credited with 5 GNK and a key for it: `{ key, keyId }`. */
export async function newKey(name) {
  if (!adminKey) throw new Error('Set SHARDGATE_ADMIN_KEY (run.sh does it) for the real-client tests.');
  const account = await admin('/accounts', { name });
  await admin(`/accounts/${account.id}/credit`, { amount: 5_000_000_000 });
  const key = await admin(`/accounts/${account.id}/keys`, {});
  return { key: key.key, keyId: key.id };
}

/**
 * The key's request-log rows, oldest first, once `count` of them are written (the log is written behind the
 * answer). Bounded: gives up after 200 reads, 50 ms apart.
 */
export async function logRows(keyId, count) {
  let rows = [];
  for (let i = 0; i < 200; i++) {
    rows = (await admin(`/requests?key_id=${keyId}&limit=100`)).data;
    if (rows.length >= count) return rows.reverse();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`only ${rows.length} of ${count} request-log rows for key ${keyId}`);
}

/** The key's `turns` rows, each answered 200 through `endpoint`. */
export async function answeredRows(keyId, turns, endpoint) {
  const rows = await logRows(keyId, turns);
  assert.equal(rows.length, turns);
  for (const row of rows) {
    assert.equal(row.endpoint, endpoint);
    assert.equal(row.status, 200);
  }
  return rows;
}

export const sum = (rows, field) => rows.reduce((total, row) => total + row[field], 0);
