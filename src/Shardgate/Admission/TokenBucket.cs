namespace Shardgate.Admission;

/// <summary>
/// A token bucket refilled lazily from a <see cref="TimeProvider"/>: full at <see cref="Capacity"/>, so a limit of
/// N per minute admits a burst of N and then one per 60/N seconds. Not thread-safe; callers hold a lock.
/// </summary>
internal sealed class TokenBucket(double capacity, double perSecond, TimeProvider time)
{
    private double _tokens = capacity;
    private long _last = time.GetTimestamp();

    public double Capacity { get; } = capacity;

    public double Available
    {
        get
        {
            Refill();
            return _tokens;
        }
    }

    /// <summary>Takes <paramref name="amount"/> or says how long until it could.</summary>
    public bool TryTake(double amount, out TimeSpan retryAfter)
    {
        Refill();
        if (_tokens >= amount)
        {
            _tokens -= amount;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((amount - _tokens) / perSecond);
        return false;
    }

    /// <summary>Adjusts after the fact (a refund when a request used less than estimated); may go below zero as debt.</summary>
    public void Add(double amount)
    {
        Refill();
        _tokens = Math.Min(Capacity, _tokens + amount);
    }

    /// <summary>Time until the bucket is full again.</summary>
    public TimeSpan UntilFull => TimeSpan.FromSeconds(Math.Max(0, Capacity - Available) / perSecond);

    private void Refill()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(Capacity, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * perSecond));
        _last = now;
    }
}
