namespace Shardgate.Routing;

/// <summary>A ring of recent latency samples whose p95 is recomputed every few samples, not per request.</summary>
internal sealed class LatencyWindow(int size)
{
    private const int RecomputeEvery = 8;
    private readonly double[] _samples = new double[size];
    private readonly Lock _lock = new();
    private long _count;
    private double _p95 = double.NaN;

    /// <summary>Null until the window has had its minimum number of samples.</summary>
    public double? P95Ms
    {
        get
        {
            var p95 = Volatile.Read(ref _p95);
            return double.IsNaN(p95) ? null : p95;
        }
    }

    public void Add(double ms, int minSamples)
    {
        lock (_lock)
        {
            _samples[(int)(_count % _samples.Length)] = ms;
            _count++;
            if (_count < minSamples || (_count % RecomputeEvery != 0 && _count != minSamples))
            {
                return;
            }

            var n = (int)Math.Min(_count, _samples.Length);
            Span<double> sorted = n <= 256 ? stackalloc double[n] : new double[n];
            _samples.AsSpan(0, n).CopyTo(sorted);
            sorted.Sort();
            Volatile.Write(ref _p95, sorted[Math.Min(n - 1, (int)Math.Ceiling(n * 0.95) - 1)]);
        }
    }
}
