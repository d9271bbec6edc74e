namespace Shardgate.Routing;

/// <summary>One model of a fallback alias; <see cref="MaxPromptTokens"/> limits it to prompts up to that size.</summary>
internal sealed record FallbackTier
{
    public string Model { get; init; } = string.Empty;

    public long? MaxPromptTokens { get; init; }
}
