namespace Shardgate.Contract.Messages;

/// <summary>What the contract changes in one message; everything else is copied as sent.</summary>
internal sealed class MessageEdit
{
    /// <summary>Replace (or add) <c>content</c>; <see cref="Content"/> null writes JSON null.</summary>
    public bool ReplaceContent { get; set; }

    public string? Content { get; set; }

    /// <summary>Keys dropped from the message (<c>name</c> on tool messages, null <c>tool_calls</c>, …).</summary>
    public List<string>? Remove { get; set; }

    /// <summary>New ids for <c>tool_calls[j].id</c>, by index.</summary>
    public Dictionary<int, string>? ToolCallIds { get; set; }

    public string? ToolCallId { get; set; }

    public void RemoveKey(string key) => (Remove ??= []).Add(key);
}
