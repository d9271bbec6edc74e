namespace Shardgate.Ledger;

/// <summary>ngonka per token for one model; reasoning tokens are output tokens.</summary>
internal sealed record Price(string Model, long InputPerToken, long OutputPerToken)
{
    public static Price Free(string model) => new(model, 0, 0);

    /// <summary>Checked arithmetic: a price times a token count that overflows is a configuration error, not a silent wrap.</summary>
    public long Cost(long inputTokens, long outputTokens) =>
        checked((inputTokens * InputPerToken) + (outputTokens * OutputPerToken));
}
