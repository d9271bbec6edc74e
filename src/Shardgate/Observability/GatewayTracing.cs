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

    /// <summary>The request's span, child of the caller's context (<c>default</c> for a new trace); null unless sampled.</summary>
    public static Activity? StartRequest(ActivityContext caller)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // The SDK creates a root it dropped anyway, for propagation only. The caller's own context is passed on
        // as it came, so such a span has nothing to carry: it is let go before anything is written to it.
        var span = StartDetached("chat", ActivityKind.Server, caller);
        if (span is { IsAllDataRequested: false })
        {
            span.Dispose();
            return null;
        }

        return span;
    }

    public static Activity? StartChild(Activity? parent, string name, ActivityKind kind = ActivityKind.Internal) =>
        parent is null ? null : StartDetached(name, kind, parent.Context);

    /// <summary>Ends a stage's span, marked failed with the error code when the stage refused.</summary>
    public static void End(Activity? span, string? errorCode)
    {
        if (span is null)
        {
            return;
        }

        if (errorCode is not null)
        {
            span.SetTag("error.type", errorCode).SetStatus(ActivityStatusCode.Error, errorCode);
        }

        span.Dispose();
    }

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
