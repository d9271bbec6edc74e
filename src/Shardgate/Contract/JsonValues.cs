using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Contract;

/// <summary>Small readers shared by the rules.</summary>
internal static class JsonValues
{
    /// <summary>
    /// The network's float sanitizer: a JSON number or a numeric string; null when the value is not a finite number
    /// (the rule then removes the field instead of failing the request).
    /// </summary>
    public static double? ParseFloat(JsonElement value)
    {
        double parsed;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                parsed = value.GetDouble();
                break;
            case JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var fromText):
                parsed = fromText;
                break;
            default:
                return null;
        }

        return double.IsFinite(parsed) ? parsed : null;
    }

    /// <summary>A non-negative integer that fits in a long; numbers written with a fraction or exponent are refused.</summary>
    public static bool TryGetNonNegativeInteger(JsonElement value, out long result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out result) && result >= 0;
    }

    /// <summary>A mutable copy of an element, for the rare rule that must edit inside a field.</summary>
    public static JsonNode? ToNode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => JsonValue.Create(element),
    };

    public static bool IsBlank(string? text) => string.IsNullOrWhiteSpace(text);

    /// <summary>
    /// Whether a JSON string is empty or whitespace, usually decided from the raw bytes without decoding: the first
    /// ASCII byte that is not whitespace (nor an escape) settles it; only odd values are decoded.
    /// </summary>
    public static bool IsBlankString(JsonElement value)
    {
        // The raw value of a string includes its quotes.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        foreach (var b in raw.Length >= 2 ? raw[1..^1] : raw)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                continue;
            }

            if (b < 0x80 && b != (byte)'\\')
            {
                return false;
            }

            return IsBlank(value.GetString());
        }

        return true;
    }

    public static int Utf8Length(string text) => System.Text.Encoding.UTF8.GetByteCount(text);

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
