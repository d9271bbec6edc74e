namespace Shardgate.Routing;

/// <summary>Fallback aliases, from <c>Shardgate:Fallbacks</c>.</summary>
internal sealed record FallbackOptions
{
    /// <summary>Aliases naming an ordered list of models to fall through: <c>{"auto": [{"Model": …, "MaxPromptTokens": 32000}, …]}</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FallbackTier>> Fallbacks { get; init; } = new Dictionary<string, IReadOnlyList<FallbackTier>>();
}
