namespace Shardgate.Network;

/// <summary>The enabled nodes that serve one model.</summary>
internal sealed record ModelShard(string ModelId, IReadOnlyList<UpstreamHost> Hosts, int? ContextWindow);
