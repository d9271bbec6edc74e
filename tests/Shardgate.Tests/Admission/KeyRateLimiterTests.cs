using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Shardgate.Admission;
using Shardgate.Ledger;

namespace Shardgate.Tests.Admission;

public sealed class KeyRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly KeyRateLimiter _limiter;

    public KeyRateLimiterTests() => _limiter = new KeyRateLimiter(_time);

    private static KeyIdentity Key(KeyLimits limits) => new(1, 1, "sg-test", limits);

    private RateDecision Admit(KeyIdentity key, long tokens = 10, string model = "m") => _limiter.TryAdmit(key, model, tokens, new DefaultHttpContext().Response);

    [Fact]
    public void Sixty_per_minute_admits_a_burst_of_sixty_and_refuses_the_sixty_first()
    {
        var key = Key(new KeyLimits { RequestsPerMinute = 60 });
        for (var i = 0; i < 60; i++)
        {
            Assert.True(Admit(key).Allowed, $"request {i + 1}");
            _limiter.Complete(key, 10, 10);
        }

        var refused = Admit(key);
        Assert.False(refused.Allowed);
        Assert.Equal(429, refused.Status);
        Assert.Equal("rate_limit_exceeded", refused.Code);
        Assert.Equal(1, refused.RetryAfter.TotalSeconds, 3);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Admit(key).Allowed);
    }

    [Fact]
    public async Task Limits_that_change_while_requests_run_keep_the_in_flight_count_exact()
    {
        // Two versions of the key's limits, as replicas see them while an operator edits the key.
        KeyIdentity[] versions =
        [
            Key(new KeyLimits { MaxConcurrent = 10_000, RequestsPerMinute = 1_000_000 }),
            Key(new KeyLimits { MaxConcurrent = 10_000, RequestsPerMinute = 999_999 }),
        ];
        using var start = new Barrier(4);
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 5_000; i++)
            {
                var key = versions[(i + worker) % 2];
                Assert.True(Admit(key).Allowed);
                _limiter.Complete(versions[(i + worker + 1) % 2], 10, 10);
            }
        }));

        await Task.WhenAll(workers);

        Assert.Equal(0, _limiter.InFlight(1));
    }

    [Fact]
    public void Tokens_per_minute_count_the_estimate_and_refund_what_was_not_used()
    {
        var key = Key(new KeyLimits { TokensPerMinute = 1_000 });

        Assert.True(Admit(key, tokens: 800).Allowed);
        Assert.False(Admit(key, tokens: 300).Allowed);
        _limiter.Complete(key, estimatedTokens: 800, actualTokens: 100);
        Assert.True(Admit(key, tokens: 300).Allowed);
    }

    [Fact]
    public void A_request_larger_than_the_token_limit_is_refused_with_a_reason_and_no_retry()
    {
        var refused = Admit(Key(new KeyLimits { TokensPerMinute = 100 }), tokens: 500);

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.Zero, refused.RetryAfter);
        Assert.Contains("more than the key's limit", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrency_is_bounded_and_freed_on_completion()
    {
        var key = Key(new KeyLimits { MaxConcurrent = 2 });

        Assert.True(Admit(key).Allowed);
        Assert.True(Admit(key).Allowed);
        Assert.False(Admit(key).Allowed);
        _limiter.Complete(key, 10, 10);
        Assert.True(Admit(key).Allowed);
    }

    [Fact]
    public void A_model_outside_the_allowlist_is_forbidden()
    {
        var key = Key(new KeyLimits { Models = ["moonshotai/Kimi-K2.6"] });

        Assert.True(Admit(key, model: "MOONSHOTAI/KIMI-K2.6").Allowed);
        var refused = Admit(key, model: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8");
        Assert.Equal(403, refused.Status);
        Assert.Equal("model_not_allowed", refused.Code);
    }

    [Fact]
    public void Reloading_the_same_limits_keeps_the_buckets()
    {
        Assert.True(Admit(Key(new KeyLimits { RequestsPerMinute = 1, Models = ["m"] })).Allowed);
        // A fresh but equal copy, as after the key cache expires.
        Assert.False(Admit(Key(new KeyLimits { RequestsPerMinute = 1, Models = ["m"] })).Allowed);
    }
}
