using System.Text.Json.Nodes;

namespace Shardgate.Cli.Eval;

/// <summary>
/// One line of a prompt set: its messages (and tools), and what a good answer satisfies: it contains
/// <see cref="Expected"/> (case-insensitive), matches <see cref="Regex"/>, parses as JSON valid against
/// <see cref="JsonSchema"/>, or calls <see cref="ExpectedTool"/>. Any of them, or none (then only success counts).
/// </summary>
internal sealed record EvalPrompt(string Id, string Kind, JsonArray Messages, JsonArray? Tools, string? Expected, string? Regex, JsonNode? JsonSchema, string? ExpectedTool)
{
    public int Checks => (Expected is null ? 0 : 1) + (Regex is null ? 0 : 1) + (JsonSchema is null ? 0 : 1) + (ExpectedTool is null ? 0 : 1);

    /// <summary>Reads a JSONL prompt set; a bad line is a usage error naming its line.</summary>
    public static IReadOnlyList<EvalPrompt> ReadAll(string path) =>
        File.Exists(path) ? Parse(File.ReadLines(path), path) : throw new CliUsageException($"--prompts: {path} does not exist");

    public static IReadOnlyList<EvalPrompt> Parse(IEnumerable<string> lines, string path)
    {
        var prompts = new List<EvalPrompt>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            try
            {
                var node = JsonNode.Parse(line)!.AsObject();
                var messages = node["messages"] as JsonArray ?? throw new CliUsageException($"{path}, line {number}: 'messages' is required, a list of chat messages");
                prompts.Add(new EvalPrompt(
                    node["id"]?.GetValue<string>() ?? $"line-{number}",
                    node["kind"]?.GetValue<string>() ?? "general",
                    messages,
                    node["tools"] as JsonArray,
                    node["expected"]?.GetValue<string>(),
                    node["regex"]?.GetValue<string>(),
                    node["json_schema"],
                    node["expected_tool"]?.GetValue<string>()));
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
            {
                throw new CliUsageException($"{path}, line {number}: {ex.Message}");
            }
        }

        return prompts.Count > 0 ? prompts : throw new CliUsageException($"{path} holds no prompts");
    }
}
