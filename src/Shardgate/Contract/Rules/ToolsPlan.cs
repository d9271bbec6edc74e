using System.Text.Json;

namespace Shardgate.Contract.Rules;

/// <summary>Tools as sent, written upstream without <c>function.strict</c> (hosts' guided decoding has no strict mode).</summary>
internal sealed class ToolsPlan(JsonElement tools)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var tool in tools.EnumerateArray())
        {
            writer.WriteStartObject();
            foreach (var property in tool.EnumerateObject())
            {
                if (property.NameEquals("function"u8) && property.Value.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName(property.Name);
                    writer.WriteStartObject();
                    foreach (var inner in property.Value.EnumerateObject())
                    {
                        if (!inner.NameEquals("strict"u8))
                        {
                            inner.WriteTo(writer);
                        }
                    }

                    writer.WriteEndObject();
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
