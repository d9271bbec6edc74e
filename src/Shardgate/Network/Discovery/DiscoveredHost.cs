namespace Shardgate.Network.Discovery;

/// <summary>A participant as discovery last saw it, for the admin API and the operators' view.</summary>
/// <param name="State"><c>active</c>, <c>excluded</c>, or <c>pinned</c> (departed from the chain's list and kept).</param>
internal sealed record DiscoveredHost(string Address, string InferenceUrl, long? Epoch, string State, IReadOnlyList<DiscoveredModel> Models)
{
    /// <summary>Its PoC weight over every model it serves.</summary>
    public long? Weight => Models.Count == 0 ? null : Models.Sum(m => m.PocWeight);
}
