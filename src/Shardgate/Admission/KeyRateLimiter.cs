using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shardgate.Ledger;

namespace Shardgate.Admission;

/// <summary>
/// Per-key limits, checked before any money is reserved: requests per minute and tokens per minute as token
/// buckets (a limit of 60 admits a burst of 60, then one a second), concurrent requests, and a model allowlist.
/// Exact on one replica; state lives in memory.
/// </summary>
internal sealed class KeyRateLimiter(TimeProvider time) : IAdmissionLimiter
{
    private readonly ConcurrentDictionary<long, KeyState> _keys = new();

    public ValueTask<RateDecision> TryAdmitAsync(KeyIdentity identity, ModelSlot slot, long estimatedTokens, HttpResponse response, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryAdmit(identity, slot.Model, estimatedTokens, response));

    // One replica: the model's counts are ModelAdmission's alone.
    void IAdmissionLimiter.Complete(KeyIdentity identity, ModelSlot slot, long? estimatedTokens, long actualTokens)
    {
        if (estimatedTokens is { } estimate)
        {
            Complete(identity, estimate, actualTokens);
        }
    }

    public RateDecision TryAdmit(KeyIdentity identity, string model, long estimatedTokens, HttpResponse response)
    {
        var limits = identity.Limits;
        if (limits.IsUnlimited)
        {
            return RateDecision.Admit;
        }

        if (KeyLimitRules.Check(limits, model, estimatedTokens) is { } refused)
        {
            return refused;
        }

        var state = _keys.GetOrAdd(identity.KeyId, static (_, args) => new KeyState(args.limits, args.time), (limits, time));
        lock (state)
        {
            // The key's limits changed: start again from full buckets, keeping the requests in flight. Under the
            // state's lock, so no admission or completion sees half of the old limits and half of the new.
            if (!state.Limits.SameAs(limits))
            {
                state.Apply(limits, time);
            }

            if (limits.MaxConcurrent is { } concurrent && state.InFlight >= concurrent)
            {
                return KeyLimitRules.TooManyInFlight(state.InFlight);
            }

            if (state.Requests is { } requests && !requests.TryTake(1, out var requestWait))
            {
                WriteHeaders(state, response);
                return KeyLimitRules.RequestsPerMinute(limits, requestWait);
            }

            if (state.Tokens is { } tokens && !tokens.TryTake(estimatedTokens, out var tokenWait))
            {
                state.Requests?.Add(1);
                WriteHeaders(state, response);
                return KeyLimitRules.TokensPerMinute(limits, tokenWait);
            }

            state.InFlight++;
            WriteHeaders(state, response);
            return RateDecision.Admit;
        }
    }

    /// <summary>Ends an admitted request: frees its concurrency slot and corrects the token estimate to actual use.</summary>
    public void Complete(KeyIdentity identity, long estimatedTokens, long actualTokens)
    {
        if (identity.Limits.IsUnlimited || !_keys.TryGetValue(identity.KeyId, out var state))
        {
            return;
        }

        lock (state)
        {
            state.InFlight--;
            state.Tokens?.Add(estimatedTokens - actualTokens);
        }
    }

    /// <summary>Requests of the key admitted and not completed; for tests.</summary>
    internal int InFlight(long keyId)
    {
        if (!_keys.TryGetValue(keyId, out var state))
        {
            return 0;
        }

        lock (state)
        {
            return state.InFlight;
        }
    }

    private static void WriteHeaders(KeyState state, HttpResponse response)
    {
        if (state.Requests is { } requests)
        {
            KeyLimitRules.WriteHeaders(response, "requests", requests.Capacity, requests.Available, requests.UntilFull);
        }

        if (state.Tokens is { } tokens)
        {
            KeyLimitRules.WriteHeaders(response, "tokens", tokens.Capacity, tokens.Available, tokens.UntilFull);
        }
    }

    /// <summary>One key's buckets and in-flight count; read and changed only under its own lock.</summary>
    private sealed class KeyState
    {
        public KeyState(KeyLimits limits, TimeProvider time) => Apply(limits, time);

        public KeyLimits Limits { get; private set; } = KeyLimits.None;

        public TokenBucket? Requests { get; private set; }

        public TokenBucket? Tokens { get; private set; }

        public int InFlight { get; set; }

        public void Apply(KeyLimits limits, TimeProvider time)
        {
            Limits = limits;
            Requests = limits.RequestsPerMinute is { } rpm ? new TokenBucket(rpm, rpm / 60.0, time) : null;
            Tokens = limits.TokensPerMinute is { } tpm ? new TokenBucket(tpm, tpm / 60.0, time) : null;
        }
    }
}
