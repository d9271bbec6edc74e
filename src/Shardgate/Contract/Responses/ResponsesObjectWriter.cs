using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Responses;

/// <summary>
/// A host's chat completion as a Responses API <c>response</c> object: reasoning as a <c>reasoning</c> item with its
/// summary text, content as a <c>message</c> with <c>output_text</c>, each tool call as a <c>function_call</c> item;
/// <c>status</c> is <c>incomplete</c> with <c>incomplete_details.reason = max_output_tokens</c> when the cap cut it.
/// </summary>
internal static class ResponsesObjectWriter
{
    public static PooledBufferWriter Write(ReadOnlySpan<byte> completion, ResponsesHead head, Usage? usage)
    {
        var reader = new Utf8JsonReader(completion);
        using var document = JsonDocument.ParseValue(ref reader);
        var finish = "stop";
        var items = new List<ResponsesItem>(2);
        if (document.RootElement.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("message"u8, out var message) && message.ValueKind == JsonValueKind.Object)
            {
                AddItems(items, message, head);
            }

            if (choice.TryGetProperty("finish_reason"u8, out var f) && f.ValueKind == JsonValueKind.String)
            {
                finish = f.GetString()!;
            }
        }

        var output = new PooledBufferWriter(completion.Length + 1024);
        using var w = new Utf8JsonWriter(output, GatewayError.WriterOptions);
        ResponsesEnvelope.Write(w, head, finish == "length" ? "incomplete" : "completed", items, usage ?? new Usage(0, 0, 0));
        w.Flush();
        return output;
    }

    private static void AddItems(List<ResponsesItem> items, JsonElement message, ResponsesHead head)
    {
        if (ChatMessageJson.Reasoning(message) is { } reasoning)
        {
            items.Add(new ResponsesItem(ResponsesItemKind.Reasoning, head.ItemId("rs", items.Count)));
            items[^1].Text.Append(reasoning);
        }

        if (ChatMessageJson.NonEmptyString(message, "content"u8) is { } text)
        {
            items.Add(new ResponsesItem(ResponsesItemKind.Message, head.ItemId("msg", items.Count)));
            items[^1].Text.Append(text);
        }

        if (!message.TryGetProperty("tool_calls"u8, out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var call in calls.EnumerateArray())
        {
            var function = call.TryGetProperty("function"u8, out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            var id = head.ItemId("fc", items.Count);
            items.Add(new ResponsesItem(
                ResponsesItemKind.FunctionCall,
                id,
                call.TryGetProperty("id"u8, out var callId) && callId.ValueKind == JsonValueKind.String ? callId.GetString() : "call" + id[2..],
                function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null));
            if (function.ValueKind == JsonValueKind.Object && ChatMessageJson.NonEmptyString(function, "arguments"u8) is { } arguments)
            {
                items[^1].Text.Append(arguments);
            }
        }
    }
}
