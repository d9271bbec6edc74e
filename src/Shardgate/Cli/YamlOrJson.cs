using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Shardgate.Cli;

/// <summary>
/// Reads a file an operator wrote, in JSON or YAML, as the JSON the admin API takes. YAML's unquoted scalars keep
/// their types (8000 is a number, true a boolean), so a YAML node file says what its JSON twin says.
/// </summary>
internal static class YamlOrJson
{
    public static JsonNode Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliUsageException($"{file.FullName} does not exist");
        }

        var text = File.ReadAllText(file.FullName);
        if (file.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return JsonNode.Parse(text) ?? throw new CliUsageException($"{file.Name} is empty");
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new CliUsageException($"{file.Name}: {ex.Message}");
            }
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? throw new CliUsageException($"{file.Name} is empty") : ToJson(stream.Documents[0].RootNode) ?? new JsonObject();
        }
        catch (YamlException ex)
        {
            throw new CliUsageException($"{file.Name}, line {ex.Start.Line}: {ex.Message}");
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } plain => Plain(plain.Value ?? ""),
        YamlScalarNode quoted => JsonValue.Create(quoted.Value),
        _ => null,
    };

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
