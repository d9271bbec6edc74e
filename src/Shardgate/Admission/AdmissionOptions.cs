using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Admission;

/// <summary>
/// Gateway-wide and per-model admission (section <c>Shardgate:Admission</c>), after the network's limiter
/// (reference §4.3). Zero means unlimited.
/// </summary>
internal sealed record AdmissionOptions
{
    /// <summary>Requests in flight across all models (the network's default is 512).</summary>
    [Range(0, int.MaxValue, ErrorMessage = SettingLimits.Between)]
    public int MaxConcurrent { get; init; } = 512;

    /// <summary>Estimated input tokens in flight across all models.</summary>
    [Range(0L, long.MaxValue, ErrorMessage = SettingLimits.Between)]
    public long MaxInputTokensInFlight { get; init; }

    /// <summary>
    /// Dynamic per-model concurrency: floor(Σ enabled hosts' weight × rate / 10000), as the network sizes admission to
    /// the compute actually there. Zero turns it off.
    /// </summary>
    [Range(0.0, double.MaxValue, ErrorMessage = SettingLimits.AtLeast)]
    public double ConcurrentPer10000Weight { get; init; }

    /// <summary>Seconds a client is told to wait (<c>Retry-After</c>) when a model or every host of it is full.</summary>
    [Range(1, 3600, ErrorMessage = SettingLimits.Between)]
    public int SaturationRetryAfterSeconds { get; init; } = 1;

    public IReadOnlyDictionary<string, ModelAdmissionOptions> Models { get; init; } = new Dictionary<string, ModelAdmissionOptions>();
}
