using Shardgate.Ledger;

namespace Shardgate.Api.Admin;

/// <summary><c>GET /admin/v1/usage</c>: totals per UTC day and model, newest first.</summary>
internal sealed record UsageRollup(IReadOnlyList<UsageDay> Data);
