namespace Shardgate.Network;

/// <summary>Hosts and weights come from the admin API only, and the network is always serving inference.</summary>
internal sealed class StaticNetworkState : INetworkState
{
    public NetworkPhase Current => NetworkPhase.Inference;

    public long? Epoch => null;
}
