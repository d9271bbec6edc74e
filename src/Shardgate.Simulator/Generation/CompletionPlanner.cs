using System.Globalization;
using System.Text.Json;
using Shardgate.Simulator.Requests;

namespace Shardgate.Simulator.Generation;

/// <summary>
/// Decides, deterministically from the request, what a host of the given family generates: reasoning, text or a
/// tool call, cut to the output budget the way vLLM cuts it (reasoning counts against <c>max_tokens</c>).
/// </summary>
internal static class CompletionPlanner
{
    /// <summary>The instruction to use a tool the simulated model obeys (the one a gateway emulating <c>tool_choice: "required"</c> sends).</summary>
    public const string ToolInstruction = "respond by calling one of the provided tools";

    private const int JsonPieceChars = 8;

    // What json_object mode answers: vLLM guarantees only "some JSON object"; one string field keeps it readable.
    private static readonly JsonDocument AnswerObject = JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}""");

    public static IReadOnlyList<ChoicePlan> Plan(SimChatRequest request, ModelFamily family, int maxModelLen)
    {
        if (request.EnforcedTokens is { } enforced)
        {
            return [new ChoicePlan(0, [.. enforced.Select(t => new PlannedDelta(DeltaKind.Content, t))], "stop")];
        }

        var budget = request.MaxTokens ?? Math.Max(0, maxModelLen - request.PromptTokens);
        var baseSeed = request.PrefixHashes.Count > 0 ? request.PrefixHashes[^1].Hash : Fnv1a.Offset;
        if (request.Seed is { } seed)
        {
            baseSeed = Fnv1a.Append(baseSeed, seed);
        }

        var choices = new ChoicePlan[Math.Clamp(request.N, 1, 16)];
        for (var i = 0; i < choices.Length; i++)
        {
            var rng = new Xorshift(Fnv1a.Append(baseSeed, i));
            choices[i] = PlanChoice(i, request, family, budget, ref rng);
        }

        return choices;
    }

    private static ChoicePlan PlanChoice(int index, SimChatRequest request, ModelFamily family, int budget, ref Xorshift rng)
    {
        var deltas = new List<PlannedDelta>();
        var reasoning = ReasoningLength(request, family, ref rng);
        if (reasoning > 0 && family == ModelFamily.Kimi)
        {
            WordSource.Append(deltas, DeltaKind.Reasoning, ref rng, reasoning);
        }
        else if (reasoning > 0 && family == ModelFamily.MiniMax)
        {
            deltas.Add(new PlannedDelta(DeltaKind.Content, "<think>\n"));
            WordSource.Append(deltas, DeltaKind.Content, ref rng, reasoning);
            deltas.Add(new PlannedDelta(DeltaKind.Content, "\n</think>\n\n"));
        }

        var tool = ChooseTool(request);
        if (tool is not null)
        {
            AppendToolCall(deltas, tool, request.Directives.ToolArguments, family, ref rng);
        }
        else if (request.JsonOutput)
        {
            AppendPieces(deltas, DeltaKind.Content, SchemaArguments.Generate(request.OutputSchema ?? AnswerObject.RootElement));
        }
        else
        {
            var words = request.Directives.ContentTokens ?? 8 + rng.Next(33);
            if (request.Messages.Count > 0 && request.Messages[^1].Role == "tool" && words > 0)
            {
                deltas.Add(new PlannedDelta(DeltaKind.Content, "Using the tool result,"));
                words--;
                WordSource.Append(deltas, DeltaKind.Content, ref rng, words, leadingSpace: true);
            }
            else
            {
                WordSource.Append(deltas, DeltaKind.Content, ref rng, words, leadingSpace: deltas.Count > 0 && family != ModelFamily.MiniMax);
            }
        }

        if (deltas.Count > budget)
        {
            deltas.RemoveRange(budget, deltas.Count - budget);
            return new ChoicePlan(index, deltas, "length");
        }

        return new ChoicePlan(index, deltas, tool is null ? "stop" : "tool_calls");
    }

    private static int ReasoningLength(SimChatRequest request, ModelFamily family, ref Xorshift rng)
    {
        if (family is not (ModelFamily.Kimi or ModelFamily.MiniMax) || request.Thinking == false)
        {
            return 0;
        }

        var length = request.Directives.ReasoningTokens ?? 16 + rng.Next(48);
        if (family == ModelFamily.Kimi && request.ThinkingTokenBudget is { } cap)
        {
            length = Math.Min(length, Math.Max(0, cap));
        }

        return length;
    }

    private static SimTool? ChooseTool(SimChatRequest request)
    {
        if (request.Tools.Count == 0 || request.ToolChoice == "none" || request.Messages.Count == 0 || request.Messages[^1].Role != "user")
        {
            return null;
        }

        if (request.ToolChoice == "required")
        {
            return request.Tools[0];
        }

        var text = request.Messages[^1].Text;
        foreach (var tool in request.Tools)
        {
            if (tool.Name == request.ToolChoice || text.Contains(tool.Name, StringComparison.OrdinalIgnoreCase))
            {
                return tool;
            }
        }

        return request.Directives.IgnoreInstructions ? null : Instructed(request);
    }

    /// <summary>
    /// Instruction following, in the one phrasing the simulator understands: a system message that says
    /// <see cref="ToolInstruction"/> gets a call of the first tool it names after that (else the first tool).
    /// </summary>
    private static SimTool? Instructed(SimChatRequest request)
    {
        foreach (var message in request.Messages)
        {
            var at = message.Role == "system" ? message.Text.IndexOf(ToolInstruction, StringComparison.OrdinalIgnoreCase) : -1;
            if (at < 0)
            {
                continue;
            }

            var rest = message.Text.AsSpan(at + ToolInstruction.Length);
            SimTool? first = null;
            var firstAt = int.MaxValue;
            foreach (var tool in request.Tools)
            {
                var named = rest.IndexOf(tool.Name, StringComparison.Ordinal);
                if (named >= 0 && named < firstAt)
                {
                    (first, firstAt) = (tool, named);
                }
            }

            return first ?? request.Tools[0];
        }

        return null;
    }

    private static void AppendToolCall(List<PlannedDelta> deltas, SimTool tool, string? arguments, ModelFamily family, ref Xorshift rng)
    {
        // Kimi numbers calls per response from zero, so n>1 repeats ids: the parser bug the gateway must mend.
        var id = family == ModelFamily.Kimi
            ? "functions." + tool.Name + ":0"
            : "chatcmpl-tool-" + rng.Next().ToString("x16", CultureInfo.InvariantCulture) + rng.Next().ToString("x16", CultureInfo.InvariantCulture);
        deltas.Add(new PlannedDelta(DeltaKind.ToolCallStart, tool.Name, 0, id));
        AppendPieces(deltas, DeltaKind.ToolCallArguments, arguments ?? SchemaArguments.Generate(tool.Parameters));
    }

    /// <summary>Generated JSON, a token per few characters, as a host streams it.</summary>
    private static void AppendPieces(List<PlannedDelta> deltas, DeltaKind kind, string json)
    {
        for (var at = 0; at < json.Length; at += JsonPieceChars)
        {
            deltas.Add(new PlannedDelta(kind, json.Substring(at, Math.Min(JsonPieceChars, json.Length - at))));
        }
    }
}
