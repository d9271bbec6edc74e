using Shardgate.Admission;
using Shardgate.Network;

namespace Shardgate.Tests.Admission;

public sealed class ModelAdmissionTests
{
    private static ModelShard Shard(string model = "m", double weight = 1) =>
        new(model, [new UpstreamHost("h", new Uri("http://h:1/"), 1000, weight)], null);

    [Fact]
    public void A_models_concurrency_limit_refuses_the_next_request_until_one_ends()
    {
        var admission = new ModelAdmission(new AdmissionOptions { Models = new Dictionary<string, ModelAdmissionOptions> { ["m"] = new() { MaxConcurrent = 2 } } });

        var first = admission.TryEnter(Shard(), 10, out _);
        Assert.NotNull(admission.TryEnter(Shard(), 10, out _));
        Assert.Null(admission.TryEnter(Shard(), 10, out var refusal));
        Assert.Contains("2 requests in flight, limit 2", refusal, StringComparison.Ordinal);
        Assert.NotNull(admission.TryEnter(Shard("other"), 10, out _));

        admission.Exit(first!);
        Assert.NotNull(admission.TryEnter(Shard(), 10, out _));
    }

    [Fact]
    public void Requests_in_flight_count_every_model_and_drop_as_they_end()
    {
        var admission = new ModelAdmission(new AdmissionOptions());

        var first = admission.TryEnter(Shard("a"), 10, out _)!;
        var second = admission.TryEnter(Shard("b"), 10, out _)!;
        var both = admission.RequestsInFlight;
        admission.Exit(first);
        var one = admission.RequestsInFlight;
        admission.Exit(second);

        Assert.Equal(2, both);
        Assert.Equal(1, one);
        Assert.Equal(0, admission.RequestsInFlight);
    }

    [Fact]
    public void Input_tokens_in_flight_are_bounded_per_model_and_in_all()
    {
        var admission = new ModelAdmission(new AdmissionOptions
        {
            MaxInputTokensInFlight = 1_500,
            Models = new Dictionary<string, ModelAdmissionOptions> { ["m"] = new() { MaxInputTokensInFlight = 1_000 } },
        });

        Assert.NotNull(admission.TryEnter(Shard(), 800, out _));
        Assert.Null(admission.TryEnter(Shard(), 300, out var perModel));
        Assert.Contains("input tokens in flight", perModel, StringComparison.Ordinal);
        Assert.NotNull(admission.TryEnter(Shard("other"), 600, out _));
        Assert.Null(admission.TryEnter(Shard("third"), 200, out var global));
        Assert.StartsWith("The gateway is at its admission limit", global, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10_000, 5, 5)]
    [InlineData(30_000, 5, 15)]
    [InlineData(100, 5, 1)]
    public void The_dynamic_limit_follows_the_shards_total_weight(double weight, double per10000, int admitted)
    {
        var admission = new ModelAdmission(new AdmissionOptions { MaxConcurrent = 0, ConcurrentPer10000Weight = per10000 });
        var shard = Shard(weight: weight);

        var count = 0;
        while (count < 100 && admission.TryEnter(shard, 1, out _) is not null)
        {
            count++;
        }

        Assert.Equal(admitted, count);
    }
}
