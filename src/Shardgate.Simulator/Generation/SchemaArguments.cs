using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Shardgate.Simulator.Generation;

/// <summary>Builds tool-call arguments that satisfy a tool's JSON schema (types, enums, required properties).</summary>
internal static class SchemaArguments
{
    private const int MaxDepth = 8;

    public static string Generate(JsonElement? schema)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (schema is { ValueKind: JsonValueKind.Object } s)
            {
                WriteValue(writer, s, "value", 0);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement schema, string name, int depth)
    {
        if (schema.TryGetProperty("enum", out var en) && en.ValueKind == JsonValueKind.Array && en.GetArrayLength() > 0)
        {
            en[0].WriteTo(writer);
            return;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(writer);
            return;
        }

        switch (TypeOf(schema))
        {
            case "object":
                WriteObject(writer, schema, depth);
                break;
            case "array":
                writer.WriteStartArray();
                if (depth < MaxDepth && schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
                {
                    WriteValue(writer, items, name, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case "integer":
                writer.WriteNumberValue(schema.TryGetProperty("minimum", out var min) && min.TryGetInt64(out var m) ? m : 1);
                break;
            case "number":
                writer.WriteNumberValue(schema.TryGetProperty("minimum", out var fmin) && fmin.TryGetDouble(out var f) ? f : 1.5);
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "null":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue("sample " + name);
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        writer.WriteStartObject();
        if (depth < MaxDepth && schema.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in props.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName(p.Name);
                    WriteValue(writer, p.Value, p.Name, depth + 1);
                }
            }
        }

        writer.WriteEndObject();
    }

    private static string TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : "string";
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString()!;
        }

        // A union such as ["string", "null"]: the first non-null member is a valid choice.
        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in type.EnumerateArray())
            {
                if (t.ValueKind == JsonValueKind.String && t.GetString() != "null")
                {
                    return t.GetString()!;
                }
            }
        }

        return "string";
    }
}
