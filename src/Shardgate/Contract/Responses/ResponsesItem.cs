using System.Text;
using System.Text.Json;

namespace Shardgate.Contract.Responses;

/// <summary>
/// One output item of a response: reasoning (its summary text), a message (its <c>output_text</c>) or a function
/// call (its arguments). A stream grows <see cref="Text"/> delta by delta; a whole answer sets it once.
/// </summary>
internal sealed class ResponsesItem(ResponsesItemKind kind, string id, string? callId = null, string? name = null)
{
    public ResponsesItemKind Kind { get; } = kind;

    public string Id { get; } = id;

    public string? CallId { get; } = callId;

    public string Name { get; } = name ?? string.Empty;

    public StringBuilder Text { get; } = new();

    /// <summary>The item as <c>output</c> holds it; <paramref name="status"/> is <c>in_progress</c> when it was just added (and so still empty).</summary>
    public void WriteTo(Utf8JsonWriter w, string status)
    {
        var added = status == "in_progress";
        w.WriteStartObject();
        w.WriteString("id", Id);
        switch (Kind)
        {
            case ResponsesItemKind.Reasoning:
                w.WriteString("type", "reasoning");
                w.WriteStartArray("summary");
                if (!added)
                {
                    WriteSummaryPart(w);
                }

                w.WriteEndArray();
                break;
            case ResponsesItemKind.Message:
                w.WriteString("type", "message");
                w.WriteString("status", status);
                w.WriteString("role", "assistant");
                w.WriteStartArray("content");
                if (!added)
                {
                    WriteTextPart(w);
                }

                w.WriteEndArray();
                break;
            default:
                w.WriteString("type", "function_call");
                w.WriteString("status", status);
                w.WriteString("call_id", CallId ?? Id);
                w.WriteString("name", Name);
                w.WriteString("arguments", added ? string.Empty : Arguments);
                break;
        }

        w.WriteEndObject();
    }

    /// <summary>A call's arguments; a host that sent none called with an empty object.</summary>
    public string Arguments => Text.Length == 0 ? "{}" : Text.ToString();

    /// <summary>A message's <c>output_text</c> part with the text so far.</summary>
    public void WriteTextPart(Utf8JsonWriter w, bool empty = false)
    {
        w.WriteStartObject();
        w.WriteString("type", "output_text");
        w.WriteString("text", empty ? string.Empty : Text.ToString());
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A reasoning item's <c>summary_text</c> part with the text so far.</summary>
    public void WriteSummaryPart(Utf8JsonWriter w, bool empty = false)
    {
        w.WriteStartObject();
        w.WriteString("type", "summary_text");
        w.WriteString("text", empty ? string.Empty : Text.ToString());
        w.WriteEndObject();
    }
}
