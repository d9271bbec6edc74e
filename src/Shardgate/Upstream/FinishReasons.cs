namespace Shardgate.Upstream;

/// <summary>A host's <c>finish_reason</c> as one of a fixed set of strings, found in vLLM's compact JSON without parsing it.</summary>
internal static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
    public const string ToolCalls = "tool_calls";
    public const string ContentFilter = "content_filter";
    public const string Other = "other";

    /// <summary>The first <c>"finish_reason":"…"</c> in <paramref name="json"/>; null when it has none (or it is null).</summary>
    public static string? Find(ReadOnlySpan<byte> json)
    {
        var at = json.IndexOf("\"finish_reason\":\""u8);
        if (at < 0)
        {
            return null;
        }

        var value = json[(at + 17)..];
        return value.StartsWith("stop\""u8) ? Stop
            : value.StartsWith("length\""u8) ? Length
            : value.StartsWith("tool_calls\""u8) ? ToolCalls
            : value.StartsWith("content_filter\""u8) ? ContentFilter
            : Other;
    }
}
