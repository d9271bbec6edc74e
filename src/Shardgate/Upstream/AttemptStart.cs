using Shardgate.Routing;

namespace Shardgate.Upstream;

/// <summary>How an attempt's start ended: ready to relay, or why not. Nothing has reached the client yet.</summary>
internal readonly record struct AttemptStart(AttemptStartKind Kind, string? Failure = null, HostFault Fault = HostFault.Transport, bool HostBusy = false, ContextRefusal? Refusal = null, int Status = 0)
{
    public static AttemptStart Ready => new(AttemptStartKind.Ready);

    public static AttemptStart ClientGone => new(AttemptStartKind.ClientGone);

    public static AttemptStart Failed(string failure, HostFault fault, bool hostBusy = false) => new(AttemptStartKind.Failed, failure, fault, hostBusy);

    /// <summary>Whether this start settles the request, so a hedge race need not wait for the other attempt.</summary>
    public bool Decisive => Kind is not (AttemptStartKind.Failed or AttemptStartKind.TooLong);
}
