using Shardgate.Contract.Response;

namespace Shardgate.Contract;

/// <summary>What the forwarding stages need to know of a request that passed the contract.</summary>
/// <remarks><paramref name="AnthropicMessageId"/> is set when the client speaks the Anthropic Messages API: the answer is then translated into it.</remarks>
internal sealed record ChatRequest(string Model, bool Stream, bool ClientWantsUsage, long MaxTokens, ResponsePlan Response, Routing.AffinityKeys Affinity, string? AnthropicMessageId = null)
{
    public ResponseRewriter? NewRewriter() => Response.RewritesChunks ? new ResponseRewriter(Response) : null;

    public Anthropic.AnthropicStreamWriter? NewAnthropicWriter() => AnthropicMessageId is null ? null : new Anthropic.AnthropicStreamWriter(AnthropicMessageId, Model);
}
