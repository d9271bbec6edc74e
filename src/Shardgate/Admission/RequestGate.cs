using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shardgate.Api;
using Shardgate.Api.Auth;
using Shardgate.Contract;
using Shardgate.Hosting;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Observability;
using Shardgate.Storage;
using Shardgate.Upstream;

namespace Shardgate.Admission;

/// <summary>
/// Everything a request must pass before it is forwarded, in order: the model's and the gateway's admission limits,
/// the key's own limits, and the account's balance. Whatever it takes is recorded on the trace and given back by
/// <see cref="Release"/> when the request ends.
/// </summary>
internal sealed class RequestGate(ModelAdmission admission, KeyRateLimiter limiter, BalanceLedger ledger, PriceBook prices, ShardgateOptions options)
{
    /// <summary>
    /// Null when the request may go; otherwise the error to answer with. A model at its admission limit is reported
    /// with the <see cref="RequestOutcome.Saturated"/> outcome, so a fallback model may be tried instead.
    /// </summary>
    public async Task<PendingError?> AdmitAsync(HttpContext context, RequestTrace trace, ModelShard shard, int promptBytes, ContractContext normalized)
    {
        trace.Admission = admission.TryEnter(shard, (promptBytes + 3) / 4, out var refusal);
        if (trace.Admission is null)
        {
            return new PendingError(
                new OpenAiError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.ModelSaturated, $"{refusal} Retry after {options.SaturationRetryAfterSeconds} s. This is a capacity limit, not a balance or quota problem."),
                RequestOutcome.Saturated,
                options.SaturationRetryAfterSeconds);
        }

        if (trace.Identity is not { } identity)
        {
            // The admin key is neither limited nor billed.
            return null;
        }

        var refused = CheckKeyLimits(context, trace, identity, shard.ModelId, promptBytes, normalized)
            ?? await ReserveAsync(context, trace, identity, shard.ModelId, promptBytes, normalized);
        return refused is null ? null : PendingError.Final(refused.Value);
    }

    /// <summary>Undoes what <see cref="AdmitAsync"/> took, before the request tries another model.</summary>
    public void Retract(RequestTrace trace)
    {
        Release(trace);
        if (trace.Reservation is { } reservation)
        {
            ledger.Settle(reservation, 0);
            trace.Reservation = null;
        }
    }

    /// <summary>Gives back the admission slot and corrects the key's token count to what was used.</summary>
    public void Release(RequestTrace trace)
    {
        if (trace.Admission is { } ticket)
        {
            admission.Exit(ticket);
            trace.Admission = null;
        }

        if (trace.RateLimitedTokens is { } estimate && trace.Identity is { } identity)
        {
            limiter.Complete(identity, estimate, trace.Usage is { } usage ? usage.PromptTokens + usage.CompletionTokens : estimate);
            trace.RateLimitedTokens = null;
        }
    }

    /// <summary>The key's own limits; its token estimate is the expected prompt (a token per four bytes) plus the full output budget.</summary>
    private OpenAiError? CheckKeyLimits(HttpContext context, RequestTrace trace, KeyIdentity identity, string model, int promptBytes, ContractContext normalized)
    {
        var estimate = ((promptBytes + 3) / 4) + (normalized.MaxTokens * normalized.Choices);
        var decision = limiter.TryAdmit(identity, model, estimate, context.Response);
        if (decision.Allowed)
        {
            if (!identity.Limits.IsUnlimited)
            {
                trace.RateLimitedTokens = estimate;
            }

            return null;
        }

        if (decision.RetryAfter > TimeSpan.Zero)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var forbidden = decision.Status == StatusCodes.Status403Forbidden;
        return new OpenAiError(decision.Status, forbidden ? ErrorTypes.InvalidRequest : ErrorTypes.RateLimit, decision.Code!, decision.Message!, forbidden ? "model" : null);
    }

    /// <summary>
    /// Holds the request's worst case before it is forwarded: every upstream byte counted as a prompt token (a
    /// byte-level BPE token covers at least one byte, so this bounds any model's count) plus the full output budget
    /// of every choice. Settlement later charges the host's actual usage and releases the rest.
    /// </summary>
    private async Task<OpenAiError?> ReserveAsync(HttpContext context, RequestTrace trace, KeyIdentity identity, string model, int promptBytes, ContractContext normalized)
    {
        var price = prices.For(model);
        trace.Price = price;
        trace.PromptBytes = promptBytes;
        var output = normalized.MaxTokens * normalized.Choices;
        var need = price.Cost(promptBytes, output);
        var outcome = await ledger.ReserveAsync(identity.AccountId, need, context.RequestAborted);
        if (outcome.Succeeded)
        {
            trace.Reservation = outcome.Reservation;
            return null;
        }

        var view = ledger.View(outcome.Balance ?? new AccountBalance(identity.AccountId, 0, 0));
        return new OpenAiError(StatusCodes.Status402PaymentRequired, ErrorTypes.InsufficientQuota, ErrorCodes.InsufficientQuota, string.Create(CultureInfo.InvariantCulture,
            $"Insufficient balance: this request may cost up to {need} ngonka ({promptBytes} prompt bytes at {price.InputPerToken} and {output} output tokens at {price.OutputPerToken} ngonka per token); the account has {view.Available} ngonka available (balance {view.Balance}, {view.Reserved} held by requests in flight). Add funds, or lower max_tokens."));
    }
}
