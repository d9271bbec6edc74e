namespace Shardgate.Network.Chain;

/// <summary>One ML node of a participant for one model, as the epoch lists it (<c>MLNodeInfo</c>).</summary>
/// <param name="PocWeight">Null when the chain did not say.</param>
/// <param name="Preserved">The legacy flag <c>timeslot_allocation[1]</c>: kept serving inference during the next PoC.</param>
internal sealed record ChainMlNode(string NodeId, long? PocWeight, bool Preserved);
