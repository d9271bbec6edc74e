using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shardgate.Api;
using Shardgate.Contract;
using Shardgate.Hosting;
using Shardgate.Network;
using Shardgate.Observability;
using Shardgate.Routing;
using Shardgate.Storage;

namespace Shardgate.Upstream;

/// <summary>
/// Sends a request to the model's shard: picks a host, and if the host fails before any output (refused
/// connection, 5xx, 429, timeout, empty stream), tries another host of the same model, up to
/// <see cref="UpstreamOptions.MaxAttempts"/> distinct hosts. After output has begun the request is never retried:
/// the client already holds part of one answer.
/// </summary>
internal sealed class ChatForwarder(
    HostSelector selector,
    UpstreamClient client,
    StreamRelay streamRelay,
    CompletionRelay completionRelay,
    HealthTracker health,
    PromptAffinity affinity,
    INetworkState network,
    ShardgateOptions options,
    TimeProvider time,
    ILogger<ChatForwarder> logger)
{
    /// <summary>A rough prompt count from the body's size, about four bytes a token; hosts correct it if it is off.</summary>
    private const int BytesPerTokenEstimate = 4;

    /// <summary>Serves the request from the shard; returns null once a response is written, or the error to answer with when nothing was.</summary>
    public async Task<PendingError?> ForwardAsync(HttpContext context, ChatRequest request, ModelShard shard, ReadOnlyMemory<byte> body, RequestTrace trace)
    {
        List<UpstreamHost>? tried = null;
        var phase = network.Current;
        if (phase.PocActive)
        {
            // During proof-of-compute only preserved nodes serve inference; the others count as already tried.
            tried = [.. shard.Hosts.Where(h => !phase.PreservedNodes.Contains(h.NodeId))];
            if (tried.Count == shard.Hosts.Count)
            {
                return DuringPoc(shard, phase);
            }
        }

        string? lastFailure = null;
        var allBusy = true;
        var maxAttempts = Math.Max(1, options.Upstream.MaxAttempts);
        var needed = ((body.Length + BytesPerTokenEstimate - 1) / BytesPerTokenEstimate) + request.MaxTokens;
        var minimumWindow = needed;
        ContextRefusal? refusal = null;
        var preferred = affinity.Preferred(request.Affinity);
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            // Affinity is for the first choice only; a retry goes wherever load and health say.
            var selection = selector.TryAcquire(shard, tried, minimumWindow, out var host, out var probe, attempt == 1 ? preferred : null, options.Affinity.LoadWindow);
            if (selection == SelectionOutcome.ContextTooLong && refusal is null && minimumWindow > (shard.ContextWindow ?? 0))
            {
                // The estimate says nothing fits, but it is an estimate: the largest hosts get to judge.
                minimumWindow = shard.ContextWindow ?? 0;
                selection = selector.TryAcquire(shard, tried, minimumWindow, out host, out probe);
            }

            if (selection == SelectionOutcome.Unhealthy && lastFailure is null)
            {
                return Unhealthy(shard);
            }

            if (selection == SelectionOutcome.ContextTooLong)
            {
                return ContextTooLong(shard, refusal?.Requested ?? needed, refusal);
            }

            if (selection == SelectionOutcome.Saturated && lastFailure is null)
            {
                GatewayLog.ModelSaturated(logger, shard.ModelId, trace.RequestId);
                return Saturated(shard);
            }

            if (selection != SelectionOutcome.Acquired)
            {
                break;
            }

            trace.Attempts = attempt;
            trace.NodeId = host!.NodeId;
            AttemptResult result;
            try
            {
                result = await AttemptAsync(context, request, host, body, trace);
            }
            finally
            {
                host.Release();
                if (probe)
                {
                    health.EndProbe(shard.ModelId);
                }
            }

            if (result.Finished)
            {
                return null;
            }

            if (result.Refusal is { } contextRefusal)
            {
                refusal = contextRefusal;
                minimumWindow = contextRefusal.NextMinimum(minimumWindow + 1);
                (tried ??= []).Add(host);
                continue;
            }

            lastFailure = result.Failure;
            allBusy &= result.HostBusy;
            (tried ??= []).Add(host);
            GatewayLog.UpstreamAttemptFailed(logger, attempt, host.NodeId, result.Failure!, trace.RequestId);
        }

        if (refusal is not null && lastFailure is null)
        {
            return ContextTooLong(shard, refusal.Requested ?? needed, refusal);
        }

        if (lastFailure is null)
        {
            return Saturated(shard);
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"No host of '{shard.ModelId}' could serve the request after {trace.Attempts} attempt(s); the last failed with: {lastFailure}. Retry shortly.");
        return allBusy
            ? new PendingError(new OpenAiError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.ModelSaturated, message), RequestOutcome.UpstreamFailed, options.SaturationRetryAfterSeconds)
            : new PendingError(new OpenAiError(StatusCodes.Status502BadGateway, ErrorTypes.Upstream, ErrorCodes.UpstreamUnavailable, message), RequestOutcome.UpstreamFailed);
    }

    private async Task<AttemptResult> AttemptAsync(HttpContext context, ChatRequest request, UpstreamHost host, ReadOnlyMemory<byte> body, RequestTrace trace)
    {
        using var deadline = new AttemptDeadline(options.Upstream.FirstByteTimeout, time, context.RequestAborted);
        HttpResponseMessage response;
        try
        {
            response = await client.SendChatAsync(host, body, request.Stream, deadline.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return ClientGone(trace);
            }

            var failure = deadline.Expired
                ? string.Create(CultureInfo.InvariantCulture, $"no response headers within {options.Upstream.FirstByteTimeout.TotalSeconds:0.###} s")
                : "connection failed: " + ex.Message;
            health.Record(host.NodeId, HostFault.Transport, failure);
            return AttemptResult.Retry(failure);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (IsRetryableStatus(status))
            {
                var message = await HostErrorReader.ReadMessageAsync(response, deadline.Token);
                var failure = string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: {message}");
                health.Record(host.NodeId, status is 429 or 503 ? HostFault.Busy : HostFault.Transport, failure);
                return AttemptResult.Retry(failure, hostBusy: status is 429 or 503);
            }

            if (status >= 400)
            {
                var message = await HostErrorReader.ReadMessageAsync(response, deadline.Token);
                if (ContextRefusal.From(message) is { } refusal)
                {
                    return AttemptResult.TooLong(refusal);
                }

                await RespondHostRejectedAsync(context, status, message, trace);
                return AttemptResult.Done;
            }

            var relay = request.Stream
                ? await streamRelay.RelayAsync(context, response, request, trace, deadline)
                : await completionRelay.RelayAsync(context, response, request, trace, deadline);
            switch (relay.Outcome)
            {
                case RelayOutcome.FailedBeforeOutput:
                    health.Record(host.NodeId, relay.Fault ?? HostFault.Transport, relay.Failure!);
                    return AttemptResult.Retry(relay.Failure!);
                case RelayOutcome.ClientDisconnected:
                    return ClientGone(trace);
                case RelayOutcome.Interrupted:
                    GatewayLog.UpstreamStreamInterrupted(logger, host.NodeId, trace.RequestId, relay.Failure!);
                    health.Record(host.NodeId, relay.Fault ?? HostFault.Soft, relay.Failure!);
                    trace.Status = StatusCodes.Status200OK;
                    trace.Outcome = RequestOutcome.Incomplete;
                    trace.Error = relay.Failure;
                    return AttemptResult.Done;
                default:
                    health.RecordSuccess(host.NodeId);
                    affinity.Remember(request.Affinity, host.NodeId);
                    trace.Status = StatusCodes.Status200OK;
                    trace.Outcome = RequestOutcome.Completed;
                    return AttemptResult.Done;
            }
        }
    }

    // 404 means the host does not serve the model it is registered for: a registry fault, not the client's.
    private static bool IsRetryableStatus(int status) => status is 404 or 408 or 429 or >= 500;

    private static AttemptResult ClientGone(RequestTrace trace)
    {
        trace.Status = StatusCodes.Status499ClientClosedRequest;
        trace.Outcome = RequestOutcome.ClientDisconnected;
        return AttemptResult.Done;
    }

    private static PendingError ContextTooLong(ModelShard shard, long needed, ContextRefusal? refusal)
    {
        var largest = shard.ContextWindow is { } window ? window.ToString(CultureInfo.InvariantCulture) + " tokens" : "not known";
        var hostSaid = refusal is null ? string.Empty : $" The host said: {refusal.Message}";
        return new PendingError(
            new OpenAiError(
                StatusCodes.Status400BadRequest,
                ErrorTypes.InvalidRequest,
                ErrorCodes.ContextLengthExceeded,
                string.Create(CultureInfo.InvariantCulture, $"The request needs about {needed} tokens (prompt plus max_tokens), more than any host of '{shard.ModelId}' holds: the largest context window is {largest}. Shorten the conversation or lower max_tokens.{hostSaid}"),
                "messages"),
            RequestOutcome.Rejected);
    }

    private static async Task RespondHostRejectedAsync(HttpContext context, int status, string message, RequestTrace trace)
    {
        var error = new OpenAiError(
            status is 400 or 413 or 422 ? status : StatusCodes.Status400BadRequest,
            ErrorTypes.InvalidRequest,
            ErrorCodes.UpstreamRejected,
            "The host rejected the request: " + message);
        trace.Status = error.Status;
        trace.Outcome = RequestOutcome.Rejected;
        trace.Error = message;
        await error.WriteAsync(context);
    }

    private PendingError Unhealthy(ModelShard shard)
    {
        var wait = Math.Max(1, (long)Math.Ceiling(health.NextBack(shard.Hosts.Select(h => h.NodeId)).TotalSeconds));
        return new PendingError(
            new OpenAiError(
                StatusCodes.Status503ServiceUnavailable,
                ErrorTypes.Upstream,
                ErrorCodes.ModelUnavailable,
                string.Create(CultureInfo.InvariantCulture, $"Every host of '{shard.ModelId}' is resting after failures and one is being probed now. Retry after {wait} s.")),
            RequestOutcome.UpstreamFailed,
            wait);
    }

    private static PendingError DuringPoc(ModelShard shard, NetworkPhase phase)
    {
        var wait = Math.Max(1, (long)Math.Ceiling((phase.ExpectedEnd ?? TimeSpan.FromSeconds(60)).TotalSeconds));
        return new PendingError(
            new OpenAiError(
                StatusCodes.Status503ServiceUnavailable,
                ErrorTypes.Upstream,
                ErrorCodes.NetworkPoc,
                string.Create(CultureInfo.InvariantCulture, $"The network is in its {phase.Name} phase and none of the hosts of '{shard.ModelId}' is preserved for inference during it. Retry after about {wait} s.")),
            RequestOutcome.UpstreamFailed,
            wait);
    }

    private PendingError Saturated(ModelShard shard)
    {
        var retryAfter = options.SaturationRetryAfterSeconds;
        return new PendingError(
            new OpenAiError(
                StatusCodes.Status429TooManyRequests,
                ErrorTypes.RateLimit,
                ErrorCodes.ModelSaturated,
                string.Create(CultureInfo.InvariantCulture, $"Model '{shard.ModelId}' is saturated: all {shard.Hosts.Count} of its hosts are at their concurrency limit. Retry after {retryAfter} s. This is a capacity limit, not a balance or quota problem.")),
            RequestOutcome.Saturated,
            retryAfter);
    }

    private readonly record struct AttemptResult(bool Finished, string? Failure, bool HostBusy, ContextRefusal? Refusal = null)
    {
        public static AttemptResult Done => new(true, null, false);

        public static AttemptResult Retry(string failure, bool hostBusy = false) => new(false, failure, hostBusy);

        public static AttemptResult TooLong(ContextRefusal refusal) => new(false, null, false, refusal);
    }
}
