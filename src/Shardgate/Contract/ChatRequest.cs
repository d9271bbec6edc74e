using Shardgate.Contract.Response;

namespace Shardgate.Contract;

/// <summary>What the forwarding stages need to know of a request that passed the contract.</summary>
internal sealed record ChatRequest(string Model, bool Stream, bool ClientWantsUsage, long MaxTokens, ResponsePlan Response, Routing.AffinityKeys Affinity)
{
    public ResponseRewriter? NewRewriter() => Response.RewritesChunks ? new ResponseRewriter(Response) : null;
}
