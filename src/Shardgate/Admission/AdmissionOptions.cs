namespace Shardgate.Admission;

/// <summary>
/// Gateway-wide and per-model admission (section <c>Shardgate:Admission</c>), after the network's limiter
/// (reference §4.3). Zero means unlimited.
/// </summary>
internal sealed record AdmissionOptions
{
    /// <summary>Requests in flight across all models (the network's default is 512).</summary>
    public int MaxConcurrent { get; init; } = 512;

    /// <summary>Estimated input tokens in flight across all models.</summary>
    public long MaxInputTokensInFlight { get; init; }

    /// <summary>
    /// Dynamic per-model concurrency: floor(Σ enabled hosts' weight × rate / 10000), as the network sizes admission to
    /// the compute actually there. Zero turns it off.
    /// </summary>
    public double ConcurrentPer10000Weight { get; init; }

    public IReadOnlyDictionary<string, ModelAdmissionOptions> Models { get; init; } = new Dictionary<string, ModelAdmissionOptions>();
}
