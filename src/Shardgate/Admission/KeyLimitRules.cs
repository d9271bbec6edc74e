using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shardgate.Ledger;

namespace Shardgate.Admission;

/// <summary>The parts of a key's limits that need no counters, and the refusals every limiter words the same way.</summary>
internal static class KeyLimitRules
{
    /// <summary>A refusal that needs no state (a model the key may not call, a request larger than its TPM), else null.</summary>
    public static RateDecision? Check(KeyLimits limits, string model, long estimatedTokens)
    {
        if (limits.Models is { } models && !models.Contains(model, StringComparer.OrdinalIgnoreCase))
        {
            return new RateDecision(false, StatusCodes.Status403Forbidden, "model_not_allowed", $"This key may call {string.Join(", ", models)}; '{model}' is not among them.", TimeSpan.Zero);
        }

        if (limits.TokensPerMinute is { } tpm && estimatedTokens > tpm)
        {
            return new RateDecision(false, StatusCodes.Status429TooManyRequests, "rate_limit_exceeded",
                string.Create(CultureInfo.InvariantCulture, $"This request may use up to {estimatedTokens} tokens, more than the key's limit of {tpm} tokens per minute. Lower max_tokens or shorten the prompt."), TimeSpan.Zero);
        }

        return null;
    }

    public static RateDecision TooManyInFlight(long inFlight) =>
        Refused(string.Create(CultureInfo.InvariantCulture, $"The key already has {inFlight} requests in flight, its limit. Retry when one finishes."), TimeSpan.FromSeconds(1));

    public static RateDecision RequestsPerMinute(KeyLimits limits, TimeSpan retryAfter) =>
        Refused(string.Create(CultureInfo.InvariantCulture, $"Rate limit reached: {limits.RequestsPerMinute} requests per minute for this key."), retryAfter);

    public static RateDecision TokensPerMinute(KeyLimits limits, TimeSpan retryAfter) =>
        Refused(string.Create(CultureInfo.InvariantCulture, $"Rate limit reached: {limits.TokensPerMinute} tokens per minute for this key."), retryAfter);

    /// <summary>OpenAI's rate-limit headers, so SDKs and dashboards that read them work unchanged.</summary>
    public static void WriteHeaders(HttpResponse response, string kind, double limit, double remaining, TimeSpan untilFull)
    {
        var headers = response.Headers;
        headers["x-ratelimit-limit-" + kind] = limit.ToString("0", CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-" + kind] = Math.Max(0, Math.Floor(remaining)).ToString("0", CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset-" + kind] = untilFull.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }

    private static RateDecision Refused(string message, TimeSpan retryAfter) =>
        new(false, StatusCodes.Status429TooManyRequests, "rate_limit_exceeded", message, retryAfter);
}
