namespace Shardgate.Contract.Response;

/// <summary>What the gateway changes in a host's output for one request, decided by the request's contract.</summary>
internal sealed record ResponsePlan(bool SplitThinking, bool UniqueToolCallIds, bool StripForcedFields)
{
    public bool RewritesChunks => SplitThinking || UniqueToolCallIds || StripForcedFields;

    public static ResponsePlan For(ContractContext context)
    {
        return new ResponsePlan(
            context.Profile.SplitThinking,
            UniqueToolCallIds: context.Choices > 1,
            StripForcedFields: context.Profile.ForceUpstreamLogprobs && !context.ClientAskedForLogprobs);
    }
}
