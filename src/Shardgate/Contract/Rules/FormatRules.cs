using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shardgate.Contract.Schema;

namespace Shardgate.Contract.Rules;

/// <summary><c>response_format</c> and <c>structured_outputs</c>, each on its own (reference §3.3, §3.8).</summary>
internal static partial class FormatRules
{
    private static readonly FrozenSet<string> OutputsKeys = FrozenSet.ToFrozenSet(
    [
        "json", "regex", "choice", "grammar", "json_object", "structural_tag", "whitespace_pattern", "disable_any_whitespace", "disable_additional_properties",
    ], StringComparer.Ordinal);

    private static readonly string[] Exclusive = ["json", "regex", "choice", "grammar", "json_object", "structural_tag"];

    public static ContractError? ResponseFormat(ContractContext c)
    {
        if (!c.TryGet("response_format", out var format))
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String || JsonValues.IsBlankString(type))
        {
            return Fail("response_format", "'response_format' must be an object with a \"type\": text, json_object or json_schema.");
        }

        switch (type.GetString())
        {
            case "text" or "json_object":
                return null;
            case "json_schema":
                break;
            default:
                return Fail("response_format.type", $"response_format.type \"{type.GetString()}\" is not supported; use text, json_object or json_schema.");
        }

        if (!format.TryGetProperty("json_schema"u8, out var jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object)
        {
            return Fail("response_format.json_schema", "response_format.json_schema must be an object with a name and a schema.");
        }

        if (!jsonSchema.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String || !SchemaName().IsMatch(name.GetString()!))
        {
            return Fail("response_format.json_schema.name", "response_format.json_schema.name is required: 1 to 64 characters of letters, digits, '_', '.' or '-'.");
        }

        if (!jsonSchema.TryGetProperty("schema"u8, out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            return Fail("response_format.json_schema.schema", "response_format.json_schema.schema must be a JSON-Schema object.");
        }

        return SchemaBounds.Check(schema, SchemaLimits.Output) is { } problem
            ? ContractContext.Fail(ContractCodes.InvalidSchema, "response_format.json_schema.schema", $"response_format.json_schema.schema: {problem}.")
            : null;
    }

    public static ContractError? StructuredOutputs(ContractContext c)
    {
        if (!c.TryGet("structured_outputs", out var outputs))
        {
            return null;
        }

        if (c.Profile.IsKimi)
        {
            return ContractContext.Fail(ContractCodes.StructuredOutputsUnsupported, "structured_outputs", $"'structured_outputs' is not supported on {c.Profile.ModelId}; use response_format instead.");
        }

        if (outputs.ValueKind != JsonValueKind.Object)
        {
            return Outputs("structured_outputs", "'structured_outputs' must be an object.");
        }

        if (c.Fields.Contains("response_format"))
        {
            return Outputs("structured_outputs", "'structured_outputs' cannot be combined with response_format; send one of them.");
        }

        var set = new List<string>(2);
        var stripPrivate = false;
        foreach (var property in outputs.EnumerateObject())
        {
            if (property.Name is "_backend" or "_backend_was_auto")
            {
                stripPrivate = true;
                continue;
            }

            if (!OutputsKeys.Contains(property.Name))
            {
                return Outputs("structured_outputs." + property.Name, $"structured_outputs.{property.Name} is not a known sub-field.");
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (Array.IndexOf(Exclusive, property.Name) >= 0)
            {
                set.Add(property.Name);
            }

            if (SubField(property.Name, property.Value) is { } problem)
            {
                return problem;
            }
        }

        if (set.Count != 1)
        {
            return Outputs("structured_outputs", $"exactly one of json, regex, choice, grammar, json_object or structural_tag must be set (got {set.Count}{(set.Count > 0 ? ": " + string.Join(", ", set) : string.Empty)}).");
        }

        if (stripPrivate)
        {
            var node = (System.Text.Json.Nodes.JsonObject)JsonValues.ToNode(outputs)!;
            node.Remove("_backend");
            node.Remove("_backend_was_auto");
            c.Fields.Set("structured_outputs", node);
        }

        return null;
    }

    private static ContractError? SubField(string name, JsonElement value)
    {
        var param = "structured_outputs." + name;
        switch (name)
        {
            case "json":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return Outputs(param, "structured_outputs.json must be a schema object (string-encoded schemas are not accepted).");
                }

                return SchemaBounds.Check(value, SchemaLimits.Output) is { } problem
                    ? ContractContext.Fail(ContractCodes.InvalidSchema, param, $"{param}: {problem}.")
                    : null;
            case "regex" or "whitespace_pattern":
                return SchemaBounds.PatternProblem(value, 512) is { } regexProblem ? Outputs(param, $"{param}: {regexProblem}.") : null;
            case "choice":
                return ChoiceProblem(value, param);
            case "grammar":
                return GrammarProblem(value, param);
            case "json_object" or "disable_any_whitespace" or "disable_additional_properties":
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Outputs(param, $"{param} must be true or false.");
            case "structural_tag":
                return value.ValueKind == JsonValueKind.Object && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length <= 4096
                    ? null
                    : Outputs(param, $"{param} must be an object of at most 4096 bytes (the string form crashes hosts).");
            default:
                return null;
        }
    }

    private static ContractError? ChoiceProblem(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > 256)
        {
            return Outputs(param, $"{param} must be an array of 1 to 256 strings.");
        }

        var total = 0;
        foreach (var choice in value.EnumerateArray())
        {
            if (choice.ValueKind != JsonValueKind.String || JsonValues.Utf8Length(choice.GetString()!) > 1024)
            {
                return Outputs(param, $"{param} entries must be strings of at most 1024 bytes.");
            }

            total += JsonValues.Utf8Length(choice.GetString()!);
        }

        return total > 16 * 1024 ? Outputs(param, $"{param} holds more than 16 KiB in all.") : null;
    }

    // Deeply nested grammars exhaust the host's grammar compiler (CVE-2026-25048).
    private static ContractError? GrammarProblem(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.String || JsonValues.Utf8Length(value.GetString()!) > 8192)
        {
            return Outputs(param, $"{param} must be a string of at most 8192 bytes.");
        }

        var depth = 0;
        foreach (var ch in value.GetString()!)
        {
            depth += ch is '(' or '[' or '{' ? 1 : ch is ')' or ']' or '}' ? -1 : 0;
            depth = Math.Max(depth, 0);
            if (depth > 200)
            {
                return Outputs(param, $"{param} nests brackets deeper than 200.");
            }
        }

        return null;
    }

    private static ContractError Fail(string param, string message) => ContractContext.Fail(ContractCodes.InvalidResponseFormat, param, message);

    private static ContractError Outputs(string param, string message) => ContractContext.Fail(ContractCodes.InvalidStructuredOutputs, param, message);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex SchemaName();
}
