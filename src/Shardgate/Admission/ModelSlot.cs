namespace Shardgate.Admission;

/// <summary>
/// A request's place in the model's and the gateway's in-flight counts, given back when it ends, with the model's
/// limits it was admitted under (zero: none), which replicas enforce together when they share state.
/// </summary>
internal sealed record ModelSlot(string Model, long InputTokens, long MaxRequests, long MaxInputTokens)
{
    public bool IsLimited => MaxRequests > 0 || MaxInputTokens > 0;
}
