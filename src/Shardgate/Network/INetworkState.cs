namespace Shardgate.Network;

/// <summary>A source of the network's phase. The default is static (always inference); see <see cref="GonkaNetworkState"/>.</summary>
internal interface INetworkState
{
    NetworkPhase Current { get; }

    /// <summary>The network's current epoch; null when the source knows none.</summary>
    long? Epoch { get; }
}
