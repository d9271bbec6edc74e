using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shardgate.Kernel;

namespace Shardgate.Contract.Schema;

/// <summary>
/// Walks a schema before it reaches a host's guided-decoding engine, whose compilers have crashed or hung on
/// deep, wide, self-referencing or malformed schemas (reference §3.7; CVE-2025-48944 for <c>type</c>).
/// </summary>
internal static class SchemaBounds
{

    /// <summary>Null when the value is within bounds; otherwise what is wrong, in a sentence.</summary>
    public static string? Check(JsonElement root, SchemaLimits limits)
    {
        var nodes = 0;
        var problem = Walk(root, 1, limits, ref nodes);
        if (problem is not null)
        {
            return problem;
        }

        var size = JsonMarshal.GetRawUtf8Value(root).Length;
        if (size > limits.MaxBytes && CompactSize(root) > limits.MaxBytes)
        {
            return $"serialized size exceeds the limit of {limits.MaxBytes} bytes";
        }

        return null;
    }

    private static string? Walk(JsonElement value, int depth, SchemaLimits limits, ref int nodes)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (Walk(item, depth, limits, ref nodes) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (depth > limits.MaxDepth)
        {
            return $"nesting depth exceeds the limit of {limits.MaxDepth}";
        }

        if (++nodes > limits.MaxNodes)
        {
            return $"more than {limits.MaxNodes} object nodes";
        }

        foreach (var property in value.EnumerateObject())
        {
            var child = property.Value;
            if (limits.IsSchema)
            {
                // Names are compared as UTF-8: a schema walk allocates nothing unless it fails.
                var name = JsonMarshal.GetRawUtf8PropertyName(property);
                if (SchemaKeyword(name, child, limits) is { } keywordProblem)
                {
                    return keywordProblem;
                }

                if (IsDataKey(name))
                {
                    continue;
                }

                if (IsSchemaMap(name) && child.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in child.EnumerateObject())
                    {
                        if (Walk(entry.Value, depth + 1, limits, ref nodes) is { } mapProblem)
                        {
                            return mapProblem;
                        }
                    }

                    continue;
                }
            }

            if (Walk(child, depth + 1, limits, ref nodes) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    private static string? SchemaKeyword(ReadOnlySpan<byte> name, JsonElement value, SchemaLimits limits)
    {
        if (name.SequenceEqual("$ref"u8) || name.SequenceEqual("$defs"u8) || name.SequenceEqual("definitions"u8))
        {
            return $"the reference keyword \"{Encoding.UTF8.GetString(name)}\" is not allowed; inline the referenced schema";
        }

        if (name.SequenceEqual("enum"u8))
        {
            return value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > limits.MaxEnum
                ? $"an enum has {value.GetArrayLength()} values; at most {limits.MaxEnum} are allowed"
                : null;
        }

        if (name.SequenceEqual("anyOf"u8) || name.SequenceEqual("oneOf"u8) || name.SequenceEqual("allOf"u8))
        {
            return value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > limits.MaxBranches
                ? $"{Encoding.UTF8.GetString(name)} has {value.GetArrayLength()} arms; at most {limits.MaxBranches} are allowed"
                : null;
        }

        if (name.SequenceEqual("type"u8))
        {
            return TypeProblem(value);
        }

        return name.SequenceEqual("pattern"u8) ? PatternProblem(value, limits.MaxPatternBytes) : null;
    }

    private static bool IsDataKey(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("enum"u8) || name.SequenceEqual("const"u8) || name.SequenceEqual("default"u8)
        || name.SequenceEqual("examples"u8) || name.SequenceEqual("required"u8) || name.SequenceEqual("dependentRequired"u8);

    private static bool IsSchemaMap(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("properties"u8) || name.SequenceEqual("patternProperties"u8) || name.SequenceEqual("dependentSchemas"u8);

    private static string? TypeProblem(JsonElement type)
    {
        if (type.ValueKind == JsonValueKind.String)
        {
            return IsPrimitive(type) ? null : $"type \"{type.GetString()}\" is not a JSON-Schema primitive";
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var member in type.EnumerateArray())
            {
                if (member.ValueKind != JsonValueKind.String || !IsPrimitive(member))
                {
                    return $"type {member.GetRawText()} is not a JSON-Schema primitive";
                }
            }

            return null;
        }

        return "type must be a string or an array of strings";
    }

    private static bool IsPrimitive(JsonElement type) =>
        type.ValueEquals("string"u8) || type.ValueEquals("number"u8) || type.ValueEquals("integer"u8) || type.ValueEquals("object"u8)
        || type.ValueEquals("boolean"u8) || type.ValueEquals("array"u8) || type.ValueEquals("null"u8);

    internal static string? PatternProblem(JsonElement pattern, int maxBytes)
    {
        if (pattern.ValueKind != JsonValueKind.String)
        {
            return "pattern must be a string";
        }

        var text = pattern.GetString()!;
        if (JsonValues.Utf8Length(text) > maxBytes)
        {
            return $"a pattern is longer than {maxBytes} bytes";
        }

        try
        {
            _ = new Regex(text, RegexOptions.None, TimeSpan.FromMilliseconds(50));
            return null;
        }
        catch (ArgumentException ex)
        {
            return "a pattern is not a valid regular expression: " + ex.Message;
        }
    }

    private static long CompactSize(JsonElement element)
    {
        var counter = new PooledBufferWriter(16 * 1024);
        using (counter)
        {
            using var writer = new Utf8JsonWriter(counter);
            element.WriteTo(writer);
            writer.Flush();
            return counter.WrittenCount;
        }
    }
}
