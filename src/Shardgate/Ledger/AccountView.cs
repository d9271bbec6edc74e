namespace Shardgate.Ledger;

/// <summary>
/// An account's money for display: <see cref="Balance"/> after every settled charge, <see cref="Reserved"/> held by
/// requests in flight, and <see cref="Leased"/> moved into replicas' leases (a part of the balance, not spent).
/// </summary>
internal readonly record struct AccountView(long Balance, long Reserved, long Leased)
{
    public long Available => Balance - Reserved;
}
