using Shardgate.Admission;
using Shardgate.Observability;
using Shardgate.Storage;

namespace Shardgate.Ledger;

/// <summary>
/// Ends a request's money path once: settles its reservation at actual usage, writes its log row, and records its
/// metrics. On the success path the caller awaits the row's commit before sending the response's last bytes.
/// </summary>
internal sealed class RequestFinisher(BalanceLedger ledger, RequestLogWriter writer, ModelAdmission admission, GatewayMetrics metrics, TimeProvider time)
{
    /// <summary>Bytes per token assumed when a host never reported usage (a stream cut short): about English's ratio.</summary>
    private const int EstimatedBytesPerToken = 4;

    public async Task FinishAsync(RequestTrace trace, bool awaitCommit)
    {
        if (trace.Finished)
        {
            return;
        }

        trace.Finished = true;
        if (trace.Reservation is { } reservation)
        {
            trace.Settlement = ledger.Settle(reservation, Cost(trace));
        }

        var elapsed = time.GetElapsedTime(trace.StartTimestamp);
        metrics.RecordRequest(trace, elapsed.TotalSeconds);
        var entry = trace.ToLogEntry(elapsed.TotalMilliseconds);
        if (awaitCommit)
        {
            // A request alone in the gateway has nothing to batch with: it commits its row itself.
            await writer.CommitAsync(entry, alone: admission.RequestsInFlight <= 1);
        }
        else
        {
            await writer.EnqueueAsync(entry);
        }
    }

    /// <summary>Actual usage at the model's price. Without usage: what reached the client, and nothing if nothing did.</summary>
    internal static long Cost(RequestTrace trace)
    {
        if (trace.Price is not { } price)
        {
            return 0;
        }

        if (trace.Usage is { } usage)
        {
            return price.Cost(usage.PromptTokens, usage.CompletionTokens);
        }

        if (trace.DeliveredChunks == 0)
        {
            return 0;
        }

        var promptTokens = (trace.PromptBytes + EstimatedBytesPerToken - 1) / EstimatedBytesPerToken;
        return price.Cost(promptTokens, Math.Max(0, trace.DeliveredChunks - 1));
    }
}
