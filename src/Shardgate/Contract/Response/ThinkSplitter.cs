using System.Text;

namespace Shardgate.Contract.Response;

/// <summary>
/// Moves MiniMax's inline <c>&lt;think&gt;\n…\n&lt;/think&gt;\n\n</c> out of <c>content</c> into reasoning, for one
/// choice, chunk by chunk. Tags may be split across chunks, so text that could still be part of a tag (or the
/// newlines the template puts around it) is held back until a later chunk decides it.
/// </summary>
internal sealed class ThinkSplitter
{
    private const string Open = "<think>";
    private const string Close = "</think>";
    private readonly StringBuilder _held = new();
    private State _state = State.Undecided;
    private bool _thought;
    private bool _atThinkStart;

    private enum State
    {
        Undecided,
        Thinking,
        AfterThink,
        Answering,
    }

    /// <summary>Splits the next piece of content into reasoning and visible content.</summary>
    public (string Reasoning, string Content) Push(string text)
    {
        _held.Append(text);
        var reasoning = new StringBuilder();
        var content = new StringBuilder();
        while (true)
        {
            var held = _held.ToString();
            switch (_state)
            {
                case State.Undecided:
                    var trimmed = held.TrimStart();
                    if (trimmed.StartsWith(Open, StringComparison.Ordinal))
                    {
                        Hold(trimmed[Open.Length..]);
                        _state = State.Thinking;
                        _thought = true;
                        _atThinkStart = true;
                        continue;
                    }

                    if (Open.StartsWith(trimmed, StringComparison.Ordinal))
                    {
                        return (string.Empty, string.Empty);
                    }

                    _state = State.Answering;
                    continue;
                case State.Thinking:
                    if (_atThinkStart)
                    {
                        // The template's newline after "<think>" may arrive in a later chunk.
                        held = held.TrimStart('\n');
                        Hold(held);
                        if (held.Length == 0)
                        {
                            return (reasoning.ToString(), content.ToString());
                        }

                        _atThinkStart = false;
                    }

                    var close = held.IndexOf(Close, StringComparison.Ordinal);
                    if (close >= 0)
                    {
                        reasoning.Append(held.AsSpan(0, close).TrimEnd('\n'));
                        Hold(held[(close + Close.Length)..]);
                        _state = State.AfterThink;
                        continue;
                    }

                    var keep = PartialSuffix(held, Close);
                    while (keep < held.Length && held[held.Length - 1 - keep] == '\n')
                    {
                        keep++;
                    }

                    reasoning.Append(held.AsSpan(0, held.Length - keep));
                    Hold(held[^keep..]);
                    return (reasoning.ToString(), content.ToString());
                case State.AfterThink:
                    var answer = held.TrimStart();
                    Hold(answer);
                    if (answer.Length == 0)
                    {
                        return (reasoning.ToString(), content.ToString());
                    }

                    _state = State.Answering;
                    continue;
                default:
                    content.Append(held);
                    _held.Clear();
                    return (reasoning.ToString(), content.ToString());
            }
        }
    }

    /// <summary>At the end of the choice, whatever was held back is what it seemed to be.</summary>
    public (string Reasoning, string Content) Flush()
    {
        var held = _held.ToString();
        _held.Clear();
        return _state switch
        {
            State.Thinking => (held.TrimEnd('\n'), string.Empty),
            State.AfterThink => (string.Empty, string.Empty),
            _ => (string.Empty, held),
        };
    }

    /// <summary>Splits a whole message at once (non-streaming responses); reasoning is null when there was none.</summary>
    public static (string? Reasoning, string Content) SplitWhole(string text)
    {
        var splitter = new ThinkSplitter();
        var (reasoning, content) = splitter.Push(text);
        var (lastReasoning, lastContent) = splitter.Flush();
        return (splitter._thought ? reasoning + lastReasoning : null, content + lastContent);
    }

    private void Hold(string text) => _held.Clear().Append(text);

    private static int PartialSuffix(string text, string tag)
    {
        for (var length = Math.Min(tag.Length - 1, text.Length); length > 0; length--)
        {
            if (text.AsSpan(text.Length - length).SequenceEqual(tag.AsSpan(0, length)))
            {
                return length;
            }
        }

        return 0;
    }
}
