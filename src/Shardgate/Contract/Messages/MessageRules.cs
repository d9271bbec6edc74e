using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Shardgate.Contract.Messages;

/// <summary>
/// The messages contract (reference §3.6): orphan tool results and empty assistant turns dropped, empty tool
/// results filled, text parts flattened, fields checked per role, special-token literals refused, and duplicate
/// tool-call ids renamed consistently (or refused, when configured as on the network).
/// </summary>
internal static class MessageRules
{
    public const int MaxMessages = 2048;
    public const string EmptyToolResult = "<empty tool result>";

    private static readonly string[] Roles = ["user", "assistant", "tool", "system", "developer", "function"];

    public static ContractError? Apply(ContractContext c)
    {
        if (!c.Fields.TryGetValue("messages", out var messages))
        {
            return ContractContext.Fail(ContractCodes.MissingField, "messages", "'messages' is required: an array of {role, content} objects.");
        }

        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return ContractContext.Fail(ContractCodes.InvalidType, "messages", "'messages' must be a non-empty array of {role, content} objects.");
        }

        var count = messages.GetArrayLength();
        if (count > MaxMessages)
        {
            return ContractContext.Fail(ContractCodes.TooManyMessages, "messages", string.Create(CultureInfo.InvariantCulture, $"'messages' has {count} entries; at most {MaxMessages} are accepted. Summarize or drop older turns."));
        }

        var state = new WalkState(c, rewriteIds: IsRewrite(c) && HasDuplicateIds(messages));
        var plan = new List<PlannedMessage>(count);
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (Check(message, i++, state, out var edit, out var drop) is { } error)
            {
                return error;
            }

