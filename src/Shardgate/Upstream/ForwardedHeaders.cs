using System.Net.Http.Headers;

namespace Shardgate.Upstream;

/// <summary>
/// What a host learns of the request beyond its body: the W3C trace context (the attempt's own span when the request
/// is traced, else the caller's <c>traceparent</c> unchanged) and a request id (the caller's <c>X-Request-Id</c>
/// when it sent a safe one, else the gateway's), so the host's logs line up with ours.
/// </summary>
internal readonly record struct ForwardedHeaders(string RequestId, string? TraceParent, string? TraceState)
{
    public const string RequestIdHeader = "X-Request-Id";
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    public void AddTo(HttpRequestHeaders headers)
    {
        headers.TryAddWithoutValidation(RequestIdHeader, RequestId);
        if (TraceParent is not null)
        {
            headers.TryAddWithoutValidation(TraceParentHeader, TraceParent);
            if (TraceState is not null)
            {
                headers.TryAddWithoutValidation(TraceStateHeader, TraceState);
            }
        }
    }
}
