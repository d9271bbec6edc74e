using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Shardgate.Admission;
using Shardgate.Contract;
using Shardgate.Contract.Tokens;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network.Economics;
using Shardgate.Network.Validation;
using Shardgate.Observability;
using Shardgate.Validation;

namespace Shardgate.Api;

/// <summary>
/// Ends a chat request, once, whatever happened to it: settles its reservation at actual usage, gives back what the
/// gate took, records its metrics and writes its log row, built here from the stages' results. A complete answer's
/// last bytes go out only after its row has committed, so a client holding the whole answer always has its row; a
/// refusal is written after its row is queued, so a read of the log that follows it finds the row. Metrics are
/// recorded before any of that, so a client that holds its answer finds it counted; the request's span ends last.
/// </summary>
internal sealed class RequestFinisher(BalanceLedger ledger, RequestGate gate, RequestLogWriter writer, ModelAdmission admission, GatewayMetrics metrics, LedgerMetrics ledgerMetrics, TokenCalibration calibration, HostValidator validator, HostEarnings earnings, TimeProvider time)
{
    public async Task FinishAsync(HttpContext context, ChatExchange exchange)
    {
        var forward = exchange.Forward;
        var settleSpan = GatewayTracing.StartChild(exchange.Span, "settle");
        try
        {
            Settlement? settlement = null;
            if (exchange.Ticket is { } ticket)
            {
                settlement = ledger.Settle(ticket.Reservation, UsageCharge.For(ticket.Price, forward?.Usage, forward?.DeliveredChunks ?? 0, ticket.PromptTokens));
            }

            if (forward?.Usage is { } usage && exchange.CountKey is { } countKey)
            {
                calibration.Observe(countKey, exchange.Prompt.Counted, usage.PromptTokens);
            }

            CountForHost(exchange, settlement);
            var elapsed = time.GetElapsedTime(exchange.StartTimestamp);
            var entry = exchange.Unauthenticated ? null : LogEntry(exchange, settlement, elapsed.TotalMilliseconds);
            Measure(exchange, entry, settlement, elapsed);
            settleSpan?.SetTag("shardgate.cost_ngonka", settlement?.Charged).SetTag("shardgate.shortfall_ngonka", settlement?.Shortfall);
            if (forward?.End is { } end)
            {
                // A request alone in the gateway has nothing to batch with: it commits its row itself.
                await writer.CommitAsync(entry!, alone: admission.RequestsInFlight <= 1);
                settleSpan?.Dispose();
                await end.WriteAsync();
                SubmitValidation(exchange, forward);
                return;
            }

            if (entry is not null)
            {
                await writer.EnqueueAsync(entry);
            }

            settleSpan?.Dispose();

            if (exchange.Refusal is { } refusal)
            {
                await WriteRefusalAsync(context, exchange, refusal);
            }
        }
        finally
        {
            if (exchange.Ticket is { } ticket)
            {
                gate.Release(ticket, exchange.Identity!, forward?.Usage);
            }

            if (forward is not null)
            {
                await forward.DisposeAsync();
            }

            if (exchange.Span is { } span)
            {
                EndSpan(span, exchange);
            }

            if (forward?.OverheadMs is { } overhead)
            {
                // After the end was written: a non-streaming answer's overhead includes its row's commit.
                metrics.RecordOverhead(overhead / 1000);
            }
        }
    }

    private void CountForHost(ChatExchange exchange, Settlement? settlement)
    {
        if (exchange.Forward is not { NodeId: { } node } forward || exchange.Model is not { } model)
        {
            return;
        }

        if (exchange.Outcome is RequestOutcome.Completed or RequestOutcome.Incomplete or RequestOutcome.ClientDisconnected)
        {
            earnings.Served(node, model, forward.Usage?.PromptTokens ?? 0, forward.Usage?.CompletionTokens ?? 0, settlement?.Charged ?? 0);
        }

        // Output began and the host cut or stalled it; attempts that failed before output are counted as missed by the forwarder.
        if (exchange.Outcome == RequestOutcome.Incomplete)
        {
            earnings.Failed(node, model);
        }
    }

