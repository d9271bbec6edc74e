using System.Text.Json.Nodes;
using Shardgate.Catalog;
using YamlDotNet.Core;

namespace Shardgate.Cli;

/// <summary>
/// Reads a file an operator wrote, in JSON or YAML (YAML reads JSON too), as the JSON the admin API takes. YAML's
/// unquoted scalars keep their types (8000 is a number, true a boolean), so a YAML node file says what its JSON twin says.
/// </summary>
internal static class YamlOrJson
{
    public static JsonNode Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliUsageException($"{file.FullName} does not exist");
        }

        try
        {
            return YamlJson.Parse(File.ReadAllText(file.FullName)).Root ?? throw new CliUsageException($"{file.Name} is empty");
        }
        catch (YamlException ex)
        {
            throw new CliUsageException($"{file.Name}, line {ex.Start.Line}: {ex.Message}");
        }
    }
}
