using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shardgate.Admission;
using Shardgate.Ledger;
using Shardgate.Observability;
using StackExchange.Redis;

namespace Shardgate.Storage.Redis;

/// <summary>
/// A key's limits, exact across every replica: one Redis round trip per admission (<see cref="KeyLimitScripts.Admit"/>)
/// and one fire-and-forget call when the request ends. This replica also counts its own in-flight requests per
/// key, the truth it re-asserts to Redis after a reconnection. While Redis cannot be reached, limited keys fall
/// back per <see cref="SharedStateOptions.OnFailure"/>: this replica's own limiter (fail-open) or a 429 (fail-closed).
/// </summary>
internal sealed class RedisKeyLimiter : IKeyLimiter
{
    public const string MeterName = "Shardgate.SharedState";
    public const string ReplicaPrefix = "sg:replica:";

    private readonly RedisConnection _redis;
    private readonly KeyRateLimiter _fallback;
    private readonly SharedStateOptions _options;
    private readonly ILogger<RedisKeyLimiter> _logger;
    private readonly Counter<long> _fallbacks;
    private readonly ConcurrentDictionary<long, int> _inFlight = new();
    private long _lastFallbackLog;

    public RedisKeyLimiter(RedisConnection redis, KeyRateLimiter fallback, SharedStateOptions options, IMeterFactory meterFactory, ILogger<RedisKeyLimiter> logger)
    {
        (_redis, _fallback, _options, _logger) = (redis, fallback, options, logger);
        _fallbacks = meterFactory.Create(MeterName).CreateCounter<long>("shardgate.redis.fallbacks", "{request}", "Admissions decided without Redis because it could not be reached, by failure mode (fail-open: this replica's own limits; fail-closed: refused).");
        redis.Restored += (_, _) => _ = ReassertAsync();
    }

    public async ValueTask<RateDecision> TryAdmitAsync(KeyIdentity identity, string model, long estimatedTokens, HttpResponse response, CancellationToken cancellationToken)
    {
        var limits = identity.Limits;
        if (KeyLimitRules.Check(limits, model, estimatedTokens) is { } refused)
        {
            return refused;
        }

        RedisResult[] verdict;
        try
        {
            verdict = (RedisResult[])(await _redis.Database.ScriptEvaluateAsync(
                KeyLimitScripts.Admit,
                [Key(identity.KeyId, "r"), Key(identity.KeyId, "t"), Key(identity.KeyId, "c")],
                [_redis.Replica, limits.RequestsPerMinute ?? 0, limits.TokensPerMinute ?? 0, limits.MaxConcurrent ?? 0, estimatedTokens, ReplicaPrefix]))!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Unreachable(identity, model, estimatedTokens, response, ex);
        }

        var wait = TimeSpan.FromMilliseconds((long)verdict[1]);
        switch ((int)verdict[0])
        {
            case 1:
                return KeyLimitRules.TooManyInFlight((long)verdict[6]);
            case 2:
                WriteHeaders(response, limits, verdict);
                return KeyLimitRules.RequestsPerMinute(limits, wait);
            case 3:
                WriteHeaders(response, limits, verdict);
                return KeyLimitRules.TokensPerMinute(limits, wait);
        }

        _inFlight.AddOrUpdate(identity.KeyId, 1, static (_, n) => n + 1);
        WriteHeaders(response, limits, verdict);
        return RateDecision.Admit;
    }

    public void Complete(KeyIdentity identity, long estimatedTokens, long actualTokens)
    {
        var limits = identity.Limits;
        _inFlight.AddOrUpdate(identity.KeyId, 0, static (_, n) => n - 1);
        _ = _inFlight.TryRemove(new KeyValuePair<long, int>(identity.KeyId, 0));
        try
        {
            // Fire and forget: a count lost with a dropped connection is re-asserted when the connection returns.
            _redis.Database.ScriptEvaluate(
                KeyLimitScripts.Complete,
                [Key(identity.KeyId, "t"), Key(identity.KeyId, "c")],
                [_redis.Replica, limits.TokensPerMinute ?? 0, estimatedTokens - actualTokens, limits.MaxConcurrent is null ? "0" : "1"],
                CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            GatewayLog.SharedStateWriteFailed(_logger, ex);
        }
    }

    /// <summary>This replica's in-flight counts, as Redis should hold them; rewritten after Redis comes back (it may have restarted empty).</summary>
    internal async Task ReassertAsync()
    {
        try
        {
            var database = _redis.Database;
            var writes = new List<Task>();
            foreach (var (keyId, count) in _inFlight)
            {
                writes.Add(count > 0
                    ? database.HashSetAsync(Key(keyId, "c"), _redis.Replica, count)
                    : database.HashDeleteAsync(Key(keyId, "c"), _redis.Replica));
            }

            await Task.WhenAll(writes);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            GatewayLog.SharedStateWriteFailed(_logger, ex);
        }
    }

    private static RedisKey Key(long keyId, string what) => $"sg:k:{keyId}:{what}";

    private RateDecision Unreachable(KeyIdentity identity, string model, long estimatedTokens, HttpResponse response, Exception ex)
    {
        var closed = _options.OnFailure == SharedStateOptions.FailClosed;
        _fallbacks.Add(1, new KeyValuePair<string, object?>("mode", _options.OnFailure));
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastFallbackLog) > 60_000)
        {
            Interlocked.Exchange(ref _lastFallbackLog, now);
            GatewayLog.SharedStateUnreachable(_logger, ex, _options.OnFailure);
        }

        if (closed)
        {
            return new RateDecision(false, StatusCodes.Status429TooManyRequests, "rate_limit_exceeded", "The gateway cannot check this key's limits right now (its shared state is unreachable). Retry shortly.", TimeSpan.FromSeconds(1));
        }

        // This replica's own buckets and its own in-flight count stand in until Redis is back.
        var local = identity.Limits.MaxConcurrent is { } max && _inFlight.GetValueOrDefault(identity.KeyId) >= max
            ? KeyLimitRules.TooManyInFlight(max)
            : _fallback.TryAdmit(identity with { Limits = identity.Limits with { MaxConcurrent = null } }, model, estimatedTokens, response);
        if (local.Allowed)
        {
            _inFlight.AddOrUpdate(identity.KeyId, 1, static (_, n) => n + 1);
        }

        return local;
    }

    private static void WriteHeaders(HttpResponse response, KeyLimits limits, RedisResult[] verdict)
    {
        if (limits.RequestsPerMinute is { } rpm)
        {
            KeyLimitRules.WriteHeaders(response, "requests", rpm, (long)verdict[2], TimeSpan.FromMilliseconds((long)verdict[3]));
        }

        if (limits.TokensPerMinute is { } tpm)
        {
            KeyLimitRules.WriteHeaders(response, "tokens", tpm, (long)verdict[4], TimeSpan.FromMilliseconds((long)verdict[5]));
        }
    }
}
