using System.Text;
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
    /// <summary>Rewrites <paramref name="plan"/> in place; returns how many messages were moved.</summary>
    public static int Apply(List<PlannedMessage> plan)
    {
        var first = -1;
        var moved = 0;
        for (var i = 0; i < plan.Count; i++)
        {
            if (!IsSystem(plan[i].Original))
            {
                continue;
            }

            if (!HasText(plan[i]))
            {
                // A vision model's system message with image parts keeps its place rather than lose the parts.
                return 0;
            }

            if (first < 0)
            {
                first = i;
            }
            else
            {
                moved++;
            }
        }

        if (first < 0 || (first == 0 && moved == 0))
        {
            return 0;
        }

        var text = new StringBuilder();
        var carrier = plan[first];
        for (var i = first; i < plan.Count; i++)
        {
            if (IsSystem(plan[i].Original))
            {
                if (text.Length > 0)
                {
                    text.Append("\n\n");
                }

                text.Append(TextOf(plan[i]));
            }
        }

        plan.RemoveAll(m => IsSystem(m.Original));
        var edit = carrier.Edit ?? new MessageEdit();
        edit.ReplaceContent = true;
        edit.Content = text.ToString();
        plan.Insert(0, carrier with { Edit = edit });
        return first == 0 ? moved : moved + 1;
    }

    public static bool IsSystem(JsonElement message) =>
        message.TryGetProperty("role"u8, out var role) && (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8));

    private static bool HasText(PlannedMessage message) => TextOf(message) is not null;

    /// <summary>A checked message's text (its parts were flattened into the edit); null for image parts.</summary>
    public static string? TextOf(PlannedMessage message) =>
        message.Edit is { ReplaceContent: true } edit ? edit.Content ?? string.Empty
        : message.Original.TryGetProperty("content"u8, out var content) && content.ValueKind == System.Text.Json.JsonValueKind.String ? content.GetString()
        : null;
}
