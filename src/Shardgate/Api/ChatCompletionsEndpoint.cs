using Microsoft.AspNetCore.Http;
using Shardgate.Admission;
using Shardgate.Api.Auth;
using Shardgate.Contract;
using Shardgate.Contract.Anthropic;
using Shardgate.Contract.Response;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Observability;
using Shardgate.Routing;
using Shardgate.Storage;
using Shardgate.Upstream;

namespace Shardgate.Api;

/// <summary>
/// <c>POST /v1/chat/completions</c>: authenticate, read and parse the body once, resolve the model's shard, apply
/// its contract, pass the gate (admission, key limits, balance), forward, and log one row whatever happened.
/// <c>POST /v1/messages</c> takes the same path: its body is first translated into a chat request, and its answer
/// and errors back into Anthropic's shapes.
/// </summary>
internal sealed class ChatCompletionsEndpoint(
    ApiKeyAuthenticator authenticator,
    HostRegistry registry,
    ModelResolver resolver,
    ModelProfiles profiles,
    ChatPipeline pipeline,
    ContractOptions contract,
    ChatForwarder forwarder,
    RequestGate gate,
    RequestFinisher finisher,
    FallbackRoutes fallbacks,
    TimeProvider time)
{
    public Task HandleAsync(HttpContext context) => HandleAsync(context, anthropic: false);

    public async Task HandleAsync(HttpContext context, bool anthropic)
    {
        if (anthropic)
        {
            context.Features.Set(AnthropicDialect.Instance);
        }

        var now = time.GetUtcNow();
        var trace = new RequestTrace(RequestIds.New(now), now, time.GetTimestamp());
        context.Response.Headers[RequestIds.Header] = trace.RequestId;
        try
        {
            await HandleCoreAsync(context, trace, anthropic);
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
            gate.Release(trace);
        }
    }

    private async Task HandleCoreAsync(HttpContext context, RequestTrace trace, bool anthropic)
    {
        var (isAdmin, identity) = await authenticator.IdentifyAsync(context.Request, context.RequestAborted);
        trace.Identity = identity;
        if (identity is null && !isAdmin)
        {
            await RejectAsync(context, trace, OpenAiError.MissingApiKey);
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
            await RejectAsync(context, trace, OpenAiError.RequestTooLarge);
            return;
        }

        using var translated = anthropic ? new Buffers.PooledBufferWriter(body.WrittenCount + 1024) : null;
        if (translated is not null && await TranslateAsync(context, trace, body, translated) is false)
        {
            return;
        }

        var chatBody = translated ?? body;
        if (!ParsedRequest.TryParse(chatBody.WrittenMemory, contract, out var parsed, out var parseError))
        {
            await RejectAsync(context, trace, parseError.ToOpenAi(contract.DocsUrl));
            return;
        }

        PendingError? pending = null;
        var candidates = fallbacks.Candidates(parsed.Model, parsed.Models, (chatBody.WrittenCount + 3) / 4);
        for (var i = 0; i < candidates.Count; i++)
        {
            // Each model gets its own parse: the contract rewrites the fields for that model's family.
            if (i > 0 && !ParsedRequest.TryParse(chatBody.WrittenMemory, contract, out parsed, out _))
            {
                break;
            }

            using (parsed)
            {
                if (!resolver.TryResolve(candidates[i], out var shard))
                {
                    continue;
                }

                pending = await ServeAsync(context, trace, chatBody, parsed!, shard, isAdmin, anthropic);
                if (pending is null)
                {
                    return;
                }

                if (!pending.ModelCouldNotServe || i == candidates.Count - 1)
                {
                    break;
                }

                // This model cannot serve now; the next one may.
                gate.Retract(trace);
                context.Response.Headers.Remove(ShardgateHeaders.Warning);
                context.Response.Headers.Remove(ShardgateHeaders.Model);
            }
        }

        if (pending is not null)
        {
            context.Response.Headers.Remove(ShardgateHeaders.Model);
            await pending.WriteAsync(context, trace);
            return;
        }

        var served = registry.ModelIds;
        var list = served.Count == 0 ? "none (no host is enabled)" : string.Join(", ", served);
        trace.Model = parsed!.Model ?? candidates[0];
        await RejectAsync(context, trace, new OpenAiError(StatusCodes.Status404NotFound, ErrorTypes.InvalidRequest, ErrorCodes.ModelNotFound, $"The model '{string.Join("', '", candidates)}' is not served here. Served models: {list}.", "model"));
    }

    /// <summary>Serves the request with one model; null once a response is written, else what stopped it.</summary>
    private async Task<PendingError?> ServeAsync(HttpContext context, RequestTrace trace, Buffers.PooledBufferWriter body, ParsedRequest parsed, ModelShard shard, bool isAdmin, bool anthropic)
    {
        trace.Model = shard.ModelId;
        var normalized = pipeline.Apply(parsed, profiles.Get(shard.ModelId), isAdmin, out var contractError);
        trace.Stream = normalized.Stream;
        if (contractError is not null)
        {
            return PendingError.Final(contractError.ToOpenAi(contract.DocsUrl));
        }

        foreach (var warning in normalized.Warnings)
        {
            context.Response.Headers.Append(ShardgateHeaders.Warning, warning);
        }

        using var upstreamBody = UpstreamBodyWriter.Write(normalized, body.WrittenCount);
        if (await gate.AdmitAsync(context, trace, shard, upstreamBody.WrittenCount, normalized) is { } refused)
        {
            return refused;
        }

        // The model that serves, for clients whose alias or model list could have gone elsewhere.
        context.Response.Headers[ShardgateHeaders.Model] = shard.ModelId;
        var request = new ChatRequest(shard.ModelId, normalized.Stream, normalized.ClientWantsUsage, normalized.MaxTokens, ResponsePlan.For(normalized), PrefixHasher.Keys(normalized), anthropic ? "msg_" + trace.RequestId[4..] : null);
        return await forwarder.ForwardAsync(context, request, shard, upstreamBody.WrittenMemory, trace);
    }

    /// <summary>Anthropic's body as a chat request; false once a 400 naming the field has been written.</summary>
    private static async Task<bool> TranslateAsync(HttpContext context, RequestTrace trace, Buffers.PooledBufferWriter body, Buffers.PooledBufferWriter translated)
    {
        var translator = new AnthropicRequestTranslator();
        if (translator.Translate(body.WrittenMemory, translated) is { } error)
        {
            await RejectAsync(context, trace, error);
            return false;
        }

        if (translator.Ignored.Count > 0)
        {
            context.Response.Headers.Append(ShardgateHeaders.Warning, $"ignored fields with no meaning for open models: {string.Join(", ", translator.Ignored)}");
        }

        return true;
    }

    private static Task RejectAsync(HttpContext context, RequestTrace trace, OpenAiError error) =>
        PendingError.Final(error).WriteAsync(context, trace);
}
