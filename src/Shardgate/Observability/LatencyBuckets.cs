namespace Shardgate.Observability;

/// <summary>
/// Histogram boundaries for LLM traffic, given to the instruments as advice so every exporter uses them. The GenAI
/// conventions' own advice stops at 10 s for the first token; a large model behind a queue can take a minute, so
/// these run from 10 ms to 60 s.
/// </summary>
internal static class LatencyBuckets
{
    public static readonly IReadOnlyList<double> FirstToken = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 7.5, 10, 15, 30, 60];

    public static readonly IReadOnlyList<double> Request = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120, 300, 600];

    public static readonly IReadOnlyList<double> PerOutputToken = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5];

    /// <summary>The gateway's own time: tenths of a millisecond to a second.</summary>
    public static readonly IReadOnlyList<double> Overhead = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    /// <summary>The conventions' advice for token counts: powers of four.</summary>
    public static readonly IReadOnlyList<long> Tokens = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];
}
