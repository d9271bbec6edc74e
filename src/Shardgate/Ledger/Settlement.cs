namespace Shardgate.Ledger;

/// <summary>What a settled request is charged, and the part of its usage the account could not cover.</summary>
internal readonly record struct Settlement(long Charged, long Shortfall);
