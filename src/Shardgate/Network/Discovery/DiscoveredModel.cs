namespace Shardgate.Network.Discovery;

/// <summary>One model of a discovered participant: its PoC weight, its share of the model's shard, and the weight routing uses.</summary>
/// <param name="Share">The participant's PoC weight over the sum of every discovered participant's for the model (0–1).</param>
/// <param name="RoutingWeight">PoC weight over the shard's mean, so an average participant weighs 1 beside admin nodes.</param>
internal sealed record DiscoveredModel(string ModelId, long PocWeight, double Share, double RoutingWeight, int MlNodes);
