namespace Shardgate.Contract.Response;

/// <summary>What the gateway changes in a host's output for one request, decided by the request's contract.</summary>
/// <remarks><paramref name="CaptureLogprobs"/>: the first choice's tokens and log probabilities are kept for a validation replay.</remarks>
internal sealed record ResponsePlan(bool SplitThinking, bool UniqueToolCallIds, bool StripForcedFields, bool CaptureLogprobs = false)
{
    public bool RewritesChunks => SplitThinking || UniqueToolCallIds || StripForcedFields || CaptureLogprobs;

    public static ResponsePlan For(ContractContext context)
    {
        return new ResponsePlan(
            context.Profile.SplitThinking,
            UniqueToolCallIds: context.Choices > 1,
            StripForcedFields: (context.Profile.ForceUpstreamLogprobs || context.ValidationSampled) && !context.ClientAskedForLogprobs,
            CaptureLogprobs: context.ValidationSampled);
    }
}
