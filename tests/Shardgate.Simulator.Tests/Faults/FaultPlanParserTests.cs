using Shardgate.Simulator.Faults;

namespace Shardgate.Simulator.Tests.Faults;

public sealed class FaultPlanParserTests
{
    [Theory]
    [InlineData(null, null, null, null, 0, false)]
    [InlineData("none", null, null, null, 0, false)]
    [InlineData("status=503", 503, null, null, 0, false)]
    [InlineData("drop-after=3", null, 3, null, 0, false)]
    [InlineData("stall-after=2", null, null, 2, 0, false)]
    [InlineData("slow-first-token=1500", null, null, null, 1500, false)]
    [InlineData("empty", null, null, null, 0, true)]
    [InlineData("slow-first-token=100; drop-after=5", null, 5, null, 100, false)]
    public void Parses_each_fault_and_combinations(string? text, int? status, int? drop, int? stall, int slowMs, bool empty)
    {
        Assert.True(FaultPlanParser.TryParse(text, out var plan, out var error), error);
        Assert.Equal(new FaultPlan(status, drop, stall, TimeSpan.FromMilliseconds(slowMs), empty), plan);
    }

    [Fact]
    public void Parses_a_slow_end_and_keeps_it_under_a_request_overlay()
    {
        Assert.True(FaultPlanParser.TryParse("slow-end=250", out var instance, out var error), error);
        Assert.True(FaultPlanParser.TryParse("status=429", out var request, out _));

        Assert.Equal(FaultPlan.None with { SlowEnd = TimeSpan.FromMilliseconds(250) }, instance);
        Assert.Equal(TimeSpan.FromMilliseconds(250), instance.Overlay(request).SlowEnd);
    }

    [Theory]
    [InlineData("status=200")]
    [InlineData("drop-after=-1")]
    [InlineData("explode")]
    [InlineData("stall-after=x")]
    public void Refuses_malformed_faults_with_the_grammar(string text)
    {
        Assert.False(FaultPlanParser.TryParse(text, out _, out var error));
        Assert.Contains("expected status=", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlay_lets_the_request_override_the_instance()
    {
        Assert.True(FaultPlanParser.TryParse("status=500; slow-first-token=10", out var instance, out _));
        Assert.True(FaultPlanParser.TryParse("status=429", out var request, out _));

        Assert.Equal(new FaultPlan(429, null, null, TimeSpan.FromMilliseconds(10), false), instance.Overlay(request));
    }
}
