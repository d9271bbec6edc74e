namespace Shardgate.Network;

/// <summary>
/// The enabled nodes that serve one model. <see cref="Windows"/> holds each host's context window for this model
/// (aligned with <see cref="Hosts"/>; null when its arguments do not say), <see cref="ContextWindow"/> the largest.
/// </summary>
internal sealed record ModelShard(string ModelId, IReadOnlyList<UpstreamHost> Hosts, int? ContextWindow, IReadOnlyList<int?> Windows)
{
    public ModelShard(string modelId, IReadOnlyList<UpstreamHost> hosts, int? contextWindow)
        : this(modelId, hosts, contextWindow, [.. hosts.Select(_ => contextWindow)])
    {
    }

    /// <summary>Whether the host's window (when known) holds <paramref name="tokens"/>.</summary>
    public bool Fits(int index, long tokens) => Windows[index] is not { } window || window >= tokens;
}
