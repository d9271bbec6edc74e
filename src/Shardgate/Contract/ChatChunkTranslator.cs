using System.Buffers;
using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract;

/// <summary>
/// Writes a host's chat-completion stream in another API's event shape (Anthropic's messages, OpenAI's Responses),
/// one instance per stream, keeping the open item or block between chunks. The walk over a chunk is here: choice 0's
/// reasoning, content and tool-call fragments, in that order, then its finish reason; subclasses write the events.
/// </summary>
internal abstract class ChatChunkTranslator
{
    /// <summary>One host chunk (the JSON of a <c>data:</c> line).</summary>
    public void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        using var chunk = JsonDocument.ParseValue(ref reader);
        Start(output);
        if (!chunk.RootElement.TryGetProperty("choices"u8, out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return;
        }

        var choice = choices[0];
        if (choice.TryGetProperty("delta"u8, out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            if (ChatMessageJson.Reasoning(delta) is { } reasoning)
            {
                Reasoning(output, reasoning);
            }

            if (ChatMessageJson.NonEmptyString(delta, "content"u8) is { } text)
            {
                Text(output, text);
            }

            if (delta.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var function = call.TryGetProperty("function"u8, out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
                    var hasFunction = function.ValueKind == JsonValueKind.Object;
                    ToolCall(
                        output,
                        call.TryGetProperty("index"u8, out var i) && i.TryGetInt32(out var n) ? n : 0,
                        call.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
                        hasFunction && function.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
                        hasFunction ? ChatMessageJson.NonEmptyString(function, "arguments"u8) : null);
                }
            }
        }

        if (choice.TryGetProperty("finish_reason"u8, out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            Finished(finish.GetString()!, choice);
        }
    }

    /// <summary>The host finished: closes what is open and ends the stream with the usage.</summary>
    public abstract void WriteEnd(IBufferWriter<byte> output, Usage? usage);

    /// <summary>A failure after the stream began: the API's error ending (never its normal end).</summary>
    public abstract void WriteError(IBufferWriter<byte> output, GatewayError error);

    /// <summary>Writes the stream's opening events, once.</summary>
    protected abstract void Start(IBufferWriter<byte> output);

    protected abstract void Reasoning(IBufferWriter<byte> output, string delta);

    protected abstract void Text(IBufferWriter<byte> output, string delta);

    /// <summary>A fragment of tool call <paramref name="index"/>: its first carries the id and name, later ones more arguments.</summary>
    protected abstract void ToolCall(IBufferWriter<byte> output, int index, string? id, string? name, string? arguments);

    protected abstract void Finished(string finishReason, JsonElement choice);
}
