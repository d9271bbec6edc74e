namespace Shardgate.Network;

/// <summary>
/// What the network says right now: whether a PoC phase is on (only preserved nodes serve inference then), which
/// nodes are preserved, and when inference is expected back.
/// </summary>
internal sealed record NetworkPhase(string Name, bool PocActive, IReadOnlySet<string> PreservedNodes, TimeSpan? ExpectedEnd)
{
    public static NetworkPhase Inference { get; } = new("Inference", false, new HashSet<string>(), null);
}
