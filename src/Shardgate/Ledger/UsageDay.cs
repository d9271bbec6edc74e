namespace Shardgate.Ledger;

/// <summary>
/// One UTC day of one model, for a key, an account or the whole gateway. <see cref="Requests"/> counts requests a
/// host served (completed, cut short, or left by a client after a host answered); <see cref="Rejected"/> counts the
/// rest (refused by the contract, a limit or the balance, or no host could serve), which cost nothing.
/// </summary>
internal sealed record UsageDay(string Date, string Model, long Requests, long Rejected, long InputTokens, long OutputTokens, long Cost);
