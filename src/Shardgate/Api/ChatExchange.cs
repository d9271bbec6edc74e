using System.Diagnostics;
using Shardgate.Admission;
using Shardgate.Contract;
using Shardgate.Contract.Tokens;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Upstream;

namespace Shardgate.Api;

/// <summary>
/// The endpoint's own record of one chat request: who sent it, the model that took it, and what each stage decided
/// (the gate's ticket, the forward result). Only the endpoint writes it; <see cref="RequestFinisher"/> reads it once
/// to settle, log and measure the request.
/// </summary>
internal sealed class ChatExchange(string requestId, DateTimeOffset startedAt, long startTimestamp, ApiDialect dialect)
{
    /// <summary>The model tag for requests whose model is not served: a client's string never becomes a tag or a row.</summary>
    public const string UnknownModel = "unknown";

    private int _priorAttempts;

    public string RequestId { get; } = requestId;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public long StartTimestamp { get; } = startTimestamp;

    public ApiDialect Dialect { get; } = dialect;

    /// <summary>The caller's own <c>X-Request-Id</c>, when it sent a safe one.</summary>
    public string? ClientRequestId { get; init; }

    /// <summary>The caller's <c>traceparent</c> and <c>tracestate</c>, passed on to hosts when the request is not traced here.</summary>
    public (string? Parent, string? State) TraceContext { get; init; }

    /// <summary>The request's span; null unless the request is traced. The finisher ends it.</summary>
    public Activity? Span { get; init; }

    public KeyIdentity? Identity { get; set; }

    /// <summary>A registered model id, <see cref="UnknownModel"/>, or null while no model was named.</summary>
    public string? Model { get; set; }

    /// <summary>The catalog alias the client asked for, when the model was reached through one.</summary>
    public string? Alias { get; set; }

    public bool Stream { get; set; }

    /// <summary>The prompt's tokens as counted for the model that took it, and the calibration its usage teaches.</summary>
    public PromptTokens Prompt { get; set; }

    /// <summary>A validation sample's upstream body and its model's family; null unless the request was sampled.</summary>
    public (byte[] Body, ContractFamily Family)? Validation { get; set; }

    public string? CountKey { get; set; }

    /// <summary>A Responses request's fields its response objects repeat (empty for the other APIs).</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> ResponsesEcho { get; set; } = [];

    public AdmissionTicket? Ticket { get; private set; }

    /// <summary>The last model's forward result; earlier models that could not serve were disposed.</summary>
    public ForwardResult? Forward { get; private set; }

    /// <summary>Attempts on every model tried, this one included.</summary>
    public int Attempts => _priorAttempts + (Forward?.Attempts ?? 0);

    public int Status { get; private set; }

    public string Outcome { get; private set; } = RequestOutcome.Rejected;

    public string? Error { get; private set; }

    /// <summary>
    /// Refused before any key was verified. Such a request is measured but gets no log row: the log is the keys'
    /// record, and a row per unauthenticated request would let anyone write to the database at will.
    /// </summary>
    public bool Unauthenticated { get; private set; }

    public void Admitted(AdmissionTicket ticket) => Ticket = ticket;

    public void AuthenticationFailed() => Unauthenticated = true;

    public void Forwarded(ForwardResult forward)
    {
        Forward = forward;
        (Status, Outcome, Error) = (forward.Status, forward.Outcome, forward.Error);
    }

    /// <summary>Forgets a model that could not serve, before the next is tried; the caller gave back its ticket.</summary>
    public async ValueTask MoveOnAsync()
    {
        _priorAttempts += Forward?.Attempts ?? 0;
        if (Forward is not null)
        {
            await Forward.DisposeAsync();
        }

        (Ticket, Forward) = (null, null);
    }

    /// <summary>The error the request is answered with, once its row is queued; null when a host answered.</summary>
    public Refusal? Refusal { get; private set; }

    public void Refused(Refusal refusal) =>
        (Refusal, Status, Outcome, Error) = (refusal, ErrorResponse.StatusOf(refusal.Error, Dialect), refusal.Outcome, refusal.Error.Message);

    public void ClientGone() => (Status, Outcome) = (Microsoft.AspNetCore.Http.StatusCodes.Status499ClientClosedRequest, RequestOutcome.ClientDisconnected);
}
