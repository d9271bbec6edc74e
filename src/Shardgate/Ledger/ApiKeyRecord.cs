namespace Shardgate.Ledger;

/// <summary>A stored API key: never the key itself, only its hash and a short prefix to recognise it by.</summary>
internal sealed record ApiKeyRecord(long Id, long AccountId, byte[] Hash, string DisplayPrefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, KeyLimits Limits)
{
    public bool IsRevoked => RevokedAt is not null;
}
