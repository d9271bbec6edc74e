using Shardgate.Network;
using Shardgate.Routing;

namespace Shardgate.Tests.Routing;

public sealed class HostSelectorTests
{
    private static UpstreamHost Host(string id, int max = 4, double weight = 1) => new(id, new Uri($"http://{id}:1/"), max, weight);

    private static ModelShard Shard(params UpstreamHost[] hosts) => new("m", hosts, null);

    [Fact]
    public void Picks_the_least_loaded_host_relative_to_weight()
    {
        var light = Host("light", weight: 1);
        var heavy = Host("heavy", weight: 3);
        var shard = Shard(light, heavy);
        var selector = new HostSelector(new Random(1));

        // Scores are (in-flight + 1) / weight, so weight 3 carries four of the first five requests whichever way the tie breaks.
        var picks = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(shard, null, out var host));
            picks.Add(host!.NodeId);
        }

        Assert.Equal(4, picks.Count(p => p == "heavy"));
        Assert.Equal(1, picks.Count(p => p == "light"));
    }

    [Fact]
    public void Never_goes_beyond_max_concurrent_and_reports_saturation()
    {
        var a = Host("a", max: 1);
        var b = Host("b", max: 2);
        var selector = new HostSelector(new Random(2));
        var shard = Shard(a, b);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(shard, null, out _));
        }

        Assert.Equal(SelectionOutcome.Saturated, selector.TryAcquire(shard, null, out var none));
        Assert.Null(none);
        Assert.Equal(1, a.InFlight);
        Assert.Equal(2, b.InFlight);

        b.Release();
        Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(shard, null, out var freed));
        Assert.Same(b, freed);
    }

    [Fact]
    public void Skips_hosts_already_tried_and_reports_exhaustion()
    {
        var a = Host("a");
        var b = Host("b");
        var selector = new HostSelector(new Random(3));
        var shard = Shard(a, b);

        Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(shard, [a], out var host));
        Assert.Same(b, host);
        Assert.Equal(SelectionOutcome.Exhausted, selector.TryAcquire(shard, [a, b], out _));
    }

    [Fact]
    public void Equal_hosts_share_load_evenly()
    {
        var hosts = new[] { Host("a", max: 100), Host("b", max: 100), Host("c", max: 100) };
        var selector = new HostSelector(new Random(4));
        for (var i = 0; i < 30; i++)
        {
            selector.TryAcquire(Shard(hosts), null, out _);
        }

        Assert.All(hosts, h => Assert.Equal(10, h.InFlight));
    }

    [Fact]
    public void Concurrent_acquires_never_overshoot_the_limit()
    {
        var host = Host("only", max: 50);
        var shard = Shard(host);
        var selector = new HostSelector();
        var acquired = 0;
        Parallel.For(0, 1000, _ =>
        {
            if (selector.TryAcquire(shard, null, out UpstreamHost? _) == SelectionOutcome.Acquired)
            {
                Interlocked.Increment(ref acquired);
            }
        });

        Assert.Equal(50, acquired);
        Assert.Equal(50, host.InFlight);
    }

    [Fact]
    public void Hosts_whose_window_is_too_small_are_skipped_and_unknown_windows_count_as_fitting()
    {
        var small = Host("small", weight: 10);
        var big = Host("big");
        var unknown = Host("unknown");
        var selector = new HostSelector(new Random(5));

        Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(new ModelShard("m", [small, big], 65_536, [8_192, 65_536]), null, 20_000, out var host, out _));
        Assert.Same(big, host);
        Assert.Equal(SelectionOutcome.ContextTooLong, selector.TryAcquire(new ModelShard("m", [small], 8_192, [8_192]), null, 20_000, out _, out _));
        Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(new ModelShard("m", [unknown], null, [null]), null, 1_000_000, out host, out _));
        Assert.Same(unknown, host);
    }
}
