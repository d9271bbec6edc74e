using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Responses;

/// <summary>
/// The <c>response</c> object: the whole answer, and the snapshot that <c>response.created</c>,
/// <c>response.completed</c> and <c>response.failed</c> carry. The request's echoed fields are repeated as sent; the
/// ones it left out get the API's defaults. <c>store</c> is always false: responses are not kept here.
/// </summary>
internal static class ResponsesEnvelope
{
    private static readonly KeyValuePair<string, byte[]>[] Defaults =
    [
        new("instructions", "null"u8.ToArray()),
        new("max_output_tokens", "null"u8.ToArray()),
        new("metadata", "{}"u8.ToArray()),
        new("parallel_tool_calls", "true"u8.ToArray()),
        new("temperature", "null"u8.ToArray()),
        new("tool_choice", "\"auto\""u8.ToArray()),
        new("tools", "[]"u8.ToArray()),
        new("top_p", "null"u8.ToArray()),
    ];

    /// <summary>
    /// Writes the object. <paramref name="status"/> is <c>in_progress</c>, <c>completed</c>, <c>incomplete</c> (cut by
    /// <c>max_output_tokens</c>) or <c>failed</c> (with <paramref name="error"/>); usage is null until the end.
    /// </summary>
    public static void Write(Utf8JsonWriter w, ResponsesHead head, string status, IReadOnlyList<ResponsesItem> items, Usage? usage, GatewayError? error = null)
    {
        w.WriteStartObject();
        w.WriteString("id", head.Id);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", head.CreatedAt.ToUnixTimeSeconds());
        w.WriteString("status", status);
        if (error is { } failure)
        {
            w.WriteStartObject("error");
            w.WriteString("code", failure.Code);
            w.WriteString("message", failure.Message);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("error");
        }

        if (status == "incomplete")
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", "max_output_tokens");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details");
        }

        w.WriteString("model", head.Model);
        w.WriteStartArray("output");
        foreach (var item in items)
        {
            item.WriteTo(w, status == "completed" ? "completed" : "incomplete");
        }

        w.WriteEndArray();
        w.WriteNull("previous_response_id");
        w.WriteBoolean("store", false);
        w.WriteString("truncation", "disabled");
        WriteEcho(w, head.Echo);
        if (usage is null)
        {
            w.WriteNull("usage");
        }
        else
        {
            WriteUsage(w, usage.Value);
        }

        w.WriteEndObject();
    }

    /// <summary><c>usage</c> in the Responses shape; reasoning tokens are counted in output, and reported apart as 0 (hosts do not split them).</summary>
    private static void WriteUsage(Utf8JsonWriter w, Usage usage)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", usage.PromptTokens);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("cached_tokens", usage.CachedTokens);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", usage.CompletionTokens);
        w.WriteStartObject("output_tokens_details");
        w.WriteNumber("reasoning_tokens", 0);
        w.WriteEndObject();
        w.WriteNumber("total_tokens", (long)usage.PromptTokens + usage.CompletionTokens);
        w.WriteEndObject();
    }

    private static void WriteEcho(Utf8JsonWriter w, IReadOnlyList<KeyValuePair<string, byte[]>> echo)
    {
        foreach (var (name, fallback) in Defaults)
        {
            w.WritePropertyName(name);
            w.WriteRawValue(Find(echo, name) ?? fallback, skipInputValidation: true);
        }

        foreach (var (name, value) in echo)
        {
            if (Find(Defaults, name) is null)
            {
                w.WritePropertyName(name);
                w.WriteRawValue(value, skipInputValidation: true);
            }
        }
    }

    private static byte[]? Find(IReadOnlyList<KeyValuePair<string, byte[]>> fields, string name)
    {
        foreach (var (key, value) in fields)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }
}
