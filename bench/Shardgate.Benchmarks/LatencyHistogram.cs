using System.Numerics;

namespace Shardgate.Benchmarks;

/// <summary>
/// An HDR-style histogram of latencies in microseconds: 64 linear sub-buckets per power of two (about 1.6%
/// precision at any magnitude), fixed memory, lock-free recording. Percentiles come from counts, never averages.
/// </summary>
internal sealed class LatencyHistogram
{
    // Exact below 128 µs; above, 64 sub-buckets per power of two.
    private const int Linear = 128;
    private const int PerOctave = 64;
    private readonly long[] _counts = new long[Linear + ((64 - 7) * PerOctave)];
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public void RecordMilliseconds(double ms) => Record((long)Math.Max(0, ms * 1000));

    public void Record(long micros)
    {
        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _total);
    }

    /// <summary>Adds every latency <paramref name="other"/> recorded, for results gathered over several rounds.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Add(ref _counts[i], other._counts[i]);
        }

        Interlocked.Add(ref _total, other.Count);
    }

    /// <summary>The latency in milliseconds at quantile <paramref name="q"/> (0–1): the upper edge of its bucket.</summary>
    public double Percentile(double q)
    {
        var target = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target)
            {
                return UpperEdge(i) / 1000.0;
            }
        }

        return double.NaN;
    }

    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        var octave = BitOperations.Log2((ulong)value);
        var mantissa = (int)(value >> (octave - 6));
        return Linear + ((octave - 7) * PerOctave) + (mantissa - PerOctave);
    }

    private static long UpperEdge(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var j = index - Linear;
        var octave = 7 + (j / PerOctave);
        var mantissa = PerOctave + (j % PerOctave);
        return ((long)(mantissa + 1) << (octave - 6)) - 1;
    }
}
