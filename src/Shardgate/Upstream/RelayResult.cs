namespace Shardgate.Upstream;

/// <summary>The outcome of relaying one host response, with the reason when it failed.</summary>
internal readonly record struct RelayResult(RelayOutcome Outcome, string? Failure = null, Routing.HostFault? Fault = null)
{
    public static RelayResult Completed => new(RelayOutcome.Completed);
}
