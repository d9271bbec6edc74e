using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Shardgate.Cli.Eval;

/// <summary>How many of a prompt's checks an answer passes. JSON Schema through NJsonSchema; a fenced JSON block counts as JSON.</summary>
internal static class EvalChecks
{
    public static async Task<int> PassedAsync(EvalPrompt prompt, string answer, IReadOnlyList<string> toolsCalled)
    {
        var passed = 0;
        if (prompt.Expected is { } expected && answer.Contains(expected, StringComparison.OrdinalIgnoreCase))
        {
            passed++;
        }

        if (prompt.Regex is { } pattern && Regex.IsMatch(answer, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            passed++;
        }

        if (prompt.JsonSchema is { } schema && await SatisfiesAsync(schema, answer))
        {
            passed++;
        }

        if (prompt.ExpectedTool is { } tool && toolsCalled.Contains(tool, StringComparer.Ordinal))
        {
            passed++;
        }

        return passed;
    }

    private static async Task<bool> SatisfiesAsync(JsonNode schema, string answer)
    {
        var text = answer.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var start = text.IndexOf('\n', StringComparison.Ordinal);
            var end = text.LastIndexOf("```", StringComparison.Ordinal);
            text = start > 0 && end > start ? text[(start + 1)..end] : text;
        }

        try
        {
            JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }

        var validator = await NJsonSchema.JsonSchema.FromJsonAsync(schema.ToJsonString());
        return validator.Validate(text).Count == 0;
    }
}
