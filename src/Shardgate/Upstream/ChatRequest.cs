using System.Diagnostics;
using Shardgate.Contract;
using Shardgate.Contract.Response;
using Shardgate.Routing;

namespace Shardgate.Upstream;

/// <summary>What the forwarding stages need to know of a request that passed the contract.</summary>
/// <remarks>
/// <paramref name="RequestId"/> ties the forwarder's log lines to the request's row. <paramref name="Dialect"/> is the API the client speaks: an Anthropic client's answer is translated into a message
/// whose id is <paramref name="MessageId"/>.
/// </remarks>
internal sealed record ChatRequest(string RequestId, string Model, bool Stream, bool ClientWantsUsage, long MaxTokens, ResponsePlan Response, AffinityKeys Affinity, ApiDialect Dialect, string MessageId)
{
    /// <summary>The request's span, parent of the routing and attempt spans; null unless the request is traced.</summary>
    public Activity? Span { get; init; }

    /// <summary>What hosts get besides the body; an attempt's own span replaces the trace context.</summary>
    public ForwardedHeaders Headers { get; init; }

    public ResponseRewriter? NewRewriter() => Response.RewritesChunks ? new ResponseRewriter(Response) : null;

    public Contract.Anthropic.AnthropicStreamWriter? NewAnthropicWriter() => Dialect == ApiDialect.Anthropic ? new Contract.Anthropic.AnthropicStreamWriter(MessageId, Model) : null;
}
