using System.Buffers;
using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Anthropic;

/// <summary>
/// Turns a host's chat-completion chunks into Anthropic's stream, in its exact order: <c>message_start</c>, then per
/// content block <c>content_block_start</c>, its <c>content_block_delta</c>s (<c>thinking_delta</c>,
/// <c>text_delta</c>, <c>input_json_delta</c>) and <c>content_block_stop</c>, then <c>message_delta</c> with the
/// stop reason and usage, then <c>message_stop</c>. Reasoning opens a thinking block, content a text block, each
/// new tool call a tool_use block; a change of kind closes the open block first, so blocks never interleave.
/// </summary>
internal sealed class AnthropicStreamWriter(string messageId, string model) : ChatChunkTranslator
{
    private int _blockIndex = -1;
    private BlockKind _open;
    private int _toolIndex = -1;
    private bool _started;
    private string _stopReason = "end_turn";
    private string? _stopSequence;

    private enum BlockKind
    {
        None,
        Thinking,
        Text,
        ToolUse,
    }

    /// <summary>The host finished: closes the open block and ends the message with its stop reason and usage.</summary>
    public override void WriteEnd(IBufferWriter<byte> output, Usage? usage)
    {
        Start(output);
        Close(output);
        using var w = Event(output, "message_delta"u8);
        w.WriteStartObject();
        w.WriteString("type", "message_delta");
        w.WriteStartObject("delta");
        w.WriteString("stop_reason", _stopReason);
        w.WriteString("stop_sequence", _stopSequence);
        w.WriteEndObject();
        AnthropicUsage.Write(w, usage);
        w.WriteEndObject();
        End(output, w);
        using var stop = Event(output, "message_stop"u8);
        stop.WriteStartObject();
        stop.WriteString("type", "message_stop");
        stop.WriteEndObject();
        End(output, stop);
    }

    /// <summary>A failure after the stream began: Anthropic's <c>error</c> event (never a <c>message_stop</c>).</summary>
    public override void WriteError(IBufferWriter<byte> output, GatewayError error)
    {
        using var w = Event(output, "error"u8);
        AnthropicErrors.WriteTo(w, error);
        End(output, w);
    }

    protected override void Start(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        using var w = Event(output, "message_start"u8);
        w.WriteStartObject();
        w.WriteString("type", "message_start");
        w.WriteStartObject("message");
        w.WriteString("id", messageId);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");
        w.WriteEndArray();
        w.WriteNull("stop_reason");
        w.WriteNull("stop_sequence");
        // The prompt's count is known only at the end; message_delta carries it.
        AnthropicUsage.Write(w, new Usage(0, 0, 0));
        w.WriteEndObject();
        w.WriteEndObject();
        End(output, w);
    }

    protected override void Reasoning(IBufferWriter<byte> output, string delta)
    {
        Open(output, BlockKind.Thinking);
        Delta(output, "thinking_delta", "thinking", delta);
    }

    protected override void Text(IBufferWriter<byte> output, string delta)
    {
        Open(output, BlockKind.Text);
        Delta(output, "text_delta", "text", delta);
    }

    protected override void ToolCall(IBufferWriter<byte> output, int index, string? id, string? name, string? arguments)
    {
        if (_open != BlockKind.ToolUse || index != _toolIndex)
        {
            _toolIndex = index;
            StartBlock(output, BlockKind.ToolUse, id, name);
        }

        if (arguments is not null)
        {
            Delta(output, "input_json_delta", "partial_json", arguments);
        }
    }

    protected override void Finished(string finishReason, JsonElement choice) => (_stopReason, _stopSequence) = AnthropicStop.From(finishReason, choice);

    private void Open(IBufferWriter<byte> output, BlockKind kind)
    {
        if (_open != kind)
        {
            StartBlock(output, kind);
        }
    }

    /// <summary>Closes the open block and starts the next one, of <paramref name="kind"/>.</summary>
    private void StartBlock(IBufferWriter<byte> output, BlockKind kind, string? toolId = null, string? toolName = null)
    {
        Close(output);
        _open = kind;
        _blockIndex++;
        using var w = Event(output, "content_block_start"u8);
        w.WriteStartObject();
        w.WriteString("type", "content_block_start");
        w.WriteNumber("index", _blockIndex);
        w.WriteStartObject("content_block");
        switch (kind)
        {
            case BlockKind.Thinking:
                w.WriteString("type", "thinking");
                w.WriteString("thinking", string.Empty);
                w.WriteString("signature", string.Empty);
                break;
            case BlockKind.Text:
                w.WriteString("type", "text");
                w.WriteString("text", string.Empty);
                break;
            default:
                w.WriteString("type", "tool_use");
                w.WriteString("id", toolId ?? $"toolu_{_blockIndex}");
                w.WriteString("name", toolName ?? string.Empty);
                w.WriteStartObject("input");
                w.WriteEndObject();
                break;
        }

        w.WriteEndObject();
        w.WriteEndObject();
        End(output, w);
    }

    private void Close(IBufferWriter<byte> output)
    {
        if (_open == BlockKind.None)
        {
            return;
        }

        _open = BlockKind.None;
        using var w = Event(output, "content_block_stop"u8);
        w.WriteStartObject();
        w.WriteString("type", "content_block_stop");
        w.WriteNumber("index", _blockIndex);
        w.WriteEndObject();
        End(output, w);
    }

    private void Delta(IBufferWriter<byte> output, string type, string field, string value)
    {
        using var w = Event(output, "content_block_delta"u8);
        w.WriteStartObject();
        w.WriteString("type", "content_block_delta");
        w.WriteNumber("index", _blockIndex);
        w.WriteStartObject("delta");
        w.WriteString("type", type);
        w.WriteString(field, value);
        w.WriteEndObject();
        w.WriteEndObject();
        End(output, w);
    }

    private static Utf8JsonWriter Event(IBufferWriter<byte> output, ReadOnlySpan<byte> name)
    {
        output.Write("event: "u8);
        output.Write(name);
        output.Write("\ndata: "u8);
        return new Utf8JsonWriter(output, GatewayError.WriterOptions);
    }

    private static void End(IBufferWriter<byte> output, Utf8JsonWriter w)
    {
        w.Flush();
        output.Write("\n\n"u8);
    }
}
