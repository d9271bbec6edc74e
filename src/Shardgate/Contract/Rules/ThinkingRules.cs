using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shardgate.Contract.Schema;

namespace Shardgate.Contract.Rules;

/// <summary>Reasoning controls, per family (reference §3.3, §3.5, §3.10).</summary>
internal static class ThinkingRules
{
    private const long KimiBudgetCap = 96_000;
    private const long KimiContentHeadroom = 64;
    private const long KimiThinkingFloor = 256;

    private static readonly FrozenSet<string> Efforts = FrozenSet.ToFrozenSet(["none", "minimal", "low", "medium", "high", "xhigh"], StringComparer.Ordinal);

    // Keys that override positional arguments of vLLM's chat-template call (CVE-2025-61620, CVE-2025-62426).
    private static readonly FrozenSet<string> ForbiddenKwargs = FrozenSet.ToFrozenSet(
    [
        "chat_template", "tokenize", "tools", "documents", "conversation", "continue_final_message", "padding",
        "truncation", "max_length", "return_tensors", "return_dict",
    ], StringComparer.Ordinal);

    private static readonly SchemaLimits KwargsLimits = new(MaxDepth: 16, MaxNodes: 128, MaxBranches: 0, MaxEnum: 0, MaxPatternBytes: 0, MaxBytes: 16 * 1024, IsSchema: false);

    /// <summary><c>reasoning</c> (OpenRouter's shape) is removed; its <c>effort</c> is checked as <c>reasoning_effort</c>.</summary>
    public static ContractError? Reasoning(ContractContext c)
    {
        if (c.TryGet("reasoning", out var reasoning) && reasoning.ValueKind == JsonValueKind.Object
            && !(reasoning.TryGetProperty("enabled"u8, out var enabled) && enabled.ValueKind == JsonValueKind.False)
            && reasoning.TryGetProperty("effort"u8, out var effort) && !c.Fields.Contains("reasoning_effort"))
        {
            c.Fields.Set("reasoning_effort", JsonValues.ToNode(effort));
        }

        c.Fields.Remove("reasoning");
        return null;
    }

    /// <summary>Checked, then removed: none of the network's models takes it (the models' own switches do the job).</summary>
    public static ContractError? ReasoningEffort(ContractContext c)
    {
        var present = c.Fields.TryGetValue("reasoning_effort", out var original);
        string? value = null;
        if (present)
        {
            if (original.ValueKind != JsonValueKind.String)
            {
                return ContractContext.Fail(ContractCodes.InvalidReasoningEffort, "reasoning_effort", "'reasoning_effort' must be a string: none, minimal, low, medium, high or xhigh.");
            }

            value = original.GetString();
        }
        else if (FindReplacement(c, "reasoning_effort") is { } node)
        {
            value = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
            if (value is null)
            {
                return ContractContext.Fail(ContractCodes.InvalidReasoningEffort, "reasoning.effort", "'reasoning.effort' must be a string: none, minimal, low, medium, high or xhigh.");
            }
        }

        if (value is not null && !Efforts.Contains(value))
        {
            return ContractContext.Fail(ContractCodes.InvalidReasoningEffort, "reasoning_effort", $"'reasoning_effort' \"{value}\" is not supported; use none, minimal, low, medium, high or xhigh.");
        }

        c.Fields.Remove("reasoning_effort");
        return null;
    }

    public static ContractError? ChatTemplateKwargs(ContractContext c)
    {
        if (!c.TryGet("chat_template_kwargs", out var kwargs))
        {
            return null;
        }

        if (kwargs.ValueKind != JsonValueKind.Object)
        {
            return ContractContext.Fail(ContractCodes.InvalidChatTemplateKwargs, "chat_template_kwargs", "'chat_template_kwargs' must be an object.");
        }

        foreach (var property in kwargs.EnumerateObject())
        {
            if (ForbiddenKwargs.Contains(property.Name))
            {
                return ContractContext.Fail(ContractCodes.InvalidChatTemplateKwargs, "chat_template_kwargs." + property.Name, $"chat_template_kwargs.{property.Name} is forbidden: it overrides the host's chat-template arguments. Remove it.");
            }
        }

        return SchemaBounds.Check(kwargs, KwargsLimits) is { } problem
            ? ContractContext.Fail(ContractCodes.InvalidChatTemplateKwargs, "chat_template_kwargs", "chat_template_kwargs: " + problem)
            : null;
    }

    /// <summary><c>enable_thinking</c> moves into <c>chat_template_kwargs</c> (an explicit nested value wins); MiniMax drops it.</summary>
    public static ContractError? EnableThinking(ContractContext c)
    {
        if (!c.Fields.TryGetOriginal("enable_thinking", out var value))
        {
            return null;
        }

        c.Fields.Remove("enable_thinking");
        if (c.Profile.IsMiniMax || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ContractContext.Fail(ContractCodes.InvalidEnableThinking, "enable_thinking", $"'enable_thinking' must be true or false, not a {JsonValues.Describe(value.ValueKind)}.");
        }

        SetKwargDefault(c, "enable_thinking", value.ValueKind == JsonValueKind.True);
        return null;
    }

