using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Observability;

namespace Shardgate.Ledger;

/// <summary>
/// Reserves and settles money without touching the account's row per request. Each replica leases a block of an
/// account's available balance (one atomic database step that cannot overdraw); requests reserve against the
/// lease in memory under a per-account lock, so admission is exact within a replica; charges are committed in
/// batches with the request log, which shrinks the lease. Idle leases go back to the account. See docs/ledger.md.
/// </summary>
internal sealed class BalanceLedger(ILedgerStore store, LedgerOptions options, TimeProvider time, ILogger<BalanceLedger> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, AccountLease> _leases = new();
    private long _openReservations;

    /// <summary>Reservations held by requests in flight here, not yet settled.</summary>
    public long OpenReservations => Interlocked.Read(ref _openReservations);

    public async ValueTask<ReservationOutcome> ReserveAsync(long accountId, long amount, CancellationToken cancellationToken)
    {
        var lease = _leases.GetOrAdd(accountId, static _ => new AccountLease());
        if (TryHold(lease, amount))
        {
            return Reserved(accountId, amount);
        }

        await lease.Resize.WaitAsync(cancellationToken);
        try
        {
            if (TryHold(lease, amount))
            {
                return Reserved(accountId, amount);
            }

            long missing;
            lock (lease.Gate)
            {
                missing = amount - lease.Free;
            }

            var taken = await store.TakeLeaseAsync(options.Owner, accountId, Math.Max(missing, options.LeaseChunk), missing, cancellationToken);
            if (taken == 0)
            {
                var balance = await store.GetBalanceAsync(accountId, cancellationToken);
                return new ReservationOutcome(null, balance);
            }

            lock (lease.Gate)
            {
                lease.Amount += taken;
                lease.Held += amount;
                lease.LastUsed = time.GetTimestamp();
            }

            return Reserved(accountId, amount);
        }
        finally
        {
            lease.Resize.Release();
        }
    }

    private ReservationOutcome Reserved(long accountId, long amount)
    {
        Interlocked.Increment(ref _openReservations);
        return new ReservationOutcome(new Reservation(accountId, amount), null);
    }

    /// <summary>
    /// Turns a reservation into a charge of <paramref name="cost"/>. The charge may use the lease's free money
    /// beyond the reservation, never more: anything the account cannot cover is reported as shortfall, so the
    /// balance can never go negative.
    /// </summary>
    public Settlement Settle(Reservation reservation, long cost)
    {
        var lease = _leases[reservation.AccountId];
        Interlocked.Decrement(ref _openReservations);
        lock (lease.Gate)
        {
            lease.Held -= reservation.Amount;
            var coverable = Math.Max(0, lease.Free);
            var charged = Math.Min(Math.Max(cost, 0), coverable);
            lease.Pending += charged;
            lease.LastUsed = time.GetTimestamp();
            return new Settlement(charged, Math.Max(cost, 0) - charged);
        }
    }

    /// <summary>
    /// Called by the writer for a settled charge: <paramref name="committed"/> of it reached the database (the lease
    /// shrinks by that), the rest of <paramref name="pending"/> was lost and returns to the lease's free money.
    /// </summary>
    public void OnCommitted(long accountId, long committed, long pending)
    {
        if (_leases.TryGetValue(accountId, out var lease))
        {
            lock (lease.Gate)
            {
                lease.Pending -= pending;
                lease.Amount -= committed;
            }
        }
    }

    /// <summary>
    /// The account as people mean it: the balance less charges settled here but not yet committed, and the money
    /// held by requests in flight here. The database's <c>reserved</c> is the replicas' leases, shown as leased.
    /// </summary>
    public AccountView View(AccountBalance stored)
    {
        long held = 0, pending = 0;
        if (_leases.TryGetValue(stored.AccountId, out var lease))
        {
            lock (lease.Gate)
            {
                held = lease.Held;
                pending = lease.Pending;
            }
        }

        return new AccountView(stored.Balance - pending, held, stored.Reserved);
    }

    public async Task ReleaseCrashLeftoversAsync(CancellationToken cancellationToken)
    {
        var released = await store.ReleaseAllLeasesAsync(options.Owner, cancellationToken);
        if (released > 0)
        {
            GatewayLog.LeftoverLeasesReleased(logger, released, options.Owner);
        }

        await RenewAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await ReturnIdleAsync(TimeSpan.Zero, CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.LeaseIdle / 2, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReturnIdleAsync(options.LeaseIdle, stoppingToken);
                await RenewAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Keeps this replica's leases alive and returns those of replicas silent past <see cref="LedgerOptions.OwnerTimeout"/>.</summary>
    internal async Task RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            var released = await store.RenewLeasesAsync(options.Owner, options.OwnerTimeout, cancellationToken);
            if (released > 0)
            {
                GatewayLog.SilentLeasesReleased(logger, released, options.OwnerTimeout.TotalSeconds);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick tries again; until then this replica's leases age, never longer than the timeout allows.
            GatewayLog.LeaseRenewalFailed(logger, ex);
        }
    }

    private async Task ReturnIdleAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        foreach (var (accountId, lease) in _leases)
        {
            long amount;
            lock (lease.Gate)
            {
                if (lease.Held != 0 || lease.Pending != 0 || lease.Amount <= 0 || time.GetElapsedTime(lease.LastUsed) < idle)
                {
                    continue;
                }

                amount = lease.Amount;
                lease.Amount = 0;
            }

            try
            {
                await store.ReturnLeaseAsync(options.Owner, accountId, amount, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The money stays leased in the database; the next start releases it.
                GatewayLog.LeaseReturnFailed(logger, ex, accountId);
            }
        }
    }

    private bool TryHold(AccountLease lease, long amount)
    {
        lock (lease.Gate)
        {
            if (lease.Free < amount)
            {
                return false;
            }

            lease.Held += amount;
            lease.LastUsed = time.GetTimestamp();
            return true;
        }
    }
}
