namespace Shardgate.Ledger;

/// <summary>One UTC day of one account on one model: served requests, tokens and ngonka charged.</summary>
internal sealed record SpendRow(string Date, long AccountId, string Model, long Requests, long InputTokens, long OutputTokens, long Cost);
