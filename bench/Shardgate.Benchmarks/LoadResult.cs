namespace Shardgate.Benchmarks;

/// <summary>What one load run measured.</summary>
internal sealed record LoadResult(LatencyHistogram Latency, TimeSpan Elapsed, int Failures)
{
    public double PerSecond => Latency.Count / Elapsed.TotalSeconds;
}
