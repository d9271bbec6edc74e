namespace Shardgate.Network;

/// <summary>
/// What the network says right now: whether a PoC phase is on (only preserved nodes serve inference then), which
/// nodes are preserved, when inference is expected back, and the compute weight of each ML node it lists.
/// </summary>
internal sealed record NetworkPhase(string Name, bool PocActive, IReadOnlySet<string> PreservedNodes, TimeSpan? ExpectedEnd)
{
    private static readonly Dictionary<string, double> NoWeights = [];

    public static NetworkPhase Inference { get; } = new("Inference", false, new HashSet<string>(), null);

    /// <summary>
    /// The network's weight per node id (<c>poc_weight</c>); empty when the source knows none. A listed node's
    /// weight replaces the one registered through the admin API.
    /// </summary>
    public IReadOnlyDictionary<string, double> Weights { get; init; } = NoWeights;

    /// <summary>The weight selection uses for a host: the network's when it lists the node, else the registered one.</summary>
    public double WeightOf(UpstreamHost host) =>
        Weights.Count > 0 && Weights.TryGetValue(host.NodeId, out var weight) ? weight : host.Weight;
}
