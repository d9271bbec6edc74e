using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shardgate.Admission;
using Shardgate.Api.Auth;
using Shardgate.Contract;
using Shardgate.Hosting;
using Shardgate.Contract.Response;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Routing;
using Shardgate.Observability;
using Shardgate.Storage;
using Shardgate.Upstream;

namespace Shardgate.Api;

/// <summary>
/// <c>POST /v1/chat/completions</c>: authenticate, read and parse the body once, resolve the model's shard,
/// forward, and write one request-log row whatever happened.
/// </summary>
internal sealed class ChatCompletionsEndpoint(
    ApiKeyAuthenticator authenticator,
    AdminKeyVerifier adminKeys,
    HostRegistry registry,
    ModelResolver resolver,
    ModelProfiles profiles,
    ChatPipeline pipeline,
    ContractOptions contract,
    ChatForwarder forwarder,
    BalanceLedger ledger,
    PriceBook prices,
    RequestFinisher finisher,
    KeyRateLimiter limiter,
    ModelAdmission admission,
    ShardgateOptions options,
    TimeProvider time)
{
    /// <summary>One header per note about what the contract changed (cap applied, tool choice coerced, …).</summary>
    public const string WarningHeader = "X-Shardgate-Warning";

    public async Task HandleAsync(HttpContext context)
    {
        var trace = new RequestTrace(RequestIds.New(time.GetUtcNow()), time.GetUtcNow(), time.GetTimestamp());
        context.Response.Headers[RequestIds.Header] = trace.RequestId;
        try
        {
            await HandleCoreAsync(context, trace);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            trace.Status = StatusCodes.Status499ClientClosedRequest;
            trace.Outcome = RequestOutcome.ClientDisconnected;
        }
        finally
        {
            // Successful responses finished (and committed) before their last bytes; this covers every other end.
            await finisher.FinishAsync(trace, awaitCommit: false);
            if (trace.Admission is { } ticket)
            {
                admission.Exit(ticket);
            }

            if (trace.RateLimitedTokens is { } estimate && trace.Identity is { } identity)
            {
                limiter.Complete(identity, estimate, trace.Usage is { } usage ? usage.PromptTokens + usage.CompletionTokens : estimate);
            }
        }
    }

    private async Task HandleCoreAsync(HttpContext context, RequestTrace trace)
    {
        var isAdmin = adminKeys.IsAdmin(context.Request);
        trace.Identity = isAdmin ? null : await authenticator.AuthenticateAsync(BearerToken.From(context.Request).ToString(), context.RequestAborted);
        if (trace.Identity is null && !isAdmin)
        {
            await RejectAsync(context, trace, OpenAiError.Unauthorized("Invalid or missing API key. Send 'Authorization: Bearer sg-…' with a key issued by this gateway."));
            return;
        }

        if (!context.Request.HasJsonContentType())
        {
            await RejectAsync(context, trace, OpenAiError.BadRequest(ErrorCodes.InvalidContentType, "The body must be JSON: send the header 'Content-Type: application/json'."));
            return;
        }

        using var body = await RequestBodyReader.ReadAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            await RejectAsync(context, trace, new OpenAiError(StatusCodes.Status413PayloadTooLarge, ErrorTypes.InvalidRequest, ErrorCodes.RequestTooLarge, "The request body is larger than 10 MiB. Shorten the conversation or send large documents in parts."));
            return;
        }

        if (!ParsedRequest.TryParse(body.WrittenMemory, contract, out var parsed, out var parseError))
        {
            await RejectAsync(context, trace, parseError.ToOpenAi(contract.DocsUrl));
            return;
        }

        using (parsed)
        {
            trace.Model = parsed.Model;
            if (!resolver.TryResolve(parsed.Model, out var shard))
            {
                var served = registry.ModelIds;
                var list = served.Count == 0 ? "none (no host is enabled)" : string.Join(", ", served);
                await RejectAsync(context, trace, new OpenAiError(StatusCodes.Status404NotFound, ErrorTypes.InvalidRequest, ErrorCodes.ModelNotFound, $"The model '{parsed.Model}' is not served here. Served models: {list}.", "model"));
                return;
            }

            trace.Model = shard.ModelId;
            var normalized = pipeline.Apply(parsed, profiles.Get(shard.ModelId), isAdmin, out var contractError);
            trace.Stream = normalized.Stream;
            if (contractError is not null)
            {
                await RejectAsync(context, trace, contractError.ToOpenAi(contract.DocsUrl));
                return;
            }

            foreach (var warning in normalized.Warnings)
            {
                context.Response.Headers.Append(WarningHeader, warning);
            }

            using var upstreamBody = UpstreamBodyWriter.Write(normalized, body.WrittenCount);
            trace.Admission = admission.TryEnter(shard, (upstreamBody.WrittenCount + 3) / 4, out var refusal);
            if (trace.Admission is null)
            {
                context.Response.Headers.RetryAfter = options.SaturationRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await RejectAsync(context, trace, new OpenAiError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.ModelSaturated,
                    $"{refusal} Retry after {options.SaturationRetryAfterSeconds} s. This is a capacity limit, not a balance or quota problem."));
                return;
            }

            if (trace.Identity is { } identity
                && (!await AdmitAsync(context, trace, identity, shard.ModelId, upstreamBody.WrittenCount, normalized)
                    || !await ReserveAsync(context, trace, identity, shard.ModelId, upstreamBody.WrittenCount, normalized)))
            {
                return;
            }

            var request = new ChatRequest(shard.ModelId, normalized.Stream, normalized.ClientWantsUsage, normalized.MaxTokens, ResponsePlan.For(normalized), PrefixHasher.Keys(normalized));
            await forwarder.ForwardAsync(context, request, shard, upstreamBody.WrittenMemory, trace);
        }
    }

    /// <summary>The key's own limits; its token estimate is the expected prompt (a token per four bytes) plus the full output budget.</summary>
    private async Task<bool> AdmitAsync(HttpContext context, RequestTrace trace, KeyIdentity identity, string model, int promptBytes, ContractContext normalized)
    {
        var estimate = ((promptBytes + 3) / 4) + (normalized.MaxTokens * normalized.Choices);
        var decision = limiter.TryAdmit(identity, model, estimate, context.Response);
        if (decision.Allowed)
        {
            if (!identity.Limits.IsUnlimited)
            {
                trace.RateLimitedTokens = estimate;
            }

            return true;
        }

        if (decision.RetryAfter > TimeSpan.Zero)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var type = decision.Status == StatusCodes.Status403Forbidden ? ErrorTypes.InvalidRequest : ErrorTypes.RateLimit;
        await RejectAsync(context, trace, new OpenAiError(decision.Status, type, decision.Code!, decision.Message!, decision.Status == StatusCodes.Status403Forbidden ? "model" : null));
        return false;
    }

    /// <summary>
    /// Holds the request's worst case before it is forwarded: every upstream byte counted as a prompt token (a
    /// byte-level BPE token covers at least one byte, so this bounds any model's count) plus the full output budget
    /// of every choice. Settlement later charges the host's actual usage and releases the rest.
    /// </summary>
    private async Task<bool> ReserveAsync(HttpContext context, RequestTrace trace, KeyIdentity identity, string model, int promptBytes, ContractContext normalized)
    {
        var price = prices.For(model);
        trace.Price = price;
        trace.PromptBytes = promptBytes;
        var need = price.Cost(promptBytes, normalized.MaxTokens * normalized.Choices);
        var outcome = await ledger.ReserveAsync(identity.AccountId, need, context.RequestAborted);
        if (outcome.Succeeded)
        {
            trace.Reservation = outcome.Reservation;
            return true;
        }

        var view = ledger.View(outcome.Balance ?? new AccountBalance(identity.AccountId, 0, 0));
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Insufficient balance: this request may cost up to {need} ngonka ({promptBytes} prompt bytes at {price.InputPerToken} and {normalized.MaxTokens * normalized.Choices} output tokens at {price.OutputPerToken} ngonka per token); the account has {view.Available} ngonka available (balance {view.Balance}, {view.Reserved} held by requests in flight). Add funds, or lower max_tokens.");
        await RejectAsync(context, trace, new OpenAiError(StatusCodes.Status402PaymentRequired, ErrorTypes.InsufficientQuota, ErrorCodes.InsufficientQuota, message));
        return false;
    }

    private static Task RejectAsync(HttpContext context, RequestTrace trace, OpenAiError error)
    {
        trace.Status = error.Status;
        trace.Outcome = RequestOutcome.Rejected;
        trace.Error = error.Message;
        return error.WriteAsync(context);
    }
}
