namespace Shardgate.Routing;

/// <summary>One host's health record, as shown to operators and persisted across restarts.</summary>
internal sealed record HostHealthState(string NodeId, HealthStatus Status, DateTimeOffset? Until, int Strikes, int Successes, string? Reason)
{
    public static HostHealthState Healthy(string nodeId) => new(nodeId, HealthStatus.Healthy, null, 0, 0, null);
}
