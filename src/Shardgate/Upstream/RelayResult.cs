namespace Shardgate.Upstream;

/// <summary>The outcome of relaying one host response: the reason when it failed, the held-back end when it completed.</summary>
internal readonly record struct RelayResult(RelayOutcome Outcome, string? Failure = null, Routing.HostFault? Fault = null, IResponseEnd? End = null)
{
    public static RelayResult Completed(IResponseEnd end) => new(RelayOutcome.Completed, End: end);
}
