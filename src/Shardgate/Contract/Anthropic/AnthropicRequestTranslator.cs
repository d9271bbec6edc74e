using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Contract.Anthropic;

/// <summary>
/// Rewrites an Anthropic Messages request as a Chat Completions request, which then goes through the same contract,
/// routing and ledger as any other. <c>system</c> becomes a system message; <c>tool_use</c> blocks become assistant
/// <c>tool_calls</c> and <c>tool_result</c> blocks tool messages; tools, <c>tool_choice</c>, <c>thinking</c>,
/// <c>stop_sequences</c> and <c>metadata.user_id</c> take their chat forms. Thinking blocks a client sends back are
/// dropped (open models do not take their reasoning back), as are <c>cache_control</c> marks (hosts cache prefixes
/// by themselves). Top-level fields with no chat meaning are ignored and named in <see cref="Ignored"/>.
/// </summary>
internal sealed class AnthropicRequestTranslator
{
    private readonly List<string> _ignored = [];

    /// <summary>Top-level fields of the request that have no chat meaning and were left out.</summary>
    public IReadOnlyList<string> Ignored => _ignored;

    /// <summary>Writes the chat request into <paramref name="output"/>; returns a 400 naming the field when the request is malformed.</summary>
    public GatewayError? Translate(ReadOnlyMemory<byte> body, PooledBufferWriter output, bool requireMaxTokens = true) =>
        TranslatedRequest.Write(body, output, (Translator: this, requireMaxTokens), static (s, root, w) => s.Translator.WriteFields(root, w, s.requireMaxTokens) ?? WriteMessages(root, w));

    private GatewayError? WriteFields(JsonElement root, Utf8JsonWriter w, bool requireMaxTokens)
    {
        if (requireMaxTokens && (!root.TryGetProperty("max_tokens"u8, out var maxTokens) || maxTokens.ValueKind != JsonValueKind.Number))
        {
            return TranslatedRequest.Invalid("max_tokens", "'max_tokens' is required: the most tokens to generate, a positive integer.");
        }

        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "model" or "max_tokens" or "temperature" or "top_p" or "top_k" or "stream":
                    property.WriteTo(w);
                    break;
                case "messages" or "system":
                    break;
                case "stop_sequences":
                    w.WritePropertyName("stop");
                    value.WriteTo(w);
                    break;
                case "metadata":
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("user_id"u8, out var user) && user.ValueKind == JsonValueKind.String)
                    {
                        w.WriteString("user", user.GetString());
                    }

                    break;
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
                case "thinking":
                    if (WriteThinking(value, w) is { } thinkingError)
                    {
                        return thinkingError;
                    }

                    break;
                default:
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
            return TranslatedRequest.Invalid("tools", "'tools' must be an array of {name, description, input_schema}.");
        }

        w.WriteStartArray("tools");
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var at = $"tools[{i++}]";
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String)
            {
                return TranslatedRequest.Invalid(at, $"'{at}' must be an object with a string 'name' and an 'input_schema'.");
            }

            if (tool.TryGetProperty("type"u8, out var type) && !(type.ValueKind == JsonValueKind.String && type.ValueEquals("custom"u8)))
            {
                return TranslatedRequest.Invalid($"{at}.type", $"'{at}' is Anthropic's server tool '{type}'. The models served here call only tools you define: give 'name', 'description' and 'input_schema' instead.");
            }

            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", name.GetString());
            if (tool.TryGetProperty("description"u8, out var description))
            {
                w.WritePropertyName("description");
                description.WriteTo(w);
            }

            if (tool.TryGetProperty("input_schema"u8, out var schema))
            {
                w.WritePropertyName("parameters");
                schema.WriteTo(w);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        return null;
    }

    private static GatewayError? WriteToolChoice(JsonElement choice, Utf8JsonWriter w)
    {
        var type = choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("type"u8, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "auto":
                w.WriteString("tool_choice", "auto");
                break;
            case "any":
                w.WriteString("tool_choice", "required");
                break;
            case "none":
                w.WriteString("tool_choice", "none");
                break;
            case "tool" when choice.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String:
                w.WriteStartObject("tool_choice");
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", name.GetString());
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            default:
                return TranslatedRequest.Invalid("tool_choice", "'tool_choice' must be {\"type\": \"auto\"}, {\"type\": \"any\"}, {\"type\": \"none\"} or {\"type\": \"tool\", \"name\": \"…\"}.");
        }

        if (choice.TryGetProperty("disable_parallel_tool_use"u8, out var serial) && serial.ValueKind == JsonValueKind.True)
        {
            w.WriteBoolean("parallel_tool_calls", false);
        }

        return null;
    }

    /// <summary>
    /// <c>{type: enabled, budget_tokens}</c> becomes the chat <c>thinking</c> switch plus <c>thinking_token_budget</c>;
    /// the contract then applies each family's rule (Kimi's budget resolver; stripped where a model has no switch).
    /// </summary>
    private static GatewayError? WriteThinking(JsonElement thinking, Utf8JsonWriter w)
    {
        var type = thinking.ValueKind == JsonValueKind.Object && thinking.TryGetProperty("type"u8, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not ("enabled" or "disabled" or "adaptive"))
        {
            return TranslatedRequest.Invalid("thinking", "'thinking' must be {\"type\": \"enabled\", \"budget_tokens\": N} or {\"type\": \"disabled\"}.");
        }

        w.WriteStartObject("thinking");
        w.WriteString("type", type == "disabled" ? "disabled" : "enabled");
        w.WriteEndObject();
        if (type == "enabled" && thinking.TryGetProperty("budget_tokens"u8, out var budget))
        {
            w.WritePropertyName("thinking_token_budget");
            budget.WriteTo(w);
        }

        return null;
    }

    private static GatewayError? WriteMessages(JsonElement root, Utf8JsonWriter w)
    {
        if (!root.TryGetProperty("messages"u8, out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return TranslatedRequest.Invalid("messages", "'messages' is required: an array of {role, content}.");
        }

        w.WriteStartArray("messages");
        if (root.TryGetProperty("system"u8, out var system) && system.ValueKind != JsonValueKind.Null)
        {
            if (system.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
            {
                return TranslatedRequest.Invalid("system", "'system' must be a string or an array of text blocks.");
            }

            w.WriteStartObject();
            w.WriteString("role", "system");
            if (AnthropicContent.WriteText(w, "content", system, "system") is { } systemError)
            {
                return systemError;
            }

            w.WriteEndObject();
        }

        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (AnthropicContent.WriteMessage(w, message, $"messages[{i++}]") is { } messageError)
            {
                return messageError;
            }
        }

        w.WriteEndArray();
        return null;
    }
}
