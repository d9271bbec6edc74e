namespace Shardgate.Kernel;

/// <summary>How a request ended, as recorded in the request log.</summary>
internal static class RequestOutcome
{
    public const string Completed = "completed";

    /// <summary>Output started, then the host failed or stalled; the client got an error event, not <c>[DONE]</c>.</summary>
    public const string Incomplete = "incomplete";

    public const string ClientDisconnected = "client_disconnected";
    public const string Rejected = "rejected";
    public const string Saturated = "saturated";
    public const string UpstreamFailed = "upstream_failed";
}
