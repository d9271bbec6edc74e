using System.Buffers;
using System.Text;
using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Responses;

/// <summary>
/// Turns a host's chat-completion chunks into the Responses API's typed events, in the order the API sends them:
/// <c>response.created</c> and <c>response.in_progress</c>; per output item <c>response.output_item.added</c>, its
/// part (<c>content_part</c> or <c>reasoning_summary_part</c>) added, its deltas (<c>output_text</c>,
/// <c>reasoning_summary_text</c>, <c>function_call_arguments</c>), their <c>.done</c> events and
/// <c>response.output_item.done</c>; then <c>response.completed</c> (or <c>response.incomplete</c> when the output
/// cap cut it) with the usage. A change of kind, or a new tool call, closes the open item first. A failure ends the
/// stream with <c>response.failed</c> and an <c>error</c> event, never with a completion.
/// </summary>
internal sealed class ResponsesStreamWriter(ResponsesHead head) : ChatChunkTranslator
{
    private readonly List<ResponsesItem> _items = [];
    private ResponsesItem? _open;
    private int _toolIndex = -1;
    private int _sequence;
    private bool _started;
    private bool _cut;

    public override void WriteEnd(IBufferWriter<byte> output, Usage? usage)
    {
        Start(output);
        Close(output);
        var status = _cut ? "incomplete" : "completed";
        using var w = Event(output, _cut ? "response.incomplete" : "response.completed");
        w.WritePropertyName("response");
        ResponsesEnvelope.Write(w, head, status, _items, usage ?? new Usage(0, 0, 0));
        End(output, w);
    }

    /// <summary>
    /// <c>response.failed</c> with the error and what was delivered, then an <c>error</c> event. The error event also
    /// carries the error as <c>error</c>, the member on which the OpenAI SDKs raise their API error mid-stream.
    /// </summary>
    public override void WriteError(IBufferWriter<byte> output, GatewayError error)
    {
        Start(output);
        using (var failed = Event(output, "response.failed"))
        {
            failed.WritePropertyName("response");
            ResponsesEnvelope.Write(failed, head, "failed", _items, usage: null, error);
            End(output, failed);
        }

        using var w = Event(output, "error");
        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
        w.WriteNull("param");
        w.WritePropertyName("error");
        error.WriteObject(w);
        End(output, w);
    }

    protected override void Start(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        foreach (var type in (ReadOnlySpan<string>)["response.created", "response.in_progress"])
        {
            using var w = Event(output, type);
            w.WritePropertyName("response");
            ResponsesEnvelope.Write(w, head, "in_progress", _items, usage: null);
            End(output, w);
        }
    }

    protected override void Reasoning(IBufferWriter<byte> output, string delta) => Delta(output, Open(output, ResponsesItemKind.Reasoning), delta);

    protected override void Text(IBufferWriter<byte> output, string delta) => Delta(output, Open(output, ResponsesItemKind.Message), delta);

    protected override void ToolCall(IBufferWriter<byte> output, int index, string? id, string? name, string? arguments)
    {
        if (_open?.Kind != ResponsesItemKind.FunctionCall || index != _toolIndex)
        {
            _toolIndex = index;
            var itemId = head.ItemId("fc", _items.Count);
            Add(output, new ResponsesItem(ResponsesItemKind.FunctionCall, itemId, id ?? "call" + itemId[2..], name));
        }

        if (arguments is not null)
        {
            Delta(output, _open!, arguments);
        }
    }

    protected override void Finished(string finishReason, JsonElement choice) => _cut = finishReason == "length";

    private ResponsesItem Open(IBufferWriter<byte> output, ResponsesItemKind kind)
    {
        if (_open?.Kind != kind)
        {
            Add(output, new ResponsesItem(kind, head.ItemId(kind == ResponsesItemKind.Reasoning ? "rs" : "msg", _items.Count)));
        }

        return _open!;
    }

