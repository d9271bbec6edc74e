using System.Globalization;

namespace Shardgate.Upstream;

/// <summary>The note sent when a response used its whole token budget and showed nothing.</summary>
internal static class EmptyOutput
{
    public static string Explain(long maxTokens) => string.Create(CultureInfo.InvariantCulture,
        $"empty-output: finish_reason=length with no content: all {maxTokens} output tokens went to reasoning. Send a larger max_tokens, a smaller thinking_token_budget, or disable thinking.");
}
