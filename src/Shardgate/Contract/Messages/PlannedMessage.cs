using System.Text.Json;

namespace Shardgate.Contract.Messages;

/// <summary>A message that goes upstream: the original element, and the edit applied while writing it, if any.</summary>
internal readonly record struct PlannedMessage(JsonElement Original, MessageEdit? Edit)
{
    /// <summary>This message with its content replaced by <paramref name="content"/>.</summary>
    public PlannedMessage WithContent(string content)
    {
        var edit = Edit ?? new MessageEdit();
        edit.ReplaceContent = true;
        edit.Content = content;
        return this with { Edit = edit };
    }
}
