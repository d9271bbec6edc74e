using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Responses;

/// <summary>
/// Rewrites an OpenAI Responses request as a Chat Completions request, which then goes through the same contract,
/// routing and ledger as any other. <c>instructions</c> becomes the leading system message; <c>input</c> (a string,
/// or items: messages, <c>function_call</c>, <c>function_call_output</c>) becomes messages, consecutive function calls
/// one assistant message; function tools, <c>tool_choice</c>, <c>max_output_tokens</c>, <c>reasoning.effort</c> and
/// <c>text.format</c> take their chat forms. Built-in tools, <c>background</c> and <c>previous_response_id</c> (there
/// is no response store) are refused with a 400 naming the field; fields with no chat meaning are named in
/// <see cref="Ignored"/>.
/// </summary>
internal sealed class ResponsesRequestTranslator
{
    private static readonly HashSet<string> Echoed = ["instructions", "metadata", "tools", "tool_choice", "temperature", "top_p", "max_output_tokens", "parallel_tool_calls", "text", "reasoning", "user"];

    private readonly List<string> _ignored = [];
    private readonly List<KeyValuePair<string, byte[]>> _echo = [];

    /// <summary>Top-level fields of the request that have no chat meaning and were left out.</summary>
    public IReadOnlyList<string> Ignored => _ignored;

    /// <summary>The request's fields a response object repeats (instructions, tools, metadata, …), as their JSON.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Echo => _echo;

    /// <summary>Whether the request asked for a stream (the translated body always asks the host for usage then).</summary>
    public bool Stream { get; private set; }

    /// <summary>Writes the chat request into <paramref name="output"/>; returns a 400 naming the field when the request cannot be served.</summary>
    public GatewayError? Translate(ReadOnlyMemory<byte> body, PooledBufferWriter output) =>
        TranslatedRequest.Write(body, output, this, static (translator, root, w) => translator.WriteFields(root, w) ?? WriteMessages(root, w));

