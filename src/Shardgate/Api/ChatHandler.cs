using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shardgate.Admission;
using Shardgate.Api.Auth;
using Shardgate.Catalog;
using Shardgate.Contract;
using Shardgate.Contract.Anthropic;
using Shardgate.Contract.Response;
using Shardgate.Contract.Responses;
using Shardgate.Contract.Tokens;
using Shardgate.Kernel;
using Shardgate.Network;
using Shardgate.Network.Validation;
using Shardgate.Observability;
using Shardgate.Routing;
using Shardgate.Upstream;

namespace Shardgate.Api;

/// <summary>
/// The chat path every chat API shares (Chat Completions; Anthropic's Messages and the Responses API, translated):
/// authenticate, read and parse the body once, count its prompt once, resolve the model's shard, apply its
/// contract, pass the gate (admission, key limits, balance), forward, and finish once whatever happened. Each
/// stage returns what it decided; the endpoint keeps those results on its <see cref="ChatExchange"/>, answers
/// refusals in its API's shape, and falls through to the next model when one could not serve.
/// </summary>
internal sealed class ChatHandler(
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
    ModelCatalog catalog,
    TokenCounter tokens,
    ValidationSampler sampler,
    GatewayMetrics metrics,
    TracingOptions tracing,
    TimeProvider time)
{
    // What of the prompt a span may carry when an operator turned content recording on.
    private const int MaxRecordedBytes = 64 * 1024;

    public async Task HandleAsync(HttpContext context, ApiDialect dialect)
    {
        var now = time.GetUtcNow();
        var headers = context.Request.Headers;
        // A malformed traceparent is dropped, not continued and not passed on.
        var traceParent = (string?)headers.TraceParent;
        var traceState = (string?)headers.TraceState;
        var caller = default(ActivityContext);
        if (traceParent is not null && !ActivityContext.TryParse(traceParent, traceState, isRemote: true, out caller))
        {
            (traceParent, traceState) = (null, null);
        }

        var exchange = new ChatExchange(RequestIds.New(now), now, time.GetTimestamp(), dialect)
        {
            ClientRequestId = RequestIds.ClientId(headers[RequestIds.Header]),
            TraceContext = (traceParent, traceState),
            Span = GatewayTracing.StartRequest(caller),
        };
        context.Response.Headers[RequestIds.Header] = exchange.RequestId;
        if (exchange.ClientRequestId is { } clientId)
        {
            context.Response.Headers[RequestIds.ClientHeader] = clientId;
        }

        exchange.Span?.SetTag("shardgate.request_id", exchange.RequestId).SetTag("shardgate.client_request_id", exchange.ClientRequestId).SetTag("url.path", context.Request.Path.Value);
        try
        {
            await ServeAsync(context, exchange);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            exchange.ClientGone();
        }
        finally
        {
            await finisher.FinishAsync(context, exchange);
        }
    }

    private async Task ServeAsync(HttpContext context, ChatExchange exchange)
    {
        var caller = await authenticator.IdentifyAsync(context.Request, context.RequestAborted);
        if (caller.Refusal is { } unauthorized)
        {
            exchange.AuthenticationFailed();
            exchange.Refused(unauthorized);
            return;
        }

        exchange.Identity = caller.Identity;
        if (!context.Request.HasJsonContentType())
        {
            Reject(exchange, GatewayError.BadRequest(ErrorCodes.InvalidContentType, "The body must be JSON: send the header 'Content-Type: application/json'."));
            return;
        }

        using var body = await RequestBodyReader.ReadAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            Reject(exchange, GatewayError.RequestTooLarge);
            return;
        }

        using var translated = exchange.Dialect == ApiDialect.OpenAi ? null : new PooledBufferWriter(body.WrittenCount + 1024);
        if (translated is not null && !Translate(context, exchange, body, translated))
        {
            return;
        }

        var chatBody = translated ?? body;
        if (!ParsedRequest.TryParse(chatBody.WrittenMemory, contract, out var parsed, out var parseError))
        {
            Reject(exchange, parseError.ToGatewayError(contract.DocsUrl));
            return;
        }

        exchange.Span?.SetTag("gen_ai.operation.name", "chat").SetTag("gen_ai.request.model", parsed.Model);

        Refusal? refusal = null;
        GatewayError? unavailable = null;
        var declared = catalog.Current;
        var user = User(parsed);
        var counted = tokens.CountDefault(Field(parsed, "messages"), Field(parsed, "tools"));
        var candidates = fallbacks.Candidates(parsed.Model, parsed.Models, counted, declared);
        for (var i = 0; i < candidates.Count; i++)
        {
            // Each model gets its own parse: the contract rewrites the fields for that model's family.
            if (i > 0 && !ParsedRequest.TryParse(chatBody.WrittenMemory, contract, out parsed, out _))
            {
                break;
            }

            using (parsed)
            {
                if (declared.Models.TryGetValue(candidates[i].Trim(), out var named) && named.State == ModelLifecycle.Retired)
                {
                    unavailable ??= CatalogRules.Retired(named);
                    continue;
                }

                if (!resolver.TryResolve(candidates[i], declared, exchange.Identity?.KeyId, user, out var shard, out var alias))
                {
                    continue;
                }

                if (declared.Models.TryGetValue(shard.ModelId, out var model))
                {
                    if (!model.Admits(exchange.Identity?.AccountId))
                    {
                        unavailable ??= CatalogRules.Closed(candidates[i]);
                        continue;
                    }

                    if (model.State == ModelLifecycle.Deprecated)
                    {
                        CatalogRules.Deprecated(context.Response, model, catalog.Version?.CreatedAt ?? exchange.StartedAt);
                    }
                }

                exchange.Alias = alias;

                refusal = await ServeWithAsync(context, exchange, chatBody, parsed!, shard, model?.Tokenizer, counted);
                if (refusal is null)
                {
                    return;
                }

                metrics.ModelRefused(shard.ModelId, refusal.Error.Code);

                if (!refusal.ModelCouldNotServe || i == candidates.Count - 1)
                {
                    break;
                }

                // This model cannot serve now; the next one may.
                metrics.FallbackTaken(shard.ModelId);
                exchange.Span?.AddEvent(new ActivityEvent("fallback", tags: new ActivityTagsCollection { ["gen_ai.request.model"] = shard.ModelId, ["error.type"] = refusal.Error.Code }));
                if (exchange.Ticket is { } ticket)
                {
                    gate.Retract(ticket, exchange.Identity!);
                }

                await exchange.MoveOnAsync();
                context.Response.Headers.Remove(ShardgateHeaders.Warning);
                context.Response.Headers.Remove(ShardgateHeaders.Model);
            }
        }

        if (refusal is not null)
        {
            context.Response.Headers.Remove(ShardgateHeaders.Model);
            exchange.Refused(refusal);
            return;
        }

        if (unavailable is { } why)
        {
            exchange.Model = ChatExchange.UnknownModel;
            Reject(exchange, why);
            return;
        }

        var served = registry.ModelIds;
        var list = served.Count == 0 ? "none (no host is enabled)" : string.Join(", ", served);
        exchange.Model = ChatExchange.UnknownModel;
        Reject(exchange, new GatewayError(StatusCodes.Status404NotFound, ErrorTypes.InvalidRequest, ErrorCodes.ModelNotFound, $"The model '{string.Join("', '", candidates)}' is not served here. Served models: {list}.", "model"));
    }

    /// <summary>Serves the request with one model; null once it is decided (answered, cut, or left by the client), else why this model could not.</summary>
    private async Task<Refusal?> ServeWithAsync(HttpContext context, ChatExchange exchange, PooledBufferWriter body, ParsedRequest parsed, ModelShard shard, string? tokenizerFile, int counted)
    {
        exchange.Model = shard.ModelId;
        if (exchange.Span is { } span)
        {
            span.DisplayName = "chat " + shard.ModelId;
        }

        var contractSpan = GatewayTracing.StartChild(exchange.Span, "contract");
        var profile = profiles.Get(shard.ModelId);
        exchange.Prompt = tokens.ForModel(shard.ModelId, profile.Family, tokenizerFile, counted, Field(parsed, "messages"), Field(parsed, "tools"), out var countKey);
        exchange.CountKey = countKey;
        var normalized = pipeline.Apply(parsed, profile, out var contractError);
        exchange.Stream = normalized.Stream;
        GatewayTracing.End(contractSpan?.SetTag("shardgate.contract.warnings", normalized.Warnings.Count), contractError?.Code);

        if (contractError is not null)
        {
            return Refusal.Final(contractError.ToGatewayError(contract.DocsUrl));
        }

        foreach (var warning in normalized.Warnings)
        {
            context.Response.Headers.Append(ShardgateHeaders.Warning, warning);
        }

        var sampled = sampler.TrySample(exchange.Identity!.AccountId, normalized, shard);
        using var upstreamBody = UpstreamBodyWriter.Write(normalized, body.WrittenCount);
        if (sampled)
        {
            exchange.Validation = (upstreamBody.WrittenSpan.ToArray(), profile.Family);
        }

        if (tracing.RecordContent && exchange.Span is not null)
        {
            exchange.Span.SetTag("shardgate.upstream.request_body", Encoding.UTF8.GetString(upstreamBody.WrittenSpan[..Math.Min(upstreamBody.WrittenCount, MaxRecordedBytes)]));
        }

        var admissionSpan = GatewayTracing.StartChild(exchange.Span, "admission");
        var admitted = await gate.AdmitAsync(context, exchange.Identity!, shard, exchange.Prompt, normalized);
        GatewayTracing.End(admissionSpan?.SetTag("shardgate.reserved_ngonka", admitted.Ticket?.Reservation.Amount), admitted.Refusal?.Error.Code);

        if (admitted.Ticket is not { } ticket)
        {
            return admitted.Refusal;
        }

        exchange.Admitted(ticket);
        // The model that serves, for clients whose alias or model list could have gone elsewhere.
        context.Response.Headers[ShardgateHeaders.Model] = shard.ModelId;
        var answerId = (exchange.Dialect == ApiDialect.Responses ? "resp_" : "msg_") + exchange.RequestId[4..];
        var request = new ChatRequest(exchange.RequestId, shard.ModelId, normalized.Stream, normalized.ClientWantsUsage, normalized.MaxTokens, ResponsePlan.For(normalized), PrefixHasher.Keys(normalized), exchange.Dialect, answerId)
        {
            Prompt = exchange.Prompt,
            RequiredToolCall = normalized.RequiredToolCall,
            ResponsesHead = exchange.Dialect == ApiDialect.Responses ? new ResponsesHead(answerId, shard.ModelId, exchange.StartedAt, exchange.ResponsesEcho) : null,
            Span = exchange.Span,
            Headers = new ForwardedHeaders(exchange.ClientRequestId ?? exchange.RequestId, exchange.TraceContext.Parent, exchange.TraceContext.State),
        };
        var forward = await forwarder.ForwardAsync(context, request, shard, upstreamBody.WrittenMemory, exchange.StartTimestamp);
        exchange.Forwarded(forward);
        return forward.Refusal;
    }

    /// <summary>An Anthropic or Responses body as a chat request; false once a 400 naming the field has been written.</summary>
    private static bool Translate(HttpContext context, ChatExchange exchange, PooledBufferWriter body, PooledBufferWriter translated)
    {
        GatewayError? error;
        IReadOnlyList<string> ignored;
        if (exchange.Dialect == ApiDialect.Anthropic)
        {
            var anthropic = new AnthropicRequestTranslator();
            error = anthropic.Translate(body.WrittenMemory, translated);
            ignored = anthropic.Ignored;
        }
        else
        {
            var responses = new ResponsesRequestTranslator();
            error = responses.Translate(body.WrittenMemory, translated);
            ignored = responses.Ignored;
            exchange.ResponsesEcho = responses.Echo;
        }

        if (error is not null)
        {
            Reject(exchange, error.Value);
            return false;
        }

        if (ignored.Count > 0)
        {
            context.Response.Headers.Append(ShardgateHeaders.Warning, $"ignored fields with no meaning for open models: {string.Join(", ", ignored)}");
        }

        return true;
    }

    /// <summary>Decides the answer; <see cref="RequestFinisher"/> writes it once the request's row is queued.</summary>
    private static void Reject(ChatExchange exchange, GatewayError error) => exchange.Refused(Refusal.Final(error));

    private static JsonElement Field(ParsedRequest parsed, string name) => parsed.Fields.TryGetOriginal(name, out var value) ? value : default;

    /// <summary>The request's <c>user</c>, which keeps a caller on one arm of a weighted alias (else its API key does).</summary>
    private static string? User(ParsedRequest parsed) =>
        parsed.Fields.TryGetOriginal("user", out var user) && user.ValueKind == System.Text.Json.JsonValueKind.String ? user.GetString() : null;
}
