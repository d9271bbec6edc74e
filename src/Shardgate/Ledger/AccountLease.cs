namespace Shardgate.Ledger;

/// <summary>
/// The part of one account's balance this replica holds. Reservations are carved from it in memory; settled
/// charges wait in <see cref="Pending"/> until the request-log writer commits them, which shrinks the lease.
/// </summary>
internal sealed class AccountLease
{
    public Lock Gate { get; } = new();

    /// <summary>Serializes trips to the database to grow or return the lease.</summary>
    public SemaphoreSlim Resize { get; } = new(1, 1);

    /// <summary>What the database holds for this replica.</summary>
    public long Amount { get; set; }

    /// <summary>Reservations of requests in flight.</summary>
    public long Held { get; set; }

    /// <summary>Charges settled in memory, not yet committed.</summary>
    public long Pending { get; set; }

    public long LastUsed { get; set; }

    public long Free => Amount - Held - Pending;
}