    /// <summary>Closes the open item and adds <paramref name="item"/> with its first (empty) part.</summary>
    private void Add(IBufferWriter<byte> output, ResponsesItem item)
    {
        Close(output);
        _open = item;
        _items.Add(item);
        using (var added = ItemEvent(output, "response.output_item.added", includeItemId: false))
        {
            added.WritePropertyName("item");
            item.WriteTo(added, "in_progress");
            End(output, added);
        }

        if (item.Kind == ResponsesItemKind.FunctionCall)
        {
            return;
        }

        using var part = PartEvent(output, item, item.Kind == ResponsesItemKind.Message ? "response.content_part.added" : "response.reasoning_summary_part.added");
        part.WritePropertyName("part");
        WritePart(part, item, empty: true);
        End(output, part);
    }

    private void Delta(IBufferWriter<byte> output, ResponsesItem item, string delta)
    {
        item.Text.Append(delta);
        using var w = item.Kind switch
        {
            ResponsesItemKind.Message => PartEvent(output, item, "response.output_text.delta"),
            ResponsesItemKind.Reasoning => PartEvent(output, item, "response.reasoning_summary_text.delta"),
            _ => ItemEvent(output, "response.function_call_arguments.delta"),
        };
        w.WriteString("delta", delta);
        if (item.Kind == ResponsesItemKind.Message)
        {
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        }

        End(output, w);
    }

    /// <summary>Ends the open item: its text's and part's <c>.done</c> events, then <c>response.output_item.done</c>.</summary>
    private void Close(IBufferWriter<byte> output)
    {
        if (_open is not { } item)
        {
            return;
        }

        _open = null;
        var status = _cut ? "incomplete" : "completed";
        if (item.Kind == ResponsesItemKind.FunctionCall)
        {
            using var args = ItemEvent(output, "response.function_call_arguments.done");
            args.WriteString("name", item.Name);
            args.WriteString("arguments", item.Arguments);
            End(output, args);
        }
        else
        {
            var message = item.Kind == ResponsesItemKind.Message;
            using (var text = PartEvent(output, item, message ? "response.output_text.done" : "response.reasoning_summary_text.done"))
            {
                text.WriteString("text", item.Text.ToString());
                if (message)
                {
                    text.WriteStartArray("logprobs");
                    text.WriteEndArray();
                }

                End(output, text);
            }

            using var part = PartEvent(output, item, message ? "response.content_part.done" : "response.reasoning_summary_part.done");
            part.WritePropertyName("part");
            WritePart(part, item, empty: false);
            End(output, part);
        }

        using var done = ItemEvent(output, "response.output_item.done", includeItemId: false);
        done.WritePropertyName("item");
        item.WriteTo(done, status);
        End(output, done);
    }

    private static void WritePart(Utf8JsonWriter w, ResponsesItem item, bool empty)
    {
        if (item.Kind == ResponsesItemKind.Message)
        {
            item.WriteTextPart(w, empty);
        }
        else
        {
            item.WriteSummaryPart(w, empty);
        }
    }

    /// <summary>An event about the open item: its output index (and id).</summary>
    private Utf8JsonWriter ItemEvent(IBufferWriter<byte> output, string type, bool includeItemId = true)
    {
        var w = Event(output, type);
        w.WriteNumber("output_index", _items.Count - 1);
        if (includeItemId)
        {
            w.WriteString("item_id", _items[^1].Id);
        }

        return w;
    }

    /// <summary>An event about the open item's one part: a message's content part 0 or a reasoning item's summary part 0.</summary>
    private Utf8JsonWriter PartEvent(IBufferWriter<byte> output, ResponsesItem item, string type)
    {
        var w = ItemEvent(output, type);
        w.WriteNumber(item.Kind == ResponsesItemKind.Message ? "content_index" : "summary_index", 0);
        return w;
    }

    private Utf8JsonWriter Event(IBufferWriter<byte> output, string type)
    {
        output.Write("event: "u8);
        Encoding.UTF8.GetBytes(type.AsSpan(), output);
        output.Write("\ndata: "u8);
        var w = new Utf8JsonWriter(output, GatewayError.WriterOptions);
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteNumber("sequence_number", _sequence++);
        return w;
    }

    private static void End(IBufferWriter<byte> output, Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.Flush();
        output.Write("\n\n"u8);
    }
}
