namespace Shardgate.Routing;

/// <summary>
/// Caps hedging at a fraction of requests: each streaming request earns the fraction of a credit, each hedge spends
/// one, and credits stop accruing at the burst (at least one hedge's worth). Over any stretch of traffic, hedges ≤ fraction × requests + burst,
/// so a slow network cannot double its own load through hedges (the retry-budget idea of Envoy and gRPC).
/// </summary>
internal sealed class HedgeBudget(HedgingOptions options)
{
    private const long CreditUnit = 1_000_000;
    private readonly long _perRequest = (long)(options.BudgetFraction * CreditUnit);
    private readonly long _cap = Math.Max(1, options.BudgetBurst) * CreditUnit;
    private long _credits = options.BudgetBurst * CreditUnit;

    public void OnRequest()
    {
        var current = Volatile.Read(ref _credits);
        while (current < _cap)
        {
            var seen = Interlocked.CompareExchange(ref _credits, Math.Min(_cap, current + _perRequest), current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public bool TryTake()
    {
        var current = Volatile.Read(ref _credits);
        while (current >= CreditUnit)
        {
            var seen = Interlocked.CompareExchange(ref _credits, current - CreditUnit, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Returns a credit taken for a hedge that could not start (no other host).</summary>
    public void Refund() => Interlocked.Add(ref _credits, CreditUnit);
}
