using System.Diagnostics;
using Shardgate.Contract;
using Shardgate.Contract.Anthropic;
using Shardgate.Contract.Response;
using Shardgate.Contract.Responses;
using Shardgate.Contract.Tokens;
using Shardgate.Kernel;
using Shardgate.Routing;

namespace Shardgate.Upstream;

/// <summary>What the forwarding stages need to know of a request that passed the contract.</summary>
/// <remarks>
/// <paramref name="RequestId"/> ties the forwarder's log lines to the request's row. <paramref name="Dialect"/> is the API the client speaks: an Anthropic client's answer is translated into a message
/// whose id is <paramref name="MessageId"/>, a Responses client's into a response of that id.
/// </remarks>
internal sealed record ChatRequest(string RequestId, string Model, bool Stream, bool ClientWantsUsage, long MaxTokens, ResponsePlan Response, AffinityKeys Affinity, ApiDialect Dialect, string MessageId)
{
    /// <summary>The request's span, parent of the routing and attempt spans; null unless the request is traced.</summary>
    public Activity? Span { get; init; }

    /// <summary>What hosts get besides the body; an attempt's own span replaces the trace context.</summary>
    public ForwardedHeaders Headers { get; init; }

    /// <summary>A rewriter for one relay; a validation sample's tokens go to <paramref name="result"/>, started afresh.</summary>
    public ResponseRewriter? NewRewriter(ForwardResult result)
    {
        if (!Response.RewritesChunks)
        {
            return null;
        }

        if (Response.CaptureLogprobs)
        {
            result.Logprobs = [];
        }

        return new ResponseRewriter(Response, result.Logprobs);
    }

    /// <summary>Set when <c>tool_choice: "required"</c> is emulated: an answer without a tool call is held back and retried.</summary>
    public RequiredToolCall? RequiredToolCall { get; init; }

    /// <summary>The prompt's tokens as the gateway counted them for this model.</summary>
    public PromptTokens Prompt { get; init; }

    /// <summary>What a Responses API answer repeats of its request; set when <see cref="Dialect"/> is <see cref="ApiDialect.Responses"/>.</summary>
    public ResponsesHead? ResponsesHead { get; init; }

    /// <summary>The stream's writer in the client's API; null for Chat Completions, relayed as the host sent it.</summary>
    public ChatChunkTranslator? NewStreamTranslator() => Dialect switch
    {
        ApiDialect.Anthropic => new AnthropicStreamWriter(MessageId, Model),
        ApiDialect.Responses => new ResponsesStreamWriter(ResponsesHead!),
        _ => null,
    };

    /// <summary>A whole completion in the client's API; null for Chat Completions.</summary>
    public PooledBufferWriter? TranslateCompletion(ReadOnlySpan<byte> completion, Usage? usage) => Dialect switch
    {
        ApiDialect.Anthropic => AnthropicMessageWriter.Write(completion, MessageId, Model, usage),
        ApiDialect.Responses => ResponsesObjectWriter.Write(completion, ResponsesHead!, usage),
        _ => null,
    };
}
