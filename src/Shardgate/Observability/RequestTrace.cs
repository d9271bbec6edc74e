using Shardgate.Api.Auth;
using Shardgate.Ledger;
using Shardgate.Storage;
using Shardgate.Upstream;

namespace Shardgate.Observability;

/// <summary>What one request did, gathered along its path and written once to the request log at the end.</summary>
internal sealed class RequestTrace(string requestId, DateTimeOffset startedAt, long startTimestamp)
{
    public const string HedgeWon = "won";
    public const string HedgeLost = "lost";

    public string RequestId { get; } = requestId;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public long StartTimestamp { get; } = startTimestamp;
    public KeyIdentity? Identity { get; set; }
    public string? Model { get; set; }
    public string? NodeId { get; set; }
    public bool Stream { get; set; }
    public int Attempts { get; set; }

    /// <summary>Null when the request did not hedge; else whether the hedge (<see cref="HedgeWon"/>) or the first host won.</summary>
    public string? Hedge { get; set; }
    public int Status { get; set; }
    public string Outcome { get; set; } = RequestOutcome.Rejected;
    public Usage? Usage { get; set; }

    /// <summary>Chunks with choices that reached the client; a lower bound on tokens when usage never arrived.</summary>
    public int DeliveredChunks { get; set; }

    public double? TimeToFirstTokenMs { get; set; }

    /// <summary>Time spent waiting on hosts (attempts, hedges, a non-streaming body), in <see cref="TimeProvider"/> ticks.</summary>
    public long UpstreamTicks { get; set; }
    public string? Error { get; set; }

    /// <summary>Money held for the request; null for admin requests, which are not billed.</summary>
    public Reservation? Reservation { get; set; }

    public Price? Price { get; set; }

    /// <summary>Size of the body sent upstream: the bound behind the reservation, and the estimate when usage never came.</summary>
    public long PromptBytes { get; set; }

    public Settlement? Settlement { get; set; }

    /// <summary>The token estimate the key's rate limit was charged, when the request was admitted by it.</summary>
    public long? RateLimitedTokens { get; set; }

    /// <summary>The request's place in the admission counts, while it holds one.</summary>
    public Admission.AdmissionTicket? Admission { get; set; }

    /// <summary>Set once the request is settled and its row queued; later calls do nothing.</summary>
    public bool Finished { get; set; }

    /// <summary>
    /// Sets <c>X-Shardgate-Overhead-Ms</c> just before the headers go out: the time since the request arrived minus
    /// the time spent waiting on hosts. It includes the contract, routing, the ledger and, for non-streaming
    /// answers, the commit of the usage row that precedes the body.
    /// </summary>
    public void SetOverheadHeader(Microsoft.AspNetCore.Http.HttpResponse response, TimeProvider time)
    {
        var elapsed = time.GetTimestamp() - StartTimestamp - UpstreamTicks;
        var ms = Math.Max(0, elapsed * 1000.0 / time.TimestampFrequency);
        response.Headers[Api.ShardgateHeaders.Overhead] = ms.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
    }

    public RequestLogEntry ToLogEntry(double durationMs) => new()
    {
        RequestId = RequestId,
        StartedAt = StartedAt,
        KeyId = Identity?.KeyId,
        AccountId = Identity?.AccountId,
        Model = Model,
        NodeId = NodeId,
        Stream = Stream,
        Status = Status,
        Outcome = Outcome,
        PromptTokens = Usage?.PromptTokens,
        CompletionTokens = Usage?.CompletionTokens ?? (DeliveredChunks > 0 ? Math.Max(0, DeliveredChunks - 1) : null),
        TimeToFirstTokenMs = TimeToFirstTokenMs,
        DurationMs = durationMs,
        Attempts = Attempts,
        Error = Error,
        Reserved = Reservation?.Amount,
        Cost = Settlement?.Charged,
        Shortfall = Settlement?.Shortfall,
    };
}
