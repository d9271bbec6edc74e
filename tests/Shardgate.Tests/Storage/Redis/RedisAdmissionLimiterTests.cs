using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shardgate.Admission;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Storage.Redis;
using Shardgate.Tests.Infrastructure;
using StackExchange.Redis;

namespace Shardgate.Tests.Storage.Redis;

/// <summary>
/// The shared key limiter against a real Redis, with two limiters standing for two replicas (each its own
/// connection and replica id). Every test uses its own key id, so tests never share counters.
/// </summary>
public sealed class RedisAdmissionLimiterTests
{
    private static readonly SharedStateOptions Options = new() { Configuration = TestRedis.Configuration, Prefix = TestRedis.NewPrefix(), Timeout = TimeSpan.FromSeconds(2) };

    [RedisFact]
    public async Task Requests_per_minute_are_exact_across_replicas()
    {
        await using var a = await ReplicaAsync();
        await using var b = await ReplicaAsync();
        var key = Key(new KeyLimits { RequestsPerMinute = 10 });

        var admitted = 0;
        RateDecision last = default;
        for (var i = 0; i < 30; i++)
        {
            last = await (i % 2 == 0 ? a : b).Limiter.TryAdmitAsync(key, Unlimited(1), 1, new DefaultHttpContext().Response, CancellationToken.None);
            admitted += last.Allowed ? 1 : 0;
        }

        // A burst of ten; the next token comes only after 6 s, far longer than this loop.
        Assert.Equal(10, admitted);
        Assert.Equal(429, last.Status);
        Assert.InRange(last.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));
    }

    [RedisFact]
    public async Task Tokens_per_minute_are_shared_and_unused_tokens_come_back_at_completion()
    {
        await using var a = await ReplicaAsync();
        await using var b = await ReplicaAsync();
        var key = Key(new KeyLimits { TokensPerMinute = 1000 });

        Assert.True((await AdmitAsync(a, key, 600)).Allowed);
        Assert.False((await AdmitAsync(b, key, 600)).Allowed);
        // The first used 100 of its 600: 500 come back, and the other replica may now take 600.
        a.Limiter.Complete(key, Unlimited(600), 600, 100);
        await WaitUntilAsync(async () => (await AdmitAsync(b, key, 600)).Allowed);
    }

    [RedisFact]
    public async Task Concurrency_is_exact_across_replicas_and_a_completion_frees_a_slot()
    {
        await using var a = await ReplicaAsync();
        await using var b = await ReplicaAsync();
        var key = Key(new KeyLimits { MaxConcurrent = 3 });

        Assert.True((await AdmitAsync(a, key)).Allowed);
        Assert.True((await AdmitAsync(b, key)).Allowed);
        Assert.True((await AdmitAsync(a, key)).Allowed);
        var refused = await AdmitAsync(b, key);
        Assert.False(refused.Allowed);
        Assert.Contains("3 requests in flight", refused.Message, StringComparison.Ordinal);

        b.Limiter.Complete(key, Unlimited(1), 1, 1);
        await WaitUntilAsync(async () => (await AdmitAsync(a, key)).Allowed);
    }

    [RedisFact]
    public async Task A_crashed_replicas_slots_free_themselves_when_its_heartbeat_expires()
    {
        await using var crashed = await ReplicaAsync(heartbeat: TimeSpan.FromMilliseconds(300));
        await using var survivor = await ReplicaAsync();
        var key = Key(new KeyLimits { MaxConcurrent = 2 });
        Assert.True((await AdmitAsync(crashed, key)).Allowed);
        Assert.True((await AdmitAsync(crashed, key)).Allowed);
        Assert.False((await AdmitAsync(survivor, key)).Allowed);

        // The crashed replica never completes its requests and never renews its key.
        await WaitUntilAsync(async () => (await AdmitAsync(survivor, key)).Allowed);
        Assert.False(await survivor.Connection.Database.KeyExistsAsync(RedisAdmissionLimiter.ReplicaPrefix + crashed.Connection.Replica));
    }

    [RedisFact]
    public async Task Counts_lost_while_redis_forgot_them_are_reasserted_on_reconnection()
    {
        await using var a = await ReplicaAsync();
        await using var b = await ReplicaAsync();
        var key = Key(new KeyLimits { MaxConcurrent = 2 });
        Assert.True((await AdmitAsync(a, key)).Allowed);
        Assert.True((await AdmitAsync(a, key)).Allowed);

        // As after a Redis restart without persistence: the counts are gone, the requests are still in flight.
        await a.Connection.Database.KeyDeleteAsync($"k:{key.KeyId}:c");
        await a.Limiter.ReassertAsync();

        Assert.False((await AdmitAsync(b, key)).Allowed);
    }

    [RedisFact]
    public async Task A_models_requests_and_input_tokens_in_flight_are_exact_across_replicas()
    {
        await using var a = await ReplicaAsync();
        await using var b = await ReplicaAsync();
        var key = Key(KeyLimits.None);
        var requests = new ModelSlot(ModelName(), 10, MaxRequests: 3, MaxInputTokens: 0);

        Assert.True((await AdmitAsync(a, key, slot: requests)).Allowed);
        Assert.True((await AdmitAsync(b, key, slot: requests)).Allowed);
        Assert.True((await AdmitAsync(a, key, slot: requests)).Allowed);
        var refused = await AdmitAsync(b, key, slot: requests);
        Assert.Equal(ErrorCodes.ModelSaturated, refused.Code);
        Assert.Contains("3 requests in flight across replicas, limit 3", refused.Message, StringComparison.Ordinal);
        a.Limiter.Complete(key, requests, null, 0);
        await WaitUntilAsync(async () => (await AdmitAsync(b, key, slot: requests)).Allowed);

        var tokens = new ModelSlot(ModelName(), 600, MaxRequests: 0, MaxInputTokens: 1000);
        Assert.True((await AdmitAsync(a, key, slot: tokens)).Allowed);
        refused = await AdmitAsync(b, key, slot: tokens);
        Assert.Contains("600 input tokens in flight across replicas, limit 1000", refused.Message, StringComparison.Ordinal);
        a.Limiter.Complete(key, tokens, null, 0);
        await WaitUntilAsync(async () => (await AdmitAsync(b, key, slot: tokens)).Allowed);
    }

    [RedisFact]
    public async Task A_crashed_replicas_model_slots_free_themselves_when_its_heartbeat_expires()
    {
        await using var crashed = await ReplicaAsync(heartbeat: TimeSpan.FromMilliseconds(300));
        await using var survivor = await ReplicaAsync();
        var key = Key(KeyLimits.None);
        var slot = new ModelSlot(ModelName(), 10, MaxRequests: 1, MaxInputTokens: 0);
        Assert.True((await AdmitAsync(crashed, key, slot: slot)).Allowed);
        Assert.False((await AdmitAsync(survivor, key, slot: slot)).Allowed);

        await WaitUntilAsync(async () => (await AdmitAsync(survivor, key, slot: slot)).Allowed);
    }

    [RedisFact]
    public async Task A_models_counts_are_reasserted_from_this_replicas_own_after_redis_forgot_them()
    {
        var model = ModelName();
        var admission = new AdmissionOptions { Models = new Dictionary<string, ModelAdmissionOptions> { [model] = new() { MaxConcurrent = 2 } } };
        await using var a = await ReplicaAsync(admission: admission);
        await using var b = await ReplicaAsync(admission: admission);
        var shard = new ModelShard(model, [new UpstreamHost("h", new Uri("http://127.0.0.1:1/"), 10, 1)], null);
        var key = Key(KeyLimits.None);
        for (var i = 0; i < 2; i++)
        {
            var slot = a.Models.TryEnter(shard, 10, out _)!;
            Assert.True((await AdmitAsync(a, key, slot: slot)).Allowed);
        }

        await a.Connection.Database.KeyDeleteAsync("m:" + model);
        await a.Limiter.ReassertAsync();

        Assert.Equal(ErrorCodes.ModelSaturated, (await AdmitAsync(b, key, slot: b.Models.TryEnter(shard, 10, out _))).Code);
    }

    [Fact]
    public async Task Without_redis_fail_open_applies_this_replicas_own_limits_and_fail_closed_refuses()
    {
        var unreachable = new SharedStateOptions { Configuration = $"127.0.0.1:{ClosedPort.Get()},connectTimeout=200", Timeout = TimeSpan.FromMilliseconds(200) };
        await using var open = await ReplicaAsync(options: unreachable);
        await using var closed = await ReplicaAsync(options: unreachable with { OnFailure = SharedStateOptions.FailClosed });
        var key = Key(new KeyLimits { RequestsPerMinute = 2, MaxConcurrent = 5 });

        Assert.True((await AdmitAsync(open, key)).Allowed);
        Assert.True((await AdmitAsync(open, key)).Allowed);
        Assert.False((await AdmitAsync(open, key)).Allowed);
        var refused = await AdmitAsync(closed, key);
        Assert.False(refused.Allowed);
        Assert.Equal(429, refused.Status);
        Assert.True(refused.RetryAfter > TimeSpan.Zero);
    }

    private static long _nextKey = Random.Shared.NextInt64(1_000_000, 1_000_000_000);

    private static KeyIdentity Key(KeyLimits limits) => new(Interlocked.Increment(ref _nextKey), 1, "sg-test", limits);

    private static ModelSlot Unlimited(long tokens) => new("m", tokens, 0, 0);

    private static string ModelName() => "model-" + Interlocked.Increment(ref _nextKey).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ValueTask<RateDecision> AdmitAsync(Replica replica, KeyIdentity key, long tokens = 1, ModelSlot? slot = null) =>
        replica.Limiter.TryAdmitAsync(key, slot ?? Unlimited(tokens), tokens, new DefaultHttpContext().Response, CancellationToken.None);

    private static async Task<Replica> ReplicaAsync(TimeSpan? heartbeat = null, SharedStateOptions? options = null, AdmissionOptions? admission = null)
    {
        var settings = options ?? Options;
        var connection = RedisConnection.Connect(settings);
        var meters = new TestMeterFactory();
        var models = new ModelAdmission(admission ?? new AdmissionOptions());
        var limiter = new RedisAdmissionLimiter(connection, new KeyRateLimiter(new FakeTimeProvider()), models, settings, meters, NullLogger<RedisAdmissionLimiter>.Instance);
        if (connection.IsConnected)
        {
            // The heartbeat is written once and, for a "crashed" replica, never renewed.
            await connection.Database.StringSetAsync(RedisAdmissionLimiter.ReplicaPrefix + connection.Replica, "1", heartbeat ?? TimeSpan.FromMinutes(1));
        }

        return new Replica(connection, limiter, models, meters);
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition, "the condition did not hold");

    private sealed record Replica(RedisConnection Connection, RedisAdmissionLimiter Limiter, ModelAdmission Models, TestMeterFactory Meters) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Meters.Dispose();
            await Connection.DisposeAsync();
        }
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
