namespace Shardgate.Simulator;

/// <summary>
/// One simulated vLLM ML node. Defaults model a small, quick host so tests run fast; the demo and the
/// benchmarks set realistic rates.
/// </summary>
public sealed record SimulatedHostOptions
{
    public ModelFamily Family { get; init; } = ModelFamily.Generic;

    /// <summary>The served model id; the family's canonical id when null.</summary>
    public string? ModelId { get; init; }

    /// <summary>vLLM's <c>--max-model-len</c>: prompt plus completion must fit in it.</summary>
    public int MaxModelLen { get; init; } = 32_768;

    /// <summary>Decode speed. Zero emits every token at once (benchmarks of the gateway itself).</summary>
    public double TokensPerSecond { get; init; }

    /// <summary>Fixed part of the time to first token.</summary>
    public TimeSpan TimeToFirstToken { get; init; } = TimeSpan.Zero;

    /// <summary>Prefill speed for the uncached part of the prompt; zero disables prefill time.</summary>
    public double PrefillTokensPerSecond { get; init; }

    /// <summary>Requests beyond this many at once get 429.</summary>
    public int MaxConcurrent { get; init; } = 64;

    /// <summary>How many prompt-prefix hashes the prefix-cache emulation remembers (LRU).</summary>
    public int PrefixCacheEntries { get; init; } = 4096;

    /// <summary>A fault applied to every request (see <c>docs/simulator.md</c> for the grammar); null for none.</summary>
    public string? Fault { get; init; }

    /// <summary>Upper bound for a stall fault, so a stalled request always ends by itself.</summary>
    public TimeSpan StallLimit { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How much of real hardware's log-probability drift the host shows (1 = as measured on GPUs, 0 = exact), so
    /// that validation replays compare as they would between two honest hosts. See <c>LogprobModel</c>.
    /// </summary>
    public double LogprobNoise { get; init; } = 1;

    /// <summary>Seeds the host's drift, for a repeatable measurement; random when unset.</summary>
    public ulong? NoiseSeed { get; init; }

    public string EffectiveModelId => ModelId ?? ModelFamilies.DefaultModelId(Family);
}
