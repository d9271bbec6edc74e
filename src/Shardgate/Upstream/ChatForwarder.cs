using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shardgate.Admission;
using Shardgate.Contract;
using Shardgate.Kernel;
using Shardgate.Network;
using Shardgate.Network.Economics;
using Shardgate.Observability;
using Shardgate.Routing;

namespace Shardgate.Upstream;

/// <summary>
/// Sends a request to the model's shard: picks a host, and if the host fails before any output (refused
/// connection, 5xx, 429, timeout, empty stream), tries another host of the same model, up to
/// <see cref="UpstreamOptions.MaxAttempts"/> attempts. A stream whose host has shown no content by the hedge deadline
/// gets a second attempt on another host; the first to produce content is relayed and the other cancelled. After
/// output has begun the request is never retried: the client already holds part of one answer.
/// </summary>
internal sealed class ChatForwarder(
    HostSelector selector,
    UpstreamClient client,
    StreamRelay streamRelay,
    CompletionRelay completionRelay,
    HealthTracker health,
    PromptAffinity affinity,
    FirstTokenLatency latency,
    HedgeBudget hedgeBudget,
    UpstreamMetrics metrics,
    INetworkState network,
    HostEarnings earnings,
    UpstreamOptions upstream,
    HedgingOptions hedging,
    AffinityOptions affinityOptions,
    AdmissionOptions admission,
    TimeProvider time,
    ILogger<ChatForwarder> logger)
{
    /// <summary>
    /// Serves the request from the shard. The result either refuses (nothing was written) or says how the answer
    /// went; a completed answer's last bytes wait in <see cref="ForwardResult.End"/>, and the caller disposes the result.
    /// </summary>
    public async Task<ForwardResult> ForwardAsync(HttpContext context, ChatRequest request, ModelShard shard, ReadOnlyMemory<byte> body, long startTimestamp)
    {
        List<UpstreamHost>? tried = null;
        var phase = network.Current;
        if (phase.PocActive)
        {
            // During proof-of-compute only preserved nodes serve inference; the others count as already tried.
            tried = [.. shard.Hosts.Where(h => !phase.PreservedNodes.Contains(h.NodeId))];
            if (tried.Count == shard.Hosts.Count)
            {
                return ForwardResult.Refused(DuringPoc(shard, phase));
            }
        }

        var result = new ForwardResult();
        try
        {
            await ForwardAsync(context, request, shard, body, startTimestamp, new ForwardingState(request.Prompt.Estimate + request.MaxTokens, tried), result);
            if (result.MissingToolCall)
            {
                await RetryForToolCallAsync(context, request, shard, body, startTimestamp, tried, result);
            }

            result.ChargeHeldBack();
            return result;
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
    }

    private async Task ForwardAsync(HttpContext context, ChatRequest request, ModelShard shard, ReadOnlyMemory<byte> body, long startTimestamp, ForwardingState state, ForwardResult result)
    {
        var preferred = affinity.Preferred(request.Affinity, shard.Hosts);
        var hedged = request.Stream && hedging.Enabled;
        if (hedged)
        {
            hedgeBudget.OnRequest();
        }

        // Each round (the request, and a retry for a tool call) has the full number of attempts.
        var limit = result.Attempts + upstream.MaxAttempts;
        while (result.Attempts < limit)
        {
            // Affinity is for the first choice only; a retry goes wherever load and health say.
            var route = GatewayTracing.StartChild(request.Span, "route");
            var selection = selector.TryAcquire(shard, state.Tried, state.MinimumWindow, out var host, out var probe, result.Attempts == 0 ? preferred : null, affinityOptions.LoadWindow, route);
            if (selection == SelectionOutcome.ContextTooLong && state.Refusal is null && state.MinimumWindow > (shard.ContextWindow ?? 0)
                && request.Prompt.Lower <= (shard.ContextWindow ?? 0))
            {
                // The prompt fits the largest hosts and only the output budget may not: they get to judge (vLLM
                // answers a 400 for prompt + max_tokens over its window, and some deployments clamp instead).
                state.MinimumWindow = shard.ContextWindow ?? 0;
                selection = selector.TryAcquire(shard, state.Tried, state.MinimumWindow, out host, out probe, trace: route);
            }

            EndRoute(route, selection, host, probe, result.Attempts == 0 ? preferred : null);

            if (selection == SelectionOutcome.Unhealthy && state.LastFailure is null)
            {
                result.Refuse(Unhealthy(shard));
                return;
            }

            if (selection == SelectionOutcome.ContextTooLong)
            {
                result.Refuse(ContextTooLong(shard, request, state.Refusal));
                return;
            }

            if (selection == SelectionOutcome.Saturated && state.LastFailure is null)
            {
                GatewayLog.ModelSaturated(logger, shard.ModelId, request.RequestId);
                result.Refuse(Saturated(shard));
                return;
            }

            if (selection != SelectionOutcome.Acquired)
            {
                break;
            }

            if (state.TakeRetried() is { } retried)
            {
                metrics.Retried(shard.ModelId, retried.NodeId);
            }

            result.Attempts++;
            result.NodeId = host!.NodeId;
            var primary = Begin(host, probe, shard, context, request, result.Attempts, hedge: false);
            UpstreamAttempt? hedge = null;
            try
            {
                var waiting = time.GetTimestamp();
                var primaryStart = primary.StartAsync(client, body, request.Stream);
                (var attempt, var start, hedge) = hedged && result.Attempts < limit
                    ? await RaceAsync(primary, primaryStart, shard, body, state, request, result, context)
                    : (primary, await primaryStart, null);
                result.UpstreamTicks += time.GetTimestamp() - waiting;

                if (await ActOnStartAsync(context, request, shard, body, attempt, start, state, result, startTimestamp))
                {
                    return;
                }
            }
            finally
            {
                // The attempt that answered belongs to the result until its last bytes are written.
                if (!result.Owns(primary))
                {
                    await primary.DisposeAsync();
                }

                if (hedge is not null && !result.Owns(hedge))
                {
                    await hedge.DisposeAsync();
                }
            }
        }

        result.Refuse(AfterLastAttempt(shard, request, state, result.Attempts));
    }

    /// <summary>
    /// An emulated <c>tool_choice: "required"</c> got an answer without a call, which no client saw: once, if the output
    /// budget has room left, the request goes again with an instruction naming the tools; else, or if that answer has
    /// no call either, the client gets an error instead of text it did not ask for. Both answers are charged.
    /// </summary>
    private async Task RetryForToolCallAsync(HttpContext context, ChatRequest request, ModelShard shard, ReadOnlyMemory<byte> body, long startTimestamp, List<UpstreamHost>? tried, ForwardResult result)
    {
        var required = request.RequiredToolCall!;
        var remaining = request.MaxTokens - (result.Usage?.CompletionTokens ?? request.MaxTokens);
        var retries = remaining >= RequiredToolCall.MinRetryTokens;
        GatewayLog.ToolCallMissing(logger, request.RequestId, result.NodeId ?? "?", retries);
        metrics.ToolCallRetried(shard.ModelId, retries ? "retried" : "no_budget");
        if (retries)
        {
            result.HoldBack();
            using var retryBody = required.WriteRetryBody(remaining, body.Length);
            var retry = request with { MaxTokens = remaining };
            await ForwardAsync(context, retry, shard, retryBody.WrittenMemory, startTimestamp, new ForwardingState(retry.Prompt.Estimate + required.InstructionTokens + remaining, tried), result);
            if (!result.MissingToolCall)
            {
                return;
            }

            metrics.ToolCallRetried(shard.ModelId, "refused");
        }

        var why = retries
            ? "answered in text twice, the second time after an instruction to call one of the tools"
            : string.Create(CultureInfo.InvariantCulture, $"answered in text, and its answer left {Math.Max(0, remaining)} of max_tokens {request.MaxTokens}, too few to try again");
        result.Refuse(Refusal.Final(new GatewayError(
            StatusCodes.Status422UnprocessableEntity,
            ErrorTypes.InvalidRequest,
            ErrorCodes.ToolCallNotMade,
            $"tool_choice \"required\": '{shard.ModelId}' {why}. Its hosts cannot force a call; name one tool in tool_choice ({{\"type\": \"function\", \"function\": {{\"name\": \"{required.Tools[0]}\"}}}}), raise max_tokens, or accept a text answer with \"auto\". Both answers were charged.",
            "tool_choice")));
    }

    private Refusal AfterLastAttempt(ModelShard shard, ChatRequest request, ForwardingState state, int attempts)
    {
        if (state.Refusal is not null && state.LastFailure is null)
        {
            return ContextTooLong(shard, request, state.Refusal);
        }

        if (state.LastFailure is null)
        {
            return Saturated(shard);
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"No host of '{shard.ModelId}' could serve the request after {attempts} attempt(s); the last failed with: {state.LastFailure}. Retry shortly.");
        return state.AllBusy
            ? new Refusal(new GatewayError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.ModelSaturated, message), RequestOutcome.UpstreamFailed, admission.SaturationRetryAfterSeconds)
            : new Refusal(new GatewayError(StatusCodes.Status502BadGateway, ErrorTypes.Upstream, ErrorCodes.UpstreamUnavailable, message), RequestOutcome.UpstreamFailed);
    }

    private UpstreamAttempt Begin(UpstreamHost host, bool probe, ModelShard shard, HttpContext context, ChatRequest request, int number, bool hedge)
    {
        var span = GatewayTracing.StartChild(request.Span, "attempt", ActivityKind.Client);
        if (span is not null)
        {
            span.DisplayName = "attempt " + host.NodeId;
            span.SetTag("shardgate.node.id", host.NodeId);
            span.SetTag("shardgate.attempt", number);
            span.SetTag("shardgate.hedge", hedge);
            span.SetTag("shardgate.probe", probe);
            span.SetTag("gen_ai.request.model", shard.ModelId);
            span.SetTag("server.address", host.BaseUri.Host);
            span.SetTag("server.port", host.BaseUri.Port);
        }

        var headers = span is null ? request.Headers : request.Headers with { TraceParent = span.Id, TraceState = span.TraceStateString };
        return new(host, probe ? () => health.EndProbe(shard.ModelId) : null, upstream.FirstByteTimeout, time, span, headers, context.RequestAborted);
    }

    private static void EndRoute(Activity? route, SelectionOutcome selection, UpstreamHost? host, bool probe, string? preferred)
    {
        if (route is null)
        {
            return;
        }

        route.SetTag("shardgate.route.outcome", selection.ToString());
        if (selection == SelectionOutcome.Acquired)
        {
            route.SetTag("shardgate.node.id", host!.NodeId);
            route.SetTag("shardgate.probe", probe);
            route.SetTag("shardgate.affinity", preferred is not null && preferred == host.NodeId);
        }

        route.Dispose();
    }

    /// <summary>Records a host's failure for health and in its metrics.</summary>
    private void Fault(ModelShard shard, UpstreamHost host, HostFault fault, string reason)
    {
        health.Record(host.NodeId, fault, reason);
        metrics.Failure(shard.ModelId, host.NodeId, fault);
    }

    /// <summary>
    /// Waits for the primary's first content until the hedge deadline (the model's recent p95 for prompts this size);
    /// past it, and within the hedge budget, starts the same request on another host. The first decisive start wins;
    /// the other attempt is cancelled and its bytes never reach the client. A primary that loses this way counts a
    /// soft strike: it was slower than the model's p95 and than a second host starting late.
    /// </summary>
    private async Task<(UpstreamAttempt Attempt, AttemptStart Start, UpstreamAttempt? Hedge)> RaceAsync(UpstreamAttempt primary, Task<AttemptStart> primaryStart, ModelShard shard, ReadOnlyMemory<byte> body, ForwardingState state, ChatRequest request, ForwardResult forward, HttpContext context)
    {
        var delay = latency.HedgeDelay(shard.ModelId, body.Length);
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            if (await Task.WhenAny(primaryStart, Task.Delay(delay, time, timer.Token)) == primaryStart)
            {
                // Synchronous on purpose: the only callback is the delay's timer, and CancelAsync would move the rest
                // of the request, its first token included, to another thread-pool thread.
                timer.Cancel();
                return (primary, await primaryStart, null);
            }
        }

        if (!hedgeBudget.TryTake())
        {
            return (primary, await primaryStart, null);
        }

        // A hedge goes to a healthy host with room; never a probe of a resting one.
        var route = GatewayTracing.StartChild(request.Span, "route");
        route?.SetTag("shardgate.route.purpose", "hedge");
        var selection = selector.TryAcquire(shard, state.TriedAnd(primary.Host), state.MinimumWindow, out var host, out var probe, trace: route);
        EndRoute(route, selection, host, probe, preferred: null);
        if (selection != SelectionOutcome.Acquired || probe)
        {
            if (probe)
            {
                host!.Release();
                health.EndProbe(shard.ModelId);
            }

            hedgeBudget.Refund();
            return (primary, await primaryStart, null);
        }

        forward.Attempts++;
        var hedge = Begin(host!, false, shard, context, request, forward.Attempts, hedge: true);
        metrics.HedgeFired(shard.ModelId, host!.NodeId);
        GatewayLog.HedgeStarted(logger, request.RequestId, primary.Host.NodeId, host.NodeId, delay.TotalMilliseconds);
        var hedgeStart = hedge.StartAsync(client, body, stream: true);
        var first = await Task.WhenAny(primaryStart, hedgeStart);
        var (winner, winnerStart, loser, loserStart) = first == primaryStart ? (primary, primaryStart, hedge, hedgeStart) : (hedge, hedgeStart, primary, primaryStart);
        var result = await winnerStart;
        if (!result.Decisive)
        {
            // This one failed before output: the other decides, and the failure is recorded like any other.
            RecordFailure(shard, winner, result, state, request, forward);
            return (loser, await loserStart, hedge);
        }

        loser.Deadline.Abandon();
        await loserStart;
        loser.Span?.SetTag("shardgate.attempt.start", "LostRace");
        if (winner == hedge && result.Kind == AttemptStartKind.Ready)
        {
            forward.HedgeWinner = ForwardResult.HedgeAnswered;
            metrics.HedgeWon(shard.ModelId, host.NodeId);
            Fault(shard, primary.Host, HostFault.Soft, string.Create(CultureInfo.InvariantCulture, $"no content within {delay.TotalMilliseconds:0} ms; a hedge on {host.NodeId} answered first"));
        }
        else
        {
            forward.HedgeWinner = ForwardResult.FirstAnswered;
        }

        return (winner, result, hedge);
    }

    /// <summary>Acts on the attempt that decides this round: relays it, or records why it failed. True once the request is decided.</summary>
    private async Task<bool> ActOnStartAsync(HttpContext context, ChatRequest request, ModelShard shard, ReadOnlyMemory<byte> body, UpstreamAttempt attempt, AttemptStart start, ForwardingState state, ForwardResult result, long startTimestamp)
    {
        switch (start.Kind)
        {
            case AttemptStartKind.ClientGone:
                result.ClientGone();
                return true;
            case AttemptStartKind.Rejected:
                result.NodeId = attempt.Host.NodeId;
                result.Refuse(HostRejected(start.Status, start.Failure!));
                return true;
            case AttemptStartKind.TooLong or AttemptStartKind.Failed:
                RecordFailure(shard, attempt, start, state, request, result);
                return false;
        }

        var host = attempt.Host;
        result.NodeId = host.NodeId;
        attempt.Span?.SetTag("shardgate.winner", true);
        if (request.Stream)
        {
            var elapsed = attempt.Elapsed;
            latency.Record(shard.ModelId, body.Length, elapsed);
            metrics.FirstToken(shard.ModelId, host.NodeId, elapsed);
        }

        var held = request.Stream && request.RequiredToolCall is not null ? await ToolCallHold.HoldStreamAsync(attempt, result, upstream) : null;
        var relay = held ?? (request.Stream
            ? await streamRelay.RelayAsync(context, attempt, request, result, startTimestamp)
            : await completionRelay.RelayAsync(context, attempt, request, result, startTimestamp));
        switch (relay.Outcome)
        {
            case RelayOutcome.FailedBeforeOutput:
                RecordFailure(shard, attempt, AttemptStart.Failed(relay.Failure!, relay.Fault ?? HostFault.Transport), state, request, result);
                return false;
            case RelayOutcome.ClientDisconnected:
                result.ClientGone();
                return true;
            case RelayOutcome.NoToolCall:
                // The host did its job; the model chose text. Nothing was sent, so the caller may try again.
                health.RecordSuccess(host.NodeId);
                result.MissingToolCall = true;
                return true;
            case RelayOutcome.Interrupted:
                GatewayLog.UpstreamStreamInterrupted(logger, host.NodeId, request.RequestId, relay.Failure!);
                Fault(shard, host, relay.Fault ?? HostFault.Soft, relay.Failure!);
                attempt.Span?.SetStatus(ActivityStatusCode.Error, relay.Failure);
                result.Interrupted(relay.Failure!);
                return true;
            default:
                health.RecordSuccess(host.NodeId);
                affinity.Remember(request.Affinity, host.NodeId);
                result.Completed(relay.End!, attempt);
                return true;
        }
    }

    /// <summary>Notes a host's failure before output: its health, the hosts tried, and the log line.</summary>
    private void RecordFailure(ModelShard shard, UpstreamAttempt attempt, AttemptStart start, ForwardingState state, ChatRequest request, ForwardResult result)
    {
        if (start.Kind == AttemptStartKind.TooLong)
        {
            state.TooLong(attempt.Host, start.Refusal!);
            return;
        }

        Fault(shard, attempt.Host, start.Fault, start.Failure!);
        earnings.Missed(attempt.Host.NodeId, shard.ModelId);
        state.Failed(attempt.Host, start.Failure!, start.HostBusy);
        GatewayLog.UpstreamAttemptFailed(logger, result.Attempts, attempt.Host.NodeId, start.Failure!, request.RequestId);
    }

    /// <summary>The host judged the request itself invalid (its status kept when it is a client error we pass on).</summary>
    private static Refusal HostRejected(int status, string message) => Refusal.Final(new GatewayError(
        status is 400 or 413 or 422 ? status : StatusCodes.Status400BadRequest,
        ErrorTypes.InvalidRequest,
        ErrorCodes.UpstreamRejected,
        "The host rejected the request: " + message));

    private static Refusal ContextTooLong(ModelShard shard, ChatRequest request, ContextRefusal? refusal)
    {
        var largest = shard.ContextWindow is { } window ? window.ToString(CultureInfo.InvariantCulture) + " tokens" : "not known";
        var hostSaid = refusal is null ? string.Empty : $" The host said: {refusal.Message}";
        var needed = refusal?.Requested ?? request.Prompt.Estimate + request.MaxTokens;
        return new Refusal(
            new GatewayError(
                StatusCodes.Status400BadRequest,
                ErrorTypes.InvalidRequest,
                ErrorCodes.ContextLengthExceeded,
                string.Create(CultureInfo.InvariantCulture, $"The request needs about {needed} tokens (a prompt the gateway counts as {request.Prompt.Estimate} tokens, plus max_tokens {request.MaxTokens}), more than any host of '{shard.ModelId}' holds: the largest context window is {largest}. Shorten the conversation or lower max_tokens.{hostSaid}"),
                "messages"),
            RequestOutcome.Rejected);
    }

    private Refusal Unhealthy(ModelShard shard)
    {
        var wait = Math.Max(1, (long)Math.Ceiling(health.NextBack(shard.Hosts.Select(h => h.NodeId)).TotalSeconds));
        return new Refusal(
            new GatewayError(
                StatusCodes.Status503ServiceUnavailable,
                ErrorTypes.Upstream,
                ErrorCodes.ModelUnavailable,
                string.Create(CultureInfo.InvariantCulture, $"Every host of '{shard.ModelId}' is resting after failures and one is being probed now. Retry after {wait} s.")),
            RequestOutcome.UpstreamFailed,
            wait);
    }

    private static Refusal DuringPoc(ModelShard shard, NetworkPhase phase)
    {
        var wait = Math.Max(1, (long)Math.Ceiling((phase.ExpectedEnd ?? TimeSpan.FromSeconds(60)).TotalSeconds));
        return new Refusal(
            new GatewayError(
                StatusCodes.Status503ServiceUnavailable,
                ErrorTypes.Upstream,
                ErrorCodes.NetworkPoc,
                string.Create(CultureInfo.InvariantCulture, $"The network is in its {phase.Name} phase and none of the hosts of '{shard.ModelId}' is preserved for inference during it. Retry after about {wait} s.")),
            RequestOutcome.UpstreamFailed,
            wait);
    }

    private Refusal Saturated(ModelShard shard)
    {
        var retryAfter = admission.SaturationRetryAfterSeconds;
        return new Refusal(
            new GatewayError(
                StatusCodes.Status429TooManyRequests,
                ErrorTypes.RateLimit,
                ErrorCodes.ModelSaturated,
                string.Create(CultureInfo.InvariantCulture, $"Model '{shard.ModelId}' is saturated: all {shard.Hosts.Count} of its hosts are at their concurrency limit. Retry after {retryAfter} s. This is a capacity limit, not a balance or quota problem.")),
            RequestOutcome.Saturated,
            retryAfter);
    }
}
