using System.Text;
using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Anthropic;

/// <summary>Anthropic messages and content blocks written as chat messages.</summary>
internal static class AnthropicContent
{
    /// <summary>
    /// One Anthropic message as one or more chat messages: a user message's <c>tool_result</c> blocks become tool
    /// messages first (chat wants them right after the assistant's calls), then its other blocks a user message; an
    /// assistant message's <c>tool_use</c> blocks become <c>tool_calls</c>.
    /// </summary>
    public static GatewayError? WriteMessage(Utf8JsonWriter w, JsonElement message, string at)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role"u8, out var role) || !message.TryGetProperty("content"u8, out var content))
        {
            return TranslatedRequest.Invalid(at, $"'{at}' must be an object with 'role' and 'content'.");
        }

        var isUser = role.ValueEquals("user"u8);
        if (role.ValueEquals("system"u8))
        {
            // Newer Anthropic clients may place system messages among the turns; chat takes them as they are.
            w.WriteStartObject();
            w.WriteString("role", "system");
            var error = WriteText(w, "content", content, $"{at}.content");
            w.WriteEndObject();
            return error;
        }

        if (!isUser && !role.ValueEquals("assistant"u8))
        {
            return TranslatedRequest.Invalid($"{at}.role", $"'{at}.role' must be \"user\", \"assistant\" or \"system\".");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            w.WriteStartObject();
            w.WriteString("role", isUser ? "user" : "assistant");
            w.WriteString("content", content.GetString());
            w.WriteEndObject();
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return TranslatedRequest.Invalid($"{at}.content", $"'{at}.content' must be a string or an array of content blocks.");
        }

        return isUser ? WriteUser(w, content, at) : WriteAssistant(w, content, at);
    }

    /// <summary>Text blocks (or a string) as one string property.</summary>
    public static GatewayError? WriteText(Utf8JsonWriter w, string property, JsonElement content, string at)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            w.WriteString(property, content.GetString());
            return null;
        }

        var text = new StringBuilder();
        var i = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (Type(block) is "text" && block.TryGetProperty("text"u8, out var part) && part.ValueKind == JsonValueKind.String)
            {
                text.Append(part.GetString());
            }
            else if (Type(block) is not "image")
            {
                return TranslatedRequest.Invalid($"{at}[{i}]", $"'{at}[{i}]' must be a text block {{\"type\": \"text\", \"text\": \"…\"}}.");
            }

            i++;
        }

        w.WriteString(property, text.ToString());
        return null;
    }

    private static GatewayError? WriteUser(Utf8JsonWriter w, JsonElement blocks, string at)
    {
        var i = 0;
        var parts = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            var blockAt = $"{at}.content[{i++}]";
            switch (Type(block))
            {
                case "tool_result":
                    if (!block.TryGetProperty("tool_use_id"u8, out var id) || id.ValueKind != JsonValueKind.String)
                    {
                        return TranslatedRequest.Invalid($"{blockAt}.tool_use_id", $"'{blockAt}' needs the 'tool_use_id' of the call it answers.");
                    }

                    w.WriteStartObject();
                    w.WriteString("role", "tool");
                    w.WriteString("tool_call_id", id.GetString());
                    if (!block.TryGetProperty("content"u8, out var result) || result.ValueKind == JsonValueKind.Null)
                    {
                        w.WriteString("content", string.Empty);
                    }
                    else if (WriteText(w, "content", result, $"{blockAt}.content") is { } resultError)
                    {
                        return resultError;
                    }

                    w.WriteEndObject();
                    break;
                case "text" when !block.TryGetProperty("text"u8, out var text) || text.ValueKind != JsonValueKind.String:
                    return TranslatedRequest.Invalid($"{blockAt}.text", $"'{blockAt}' is a text block and needs a string 'text'.");
                case "text" or "image":
                    parts++;
                    break;
                default:
                    return Unsupported(block, blockAt);
            }
        }

        if (parts == 0)
        {
            return null;
        }

        w.WriteStartObject();
        w.WriteString("role", "user");
        w.WriteStartArray("content");
        foreach (var block in blocks.EnumerateArray())
        {
            if (Type(block) is "text")
            {
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", block.GetProperty("text"u8).GetString());
                w.WriteEndObject();
            }
            else if (Type(block) is "image" && WriteImage(w, block, at) is { } imageError)
            {
                return imageError;
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
        return null;
    }

    private static GatewayError? WriteAssistant(Utf8JsonWriter w, JsonElement blocks, string at)
    {
        var text = new StringBuilder();
        var calls = 0;
        var i = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            switch (Type(block))
            {
                case "text" when block.TryGetProperty("text"u8, out var part) && part.ValueKind == JsonValueKind.String:
                    text.Append(part.GetString());
                    break;
                case "tool_use":
                    calls++;
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                default:
                    return Unsupported(block, $"{at}.content[{i}]");
            }

            i++;
        }

        w.WriteStartObject();
        w.WriteString("role", "assistant");
        if (text.Length > 0 || calls == 0)
        {
            w.WriteString("content", text.ToString());
        }

        if (calls > 0)
        {
            w.WriteStartArray("tool_calls");
            i = 0;
            foreach (var block in blocks.EnumerateArray())
            {
                var blockAt = $"{at}.content[{i++}]";
                if (Type(block) is not "tool_use")
                {
                    continue;
                }

                if (!block.TryGetProperty("id"u8, out var id) || id.ValueKind != JsonValueKind.String || !block.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String)
                {
                    return TranslatedRequest.Invalid(blockAt, $"'{blockAt}' is a tool_use block and needs a string 'id' and 'name'.");
                }

                w.WriteStartObject();
                w.WriteString("id", id.GetString());
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", name.GetString());
                w.WriteString("arguments", block.TryGetProperty("input"u8, out var input) ? input.GetRawText() : "{}");
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        return null;
    }

    private static GatewayError? WriteImage(Utf8JsonWriter w, JsonElement block, string at)
    {
        if (!block.TryGetProperty("source"u8, out var source) || source.ValueKind != JsonValueKind.Object)
        {
            return TranslatedRequest.Invalid($"{at}.source", $"An image block in '{at}' needs a 'source'.");
        }

        string? url = Type(source) switch
        {
            "base64" when source.TryGetProperty("media_type"u8, out var media) && source.TryGetProperty("data"u8, out var data) => $"data:{media.GetString()};base64,{data.GetString()}",
            "url" when source.TryGetProperty("url"u8, out var link) => link.GetString(),
            _ => null,
        };
        if (url is null)
        {
            return TranslatedRequest.Invalid($"{at}.source", $"An image block in '{at}' needs a source of type 'base64' (with media_type and data) or 'url'.");
        }

        w.WriteStartObject();
        w.WriteString("type", "image_url");
        w.WriteStartObject("image_url");
        w.WriteString("url", url);
        w.WriteEndObject();
        w.WriteEndObject();
        return null;
    }

    private static GatewayError Unsupported(JsonElement block, string at) =>
        TranslatedRequest.Invalid($"{at}.type", $"'{at}' is a '{Type(block) ?? "(no type)"}' block, which is not supported here; use text, image, tool_use and tool_result blocks.");

    private static string? Type(JsonElement block) =>
        block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
}
