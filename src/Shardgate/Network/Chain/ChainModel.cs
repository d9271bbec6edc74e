namespace Shardgate.Network.Chain;

/// <summary>A model a participant serves in the epoch, with the ML nodes that serve it (the outer <c>ml_nodes[i]</c> belongs to <c>models[i]</c>).</summary>
internal sealed record ChainModel(string ModelId, IReadOnlyList<ChainMlNode> Nodes)
{
    /// <summary>The sum of the nodes' PoC weights; null when no node reports one.</summary>
    public long? PocWeight => Nodes.Any(n => n.PocWeight is not null) ? Nodes.Sum(n => n.PocWeight ?? 0) : null;
}
