using System.ComponentModel.DataAnnotations;
using Shardgate.Contract;
using Shardgate.Kernel;

namespace Shardgate.Network.Validation;

/// <summary>Sampled replays of completed requests to check hosts (section <c>Shardgate:Validation</c>); see docs/network.md.</summary>
internal sealed record ValidationOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>The account replays are charged to: the broker's own. Without one nothing is sampled.</summary>
    public long? AccountId { get; init; }

    /// <summary>The share of completed requests replayed (0.005 = 0.5 %).</summary>
    [Range(0.0, 1.0, ErrorMessage = SettingLimits.Between)]
    public double Fraction { get; init; } = 0.005;

    /// <summary>Replays started per minute at most, whatever the traffic.</summary>
    [Range(1, 100_000, ErrorMessage = SettingLimits.Between)]
    public int MaxPerMinute { get; init; } = 30;

    /// <summary>A host is suspect when <see cref="Divergent"/> of its last <see cref="Window"/> samples diverged.</summary>
    [Range(1, 1_000, ErrorMessage = SettingLimits.Between)]
    public int Window { get; init; } = 10;

    [Range(1, 1_000, ErrorMessage = SettingLimits.Between)]
    public int Divergent { get; init; } = 3;

    /// <summary>The share of positions whose tokens must agree.</summary>
    [Range(0.0, 1.0, ErrorMessage = SettingLimits.Between)]
    public double MinAgreement { get; init; } = 0.98;

    /// <summary>Mean absolute log-probability difference above which a sample diverges, by family (qwen, kimi, minimax, generic).</summary>
    public IReadOnlyDictionary<string, double> Thresholds { get; init; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The factor on a suspect host's weight in selection.</summary>
    [Range(0.0, 1.0, ErrorMessage = SettingLimits.Between)]
    public double SuspectWeight { get; init; } = 0.25;

    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan ReplayTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The threshold for a family. The defaults keep the ratios of the network's own per-model similarity
    /// thresholds (Qwen 0.940, MiniMax 0.922, Kimi 0.900: a looser bar where the model's kernels drift more).
    /// </summary>
    public double ThresholdFor(ContractFamily family) =>
        Thresholds.TryGetValue(family.ToString(), out var set) ? set : family switch
        {
            ContractFamily.Kimi => 0.085,
            ContractFamily.MiniMax => 0.065,
            _ => 0.05,
        };
}
