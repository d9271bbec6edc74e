namespace Shardgate.Ledger;

/// <summary>Money held for one request until it settles.</summary>
internal sealed record Reservation(long AccountId, long Amount);
