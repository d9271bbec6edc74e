using System.Text.Json;

namespace Shardgate.Contract;

/// <summary>Reading a host's chat message or delta, for the answers translated into other APIs' shapes.</summary>
internal static class ChatMessageJson
{
    public static string? NonEmptyString(JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>vLLM names it <c>reasoning_content</c>; newer versions and some parsers say <c>reasoning</c>.</summary>
    public static string? Reasoning(JsonElement messageOrDelta) =>
        NonEmptyString(messageOrDelta, "reasoning_content"u8) ?? NonEmptyString(messageOrDelta, "reasoning"u8);
}
