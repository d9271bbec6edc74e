using System.Text.Json;
using System.Text.Json.Nodes;
using Shardgate.Contract.Schema;

namespace Shardgate.Contract.Rules;

/// <summary><c>tools</c> and <c>tool_choice</c> (reference §3.3, §3.7).</summary>
internal static class ToolRules
{
    public const string EmulatedWarning = "tool-choice: tool_choice \"required\" is emulated (this model's hosts cannot force a call): an answer without a tool call is retried once with an instruction naming the tools, both attempts charged, and refused if it again has none.";

    public static ContractError? Tools(ContractContext c)
    {
        var required = !c.Profile.SupportsRequiredToolChoice && c.TryGet("tool_choice", out var choice) && choice.ValueKind == JsonValueKind.String && choice.ValueEquals("required"u8);
        if (required)
        {
            // The network's hosts do not honour "required"; "auto" with tools still lets the model call one.
            c.Fields.Set("tool_choice", "auto");
        }

        if (!c.Fields.TryGetOriginal("tools", out var tools) || tools.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                c.Warnings.Add("tool-choice: tool_choice \"required\" was sent as \"auto\": the request has no tools to call.");
            }

            return null;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            return ContractContext.Fail(ContractCodes.InvalidTools, "tools", "'tools' must be an array of {\"type\": \"function\", \"function\": {...}} objects.");
        }

        if (tools.GetArrayLength() == 0)
        {
            c.Fields.Remove("tools");
            c.Fields.Remove("tool_choice");
            return null;
        }

        if (!c.Fields.Contains("tool_choice"))
        {
            c.Fields.Set("tool_choice", "auto");
        }

        var i = 0;
        var strict = false;
        var names = required ? new List<string>(tools.GetArrayLength()) : null;
        foreach (var tool in tools.EnumerateArray())
        {
                        if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type"u8, out var type) || !type.ValueEquals("function"u8))
            {
                return ContractContext.Fail(ContractCodes.InvalidTools, Path(i), $"{Path(i)} must be an object with \"type\": \"function\".");
            }

            if (!tool.TryGetProperty("function"u8, out var function) || function.ValueKind != JsonValueKind.Object)
            {
                return ContractContext.Fail(ContractCodes.InvalidTools, Path(i) + ".function", $"{Path(i)}.function must be an object with a name.");
            }

            if (!function.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(name))
            {
                return ContractContext.Fail(ContractCodes.InvalidTools, Path(i) + ".function.name", $"{Path(i)}.function.name must be a non-blank string.");
            }

            if (SpecialTokens.FindInTree(function) is { } literal)
            {
                return ContractContext.Fail(ContractCodes.SpecialTokenLiteral, Path(i) + ".function", $"{Path(i)}.function contains the tokenizer special-token literal \"{literal}\", which a host could read as a control token. Remove it from the tool's name, description and schema.");
            }

            strict |= function.TryGetProperty("strict"u8, out _);
            names?.Add(name.GetString()!);
            if (function.TryGetProperty("parameters"u8, out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && SchemaBounds.Check(parameters, SchemaLimits.Tools) is { } problem)
            {
                return ContractContext.Fail(ContractCodes.InvalidSchema, Path(i) + ".function.parameters", $"{Path(i)}.function.parameters: {problem}.");
            }

            i++;
        }

        if (strict)
        {
            c.Tools = new ToolsPlan(tools);
        }

        if (names is [var only])
        {
            // With one tool, "required" means that tool, which every host can force by name (guided decoding).
            c.Fields.Set("tool_choice", new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = only } });
            c.Warnings.Add($"tool-choice: tool_choice \"required\" was sent as a call of '{only}', the only tool; this model's hosts cannot force a call otherwise.");
        }
        else if (names is not null)
        {
            c.RequiredToolCall = new RequiredToolCall(c, names);
            c.Warnings.Add(EmulatedWarning);
        }

        return null;
    }

    /// <summary>Post-n: the emulation judges one answer; with several choices "required" stays "auto".</summary>
    public static ContractError? RequiredWithChoices(ContractContext c)
    {
        if (c.RequiredToolCall is not null && c.Choices > 1)
        {
            c.RequiredToolCall = null;
            c.Warnings.Remove(EmulatedWarning);
            c.Warnings.Add("tool-choice: tool_choice \"required\" was sent as \"auto\": with n > 1 it cannot be emulated, and this model's hosts cannot force a call.");
        }

        return null;
    }

    public static ContractError? ToolChoice(ContractContext c)
    {
        if (c.Fields.TryGetReplacement("tool_choice", out _) || !c.TryGet("tool_choice", out var choice))
        {
            return null;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            var value = choice.GetString();
            return value is "auto" or "none" || (value == "required" && c.Profile.SupportsRequiredToolChoice)
                ? null
                : ContractContext.Fail(ContractCodes.InvalidToolChoice, "tool_choice", $"'tool_choice' \"{value}\" is not supported; use \"auto\", \"none\" or {{\"type\": \"function\", \"function\": {{\"name\": \"...\"}}}}.");
        }

        if (choice.ValueKind == JsonValueKind.Object
            && choice.TryGetProperty("type"u8, out var type) && type.ValueEquals("function"u8)
            && choice.TryGetProperty("function"u8, out var function) && function.ValueKind == JsonValueKind.Object
            && function.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String
            && !JsonValues.IsBlankString(name) && JsonValues.Utf8Length(name.GetString()!) <= 64)
        {
            return null;
        }

        return ContractContext.Fail(ContractCodes.InvalidToolChoice, "tool_choice", "'tool_choice' must be \"auto\", \"none\" or {\"type\": \"function\", \"function\": {\"name\": \"<a tool's name, at most 64 bytes>\"}}.");
    }

    private static string Path(int index) => StopRules.Param("tools", index);
}