    private GatewayError? WriteFields(JsonElement root, Utf8JsonWriter w)
    {
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (Echoed.Contains(property.Name))
            {
                _echo.Add(new(property.Name, JsonMarshal.GetRawUtf8Value(value).ToArray()));
            }

            switch (property.Name)
            {
                case "model" or "temperature" or "top_p" or "user" or "parallel_tool_calls":
                    property.WriteTo(w);
                    break;
                case "input" or "instructions" or "metadata":
                    break;
                case "stream":
                    Stream = value.ValueKind == JsonValueKind.True;
                    property.WriteTo(w);
                    if (Stream)
                    {
                        // The response's usage comes from the host's last chunk.
                        w.WritePropertyName("stream_options");
                        w.WriteStartObject();
                        w.WriteBoolean("include_usage", true);
                        w.WriteEndObject();
                    }

                    break;
                case "max_output_tokens":
                    w.WritePropertyName("max_tokens");
                    value.WriteTo(w);
                    break;
                case "background" when value.ValueKind == JsonValueKind.True:
                    return TranslatedRequest.Invalid("background", "'background' is not supported: this gateway answers in the request (stream it for long answers).");
                case "previous_response_id" when value.ValueKind != JsonValueKind.Null:
                    return TranslatedRequest.Invalid("previous_response_id", "'previous_response_id' is not supported: responses are not stored here (store is false). Send the conversation's items in 'input'.");
                case "tools":
                    if (WriteTools(value, w) is { } toolsError)
                    {
                        return toolsError;
                    }

                    break;
                case "tool_choice":
                    if (WriteToolChoice(value, w) is { } choiceError)
                    {
                        return choiceError;
                    }

                    break;
                case "reasoning":
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("effort"u8, out var effort) && effort.ValueKind == JsonValueKind.String)
                    {
                        w.WriteString("reasoning_effort", effort.GetString());
                    }

                    break;
                case "text":
                    if (WriteTextFormat(value, w) is { } formatError)
                    {
                        return formatError;
                    }

                    break;
                default:
                    // store (answered as false), include, truncation, service_tier, prompt_cache_key, …
                    _ignored.Add(property.Name);
                    break;
            }
        }

        return null;
    }

    private static GatewayError? WriteTools(JsonElement tools, Utf8JsonWriter w)
    {
        if (tools.ValueKind != JsonValueKind.Array)
        {
            return TranslatedRequest.Invalid("tools", "'tools' must be an array of function tools: {type: \"function\", name, description, parameters}.");
        }

        w.WritePropertyName("tools");
        w.WriteStartArray();
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var param = $"tools[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
            {
                return TranslatedRequest.Invalid(param, $"'{param}' must be an object with a 'type'.");
            }

            if (!type.ValueEquals("function"u8))
            {
                return TranslatedRequest.Invalid(param + ".type", UnservedTool(param, type.GetString()!));
            }

            if (!tool.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String)
            {
                return TranslatedRequest.Invalid(param + ".name", $"'{param}.name' is required: the function's name.");
            }

            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WritePropertyName("function");
            w.WriteStartObject();
            foreach (var field in tool.EnumerateObject())
            {
                if (field.Name is "name" or "description" or "parameters" or "strict")
                {
                    field.WriteTo(w);
                }
            }

            w.WriteEndObject();
            w.WriteEndObject();
            i++;
        }

        w.WriteEndArray();
        return null;
    }

    private static GatewayError? WriteToolChoice(JsonElement choice, Utf8JsonWriter w)
    {
        if (choice.ValueKind == JsonValueKind.String && choice.GetString() is "auto" or "none" or "required")
        {
            w.WriteString("tool_choice", choice.GetString());
            return null;
        }

        if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("type"u8, out var type) && type.ValueEquals("function"u8)
            && choice.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String)
        {
            w.WritePropertyName("tool_choice");
            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WritePropertyName("function");
            w.WriteStartObject();
            w.WriteString("name", name.GetString());
            w.WriteEndObject();
            w.WriteEndObject();
            return null;
        }

        return TranslatedRequest.Invalid("tool_choice", "'tool_choice' must be \"auto\", \"none\", \"required\" or {type: \"function\", name}.");
    }

    private static GatewayError? WriteTextFormat(JsonElement text, Utf8JsonWriter w)
    {
        if (text.ValueKind != JsonValueKind.Object || !text.TryGetProperty("format"u8, out var format))
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
        {
            return TranslatedRequest.Invalid("text.format", "'text.format' must be {type: \"text\"}, {type: \"json_object\"} or {type: \"json_schema\", name, schema}.");
        }

        switch (type.GetString())
        {
            case "text":
                return null;
            case "json_object":
                w.WritePropertyName("response_format");
                w.WriteStartObject();
                w.WriteString("type", "json_object");
                w.WriteEndObject();
                return null;
            case "json_schema":
                if (!format.TryGetProperty("schema"u8, out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    return TranslatedRequest.Invalid("text.format.schema", "'text.format.schema' is required for json_schema: the JSON Schema the answer must satisfy.");
                }

                w.WritePropertyName("response_format");
                w.WriteStartObject();
                w.WriteString("type", "json_schema");
                w.WritePropertyName("json_schema");
                w.WriteStartObject();
                w.WriteString("name", format.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : "response");
                w.WritePropertyName("schema");
                schema.WriteTo(w);
                if (format.TryGetProperty("strict"u8, out var strict) && strict.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    w.WriteBoolean("strict", strict.GetBoolean());
                }

                w.WriteEndObject();
                w.WriteEndObject();
                return null;
            default:
                return TranslatedRequest.Invalid("text.format.type", $"'text.format.type' is '{type.GetString()}': use text, json_object or json_schema.");
        }
    }

    private static GatewayError? WriteMessages(JsonElement root, Utf8JsonWriter w)
    {
        if (!root.TryGetProperty("input"u8, out var input) || input.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            return TranslatedRequest.Invalid("input", "'input' is required: a string, or an array of items (messages, function_call, function_call_output).");
        }

        w.WritePropertyName("messages");
        w.WriteStartArray();
        if (root.TryGetProperty("instructions"u8, out var instructions) && instructions.ValueKind == JsonValueKind.String)
        {
            Message(w, "system", instructions.GetString()!);
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            Message(w, "user", input.GetString()!);
            w.WriteEndArray();
            return null;
        }

        var calls = new List<JsonElement>();
        var index = 0;
        foreach (var item in input.EnumerateArray())
        {
            var param = $"input[{index.ToString(CultureInfo.InvariantCulture)}]";
            index++;
            var type = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type"u8, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type == "function_call")
            {
                calls.Add(item);
                continue;
            }

            FlushCalls(w, calls);
            switch (type)
            {
                case "message" or null when item.ValueKind == JsonValueKind.Object && item.TryGetProperty("role"u8, out _):
                    if (WriteMessage(item, w, param) is { } messageError)
                    {
                        return messageError;
                    }

                    break;
                case "function_call_output":
                    if (!item.TryGetProperty("call_id"u8, out var callId) || callId.ValueKind != JsonValueKind.String)
                    {
                        return TranslatedRequest.Invalid(param + ".call_id", $"'{param}.call_id' is required: the id of the function_call this answers.");
                    }

                    w.WriteStartObject();
                    w.WriteString("role", "tool");
                    w.WriteString("tool_call_id", callId.GetString());
                    w.WriteString("content", item.TryGetProperty("output"u8, out var output) ? (output.ValueKind == JsonValueKind.String ? output.GetString() : output.GetRawText()) : "");
                    w.WriteEndObject();
                    break;
                case "reasoning" or "item_reference":
                    // Open models do not take their reasoning back; references need a store this gateway does not keep.
                    break;
                default:
                    return TranslatedRequest.Invalid(param + ".type", $"'{param}' is a '{type ?? "value"}' item: input items are messages, function_call and function_call_output.");
            }
        }

        FlushCalls(w, calls);
        w.WriteEndArray();
        return null;
    }

    private static GatewayError? WriteMessage(JsonElement item, Utf8JsonWriter w, string param)
    {
        var role = item.GetProperty("role"u8).GetString() switch
        {
            "developer" or "system" => "system",
            "user" => "user",
            "assistant" => "assistant",
            var other => other,
        };
        if (role is not ("system" or "user" or "assistant"))
        {
            return TranslatedRequest.Invalid(param + ".role", $"'{param}.role' must be user, assistant, system or developer.");
        }

        if (!item.TryGetProperty("content"u8, out var content))
        {
            return TranslatedRequest.Invalid(param + ".content", $"'{param}.content' is required: a string or an array of input_text / input_image parts.");
        }

        w.WriteStartObject();
        w.WriteString("role", role);
        if (content.ValueKind == JsonValueKind.String)
        {
            w.WriteString("content", content.GetString());
            w.WriteEndObject();
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return TranslatedRequest.Invalid(param + ".content", $"'{param}.content' must be a string or an array of parts.");
        }

        w.WritePropertyName("content");
        w.WriteStartArray();
        foreach (var part in content.EnumerateArray())
        {
            var kind = part.TryGetProperty("type"u8, out var k) ? k.GetString() : null;
            switch (kind)
            {
                case "input_text" or "output_text" or "text":
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", part.TryGetProperty("text"u8, out var text) ? text.GetString() : "");
                    w.WriteEndObject();
                    break;
                case "input_image" when part.TryGetProperty("image_url"u8, out var url) && url.ValueKind == JsonValueKind.String:
                    w.WriteStartObject();
                    w.WriteString("type", "image_url");
                    w.WritePropertyName("image_url");
                    w.WriteStartObject();
                    w.WriteString("url", url.GetString());
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
                default:
                    return TranslatedRequest.Invalid(param + ".content", $"'{param}.content' has a '{kind}' part: use input_text, output_text, or input_image with an image_url.");
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
        return null;
    }

    private static void FlushCalls(Utf8JsonWriter w, List<JsonElement> calls)
    {
        if (calls.Count == 0)
        {
            return;
        }

        w.WriteStartObject();
        w.WriteString("role", "assistant");
        w.WriteNull("content");
        w.WritePropertyName("tool_calls");
        w.WriteStartArray();
        foreach (var call in calls)
        {
            w.WriteStartObject();
            w.WriteString("id", call.TryGetProperty("call_id"u8, out var id) ? id.GetString() : null);
            w.WriteString("type", "function");
            w.WritePropertyName("function");
            w.WriteStartObject();
            w.WriteString("name", call.TryGetProperty("name"u8, out var name) ? name.GetString() : null);
            w.WriteString("arguments", call.TryGetProperty("arguments"u8, out var args) && args.ValueKind == JsonValueKind.String ? args.GetString() : "{}");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        calls.Clear();
    }

    private static void Message(Utf8JsonWriter w, string role, string content)
    {
        w.WriteStartObject();
        w.WriteString("role", role);
        w.WriteString("content", content);
        w.WriteEndObject();
    }

    // Codex sends both by default; the settings that stop it are named so the fix is one line away.
    private static string UnservedTool(string param, string type) => type switch
    {
        "namespace" => $"'{param}.type' is 'namespace': the hosts take plain function tools, not groups of them. In Codex, set `[features] multi_agent = false` in config.toml (docs/clients.md).",
        "web_search" or "web_search_preview" => $"'{param}.type' is '{type}': the network's hosts cannot search the web. Send function tools only; in Codex, set `web_search = \"disabled\"` in config.toml (docs/clients.md).",
        _ => $"'{param}.type' is '{type}': built-in tools (web search, file search, computer use, code interpreter, …) are not served by the network's hosts. Use function tools.",
    };
}
