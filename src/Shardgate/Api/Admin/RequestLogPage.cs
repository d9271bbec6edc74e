using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Api.Admin;

/// <summary>A page of request-log rows; pass <see cref="Next"/> as <c>before</c> for the next page (null at the end).</summary>
internal sealed record RequestLogPage(IReadOnlyList<RequestLogEntry> Data, string? Next);
