using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shardgate.Admission;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Observability;
using StackExchange.Redis;

namespace Shardgate.Storage.Redis;

/// <summary>
/// A key's limits and a model's admission counts, exact across every replica: one Redis round trip per admission
/// (<see cref="AdmissionScripts.Admit"/>) and one fire-and-forget call when the request ends; none for an unlimited
/// key on an unlimited model. This replica also counts its own in-flight requests per key (and
/// <see cref="ModelAdmission"/> per model), the truth it re-asserts to Redis after a reconnection. While Redis cannot
/// be reached, admission falls back per <see cref="SharedStateOptions.OnFailure"/>: this replica's own limits
/// (fail-open) or a 429 (fail-closed).
/// </summary>
internal sealed class RedisAdmissionLimiter : IAdmissionLimiter
{
    public const string MeterName = "Shardgate.SharedState";
    public const string ReplicaPrefix = "replica:";

    private readonly RedisConnection _redis;
    private readonly KeyRateLimiter _fallback;
    private readonly ModelAdmission _models;
    private readonly SharedStateOptions _options;
    private readonly ILogger<RedisAdmissionLimiter> _logger;
    private readonly Counter<long> _fallbacks;
    private readonly ConcurrentDictionary<long, int> _inFlight = new();
    private long _lastFallbackLog;

    public RedisAdmissionLimiter(RedisConnection redis, KeyRateLimiter fallback, ModelAdmission models, SharedStateOptions options, IMeterFactory meterFactory, ILogger<RedisAdmissionLimiter> logger)
    {
        (_redis, _fallback, _models, _options, _logger) = (redis, fallback, models, options, logger);
        _fallbacks = meterFactory.Create(MeterName).CreateCounter<long>("shardgate.redis.fallbacks", "{request}", "Admissions decided without Redis because it could not be reached, by failure mode (fail-open: this replica's own limits; fail-closed: refused).");
        redis.Restored += (_, _) => _ = ReassertAsync();
    }

    public async ValueTask<RateDecision> TryAdmitAsync(KeyIdentity identity, ModelSlot slot, long estimatedTokens, HttpResponse response, CancellationToken cancellationToken)
    {
        var limits = identity.Limits;
        var keyLimited = !limits.IsUnlimited;
        if (keyLimited && KeyLimitRules.Check(limits, slot.Model, estimatedTokens) is { } refused)
        {
            return refused;
        }

        if (!keyLimited && !slot.IsLimited)
        {
            return RateDecision.Admit;
        }

        RedisResult[] verdict;
        try
        {
            verdict = (RedisResult[])(await _redis.Database.ScriptEvaluateAsync(
                AdmissionScripts.Admit,
                [Key(identity.KeyId, "r"), Key(identity.KeyId, "t"), Key(identity.KeyId, "c"), ModelKey(slot.Model)],
                [_redis.Replica, limits.RequestsPerMinute ?? 0, limits.TokensPerMinute ?? 0, limits.MaxConcurrent ?? 0, estimatedTokens, _redis.Prefix + ReplicaPrefix, slot.MaxRequests, slot.MaxInputTokens, slot.InputTokens]))!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Unreachable(identity, slot.Model, estimatedTokens, response, ex);
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
            case 4:
                return Saturated(slot, string.Create(CultureInfo.InvariantCulture, $"{(long)verdict[7]} requests in flight across replicas, limit {slot.MaxRequests}"));
            case 5:
                return Saturated(slot, string.Create(CultureInfo.InvariantCulture, $"{(long)verdict[8]} input tokens in flight across replicas, limit {slot.MaxInputTokens}"));
        }

        if (keyLimited)
        {
            _inFlight.AddOrUpdate(identity.KeyId, 1, static (_, n) => n + 1);
            WriteHeaders(response, limits, verdict);
        }

        return RateDecision.Admit;
    }

    public void Complete(KeyIdentity identity, ModelSlot slot, long? estimatedTokens, long actualTokens)
    {
        if (estimatedTokens is null && !slot.IsLimited)
        {
            return;
        }

        var limits = identity.Limits;
        if (estimatedTokens is not null)
        {
            _inFlight.AddOrUpdate(identity.KeyId, 0, static (_, n) => n - 1);
            _ = _inFlight.TryRemove(new KeyValuePair<long, int>(identity.KeyId, 0));
        }

        try
        {
            // Fire and forget: a count lost with a dropped connection is re-asserted when the connection returns.
            _redis.Database.ScriptEvaluate(
                AdmissionScripts.Complete,
                [Key(identity.KeyId, "t"), Key(identity.KeyId, "c"), ModelKey(slot.Model)],
                [_redis.Replica, estimatedTokens is null ? 0 : limits.TokensPerMinute ?? 0, (estimatedTokens ?? 0) - actualTokens, estimatedTokens is not null && limits.MaxConcurrent is not null ? "1" : "0", slot.IsLimited ? "1" : "0", slot.InputTokens],
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

            foreach (var (model, requests, tokens) in _models.Counts())
            {
                RedisValue[] fields = ["r:" + _redis.Replica, "t:" + _redis.Replica];
                writes.Add(requests > 0
                    ? database.HashSetAsync(ModelKey(model), [new(fields[0], requests), new(fields[1], tokens)])
                    : database.HashDeleteAsync(ModelKey(model), fields));
            }

            await Task.WhenAll(writes);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            GatewayLog.SharedStateWriteFailed(_logger, ex);
        }
    }

    private static RedisKey Key(long keyId, string what) => $"k:{keyId}:{what}";

    private static RedisKey ModelKey(string model) => "m:" + model;

    private static RateDecision Saturated(ModelSlot slot, string what) =>
        new(false, StatusCodes.Status429TooManyRequests, ErrorCodes.ModelSaturated, ModelAdmission.Saturated(slot.Model, what), TimeSpan.FromSeconds(1));

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
            return new RateDecision(false, StatusCodes.Status429TooManyRequests, "rate_limit_exceeded", "The gateway cannot check its shared limits right now (its shared state is unreachable). Retry shortly.", TimeSpan.FromSeconds(1));
        }

        // The model's counts: ModelAdmission has already applied them on this replica.
        if (identity.Limits.IsUnlimited)
        {
            return RateDecision.Admit;
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
