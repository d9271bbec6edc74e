namespace Shardgate.Network;

/// <summary>
/// The enabled nodes that serve one model. <see cref="Windows"/> holds each host's context window for this model
/// (aligned with <see cref="Hosts"/>; null when its arguments do not say), <see cref="ContextWindow"/> the largest.
/// <see cref="Weights"/> holds a host's weight for this model when its registration gives one (else null).
/// </summary>
internal sealed record ModelShard(string ModelId, IReadOnlyList<UpstreamHost> Hosts, int? ContextWindow, IReadOnlyList<int?> Windows)
{
    public ModelShard(string modelId, IReadOnlyList<UpstreamHost> hosts, int? contextWindow)
        : this(modelId, hosts, contextWindow, [.. hosts.Select(_ => contextWindow)])
    {
    }

    public IReadOnlyList<double?> Weights { get; init; } = [];

    /// <summary>The weight selection uses: the network's for a listed ML node, else this model's, else the node's own.</summary>
    public double WeightOf(int index, NetworkPhase phase)
    {
        var host = Hosts[index];
        return phase.Weights.Count > 0 && phase.Weights.TryGetValue(host.NodeId, out var network) ? network
            : index < Weights.Count && Weights[index] is { } model ? model
            : host.Weight;
    }

    /// <summary>Whether the host's window (when known) holds <paramref name="tokens"/>.</summary>
    public bool Fits(int index, long tokens) => Windows[index] is not { } window || window >= tokens;
}
