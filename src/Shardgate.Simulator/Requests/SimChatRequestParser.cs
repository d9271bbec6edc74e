using System.Text;
using System.Text.Json;
using Shardgate.Simulator.Generation;

namespace Shardgate.Simulator.Requests;

/// <summary>Reads an OpenAI chat-completions body the way vLLM's server does, for what the simulator needs.</summary>
internal static class SimChatRequestParser
{
    public static SimChatRequest Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException ex)
        {
            throw new SimRequestError("Invalid JSON body", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SimRequestError("The request body must be a JSON object");
            }

            if (!root.TryGetProperty("messages", out var messagesElement) || messagesElement.ValueKind != JsonValueKind.Array)
            {
                throw new SimRequestError("Field required: messages");
            }

            var tools = ParseTools(root);
            var hash = Fnv1a.Offset;
            var tokens = 3;
            foreach (var tool in tools)
            {
                var schema = tool.Parameters?.GetRawText() ?? string.Empty;
                hash = Fnv1a.Append(Fnv1a.Append(hash, tool.Name), schema);
                tokens += SimTokenizer.Count(tool.Name) + SimTokenizer.Count(schema) + 2;
            }

            var messages = new List<SimMessage>();
            var prefixes = new List<(ulong, int)>();
            foreach (var m in messagesElement.EnumerateArray())
            {
                var role = m.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : throw new SimRequestError("Each message needs a string 'role'");
                var text = FlattenContent(m);
                messages.Add(new SimMessage(role, text));
                hash = Fnv1a.Append(Fnv1a.Append(hash, role), text);
                tokens += SimTokenizer.PerMessageOverhead + SimTokenizer.Count(text);
                prefixes.Add((hash, tokens));
            }

            var stream = GetBool(root, "stream") ?? false;
            var (jsonOutput, outputSchema) = ParseResponseFormat(root);
            var lastUser = messages.LastOrDefault(m => m.Role == "user")?.Text ?? string.Empty;
            return new SimChatRequest
            {
                Model = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null,
                Messages = messages,
                Tools = tools,
                Stream = stream,
                IncludeUsage = stream && root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object && (GetBool(so, "include_usage") ?? false),
                MaxTokens = GetInt(root, "max_completion_tokens") ?? GetInt(root, "max_tokens"),
                Seed = root.TryGetProperty("seed", out var seed) && seed.TryGetInt64(out var s) ? s : null,
                N = GetInt(root, "n") ?? 1,
                ToolChoice = ParseToolChoice(root),
                JsonOutput = jsonOutput,
                OutputSchema = outputSchema,
                Thinking = ParseThinking(root),
                ThinkingTokenBudget = GetInt(root, "thinking_token_budget"),
                PromptTokens = tokens,
                PrefixHashes = prefixes,
                Directives = SimDirectives.Parse(lastUser),
                Logprobs = GetBool(root, "logprobs") ?? false,
                TopLogprobs = Math.Clamp(GetInt(root, "top_logprobs") ?? 0, 0, 20),
                ReturnTokenIds = GetBool(root, "return_token_ids") ?? false,
                EnforcedTokens = EnforcedTokens(root),
            };
        }
    }

    private static List<SimTool> ParseTools(JsonElement root)
    {
        var tools = new List<SimTool>();
        if (!root.TryGetProperty("tools", out var toolsElement) || toolsElement.ValueKind != JsonValueKind.Array)
        {
            return tools;
        }

        foreach (var t in toolsElement.EnumerateArray())
        {
            if (t.ValueKind == JsonValueKind.Object && t.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object
                && f.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                JsonElement? parameters = f.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? p.Clone() : null;
                tools.Add(new SimTool(name.GetString()!, parameters));
            }
        }

        return tools;
    }

    private static string FlattenContent(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!;
            case JsonValueKind.Array:
                var sb = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        sb.Append(text.GetString());
                    }
                }

                return sb.ToString();
            default:
                return string.Empty;
        }
    }

    private static (bool Json, JsonElement? Schema) ParseResponseFormat(JsonElement root)
    {
        if (!root.TryGetProperty("response_format", out var format) || format.ValueKind != JsonValueKind.Object
            || !format.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return (false, null);
        }

        return type.GetString() switch
        {
            "json_object" => (true, null),
            "json_schema" => (true, format.TryGetProperty("json_schema", out var js) && js.ValueKind == JsonValueKind.Object
                && js.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object ? schema.Clone() : null),
            _ => (false, null),
        };
    }

    private static string ParseToolChoice(JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice", out var choice))
        {
            return "auto";
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString()!;
        }

        return choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out var f)
            && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "auto";
    }

    private static bool? ParseThinking(JsonElement root)
    {
        if (root.TryGetProperty("chat_template_kwargs", out var kwargs) && kwargs.ValueKind == JsonValueKind.Object)
        {
            return GetBool(kwargs, "thinking") ?? GetBool(kwargs, "enable_thinking");
        }

        return null;
    }

    private static string[]? EnforcedTokens(JsonElement root)
    {
        if (!root.TryGetProperty("enforced_tokens", out var enforced) || enforced.ValueKind != JsonValueKind.Object
            || !enforced.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return [.. tokens.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
            ? token.GetString()!
            : throw new SimRequestError("enforced_tokens.tokens[] must be objects with a string 'token'"))];
    }

    private static bool? GetBool(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static int? GetInt(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}
