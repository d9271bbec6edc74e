using Shardgate.Api.Admin;
using Shardgate.Kernel;
using Shardgate.Ledger;

namespace Shardgate.Tests.Api.Admin;

public sealed class RequestStatsTests
{
    private static readonly DateTimeOffset From = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(new double[] { }, 0.5, null)]
    [InlineData(new double[] { 7 }, 0.95, 7.0)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.5, 2.0)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.95, 4.0)]
    [InlineData(new double[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }, 0.95, 100.0)]
    [InlineData(new double[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }, 0.5, 50.0)]
    public void Percentiles_are_nearest_rank(double[] sorted, double q, double? expected) =>
        Assert.Equal(expected, RequestStats.Percentile(sorted, q));

    [Fact]
    public void Figures_count_errors_by_kind_and_rate_generation_after_the_first_token()
    {
        RequestLogEntry[] rows =
        [
            Row(200, RequestOutcome.Completed, ttft: 100, duration: 1100, output: 50, cost: 10),
            Row(200, RequestOutcome.Completed, ttft: 300, duration: 1300, output: 30, cost: 6),
            Row(429, RequestOutcome.Saturated),
            Row(429, RequestOutcome.Rejected),
            Row(502, RequestOutcome.UpstreamFailed),
        ];

        var figures = RequestStats.Figures(rows);

        Assert.Equal(5, figures.Requests);
        Assert.Equal(2, figures.Served);
        Assert.Equal(3, figures.Errors);
        Assert.Equal(2, figures.Saturated);
        Assert.Equal(80, figures.OutputTokens);
        Assert.Equal(16, figures.Cost);
        Assert.Equal(100, figures.FirstTokenP50Ms);
        Assert.Equal(300, figures.FirstTokenP95Ms);
        Assert.Equal(40.0, figures.OutputTokensPerSecond);
        Assert.Equal(new Dictionary<string, long> { ["rejected/429"] = 1, ["saturated/429"] = 1, ["upstream_failed/502"] = 1 }, figures.ErrorsByKind);
    }

    [Fact]
    public void Rows_fall_into_their_buckets_and_groups()
    {
        RequestLogEntry[] rows =
        [
            Row(200, RequestOutcome.Completed, at: From.AddMinutes(1), output: 5) with { Model = "a", NodeId = "n1" },
            Row(200, RequestOutcome.Completed, at: From.AddMinutes(7), output: 7) with { Model = "b", NodeId = "n1" },
            Row(429, RequestOutcome.Saturated, at: From.AddMinutes(8)) with { Model = "b" },
        ];

        var stats = RequestStats.Summarize("15m", From, From.AddMinutes(15), TimeSpan.FromMinutes(5), rows, truncated: false);

        Assert.Equal([1L, 2L, 0L], stats.Series.Select(b => b.Requests));
        Assert.Equal([0L, 1L, 0L], stats.Series.Select(b => b.Errors));
        Assert.Equal(["a", "b"], stats.Models.Select(m => m.Id));
        Assert.Equal(2, stats.Models[1].Figures.Requests);
        Assert.Equal(2, Assert.Single(stats.Nodes).Figures.Requests);
    }

    private static RequestLogEntry Row(int status, string outcome, double? ttft = null, double duration = 10, int? output = null, long? cost = null, DateTimeOffset? at = null) => new()
    {
        RequestId = Guid.NewGuid().ToString("N"),
        StartedAt = at ?? From,
        Model = "m",
        NodeId = outcome == RequestOutcome.Completed ? "n" : null,
        Status = status,
        Outcome = outcome,
        Stream = true,
        TimeToFirstTokenMs = ttft,
        DurationMs = duration,
        CompletionTokens = output,
        Cost = cost,
    };
}
