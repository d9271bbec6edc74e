using Shardgate.Routing;

namespace Shardgate.Tests.Routing;

public sealed class HealthMessageTests
{
    private static readonly HostHealthState[] States =
    [
        HostHealthState.Healthy("node-1"),
        new HostHealthState("node-2", HealthStatus.Quarantined, DateTimeOffset.FromUnixTimeMilliseconds(1_765_000_000_123), 0, 0, "silent mid-stream\tfor 60 s"),
        new HostHealthState("node-3", HealthStatus.CoolingDown, DateTimeOffset.FromUnixTimeMilliseconds(1_765_000_000_000), 2, 0, "HTTP 503: busy"),
        new HostHealthState("node-4", HealthStatus.Probation, null, 1, 3, "cleared by an operator"),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_state_survives_the_trip_to_another_replica(int which) =>
        Assert.Equal(States[which], HealthMessage.Read(HealthMessage.Write(States[which])));

    [Theory]
    [InlineData("")]
    [InlineData("node-1\tHealthy")]
    [InlineData("node-1\tAsleep\t\t0\t0\t")]
    [InlineData("node-1\tQuarantined\tsoon\t0\t0\t")]
    [InlineData("node-1\tHealthy\t\tmany\t0\t")]
    public void A_line_this_version_cannot_read_is_ignored(string message) => Assert.Null(HealthMessage.Read(message));
}
