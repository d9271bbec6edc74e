namespace Shardgate.Simulator.Requests;

/// <summary>
/// Test controls written into the last user message as <c>[[sim:tokens=N]]</c>, <c>[[sim:reasoning=N]]</c>,
/// <c>[[sim:fault=…]]</c> or <c>[[sim:args={…}]]</c> (a tool call's arguments: a real model reads a path or a command
/// out of the prompt, which filler cannot), and <c>[[sim:ignore-instructions]]</c> (a model that disobeys its system prompt). They travel through any gateway untouched, which makes per-request faults possible
/// end to end without a custom header.
/// </summary>
internal readonly record struct SimDirectives(int? ContentTokens, int? ReasoningTokens, string? Fault, string? ToolArguments = null, bool IgnoreInstructions = false)
{
    private const string Open = "[[sim:";

    public static SimDirectives Parse(string text)
    {
        int? tokens = null, reasoning = null;
        string? fault = null, arguments = null;
        var ignoreInstructions = false;
        var at = 0;
        while ((at = text.IndexOf(Open, at, StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOf("]]", at, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            var body = text[(at + Open.Length)..end];
            ignoreInstructions |= body.Trim() == "ignore-instructions";
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                var key = body[..eq].Trim();
                var value = body[(eq + 1)..].Trim();
                switch (key)
                {
                    case "tokens" when int.TryParse(value, out var n) && n >= 0: tokens = n; break;
                    case "reasoning" when int.TryParse(value, out var r) && r >= 0: reasoning = r; break;
                    case "fault": fault = value; break;
                    case "args" when IsJsonObject(value): arguments = value; break;
                }
            }

            at = end + 2;
        }

        return new SimDirectives(tokens, reasoning, fault, arguments, ignoreInstructions);
    }

    private static bool IsJsonObject(string value)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(value);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
