using System.Runtime.InteropServices;
using System.Text.Json;

namespace Shardgate.Contract.Messages;

/// <summary>The messages after normalization: dropped ones left out, edited ones written with their edits.</summary>
internal sealed class MessagePlan(List<PlannedMessage> messages)
{
    private static readonly JsonElement SystemRole = JsonElement.Parse("{\"role\":\"system\"}");

    public IReadOnlyList<PlannedMessage> Messages => messages;

    /// <summary>Adds <paramref name="note"/> to the leading system message, or starts the conversation with one.</summary>
    public void AddSystemNote(string note)
    {
        if (messages.Count > 0 && SystemMessageHoist.IsSystem(messages[0].Original) && SystemMessageHoist.TextOf(messages[0]) is { } text)
        {
            messages[0] = messages[0].WithContent(text.Length == 0 ? note : text + "\n\n" + note);
            return;
        }

        messages.Insert(0, new PlannedMessage(SystemRole, null).WithContent(note));
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        // By index: a foreach over the interface would box the list's enumerator.
        for (var i = 0; i < Messages.Count; i++)
        {
            var message = Messages[i];
            if (message.Edit is null)
            {
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(message.Original), skipInputValidation: true);
            }
            else
            {
                WriteEdited(writer, message.Original, message.Edit);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteEdited(Utf8JsonWriter writer, JsonElement original, MessageEdit edit)
    {
        writer.WriteStartObject();
        var wroteContent = false;
        foreach (var property in original.EnumerateObject())
        {
            if (edit.Remove?.Contains(property.Name) == true)
            {
                continue;
            }

            if (edit.ReplaceContent && property.NameEquals("content"u8))
            {
                WriteContent(writer, edit.Content);
                wroteContent = true;
            }
            else if (edit.ToolCallId is not null && property.NameEquals("tool_call_id"u8))
            {
                writer.WriteString("tool_call_id", edit.ToolCallId);
            }
            else if (edit.ToolCallIds is not null && property.NameEquals("tool_calls"u8) && property.Value.ValueKind == JsonValueKind.Array)
            {
                writer.WritePropertyName("tool_calls");
                WriteToolCalls(writer, property.Value, edit.ToolCallIds);
            }
            else
            {
                property.WriteTo(writer);
            }
        }

        if (edit.ReplaceContent && !wroteContent)
        {
            WriteContent(writer, edit.Content);
        }

        writer.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter writer, string? content)
    {
        if (content is null)
        {
            writer.WriteNull("content");
        }
        else
        {
            writer.WriteString("content", content);
        }
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, JsonElement calls, Dictionary<int, string> ids)
    {
        writer.WriteStartArray();
        var j = 0;
        foreach (var call in calls.EnumerateArray())
        {
            if (!ids.TryGetValue(j++, out var id) || call.ValueKind != JsonValueKind.Object)
            {
                call.WriteTo(writer);
                continue;
            }

            writer.WriteStartObject();
            foreach (var property in call.EnumerateObject())
            {
                if (property.NameEquals("id"u8))
                {
                    writer.WriteString("id", id);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
