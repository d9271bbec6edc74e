namespace Shardgate.Ledger;

/// <summary>Money settings (section <c>Shardgate:Ledger</c>). All amounts are integer ngonka (1 GNK = 10^9 ngonka).</summary>
internal sealed record LedgerOptions
{
    /// <summary>Credited to every new account.</summary>
    public long FreeGrant { get; init; }

    /// <summary>
    /// The least a replica takes from an account's balance into its local lease at once; requests are then reserved
    /// against the lease in memory, so the account's row is written per lease, not per request.
    /// </summary>
    public long LeaseChunk { get; init; } = 100_000_000;

    /// <summary>A lease unused this long goes back to the account, so other replicas can use the money.</summary>
    public TimeSpan LeaseIdle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Identifies this replica's leases; leases of this owner found at start are left from a crash and released.</summary>
    public string Owner { get; init; } = "local";
}
