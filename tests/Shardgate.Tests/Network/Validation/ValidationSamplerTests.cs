using System.Text;
using Microsoft.Extensions.Time.Testing;
using Shardgate.Contract;
using Shardgate.Network;
using Shardgate.Network.Validation;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Network.Validation;

public sealed class ValidationSamplerTests
{
    private static readonly ModelShard TwoHosts = new(ContractRun.Qwen, [new UpstreamHost("a", new Uri("http://127.0.0.1:1/"), 1, 1), new UpstreamHost("b", new Uri("http://127.0.0.1:2/"), 1, 1)], null);

    private static ContractContext Contract(string body)
    {
        var options = new ContractOptions();
        Assert.True(ParsedRequest.TryParse(Encoding.UTF8.GetBytes(body), options, out var parsed, out _));
        return new ChatPipeline(options).Apply(parsed, ModelProfile.For(ContractRun.Qwen, options), out _);
    }

    private const string Plain = """{"model":"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public void At_most_max_per_minute_are_sampled_and_the_bucket_refills_with_time()
    {
        var time = new FakeTimeProvider();
        var sampler = new ValidationSampler(new ValidationOptions { AccountId = 1, Fraction = 1, MaxPerMinute = 3 }, time, new Random(1));

        var first = Enumerable.Range(0, 5).Count(_ => sampler.TrySample(2, Contract(Plain), TwoHosts));
        time.Advance(TimeSpan.FromSeconds(20));
        var later = Enumerable.Range(0, 5).Count(_ => sampler.TrySample(2, Contract(Plain), TwoHosts));

        Assert.Equal((3, 1), (first, later));
    }

    [Fact]
    public void A_sampled_request_asks_its_host_for_logprobs_and_hides_them_from_a_client_that_did_not()
    {
        var sampler = new ValidationSampler(new ValidationOptions { AccountId = 1, Fraction = 1 }, new FakeTimeProvider(), new Random(1));
        var context = Contract(Plain);

        Assert.True(sampler.TrySample(2, context, TwoHosts));
        Assert.True(context.ValidationSampled);
        Assert.False(context.ClientAskedForLogprobs);
        var plan = Shardgate.Contract.Response.ResponsePlan.For(context);
        Assert.True(plan.CaptureLogprobs && plan.StripForcedFields);
    }

    [Theory]
    [InlineData("""{"model":"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8","n":2,"temperature":1,"messages":[{"role":"user","content":"hi"}]}""", 2L, 2)]
    [InlineData(Plain, 1L, 2)] // the broker's own account
    [InlineData(Plain, 2L, 1)] // no other host to replay on
    public void Requests_that_cannot_be_replayed_are_never_sampled(string body, long account, int hosts)
    {
        var sampler = new ValidationSampler(new ValidationOptions { AccountId = 1, Fraction = 1 }, new FakeTimeProvider(), new Random(1));
        var shard = hosts == 2 ? TwoHosts : TwoHosts with { Hosts = [TwoHosts.Hosts[0]], Windows = [null] };

        Assert.False(sampler.TrySample(account, Contract(body), shard));
    }

    [Fact]
    public void Without_a_broker_account_nothing_is_sampled()
    {
        var sampler = new ValidationSampler(new ValidationOptions { Fraction = 1 }, new FakeTimeProvider(), new Random(1));

        Assert.False(sampler.Active);
        Assert.False(sampler.TrySample(2, Contract(Plain), TwoHosts));
    }
}
