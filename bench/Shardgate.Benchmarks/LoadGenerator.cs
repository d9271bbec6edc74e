using System.Diagnostics;

namespace Shardgate.Benchmarks;

/// <summary>
/// Closed loop (a fixed number of workers, each sending its next request when the last one ends) and open loop
/// (requests start on a fixed schedule whatever the server does; latency is measured from the scheduled start, so a
/// stalled server shows up instead of slowing the generator: no coordinated omission). Both are bounded.
/// </summary>
internal static class LoadGenerator
{
    /// <summary>Runs <paramref name="send"/> on <paramref name="concurrency"/> workers for <paramref name="duration"/>.</summary>
    public static async Task<LoadResult> ClosedLoopAsync(Func<Task<bool>> send, int concurrency, TimeSpan duration)
    {
        var histogram = new LatencyHistogram();
        var failures = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < stopAt)
                {
                    var t = Stopwatch.GetTimestamp();
                    if (!await send())
                    {
                        Interlocked.Increment(ref failures);
                    }

                    histogram.RecordMilliseconds(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            });
        }

        await Task.WhenAll(workers);
        return new LoadResult(histogram, Stopwatch.GetElapsedTime(started), failures);
    }

    /// <summary>Starts requests at <paramref name="perSecond"/> for <paramref name="duration"/>, at most <paramref name="maxOutstanding"/> at once.</summary>
    public static async Task<LoadResult> OpenLoopAsync(Func<Task<bool>> send, double perSecond, TimeSpan duration, int maxOutstanding = 4096)
    {
        var histogram = new LatencyHistogram();
        var failures = 0;
        var total = (int)(perSecond * duration.TotalSeconds);
        var interval = Stopwatch.Frequency / perSecond;
        var started = Stopwatch.GetTimestamp();
        using var outstanding = new SemaphoreSlim(maxOutstanding);
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var scheduled = started + (long)(i * interval);
            // Sleep when the next start is over a millisecond away, else start it now: spinning for sub-millisecond
            // precision would take a core from the server on a small machine. Latency still counts from the schedule.
            var wait = scheduled - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            await outstanding.WaitAsync();
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    if (!await send())
                    {
                        Interlocked.Increment(ref failures);
                    }

                    histogram.RecordMilliseconds((Stopwatch.GetTimestamp() - scheduled) * 1000.0 / Stopwatch.Frequency);
                }
                finally
                {
                    outstanding.Release();
                }
            }));
        }

        await Task.WhenAll(inFlight);
        return new LoadResult(histogram, Stopwatch.GetElapsedTime(started), failures);
    }
}
