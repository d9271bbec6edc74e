using Shardgate.Api;
using Shardgate.Kernel;

namespace Shardgate.Tests.Api;

public sealed class RequestIdsTests
{
    [Fact]
    public void Ids_of_one_millisecond_sort_in_creation_order_and_end_in_the_processes_random_bits()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

        var ids = Enumerable.Range(0, 1000).Select(_ => RequestIds.New(now)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^req_[0-9a-f]{32}$", id));
        Assert.Single(ids.Select(id => id[^12..]).Distinct());
        Assert.True(string.CompareOrdinal(ids[^1], RequestIds.New(now.AddMilliseconds(1))) < 0);
    }
}
