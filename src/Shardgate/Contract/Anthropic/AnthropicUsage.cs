using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Anthropic;

/// <summary>Usage in Anthropic's terms: <c>input_tokens</c> excludes the prompt tokens read from the host's prefix cache.</summary>
internal static class AnthropicUsage
{
    public static void Write(Utf8JsonWriter w, Usage? usage)
    {
        var u = usage ?? default;
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", Math.Max(0, u.PromptTokens - u.CachedTokens));
        w.WriteNumber("cache_creation_input_tokens", 0);
        w.WriteNumber("cache_read_input_tokens", u.CachedTokens);
        w.WriteNumber("output_tokens", u.CompletionTokens);
        w.WriteEndObject();
    }
}