    public static ContractError? Thinking(ContractContext c)
    {
        if (!c.Fields.TryGetOriginal("thinking", out var thinking))
        {
            return null;
        }

        if (c.Profile.IsMiniMax || thinking.ValueKind == JsonValueKind.Null)
        {
            c.Fields.Remove("thinking");
            return null;
        }

        if (thinking.ValueKind != JsonValueKind.Object)
        {
            return ContractContext.Fail(ContractCodes.InvalidThinking, "thinking", "'thinking' must be an object such as {\"type\": \"enabled\"}.");
        }

        if (!thinking.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
        {
            return ContractContext.Fail(ContractCodes.InvalidThinking, "thinking.type", "thinking.type is required: \"enabled\", \"disabled\", \"adaptive\" or \"auto\".");
        }

        bool enabled;
        switch (type.GetString())
        {
            case "enabled" or "adaptive" or "auto": enabled = true; break;
            case "disabled": enabled = false; break;
            default:
                return ContractContext.Fail(ContractCodes.InvalidThinking, "thinking.type", $"thinking.type \"{type.GetString()}\" is not supported; use \"enabled\", \"disabled\", \"adaptive\" or \"auto\".");
        }

        if (c.Profile.IsKimi)
        {
            c.Fields.Remove("thinking");
            SetKwargDefault(c, "thinking", enabled);
            return null;
        }

        var normalized = new JsonObject { ["type"] = enabled ? "enabled" : "disabled" };
        foreach (var property in thinking.EnumerateObject())
        {
            if (property.Name is not ("type" or "display"))
            {
                normalized[property.Name] = JsonValues.ToNode(property.Value);
            }
        }

        c.Fields.Set("thinking", normalized);
        return null;
    }

    /// <summary>Pre: only Kimi takes <c>thinking_token_budget</c>; it crashes Qwen3-Instruct hosts.</summary>
    public static ContractError? StripThinkingBudget(ContractContext c)
    {
        if (!c.Profile.IsKimi)
        {
            c.Fields.Remove("thinking_token_budget");
        }

        return null;
    }

    /// <summary>Post-limits, Kimi only: the network's budget resolver (reference §3.5), plus the visible-output warning.</summary>
    public static ContractError? ResolveKimiBudget(ContractContext c)
    {
        var m = c.MaxTokens;
        if (!c.Profile.IsKimi || m <= 0)
        {
            return null;
        }

        long? budget = null;
        if (c.Fields.TryGetValue("thinking_token_budget", out var given))
        {
            if (!JsonValues.TryGetNonNegativeInteger(given, out var value))
            {
                // The network leaves a malformed budget as it is; the host then refuses it with its own message.
                return null;
            }

            budget = value;
        }

        var resolved = m < KimiThinkingFloor ? 0 : budget ?? m / 2;
        resolved = Math.Min(resolved, KimiBudgetCap);
        resolved = Math.Min(resolved, Math.Max(m - KimiContentHeadroom, 0));
        if (budget != resolved)
        {
            c.Fields.Set("thinking_token_budget", JsonValue.Create(resolved));
        }

        if (KimiThinks(c) && m - resolved < KimiThinkingFloor)
        {
            c.Warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"kimi-output-budget: max_tokens={m} leaves {m - resolved} tokens for the answer after a thinking budget of {resolved}; if thinking runs long the answer can be empty (finish_reason=length). Send max_tokens of at least {KimiThinkingFloor + resolved}, or disable thinking."));
        }

        return null;
    }

    public static ContractError? ReasoningSplit(ContractContext c)
    {
        if (!c.Profile.IsMiniMax)
        {
            c.Fields.Remove("reasoning_split");
        }

        return null;
    }

    public static ContractError? SafetyIdentifier(ContractContext c)
    {
        if (!c.Profile.IsKimi)
        {
            c.Fields.Remove("safety_identifier");
            return null;
        }

        if (c.TryGet("safety_identifier", out var id) && (id.ValueKind != JsonValueKind.String || JsonValues.Utf8Length(id.GetString()!) > 512))
        {
            return ContractContext.Fail(ContractCodes.InvalidSafetyIdentifier, "safety_identifier", "'safety_identifier' must be a string of at most 512 bytes.");
        }

        return null;
    }

    private static bool KimiThinks(ContractContext c)
    {
        var kwargs = FindReplacement(c, "chat_template_kwargs") as JsonObject;
        if (kwargs is null && c.Fields.TryGetValue("chat_template_kwargs", out var original) && original.ValueKind == JsonValueKind.Object)
        {
            return !(original.TryGetProperty("thinking"u8, out var t) && t.ValueKind == JsonValueKind.False);
        }

        return kwargs?["thinking"] is not JsonValue v || v.GetValueKind() != JsonValueKind.False;
    }

    private static void SetKwargDefault(ContractContext c, string key, bool value)
    {
        JsonObject kwargs;
        if (FindReplacement(c, "chat_template_kwargs") is JsonObject replaced)
        {
            kwargs = replaced;
        }
        else if (c.Fields.TryGetValue("chat_template_kwargs", out var original) && original.ValueKind == JsonValueKind.Object)
        {
            kwargs = (JsonObject)JsonValues.ToNode(original)!;
        }
        else
        {
            kwargs = [];
        }

        if (!kwargs.ContainsKey(key))
        {
            kwargs[key] = value;
        }

        c.Fields.Set("chat_template_kwargs", kwargs);
    }

    private static JsonNode? FindReplacement(ContractContext c, string name) =>
        c.Fields.TryGetReplacement(name, out var node) ? node : null;
}