            if (!drop)
            {
                plan.Add(new PlannedMessage(message, edit));
            }
        }

        if (plan.Count == 0)
        {
            return ContractContext.Fail(ContractCodes.InvalidMessages, "messages", "No message is left after dropping tool results that answer no earlier tool call. Send at least one user message.");
        }

        if (SystemMessageHoist.Apply(plan))
        {
            c.Warnings.Add("system-messages: system messages after the first were merged into the leading system message, where every family's chat template reads them.");
        }

        c.Messages = new MessagePlan(plan);
        return null;
    }

    private static ContractError? Check(JsonElement message, int index, WalkState state, out MessageEdit? edit, out bool drop)
    {
        edit = null;
        drop = false;
        if (message.ValueKind != JsonValueKind.Object)
        {
            return Fail(P(index), $"{P(index)} must be an object with a role and content.");
        }

        if (!message.TryGetProperty("role"u8, out var roleElement) || roleElement.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(roleElement))
        {
            return Fail(P(index) + ".role", $"{P(index)}.role is required: developer, system, user, assistant or tool.");
        }

        var role = RoleOf(roleElement);
        if (role is null)
        {
            return Fail(P(index) + ".role", $"{P(index)}.role \"{roleElement.GetString()}\" is not supported; use developer, system, user, assistant or tool.");
        }

        foreach (var key in (ReadOnlySpan<string>)["tool_calls", "tool_call_id", "function_call"])
        {
            if (!message.TryGetProperty(key, out var value))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                (edit ??= new MessageEdit()).RemoveKey(key);
            }
            else if (!Allows(role, key))
            {
                return Fail($"{P(index)}.{key}", $"{P(index)}: {key} is not allowed for role \"{role}\".");
            }
        }

        return role switch
        {
            "assistant" => CheckAssistant(message, index, state, ref edit, out drop),
            "tool" => CheckTool(message, index, state, ref edit, out drop),
            "function" when !message.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(name) =>
                Fail(P(index) + ".name", $"{P(index)}.name is required for role \"function\"."),
            _ => CheckContent(message, index, state, ref edit, required: role != "function"),
        };
    }

    private static ContractError? CheckAssistant(JsonElement message, int index, WalkState state, ref MessageEdit? edit, out bool drop)
    {
        drop = false;
        var hasCalls = message.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind != JsonValueKind.Null;
        var hasFunctionCall = message.TryGetProperty("function_call"u8, out var functionCall) && functionCall.ValueKind == JsonValueKind.Object && functionCall.EnumerateObject().Any();
        if (hasCalls)
        {
            if (calls.ValueKind != JsonValueKind.Array || calls.GetArrayLength() == 0)
            {
                return Fail(P(index) + ".tool_calls", $"{P(index)}.tool_calls must be a non-empty array of function calls.");
            }

            if (CheckToolCalls(calls, index, state, ref edit) is { } error)
            {
                return error;
            }
        }

        var contentEmpty = IsEmptyContent(message, out var hasContentKey);
        if (!hasCalls && !hasFunctionCall && contentEmpty)
        {
            drop = true;
            return null;
        }

        if (contentEmpty && hasContentKey && (hasCalls || hasFunctionCall) && message.GetProperty("content"u8).ValueKind != JsonValueKind.Null)
        {
            edit ??= new MessageEdit();
            edit.ReplaceContent = true;
            edit.Content = null;
            return null;
        }

        return contentEmpty ? null : CheckContent(message, index, state, ref edit, required: false);
    }

    private static ContractError? CheckToolCalls(JsonElement calls, int index, WalkState state, ref MessageEdit? edit)
    {
        var j = 0;
        foreach (var call in calls.EnumerateArray())
        {
            if (call.ValueKind != JsonValueKind.Object
                || !call.TryGetProperty("id"u8, out var id) || id.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(id))
            {
                return Fail($"{P(index)}.tool_calls[{j}]" + ".id", $"{P(index)}.tool_calls[{j}].id is required: the id the matching tool message answers.");
            }

            if (!call.TryGetProperty("type"u8, out var type) || !type.ValueEquals("function"u8))
            {
                return Fail($"{P(index)}.tool_calls[{j}]" + ".type", $"{P(index)}.tool_calls[{j}].type must be \"function\".");
            }

            if (!call.TryGetProperty("function"u8, out var function) || function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(name))
            {
                return Fail($"{P(index)}.tool_calls[{j}]" + ".function.name", $"{P(index)}.tool_calls[{j}].function.name must be a non-blank string.");
            }

            if (function.TryGetProperty("arguments"u8, out var arguments) && arguments.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return Fail($"{P(index)}.tool_calls[{j}]" + ".function.arguments", $"{P(index)}.tool_calls[{j}].function.arguments must be a JSON-encoded string.");
            }

            var original = id.GetString()!;
            if (!state.RewriteIds && RepeatsEarlierId(calls, j, id))
            {
                return ContractContext.Fail(ContractCodes.DuplicateToolCallId, $"{P(index)}.tool_calls[{j}]" + ".id", $"{P(index)}.tool_calls[{j}].id \"{original}\" repeats an id of the same message. Give each call its own id.");
            }

            var upstreamId = original;
            if (state.RewriteIds)
            {
                upstreamId = string.Create(CultureInfo.InvariantCulture, $"functions.{name.GetString()}:{state.NextCallIndex++}");
                edit ??= new MessageEdit();
                (edit.ToolCallIds ??= [])[j] = upstreamId;
            }

            state.AddPending(original, upstreamId);
            j++;
        }

        return null;
    }

    private static ContractError? CheckTool(JsonElement message, int index, WalkState state, ref MessageEdit? edit, out bool drop)
    {
        drop = false;
        if (!message.TryGetProperty("tool_call_id"u8, out var id) || id.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(id))
        {
            return Fail(P(index) + ".tool_call_id", $"{P(index)}.tool_call_id is required: the id of the assistant tool call this result answers.");
        }

        var answered = id.GetString()!;
        if (!state.TryConsume(answered, out var upstreamId))
        {
            // An orphan result answers no call the model made; hosts reject it, so it is dropped as on the network.
            drop = true;
            return null;
        }

        if (!ReferenceEquals(upstreamId, answered) && upstreamId != answered)
        {
            (edit ??= new MessageEdit()).ToolCallId = upstreamId;
        }

        if (message.TryGetProperty("name"u8, out _))
        {
            (edit ??= new MessageEdit()).RemoveKey("name");
        }

        if (IsEmptyContent(message, out _))
        {
            edit ??= new MessageEdit();
            edit.ReplaceContent = true;
            edit.Content = EmptyToolResult;
            return null;
        }

        return CheckContent(message, index, state, ref edit, required: true);
    }

    /// <summary>Checks content: a string, or text parts flattened to one string (other parts only for vision models).</summary>
    private static ContractError? CheckContent(JsonElement message, int index, WalkState state, ref MessageEdit? edit, bool required)
    {
        if (!message.TryGetProperty("content"u8, out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return required ? Fail(P(index) + ".content", $"{P(index)}.content is required.") : null;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            if (required && JsonValues.IsBlankString(content))
            {
                return Fail(P(index) + ".content", $"{P(index)}.content must not be empty.");
            }

            return SpecialTokens.Find(content) is { } literal ? SpecialTokenError(literal, P(index) + ".content") : null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return Fail(P(index) + ".content", $"{P(index)}.content must be a string or an array of content parts.");
        }

        if (content.GetArrayLength() == 0)
        {
            return required ? Fail(P(index) + ".content", $"{P(index)}.content must not be empty.") : null;
        }

        var text = new StringBuilder();
        var j = 0;
        var multimodal = false;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
            {
                return Fail($"{P(index)}.content[{j}]" + ".type", $"{P(index)}.content[{j}] must be an object with a \"type\", such as {{\"type\": \"text\", \"text\": \"...\"}}.");
            }

            if (!type.ValueEquals("text"u8))
            {
                if (!state.Context.Profile.Vision)
                {
                    return ContractContext.Fail(ContractCodes.UnsupportedContentPart, $"{P(index)}.content[{j}]" + ".type", $"{P(index)}.content[{j}] is a \"{type.GetString()}\" part, but {state.Context.Profile.ModelId} takes text only. Send the content as text, or use a vision-capable model.");
                }

                multimodal = true;
                j++;
                continue;
            }

            if (!part.TryGetProperty("text"u8, out var partText) || partText.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(partText))
            {
                return Fail($"{P(index)}.content[{j}]" + ".text", $"{P(index)}.content[{j}].text is required and must not be blank.");
            }

            if (SpecialTokens.Find(partText) is { } partLiteral)
            {
                return SpecialTokenError(partLiteral, $"{P(index)}.content[{j}].text");
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(partText.GetString());
            j++;
        }

        if (!multimodal)
        {
            edit ??= new MessageEdit();
            edit.ReplaceContent = true;
            edit.Content = text.ToString();
        }

        return null;
    }

    private static bool RepeatsEarlierId(JsonElement calls, int count, JsonElement id)
    {
        var k = 0;
        foreach (var call in calls.EnumerateArray())
        {
            if (k++ == count)
            {
                return false;
            }

            if (call.TryGetProperty("id"u8, out var earlier) && earlier.ValueKind == JsonValueKind.String && earlier.ValueEquals(id.GetString()))
            {
                return true;
            }
        }

        return false;
    }

    // A collision can only switch on the rewrite, which is correct for any history; it never loses a result.
    private static ulong RawHash(JsonElement value)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private static bool IsEmptyContent(JsonElement message, out bool hasContentKey)
    {
        hasContentKey = message.TryGetProperty("content"u8, out var content);
        return !hasContentKey
            || content.ValueKind == JsonValueKind.Null
            || (content.ValueKind == JsonValueKind.String && JsonValues.IsBlankString(content))
            || (content.ValueKind == JsonValueKind.Array && content.GetArrayLength() == 0);
    }

    // Matched on the raw bytes so the common roles cost no allocation.
    private static string? RoleOf(JsonElement role)
    {
        foreach (var known in Roles)
        {
            if (role.ValueEquals(known))
            {
                return known;
            }
        }

        return null;
    }

    private static bool Allows(string role, string key) => role switch
    {
        "assistant" => key != "tool_call_id",
        "tool" => key == "tool_call_id",
        _ => false,
    };

    private static bool IsRewrite(ContractContext c) => !string.Equals(c.Options.DuplicateToolCallIds, "reject", StringComparison.OrdinalIgnoreCase);

    private static bool HasDuplicateIds(JsonElement messages)
    {
        HashSet<ulong>? seen = null;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonValueKind.String
                        && !(seen ??= []).Add(RawHash(id)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static ContractError SpecialTokenError(string literal, string param) =>
        ContractContext.Fail(ContractCodes.SpecialTokenLiteral, param, $"{param} contains the tokenizer special-token literal \"{literal}\", which a host could read as a control token. Remove it or write it differently (for example with a space inside).");

    private static ContractError Fail(string param, string message) => ContractContext.Fail(ContractCodes.InvalidMessages, param, message);

    private static string P(int index) => string.Create(CultureInfo.InvariantCulture, $"messages[{index}]");

    /// <summary>Tool calls awaiting their result, and the numbering used when ids are rewritten.</summary>
    private sealed class WalkState(ContractContext context, bool rewriteIds)
    {
        private readonly Dictionary<string, Queue<string>> _renamed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _pending = new(StringComparer.Ordinal);

        public ContractContext Context { get; } = context;

        public bool RewriteIds { get; } = rewriteIds;

        public int NextCallIndex { get; set; }

        public void AddPending(string original, string upstream)
        {
            if (!RewriteIds)
            {
                _pending[original] = _pending.GetValueOrDefault(original) + 1;
                return;
            }

            if (!_renamed.TryGetValue(original, out var queue))
            {
                _renamed[original] = queue = new Queue<string>(1);
            }

            queue.Enqueue(upstream);
        }

        /// <summary>Matches a tool result to the earliest unanswered call with its id.</summary>
        public bool TryConsume(string original, out string upstream)
        {
            upstream = original;
            if (!RewriteIds)
            {
                if (!_pending.TryGetValue(original, out var count) || count == 0)
                {
                    return false;
                }

                _pending[original] = count - 1;
                return true;
            }

            return _renamed.TryGetValue(original, out var queue) && queue.TryDequeue(out upstream!);
        }
    }
}
