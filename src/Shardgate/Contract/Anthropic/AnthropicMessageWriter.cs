using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Anthropic;

/// <summary>
/// A host's chat completion as an Anthropic message: reasoning as a <c>thinking</c> block, content as a
/// <c>text</c> block, each tool call as a <c>tool_use</c> block with its arguments parsed into <c>input</c>.
/// </summary>
internal static class AnthropicMessageWriter
{
    public static PooledBufferWriter Write(ReadOnlySpan<byte> completion, string messageId, string model, Usage? usage)
    {
        var reader = new Utf8JsonReader(completion);
        using var document = JsonDocument.ParseValue(ref reader);
        var output = new PooledBufferWriter(completion.Length + 256);
        using var w = new Utf8JsonWriter(output, GatewayError.WriterOptions);
        w.WriteStartObject();
        w.WriteString("id", messageId);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");
        var (stopReason, stopSequence) = ("end_turn", (string?)null);
        if (document.RootElement.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("message"u8, out var message) && message.ValueKind == JsonValueKind.Object)
            {
                WriteBlocks(w, message);
            }

            if (choice.TryGetProperty("finish_reason"u8, out var finish) && finish.ValueKind == JsonValueKind.String)
            {
                (stopReason, stopSequence) = AnthropicStop.From(finish.GetString()!, choice);
            }
        }

        w.WriteEndArray();
        w.WriteString("stop_reason", stopReason);
        w.WriteString("stop_sequence", stopSequence);
        AnthropicUsage.Write(w, usage);
        w.WriteEndObject();
        w.Flush();
        return output;
    }

    private static void WriteBlocks(Utf8JsonWriter w, JsonElement message)
    {
        if (ChatMessageJson.Reasoning(message) is { } thinking)
        {
            w.WriteStartObject();
            w.WriteString("type", "thinking");
            w.WriteString("thinking", thinking);
            w.WriteString("signature", string.Empty);
            w.WriteEndObject();
        }

        if (ChatMessageJson.NonEmptyString(message, "content"u8) is { } text)
        {
            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WriteString("text", text);
            w.WriteEndObject();
        }

        if (!message.TryGetProperty("tool_calls"u8, out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var call in calls.EnumerateArray())
        {
            var function = call.GetProperty("function"u8);
            w.WriteStartObject();
            w.WriteString("type", "tool_use");
            w.WriteString("id", call.TryGetProperty("id"u8, out var id) ? id.GetString() : string.Empty);
            w.WriteString("name", function.TryGetProperty("name"u8, out var name) ? name.GetString() : string.Empty);
            w.WritePropertyName("input");
            WriteInput(w, function.TryGetProperty("arguments"u8, out var arguments) && arguments.ValueKind == JsonValueKind.String ? arguments.GetString()! : "{}");
            w.WriteEndObject();
        }
    }

    // Arguments are a JSON string; a model can emit broken JSON, which is kept whole rather than lost.
    private static void WriteInput(Utf8JsonWriter w, string arguments)
    {
        try
        {
            using var input = JsonDocument.Parse(arguments);
            if (input.RootElement.ValueKind == JsonValueKind.Object)
            {
                input.RootElement.WriteTo(w);
                return;
            }
        }
        catch (JsonException)
        {
        }

        w.WriteStartObject();
        w.WriteString("raw_arguments", arguments);
        w.WriteEndObject();
    }
}
