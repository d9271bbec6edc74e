using Shardgate.Network;
using Shardgate.Routing;

namespace Shardgate.Tests.Routing;

public sealed class PromptAffinityTests
{
    [Fact]
    public void The_longest_known_prefix_names_the_host_and_an_explicit_key_wins()
    {
        var affinity = new PromptAffinity(new AffinityOptions { Entries = 100 });
        affinity.Remember(new AffinityKeys(null, [1, 2, 3]), "a");
        affinity.Remember(new AffinityKeys(null, [1, 2]), "b");
        affinity.Remember(new AffinityKeys(99, []), "c");

        Assert.Equal("a", affinity.Remembered(new AffinityKeys(null, [1, 2, 3, 4])));
        Assert.Equal("b", affinity.Remembered(new AffinityKeys(null, [1, 2, 7])));
        Assert.Equal("c", affinity.Remembered(new AffinityKeys(99, [1, 2, 3])));
        Assert.Null(affinity.Remembered(new AffinityKeys(null, [5])));
    }

    [Fact]
    public void Memory_stays_within_its_bound_whatever_the_traffic()
    {
        var affinity = new PromptAffinity(new AffinityOptions { Entries = 50 });
        for (ulong i = 0; i < 10_000; i++)
        {
            affinity.Remember(new AffinityKeys(null, [i, i + 100_000]), "a");
        }

        Assert.Equal(50, affinity.Count);
        Assert.Equal("a", affinity.Remembered(new AffinityKeys(null, [9_999])));
        Assert.Null(affinity.Remembered(new AffinityKeys(null, [0])));
    }

    [Fact]
    public void The_preferred_host_wins_only_within_the_load_window()
    {
        var busy = new UpstreamHost("busy", new Uri("http://busy:1/"), 10, 1);
        var idle = new UpstreamHost("idle", new Uri("http://idle:1/"), 10, 1);
        var shard = new ModelShard("m", [busy, idle], null);
        var selector = new HostSelector(new Random(1));
        busy.TryAcquire();
        busy.TryAcquire();

        Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(shard, null, 0, out var chosen, out _, "busy", affinityWindow: 0.25));
        Assert.Same(busy, chosen);
        busy.TryAcquire();
        idle.Release();

        // busy is now at 0.4 against idle's 0.0: beyond the window, load wins.
        Assert.Equal(SelectionOutcome.Acquired, selector.TryAcquire(shard, null, 0, out chosen, out _, "busy", affinityWindow: 0.25));
        Assert.Same(idle, chosen);
    }
}
