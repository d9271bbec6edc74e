using System.Collections.Concurrent;
using System.Numerics;

namespace Shardgate.Routing;

/// <summary>
/// Recent times to first content per model and prompt-size bucket, and the hedge deadline they give: the bucket's
/// p95 once it holds enough samples, before that the network gateway's static curve
/// <c>max(1 s, 1.7 s + 3e-5·L s + 5e-10·L² s)</c> for a body of L bytes (reference §4.5). Buckets double in size
/// from 8 KiB, because prefill time grows with the prompt: a 200 KB prompt is not late by a 2 KB prompt's standard.
/// </summary>
internal sealed class FirstTokenLatency(HedgingOptions options)
{
    private const int Buckets = 16;
    private readonly ConcurrentDictionary<string, LatencyWindow[]> _models = new(StringComparer.Ordinal);

    public void Record(string model, long promptBytes, TimeSpan firstContent)
    {
        var windows = _models.GetOrAdd(model, static (_, size) => NewWindows(size), options.WindowSamples);
        windows[Bucket(promptBytes)].Add(firstContent.TotalMilliseconds, options.MinSamples);
    }

    /// <summary>How long to wait for the first content of a prompt this size before hedging.</summary>
    public TimeSpan HedgeDelay(string model, long promptBytes)
    {
        var delay = _models.TryGetValue(model, out var windows) && windows[Bucket(promptBytes)].P95Ms is { } p95
            ? TimeSpan.FromMilliseconds(p95)
            : StaticDelay(promptBytes);
        if (options.MaxDelay is { } max && delay > max)
        {
            delay = max;
        }

        return delay < options.MinDelay ? options.MinDelay : delay;
    }

    public static TimeSpan StaticDelay(long promptBytes)
    {
        var seconds = 1.7 + (3e-5 * promptBytes) + (5e-10 * promptBytes * (double)promptBytes);
        return TimeSpan.FromSeconds(Math.Max(1.0, seconds));
    }

    private static int Bucket(long promptBytes) => promptBytes < 8192 ? 0 : Math.Min(Buckets - 1, BitOperations.Log2((ulong)(promptBytes >> 13)) + 1);

    private static LatencyWindow[] NewWindows(int size)
    {
        var windows = new LatencyWindow[Buckets];
        for (var i = 0; i < windows.Length; i++)
        {
            windows[i] = new LatencyWindow(size);
        }

        return windows;
    }
}
