using System.Text.Json;

namespace Shardgate.Contract.Anthropic;

/// <summary>A chat finish reason as Anthropic's <c>stop_reason</c>; vLLM names the stop string that matched in <c>stop_reason</c>.</summary>
internal static class AnthropicStop
{
    public static (string Reason, string? Sequence) From(string finishReason, JsonElement choice) => finishReason switch
    {
        "length" => ("max_tokens", null),
        "tool_calls" => ("tool_use", null),
        "stop" when choice.TryGetProperty("stop_reason"u8, out var matched) && matched.ValueKind == JsonValueKind.String => ("stop_sequence", matched.GetString()),
        _ => ("end_turn", null),
    };
}
