using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shardgate.Network;
using Shardgate.Routing;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Routing;

public sealed class HealthTrackerTests
{
    private static readonly HealthOptions Options = new()
    {
        BusyCooldown = TimeSpan.FromMinutes(60),
        TransportCooldown = TimeSpan.FromMinutes(30),
        SoftStrikes = 3,
        SoftQuarantine = TimeSpan.FromMinutes(30),
        StallQuarantine = TimeSpan.FromMinutes(30),
        ProbationSuccesses = 3,
        ProbationStrikes = 2,
    };

    private readonly FakeTimeProvider _time = new();
    private readonly MemoryHealthStore _store = new();
    private readonly HealthTracker _health;

    public HealthTrackerTests() => _health = new HealthTracker(Options, _store, _time, NullLogger<HealthTracker>.Instance, Shardgate.Kernel.NoReplicaBus.Instance);

    [Fact]
    public void Reading_and_crediting_a_healthy_host_allocates_nothing_after_the_first_time()
    {
        _health.IsAvailable("h", out _);
        _health.RecordSuccess("h");

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _health.IsAvailable("h", out _);
            _health.RecordSuccess("h");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(_health.IsAvailable("h", out var factor));
        Assert.Equal(1.0, factor);
    }

    [Theory]
    [InlineData("Busy", "CoolingDown", 60)]
    [InlineData("Transport", "CoolingDown", 30)]
    [InlineData("Stall", "Quarantined", 30)]
    public void A_fault_rests_the_host_for_its_time_then_probation_then_trust(string faultName, string statusName, int minutes)
    {
        var fault = Enum.Parse<HostFault>(faultName);
        var status = Enum.Parse<HealthStatus>(statusName);
        _health.Record("h", fault, "why");
        Assert.Equal(status, _health.Get("h").Status);
        Assert.False(_health.IsAvailable("h", out _));

        _time.Advance(TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1));
        Assert.False(_health.IsAvailable("h", out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_health.IsAvailable("h", out var factor));
        Assert.Equal(0.5, factor);

        for (var i = 0; i < 3; i++)
        {
            _health.RecordSuccess("h");
        }

        Assert.Equal(HealthStatus.Healthy, _health.Get("h").Status);
        Assert.Equal(HealthStatus.Healthy, _store.Saved["h"].Status);
    }

    [Fact]
    public void Three_soft_strikes_quarantine_and_a_success_in_between_resets_the_count()
    {
        _health.Record("h", HostFault.Soft, "eof");
        _health.Record("h", HostFault.Soft, "eof");
        _health.RecordSuccess("h");
        _health.Record("h", HostFault.Soft, "eof");
        _health.Record("h", HostFault.Soft, "eof");
        Assert.Equal(HealthStatus.Healthy, _health.Get("h").Status);

        _health.Record("h", HostFault.Soft, "empty stream");
        Assert.Equal(HealthStatus.Quarantined, _health.Get("h").Status);
        Assert.Equal("empty stream", _health.Get("h").Reason);
    }

    [Fact]
    public void Two_strikes_on_probation_send_the_host_back_to_quarantine()
    {
        _health.Record("h", HostFault.Transport, "refused");
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HealthStatus.Probation, _health.Get("h").Status);

        _health.Record("h", HostFault.Soft, "eof");
        Assert.Equal(HealthStatus.Probation, _health.Get("h").Status);
        _health.Record("h", HostFault.Soft, "eof");
        Assert.Equal(HealthStatus.Quarantined, _health.Get("h").Status);
    }

    [Fact]
    public void An_operator_clears_a_quarantine_into_probation()
    {
        _health.Record("h", HostFault.Stall, "stalled");
        Assert.Equal(HealthStatus.Probation, _health.Clear("h").Status);
        Assert.True(_health.IsAvailable("h", out _));
    }

    [Fact]
    public void The_selector_skips_resting_hosts_and_lets_one_request_probe_when_all_rest()
    {
        var a = new UpstreamHost("a", new Uri("http://a:1/"), 4, 1);
        var b = new UpstreamHost("b", new Uri("http://b:1/"), 4, 1);
        var selector = new HostSelector(new Random(1), _health);
        _health.Record("a", HostFault.Busy, "429");

        Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(new ModelShard("m", [a, b], null), null, 0, out var host, out var probe));
        Assert.Same(b, host);
        Assert.False(probe);

        _health.Record("b", HostFault.Busy, "429");
        var shard = new ModelShard("m", [a, b], null);
        Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(shard, null, 0, out _, out probe));
        Assert.True(probe);
        Assert.Equal(SelectionOutcome.Unhealthy, selector.TryAcquire(shard, null, 0, out _, out _));
        _health.EndProbe("m");
        Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(shard, null, 0, out _, out probe));
        Assert.True(probe);
    }

    [Fact]
    public void A_successful_probe_puts_the_host_on_probation()
    {
        _health.Record("h", HostFault.Busy, "503");
        _health.RecordSuccess("h");
        Assert.Equal(HealthStatus.Probation, _health.Get("h").Status);
    }
}
