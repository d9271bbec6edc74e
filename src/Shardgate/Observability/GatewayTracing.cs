using System.Diagnostics;

namespace Shardgate.Observability;

/// <summary>
/// The gateway's spans, on one <see cref="ActivitySource"/>: a request span that continues the caller's
/// <c>traceparent</c>, with children for the contract, admission, each routing decision, each upstream attempt and
/// settlement. Spans are started detached (<see cref="Activity.Current"/> is left as it was): hedged attempts run
/// side by side, and each names its parent explicitly. A child is started only under a recorded request span, so a
/// request the sampler dropped costs nothing beyond the sampler's decision.
/// </summary>
internal static class GatewayTracing
{
    public const string SourceName = "Shardgate.Gateway";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The request's span, child of the caller's <c>traceparent</c> when it sent a valid one; null unless sampled.</summary>
    public static Activity? StartRequest(string? traceParent, string? traceState)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        return StartDetached("chat", ActivityKind.Server, parent);
    }

    public static Activity? StartChild(Activity? parent, string name, ActivityKind kind = ActivityKind.Internal) =>
        parent is null ? null : StartDetached(name, kind, parent.Context);

    /// <summary>Notes on a routing span why a host was passed over.</summary>
    public static void HostSkipped(Activity? route, string nodeId, string reason) =>
        route?.AddEvent(new ActivityEvent("host_skipped", tags: new ActivityTagsCollection { ["shardgate.node.id"] = nodeId, ["shardgate.skip.reason"] = reason }));

    private static Activity? StartDetached(string name, ActivityKind kind, ActivityContext parent)
    {
        var current = Activity.Current;
        var activity = Source.StartActivity(name, kind, parent);
        Activity.Current = current;
        return activity;
    }
}
