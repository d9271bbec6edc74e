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
