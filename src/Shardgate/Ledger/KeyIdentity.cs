namespace Shardgate.Ledger;

/// <summary>Who is calling: the key and its account.</summary>
internal sealed record KeyIdentity(long KeyId, long AccountId, string DisplayPrefix, Ledger.KeyLimits Limits);
