using Microsoft.AspNetCore.Http;
using Shardgate.Admission;
using Shardgate.Ledger;
using Shardgate.Observability;

namespace Shardgate.Api;

/// <summary>
/// Ends a chat request, once, whatever happened to it: settles its reservation at actual usage, gives back what the
/// gate took, records its metrics and writes its log row, built here from the stages' results. A complete answer's
/// last bytes go out only after its row has committed, so a client holding the whole answer always has its row; a
/// refusal is written after its row is queued, so a read of the log that follows it finds the row.
/// </summary>
internal sealed class RequestFinisher(BalanceLedger ledger, RequestGate gate, RequestLogWriter writer, ModelAdmission admission, GatewayMetrics metrics, TimeProvider time)
{
    public async Task FinishAsync(HttpContext context, ChatExchange exchange)
    {
        var forward = exchange.Forward;
        try
        {
            Settlement? settlement = null;
            if (exchange.Ticket is { } ticket)
            {
                settlement = ledger.Settle(ticket.Reservation, UsageCharge.For(ticket.Price, forward?.Usage, forward?.DeliveredChunks ?? 0, ticket.PromptBytes));
            }

            var elapsed = time.GetElapsedTime(exchange.StartTimestamp);
            metrics.RecordRequest(exchange.Model ?? ChatExchange.UnknownModel, exchange.Outcome, elapsed.TotalSeconds, forward?.TimeToFirstTokenMs, forward?.HedgeWinner, exchange.Attempts);
            var entry = exchange.Unauthenticated ? null : LogEntry(exchange, settlement, elapsed.TotalMilliseconds);
            if (forward?.End is { } end)
            {
                // A request alone in the gateway has nothing to batch with: it commits its row itself.
                await writer.CommitAsync(entry!, alone: admission.RequestsInFlight <= 1);
                await end.WriteAsync();
                return;
            }

            if (entry is not null)
            {
                await writer.EnqueueAsync(entry);
            }

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
        }
    }

    private static async Task WriteRefusalAsync(HttpContext context, ChatExchange exchange, Kernel.Refusal refusal)
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
            Error = exchange.Error,
            Reserved = exchange.Ticket?.Reservation.Amount,
            Cost = settlement?.Charged,
            Shortfall = settlement?.Shortfall,
        };
    }
}
