namespace Shardgate.Contract.Response;

/// <summary>What the gateway changes in a host's output for one request, decided by the request's contract.</summary>
internal sealed record ResponsePlan(bool SplitThinking, bool UniqueToolCallIds, bool StripForcedFields)
{
    public static ResponsePlan None { get; } = new(false, false, false);

    public bool RewritesChunks => SplitThinking || UniqueToolCallIds || StripForcedFields;

    public static ResponsePlan For(ContractContext context)
    {
        var n = context.Fields.TryGetReplacement("n", out var replaced) && replaced is not null
            ? replaced.GetValue<long>()
            : context.TryGet("n", out var sent) && sent.TryGetInt64(out var value) ? value : 1;
        return new ResponsePlan(
            context.Profile.SplitThinking,
            UniqueToolCallIds: n > 1,
            StripForcedFields: context.Profile.ForceUpstreamLogprobs && !context.ClientAskedForLogprobs);
    }
}
