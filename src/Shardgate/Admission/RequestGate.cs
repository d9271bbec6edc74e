using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shardgate.Contract;
using Shardgate.Contract.Tokens;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;

namespace Shardgate.Admission;

/// <summary>
/// Everything a request must pass before it is forwarded, in order: the model's and the gateway's admission limits,
/// the key's own limits, and the account's balance. An admitted request holds an <see cref="AdmissionTicket"/>;
/// <see cref="Release"/> gives back what it took when the request ends. A refused request holds nothing.
/// </summary>
internal sealed class RequestGate(ModelAdmission admission, IAdmissionLimiter limiter, BalanceLedger ledger, PriceBook prices, AdmissionOptions options)
{
    /// <summary>
    /// A model at its admission limit is refused with the <see cref="RequestOutcome.Saturated"/> outcome, so a
    /// fallback model may be tried instead; the key's limits and the balance refuse the request itself.
    /// </summary>
    public async Task<GateDecision> AdmitAsync(HttpContext context, KeyIdentity identity, ModelShard shard, PromptTokens prompt, ContractContext normalized)
    {
        var slot = admission.TryEnter(shard, prompt.Estimate, out var saturated);
        if (slot is null)
        {
            return GateDecision.Refused(Saturated(saturated!));
        }

        long? rateLimited = null;
        try
        {
            var estimate = prompt.Estimate + (normalized.MaxTokens * normalized.Choices);
            if (await CheckLimitsAsync(context, identity, slot, estimate) is { } limited)
            {
                admission.Exit(slot);
                return GateDecision.Refused(limited);
            }

            rateLimited = identity.Limits.IsUnlimited ? null : estimate;
            var price = prices.For(shard.ModelId);
            var (reservation, unpaid) = await ReserveAsync(context, identity, price, prompt, normalized);
            if (reservation is null)
            {
                Give(slot, identity, rateLimited, actualTokens: 0);
                return GateDecision.Refused(unpaid!);
            }

            return GateDecision.Admitted(new AdmissionTicket(slot, rateLimited, reservation, price, prompt.Estimate));
        }
        catch
        {
            Give(slot, identity, rateLimited, actualTokens: 0);
            throw;
        }
    }

    /// <summary>Gives back the admission slot and corrects the key's token count to what was used.</summary>
    public void Release(AdmissionTicket ticket, KeyIdentity identity, Usage? usage) =>
        Give(ticket.Slot, identity, ticket.RateLimitedTokens, usage is { } used ? used.PromptTokens + used.CompletionTokens : ticket.RateLimitedTokens ?? 0);

    /// <summary>Undoes an admission whose model could not serve, before the request tries another: nothing is charged.</summary>
    public void Retract(AdmissionTicket ticket, KeyIdentity identity)
    {
        Give(ticket.Slot, identity, ticket.RateLimitedTokens, actualTokens: 0);
        ledger.Settle(ticket.Reservation, 0);
    }

    private void Give(ModelSlot slot, KeyIdentity identity, long? rateLimited, long actualTokens)
    {
        admission.Exit(slot);
        limiter.Complete(identity, slot, rateLimited, actualTokens);
    }

    private Refusal Saturated(string why) => new(
        new GatewayError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.ModelSaturated, $"{why} Retry after {options.SaturationRetryAfterSeconds} s. This is a capacity limit, not a balance or quota problem."),
        RequestOutcome.Saturated,
        options.SaturationRetryAfterSeconds);

    /// <summary>
    /// The key's own limits, charged the request's expected prompt plus its full output budget, and, with replicas
    /// sharing state, the model's admission counts across all of them.
    /// </summary>
    private async ValueTask<Refusal?> CheckLimitsAsync(HttpContext context, KeyIdentity identity, ModelSlot slot, long estimate)
    {
        var decision = await limiter.TryAdmitAsync(identity, slot, estimate, context.Response, context.RequestAborted);
        if (decision.Allowed)
        {
            return null;
        }

        if (decision.Code == ErrorCodes.ModelSaturated)
        {
            return Saturated(decision.Message!);
        }

        long? retryAfter = decision.RetryAfter > TimeSpan.Zero ? Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds)) : null;
        var forbidden = decision.Status == StatusCodes.Status403Forbidden;
        return Refusal.Final(new GatewayError(decision.Status, forbidden ? ErrorTypes.InvalidRequest : ErrorTypes.RateLimit, decision.Code!, decision.Message!, forbidden ? "model" : null), retryAfter);
    }

    /// <summary>
    /// Holds the request's worst case before it is forwarded: the prompt's count with its safety margin (see
    /// <see cref="PromptTokens.Upper"/>) plus the full output budget of every choice. Settlement later charges the
    /// host's actual usage and releases the rest; a prompt beyond the margin is charged in full up to the balance,
    /// the rest recorded as shortfall, so the account never goes negative. An emulated <c>tool_choice: "required"</c>
    /// may send the prompt twice (the second time with its instruction) within the one output budget, so it holds both.
    /// </summary>
    private async Task<(Reservation? Reservation, Refusal? Unpaid)> ReserveAsync(HttpContext context, KeyIdentity identity, Price price, PromptTokens prompt, ContractContext normalized)
    {
        var output = normalized.MaxTokens * normalized.Choices;
        var promptTokens = normalized.RequiredToolCall is { } required ? (2 * prompt.Upper) + required.InstructionTokens : prompt.Upper;
        var need = price.Cost(promptTokens, output);
        var outcome = await ledger.ReserveAsync(identity.AccountId, need, context.RequestAborted);
        if (outcome.Succeeded)
        {
            return (outcome.Reservation, null);
        }

        var view = ledger.View(outcome.Balance ?? new AccountBalance(identity.AccountId, 0, 0));
        return (null, Refusal.Final(new GatewayError(StatusCodes.Status402PaymentRequired, ErrorTypes.InsufficientQuota, ErrorCodes.InsufficientQuota, string.Create(CultureInfo.InvariantCulture,
            $"Insufficient balance: this request may cost up to {need} ngonka ({promptTokens} prompt tokens, the count with its margin, at {price.InputPerToken} and {output} output tokens at {price.OutputPerToken} ngonka per token); the account has {view.Available} ngonka available (balance {view.Balance}, {view.Reserved} held by requests in flight). Add funds, or lower max_tokens."))));
    }
}
