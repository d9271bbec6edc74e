using System.Collections.Frozen;
using System.Text.Json;

namespace Shardgate.Contract.Rules;

/// <summary>
/// The closed allowlist of top-level fields (reference §3.2), the fields dropped silently, and, for fields people
/// commonly send, what to use instead.
/// </summary>
internal static class ParameterCatalog
{
    public static readonly FrozenSet<string> Allowed = FrozenSet.ToFrozenSet(
    [
        "messages", "model", "stream", "seed", "n", "temperature", "top_p", "top_k", "min_p", "repetition_penalty",
        "frequency_penalty", "presence_penalty", "logit_bias", "stop", "stop_token_ids", "bad_words", "min_tokens",
        "max_tokens", "max_completion_tokens", "logprobs", "top_logprobs", "return_token_ids", "skip_special_tokens",
        "detokenize", "parallel_tool_calls", "tools", "tool_choice", "response_format", "structured_outputs",
        "chat_template_kwargs", "reasoning", "reasoning_effort", "enable_thinking", "thinking", "thinking_token_budget",
        "reasoning_split", "user", "metadata", "safety_identifier", "stream_options",
        "models",
    ], StringComparer.Ordinal);

    /// <summary>Accepted and dropped before forwarding: client-side or provider-specific knobs hosts do not take.</summary>
    public static readonly FrozenSet<string> Stripped = FrozenSet.ToFrozenSet(
    [
        "service_tier", "store", "provider", "plugins", "prompt_cache_key", "cache_key", "extra_headers", "thinking_config", "think",
        "models",
    ], StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Instead = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["guided_json"] = "Send the schema as response_format {\"type\": \"json_schema\", \"json_schema\": {...}} or structured_outputs.json.",
        ["guided_regex"] = "Send it as structured_outputs.regex.",
        ["guided_choice"] = "Send it as structured_outputs.choice.",
        ["guided_grammar"] = "Send it as structured_outputs.grammar.",
        ["tags"] = "Use metadata (up to 16 string values) to label requests.",
        ["functions"] = "Use tools: [{\"type\": \"function\", \"function\": {...}}].",
        ["function_call"] = "Use tool_choice.",
        ["max_output_tokens"] = "Use max_tokens or max_completion_tokens.",
        ["modalities"] = "The models here produce text only; remove it.",
        ["audio"] = "The models here produce text only; remove it.",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static ContractError? CheckAllowed(RequestFields fields, ContractOptions options)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Name;
            if (Allowed.Contains(name))
            {
                continue;
            }

            if (name == "plugins" && string.Equals(options.Plugins, "reject", StringComparison.OrdinalIgnoreCase))
            {
                return ContractContext.Fail(ContractCodes.PluginsRejected, name, "'plugins' is not accepted by this gateway. Remove it from the request.");
            }

            if (Stripped.Contains(name))
            {
                continue;
            }

            var hint = Instead.TryGetValue(name, out var alternative)
                ? alternative
                : "Some non-standard parameters can crash the vLLM engine on the network's hosts, so only listed parameters pass. Remove it from the request.";
            return ContractContext.Fail(ContractCodes.UnsupportedParameter, name, $"Parameter '{name}' is not supported. {hint}");
        }

        return null;
    }

    public static ContractError? StripSilently(ContractContext c)
    {
        // Cache keys never reach hosts, but they tell the router which conversations share a prompt.
        foreach (var name in (ReadOnlySpan<string>)["prompt_cache_key", "cache_key", "user"])
        {
            if (c.TryGet(name, out var key) && key.ValueKind == JsonValueKind.String && !JsonValues.IsBlankString(key))
            {
                c.AffinityKey = key.GetString();
                break;
            }
        }

        foreach (var name in Stripped)
        {
            c.Fields.Remove(name);
        }

        return null;
    }

    /// <summary><c>skip_special_tokens</c>, <c>detokenize</c>, <c>parallel_tool_calls</c>: booleans or null.</summary>
    public static ContractError? CheckBooleans(ContractContext c)
    {
        foreach (var name in (ReadOnlySpan<string>)["skip_special_tokens", "detokenize", "parallel_tool_calls"])
        {
            if (c.TryGet(name, out var value) && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ContractContext.Fail(ContractCodes.InvalidBoolean, name, $"'{name}' must be true or false.");
            }
        }

        return null;
    }
}
