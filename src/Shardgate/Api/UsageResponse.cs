using Shardgate.Ledger;

namespace Shardgate.Api;

/// <summary><c>GET /v1/usage</c>: the calling key's totals per day and model, and its account's balance.</summary>
internal sealed record UsageResponse(long Balance, IReadOnlyList<UsageDay> Data);
