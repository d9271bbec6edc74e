using System.Text.Json;

namespace Shardgate.Contract.Messages;

/// <summary>
/// Every system (or developer) message joins the leading one, in order, separated by a blank line. The families'
/// chat templates disagree on a system message anywhere else: MiniMax-M2's template renders only
/// <c>messages[0]</c> as system and drops later ones; Qwen3's and Kimi-K2's render them in place, where a
/// system turn after the last user turn stands between the question and the answer (Claude Code 2.1 ends every
/// request with one, and the model then answers in text instead of calling a tool). The leading slot is the one
/// all three render as the system prompt, and it is what Anthropic's own API and LiteLLM's translation do with
/// system text: one system prompt.
/// </summary>
internal static class SystemMessageHoist
{
    /// <summary>Rewrites <paramref name="plan"/> in place; false when it had nothing to merge.</summary>
    public static bool Apply(List<PlannedMessage> plan)
    {
        var needed = false;
        for (var i = 0; i < plan.Count; i++)
        {
            if (IsSystem(plan[i].Original))
            {
                if (TextOf(plan[i]) is null)
                {
                    // A vision model's system message with image parts keeps its place rather than lose the parts.
                    return false;
                }

                needed |= i > 0;
            }
        }

        if (!needed)
        {
            return false;
        }

        var system = plan.Where(m => IsSystem(m.Original)).ToList();
        plan.RemoveAll(m => IsSystem(m.Original));
        plan.Insert(0, system[0].WithContent(string.Join("\n\n", system.Select(TextOf))));
        return true;
    }

    public static bool IsSystem(JsonElement message) =>
        message.TryGetProperty("role"u8, out var role) && (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8));

    /// <summary>A checked message's text (its parts were flattened into the edit); null for image parts.</summary>
    public static string? TextOf(PlannedMessage message) =>
        message.Edit is { ReplaceContent: true } edit ? edit.Content ?? string.Empty
        : message.Original.TryGetProperty("content"u8, out var content) && content.ValueKind == JsonValueKind.String ? content.GetString()
        : null;
}