    // After the answer is out: a replay never delays it.
    private void SubmitValidation(ChatExchange exchange, Upstream.ForwardResult forward)
    {
        if (exchange.Validation is { } sample && exchange.Outcome == RequestOutcome.Completed && forward.Logprobs is { Count: > 0 } tokens && forward.NodeId is { } node)
        {
            validator.Submit(new ValidationJob(exchange.RequestId, exchange.Model!, sample.Family, node, exchange.Identity!.AccountId, sample.Body, tokens, forward.Usage?.PromptTokens ?? exchange.Prompt.Estimate));
        }
    }

    private void Measure(ChatExchange exchange, RequestLogEntry? entry, Settlement? settlement, TimeSpan elapsed)
    {
        var model = exchange.Model ?? ChatExchange.UnknownModel;
        metrics.RecordRequest(new RequestMeasurement(
            model,
            exchange.Status,
            MetricOutcome.Of(exchange.Outcome, exchange.Status),
            exchange.Outcome == RequestOutcome.Completed,
            exchange.Stream,
            elapsed.TotalSeconds,
            exchange.Forward?.TimeToFirstTokenMs / 1000,
            entry?.PromptTokens,
            entry?.CompletionTokens,
            exchange.Alias,
            settlement?.Charged));
        if (settlement is { } settled)
        {
            ledgerMetrics.Spent(model, settled.Charged);
        }
    }

    private static void EndSpan(Activity span, ChatExchange exchange)
    {
        var forward = exchange.Forward;
        span.SetTag("http.response.status_code", exchange.Status)
            .SetTag("shardgate.outcome", exchange.Outcome)
            .SetTag("shardgate.attempts", exchange.Attempts)
            .SetTag("shardgate.node.id", forward?.NodeId)
            .SetTag("shardgate.hedge.winner", forward?.HedgeWinner)
            .SetTag("gen_ai.response.model", exchange.Model)
            .SetTag("gen_ai.usage.input_tokens", forward?.Usage?.PromptTokens)
            .SetTag("gen_ai.usage.output_tokens", forward?.Usage?.CompletionTokens);
        if (forward?.FinishReason is { } finish)
        {
            span.SetTag("gen_ai.response.finish_reasons", new[] { finish });
        }

        if (exchange.Outcome != RequestOutcome.Completed)
        {
            span.SetTag("error.type", exchange.Refusal?.Error.Code ?? exchange.Outcome);
            span.SetStatus(ActivityStatusCode.Error, exchange.Error);
        }

        span.Dispose();
    }

    private static async Task WriteRefusalAsync(HttpContext context, ChatExchange exchange, Refusal refusal)
    {
        try
        {
            await ErrorResponse.WriteAsync(context, refusal.Error, exchange.Dialect, refusal.RetryAfterSeconds);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; its row already says what it was answered.
        }
    }

    private static RequestLogEntry LogEntry(ChatExchange exchange, Settlement? settlement, double durationMs)
    {
        var forward = exchange.Forward;
        var delivered = forward?.DeliveredChunks ?? 0;
        return new RequestLogEntry
        {
            RequestId = exchange.RequestId,
            StartedAt = exchange.StartedAt,
            KeyId = exchange.Identity?.KeyId,
            AccountId = exchange.Identity?.AccountId,
            Model = exchange.Model,
            NodeId = forward?.NodeId,
            Stream = exchange.Stream,
            Status = exchange.Status,
            Outcome = exchange.Outcome,
            PromptTokens = forward?.Usage?.PromptTokens,
            CompletionTokens = forward?.Usage?.CompletionTokens ?? (delivered > 0 ? Math.Max(0, delivered - 1) : null),
            TimeToFirstTokenMs = forward?.TimeToFirstTokenMs,
            DurationMs = durationMs,
            Attempts = exchange.Attempts,
            Hedge = forward?.HedgeWinner,
            Alias = exchange.Alias,
            Endpoint = ApiEndpoints.PathOf(exchange.Dialect),
            Error = exchange.Error,
            Reserved = exchange.Ticket?.Reservation.Amount,
            Cost = settlement?.Charged,
            Shortfall = settlement?.Shortfall,
        };
    }
}
