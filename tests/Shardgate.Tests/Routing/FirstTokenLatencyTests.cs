using Shardgate.Routing;

namespace Shardgate.Tests.Routing;

public sealed class FirstTokenLatencyTests
{
    private const string Model = "m";

    [Theory]
    // The network gateway's curve: max(1 s, 1.7 + 3e-5·L + 5e-10·L²) s for L body bytes.
    [InlineData(0, 1_700)]
    [InlineData(10_000, 2_050)]
    [InlineData(100_000, 9_700)]
    [InlineData(400_000, 93_700)]
    public void Without_samples_the_deadline_follows_the_networks_static_curve(long bytes, double expectedMs)
    {
        var latency = new FirstTokenLatency(new HedgingOptions { MinDelay = TimeSpan.Zero });

        Assert.Equal(expectedMs, latency.HedgeDelay(Model, bytes).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Once_a_bucket_has_its_samples_the_deadline_is_their_p95()
    {
        var latency = new FirstTokenLatency(new HedgingOptions { MinDelay = TimeSpan.Zero, MinSamples = 20, WindowSamples = 20 });
        for (var ms = 1; ms <= 20; ms++)
        {
            latency.Record(Model, 2_000, TimeSpan.FromMilliseconds(ms * 10));
        }

        Assert.Equal(190, latency.HedgeDelay(Model, 2_000).TotalMilliseconds);
        // Another model, and a much longer prompt of this one, still use the static curve.
        Assert.Equal(1_762, latency.HedgeDelay("other", 2_000).TotalMilliseconds, precision: 3);
        Assert.True(latency.HedgeDelay(Model, 200_000) > TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void The_window_forgets_old_samples()
    {
        var latency = new FirstTokenLatency(new HedgingOptions { MinDelay = TimeSpan.Zero, MinSamples = 8, WindowSamples = 8 });
        for (var i = 0; i < 8; i++)
        {
            latency.Record(Model, 100, TimeSpan.FromSeconds(5));
        }

        for (var i = 0; i < 8; i++)
        {
            latency.Record(Model, 100, TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(50, latency.HedgeDelay(Model, 100).TotalMilliseconds);
    }

    [Theory]
    [InlineData(10, 100)]
    [InlineData(500, 300)]
    public void The_deadline_stays_within_its_bounds(double p95Ms, double expectedMs)
    {
        var latency = new FirstTokenLatency(new HedgingOptions { MinDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(300), MinSamples = 1, WindowSamples = 1 });
        latency.Record(Model, 100, TimeSpan.FromMilliseconds(p95Ms));

        Assert.Equal(expectedMs, latency.HedgeDelay(Model, 100).TotalMilliseconds);
    }
}
