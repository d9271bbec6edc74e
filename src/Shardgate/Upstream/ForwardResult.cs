using Shardgate.Kernel;

namespace Shardgate.Upstream;

/// <summary>
/// What forwarding decided and observed: either a <see cref="Refusal"/> (nothing was written, so the endpoint answers
/// or tries another model), or the host that answered with its usage, timings and how the answer ended. Written by
/// the forwarder and its relays only; the endpoint reads it to build the request's log row. When the answer was
/// complete, <see cref="End"/> holds its last bytes: they go out after the row commits, so a client holding the whole
/// answer always has its row. Disposing gives back the answering host's connection and slot.
/// </summary>
internal sealed class ForwardResult : IAsyncDisposable
{
    public const string HedgeAnswered = "hedge";
    public const string FirstAnswered = "first";

    private UpstreamAttempt? _answering;

    public Refusal? Refusal { get; private set; }

    /// <summary>The status the client got: 200 once output began, or the host's own refusal's status.</summary>
    public int Status { get; private set; }

    public string Outcome { get; private set; } = RequestOutcome.UpstreamFailed;

    public string? Error { get; private set; }

    public string? NodeId { get; internal set; }

    public int Attempts { get; internal set; }

    /// <summary>Null when the request did not hedge; else which attempt answered: <see cref="HedgeAnswered"/> or <see cref="FirstAnswered"/>.</summary>
    public string? HedgeWinner { get; internal set; }

    public Usage? Usage { get; internal set; }

    /// <summary>The answer had no tool call though <c>tool_choice: "required"</c> was emulated (its usage is in <see cref="Usage"/>).</summary>
    public bool MissingToolCall { get; internal set; }

    /// <summary>What answers held back for want of a tool call used; charged with the request.</summary>
    public Usage? HeldBackUsage { get; private set; }

    /// <summary>A validation sample's answer: the first choice's tokens and log probabilities; null unless sampled.</summary>
    public List<Contract.Response.TokenLogprob>? Logprobs { get; internal set; }

    /// <summary>Chunks with choices that reached the client; a lower bound on tokens when usage never arrived.</summary>
    public int DeliveredChunks { get; internal set; }

    public double? TimeToFirstTokenMs { get; internal set; }

    /// <summary>The gateway's own time before the response headers (<c>X-Shardgate-Overhead-Ms</c>); null until they went out.</summary>
    public double? OverheadMs { get; internal set; }

    /// <summary>The host's last <c>finish_reason</c>, from a fixed vocabulary (<see cref="FinishReasons"/>); null if none was seen.</summary>
    public string? FinishReason { get; internal set; }

    /// <summary>Time spent waiting on hosts (attempts, hedges, a non-streaming body), in <see cref="TimeProvider"/> ticks.</summary>
    public long UpstreamTicks { get; internal set; }

    /// <summary>The answer's last bytes, to write once the request's row is committed; null unless it completed.</summary>
    public IResponseEnd? End { get; private set; }

    public static ForwardResult Refused(Refusal refusal) => new() { Refusal = refusal, Outcome = refusal.Outcome };

    internal void Refuse(Refusal refusal)
    {
        Refusal = refusal;
        Outcome = refusal.Outcome;
    }

    internal void Completed(IResponseEnd end, UpstreamAttempt answering)
    {
        (Status, Outcome, End, _answering) = (200, RequestOutcome.Completed, end, answering);
    }

    /// <summary>Sets the held-back answer aside before the retry, its usage kept to charge.</summary>
    internal void HoldBack()
    {
        HeldBackUsage = Add(HeldBackUsage, Usage);
        (Usage, MissingToolCall, FinishReason, DeliveredChunks) = (null, false, null, 0);
    }

    /// <summary>The request's usage: the answering attempt's plus what held-back answers used.</summary>
    internal void ChargeHeldBack() => Usage = Add(Usage, HeldBackUsage);

    private static Usage? Add(Usage? a, Usage? b) =>
        a is not { } x ? b : b is not { } y ? x : new Usage(x.PromptTokens + y.PromptTokens, x.CompletionTokens + y.CompletionTokens, x.CachedTokens + y.CachedTokens);

    internal void Interrupted(string failure) => (Status, Outcome, Error) = (200, RequestOutcome.Incomplete, failure);

    internal void ClientGone() => (Status, Outcome) = (499, RequestOutcome.ClientDisconnected);

    /// <summary>Whether <paramref name="attempt"/> now belongs to this result (its end is still to be written).</summary>
    internal bool Owns(UpstreamAttempt attempt) => ReferenceEquals(_answering, attempt);

    public ValueTask DisposeAsync()
    {
        (End as IDisposable)?.Dispose();
        return _answering?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
