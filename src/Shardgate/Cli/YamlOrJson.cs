using System.Text.Json.Nodes;
using YamlDotNet.Core;
using Shardgate.Catalog;

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
            return YamlJson.Parse(text).Root ?? throw new CliUsageException($"{file.Name} is empty");
        }
        catch (YamlException ex)
        {
            throw new CliUsageException($"{file.Name}, line {ex.Start.Line}: {ex.Message}");
        }
    }
}
