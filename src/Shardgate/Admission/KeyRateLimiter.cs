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
internal sealed class KeyRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, KeyState> _keys = new();

    public RateDecision TryAdmit(KeyIdentity identity, string model, long estimatedTokens, HttpResponse response)
    {
        var limits = identity.Limits;
        if (limits.IsUnlimited)
        {
            return RateDecision.Admit;
        }

        if (limits.Models is { } models && !models.Contains(model, StringComparer.OrdinalIgnoreCase))
        {
            return new RateDecision(false, StatusCodes.Status403Forbidden, "model_not_allowed", $"This key may call {string.Join(", ", models)}; '{model}' is not among them.", TimeSpan.Zero);
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

            if (limits.TokensPerMinute is { } tpm && estimatedTokens > tpm)
            {
                return new RateDecision(false, StatusCodes.Status429TooManyRequests, "rate_limit_exceeded",
                    string.Create(CultureInfo.InvariantCulture, $"This request may use up to {estimatedTokens} tokens, more than the key's limit of {tpm} tokens per minute. Lower max_tokens or shorten the prompt."), TimeSpan.Zero);
            }

            if (limits.MaxConcurrent is { } concurrent && state.InFlight >= concurrent)
            {
                return Refused($"The key already has {state.InFlight} requests in flight, its limit. Retry when one finishes.", TimeSpan.FromSeconds(1));
            }

            if (state.Requests is { } requests && !requests.TryTake(1, out var requestWait))
            {
                WriteHeaders(state, response);
                return Refused(string.Create(CultureInfo.InvariantCulture, $"Rate limit reached: {limits.RequestsPerMinute} requests per minute for this key."), requestWait);
            }

            if (state.Tokens is { } tokens && !tokens.TryTake(estimatedTokens, out var tokenWait))
            {
                state.Requests?.Add(1);
                WriteHeaders(state, response);
                return Refused(string.Create(CultureInfo.InvariantCulture, $"Rate limit reached: {limits.TokensPerMinute} tokens per minute for this key."), tokenWait);
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

    private static RateDecision Refused(string message, TimeSpan retryAfter) =>
        new(false, StatusCodes.Status429TooManyRequests, "rate_limit_exceeded", message, retryAfter);

    // OpenAI's names, so SDKs and dashboards that read them work unchanged.
    private static void WriteHeaders(KeyState state, HttpResponse response)
    {
        var headers = response.Headers;
        if (state.Requests is { } requests)
        {
            headers["x-ratelimit-limit-requests"] = requests.Capacity.ToString("0", CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-requests"] = Math.Floor(requests.Available).ToString("0", CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-requests"] = Seconds(requests.UntilFull);
        }

        if (state.Tokens is { } tokens)
        {
            headers["x-ratelimit-limit-tokens"] = tokens.Capacity.ToString("0", CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-tokens"] = Math.Max(0, Math.Floor(tokens.Available)).ToString("0", CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-tokens"] = Seconds(tokens.UntilFull);
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

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
