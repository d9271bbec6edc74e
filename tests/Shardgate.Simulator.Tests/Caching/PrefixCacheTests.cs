using Shardgate.Simulator.Caching;

namespace Shardgate.Simulator.Tests.Caching;

public sealed class PrefixCacheTests
{
    [Fact]
    public void Reports_the_longest_known_prefix()
    {
        var cache = new PrefixCache(16);
        Assert.Equal(0, cache.LookupAndRemember([(1, 10), (2, 20)]));
        Assert.Equal(20, cache.LookupAndRemember([(1, 10), (2, 20), (3, 30)]));
        Assert.Equal(10, cache.LookupAndRemember([(1, 10), (9, 25)]));
    }

    [Fact]
    public void Stays_within_its_capacity_evicting_the_least_recent()
    {
        var cache = new PrefixCache(3);
        for (ulong i = 0; i < 100; i++)
        {
            cache.LookupAndRemember([(i, 1)]);
        }

        Assert.Equal(3, cache.Count);
        Assert.Equal(1, cache.LookupAndRemember([(99, 1)]));
        Assert.Equal(0, cache.LookupAndRemember([(0, 1)]));
    }
}
