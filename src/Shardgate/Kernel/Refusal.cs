namespace Shardgate.Kernel;

/// <summary>
/// A stage's decision not to serve the request, taken before anything was written: the error to answer with, the
/// outcome to log, and the wait to advise. When <see cref="ModelCouldNotServe"/> (saturated, resting, every host
/// failed, context too long) the endpoint may fall through to the next model instead.
/// </summary>
internal sealed record Refusal(GatewayError Error, string Outcome, long? RetryAfterSeconds = null, bool ModelCouldNotServe = true)
{
    /// <summary>A refusal of the request itself (the contract, the key, the balance): another model would not change it.</summary>
    public static Refusal Final(GatewayError error, long? retryAfterSeconds = null) => new(error, RequestOutcome.Rejected, retryAfterSeconds, ModelCouldNotServe: false);
}
