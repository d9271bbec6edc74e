using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Shardgate.Catalog;

/// <summary>
/// YAML (and JSON, which YAML reads too) as <see cref="JsonNode"/>s, with the line each value starts on, so a
/// problem found later in the tree can still be reported as "file, line N". Unquoted scalars take YAML 1.2's core
/// types (8000 is a number, true a boolean); quoted ones stay strings.
/// </summary>
internal static class YamlJson
{
    /// <summary>Between the names of a path: model ids hold slashes and dots, never this.</summary>
    public const string Separator = " > ";

    /// <summary>The document's root (null when empty) and the line of every value by its path (<c>models > x > prices</c>).</summary>
    public static (JsonNode? Root, IReadOnlyDictionary<string, int> Lines) Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        return (stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, "", lines), lines);
    }

    private static JsonNode? Convert(YamlNode node, string path, Dictionary<string, int> lines)
    {
        lines[path] = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? throw new YamlException(key.Start, key.End, "a key must be a plain value");
                    if (obj.ContainsKey(name))
                    {
                        throw new YamlException(key.Start, key.End, $"the key '{name}' appears twice");
                    }

                    obj[name] = Convert(value, Join(path, name), lines);
                }

                return obj;
            case YamlSequenceNode list:
                var array = new JsonArray();
                for (var i = 0; i < list.Children.Count; i++)
                {
                    array.Add(Convert(list.Children[i], Join(path, i.ToString(CultureInfo.InvariantCulture)), lines));
                }

                return array;
            case YamlScalarNode { Style: ScalarStyle.Plain } plain:
                return Plain(plain.Value ?? "");
            case YamlScalarNode quoted:
                return JsonValue.Create(quoted.Value);
            default:
                return null;
        }
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : path + Separator + name;

    /// <summary>An unquoted scalar by YAML 1.2's core schema: null, a boolean, an integer, a float, else a string.</summary>
    private static JsonValue? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };
}
