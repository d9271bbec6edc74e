using Shardgate.Ledger;

namespace Shardgate.Ledger;

/// <summary>Balances, prices, append-only ledger entries and replicas' balance leases.</summary>
internal interface ILedgerStore
{
    Task<AccountBalance?> GetBalanceAsync(long accountId, CancellationToken cancellationToken);

    /// <summary>Adds (or, negative, removes) money with a ledger entry; a debit never takes the available balance below zero.</summary>
    Task<(AccountBalance? Balance, bool Refused)> AdjustAsync(long accountId, long amount, string kind, CancellationToken cancellationToken);

    /// <summary>Moves up to <paramref name="amount"/> of available balance into this owner's lease; returns what was taken (0 when nothing is available).</summary>
    Task<long> TakeLeaseAsync(string owner, long accountId, long amount, long minimum, CancellationToken cancellationToken);

    /// <summary>Gives <paramref name="amount"/> of this owner's lease back to the account.</summary>
    Task ReturnLeaseAsync(string owner, long accountId, long amount, CancellationToken cancellationToken);

    /// <summary>
    /// Marks this owner's leases alive, and returns to their accounts the leases of other owners not marked for
    /// <paramref name="timeout"/> (a replica that crashed and never came back); returns how much was released.
    /// </summary>
    Task<long> RenewLeasesAsync(string owner, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Releases every lease of this owner (left behind by a crash); returns how much was released.</summary>
    Task<long> ReleaseAllLeasesAsync(string owner, CancellationToken cancellationToken);

    Task SetPriceAsync(Price price, CancellationToken cancellationToken);

    Task<IReadOnlyList<Price>> ListPricesAsync(CancellationToken cancellationToken);
}
