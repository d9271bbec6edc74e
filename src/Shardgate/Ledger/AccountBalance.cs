namespace Shardgate.Ledger;

/// <summary>An account's settled balance and the part of it held by replicas' leases.</summary>
internal sealed record AccountBalance(long AccountId, long Balance, long Reserved)
{
    public long Available => Balance - Reserved;
}
