using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Responses;

/// <summary>
/// A host's chat completion as a Responses API <c>response</c> object: reasoning as a <c>reasoning</c> item with its
/// summary text, content as a <c>message</c> with <c>output_text</c>, each tool call as a <c>function_call</c> item;
/// <c>status</c> is <c>incomplete</c> with <c>incomplete_details.reason = max_output_tokens</c> when the cap cut it.
/// <c>store</c> is always false: responses are not kept here.
/// </summary>
internal static class ResponsesObjectWriter
{
    public static PooledBufferWriter Write(ReadOnlySpan<byte> completion, string responseId, string model, Usage? usage, DateTimeOffset createdAt)
    {
        var reader = new Utf8JsonReader(completion);
        using var document = JsonDocument.ParseValue(ref reader);
        var output = new PooledBufferWriter(completion.Length + 512);
        using var w = new Utf8JsonWriter(output, GatewayError.WriterOptions);
        var finish = "stop";
        JsonElement? message = null;
        if (document.RootElement.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.Object)
            {
                message = m;
            }

            if (choice.TryGetProperty("finish_reason"u8, out var f) && f.ValueKind == JsonValueKind.String)
            {
                finish = f.GetString()!;
            }
        }

        var incomplete = finish == "length";
        w.WriteStartObject();
        w.WriteString("id", responseId);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", createdAt.ToUnixTimeSeconds());
        w.WriteString("status", incomplete ? "incomplete" : "completed");
        if (incomplete)
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", "max_output_tokens");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details");
        }

        w.WriteNull("error");
        w.WriteString("model", model);
        w.WriteStartArray("output");
        if (message is { } answer)
        {
            WriteItems(w, answer, responseId, incomplete);
        }

        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls", true);
        w.WriteBoolean("store", false);
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        WriteUsage(w, usage);
        w.WriteEndObject();
        w.Flush();
        return output;
    }

    /// <summary><c>usage</c> in the Responses shape; reasoning tokens are counted in output, and reported apart as 0 (hosts do not split them).</summary>
    public static void WriteUsage(Utf8JsonWriter w, Usage? usage)
    {
        var (input, output, cached) = usage is { } u ? (u.PromptTokens, u.CompletionTokens, u.CachedTokens) : (0, 0, 0);
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", input);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("cached_tokens", cached);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", output);
        w.WriteStartObject("output_tokens_details");
        w.WriteNumber("reasoning_tokens", 0);
        w.WriteEndObject();
        w.WriteNumber("total_tokens", input + output);
        w.WriteEndObject();
    }

    private static void WriteItems(Utf8JsonWriter w, JsonElement message, string responseId, bool incomplete)
    {
        var suffix = responseId.StartsWith("resp_", StringComparison.Ordinal) ? responseId[5..] : responseId;
        if (ChatMessageJson.Reasoning(message) is { } reasoning)
        {
            w.WriteStartObject();
            w.WriteString("type", "reasoning");
            w.WriteString("id", "rs_" + suffix);
            w.WriteStartArray("summary");
            w.WriteStartObject();
            w.WriteString("type", "summary_text");
            w.WriteString("text", reasoning);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (ChatMessageJson.NonEmptyString(message, "content"u8) is { } text)
        {
            w.WriteStartObject();
            w.WriteString("type", "message");
            w.WriteString("id", "msg_" + suffix);
            w.WriteString("status", incomplete ? "incomplete" : "completed");
            w.WriteString("role", "assistant");
            w.WriteStartArray("content");
            w.WriteStartObject();
            w.WriteString("type", "output_text");
            w.WriteString("text", text);
            w.WriteStartArray("annotations");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (!message.TryGetProperty("tool_calls"u8, out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var i = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var function = call.GetProperty("function"u8);
            var callId = call.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : $"call_{suffix}_{i}";
            w.WriteStartObject();
            w.WriteString("type", "function_call");
            w.WriteString("id", $"fc_{suffix}_{i}");
            w.WriteString("call_id", callId);
            w.WriteString("name", function.TryGetProperty("name"u8, out var name) ? name.GetString() : string.Empty);
            w.WriteString("arguments", function.TryGetProperty("arguments"u8, out var arguments) && arguments.ValueKind == JsonValueKind.String ? arguments.GetString() : "{}");
            w.WriteString("status", "completed");
            w.WriteEndObject();
            i++;
        }
    }
}
