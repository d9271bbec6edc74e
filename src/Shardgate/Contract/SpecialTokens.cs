using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Shardgate.Contract;

/// <summary>
/// Finds tokenizer special-token literals (<c>&lt;|im_start|&gt;</c>, <c>[EOS]</c>, …) in text. A literal in a prompt
/// can be tokenized as the control token itself and hijack the chat template (CVE-2026-44222 on the network's list).
/// </summary>
internal static class SpecialTokens
{
    private static readonly byte[][] Sentinels = [.. new[] { "BOS", "EOS", "EOT", "PAD", "UNK", "SEP", "CLS", "MASK" }.Select(Encoding.ASCII.GetBytes)];

    /// <summary>The first literal in a JSON string value, or null. Scans the raw bytes unless the value has escapes.</summary>
    public static string? Find(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return Find(raw);
        }

        var text = value.GetString()!;
        var buffer = Encoding.UTF8.GetBytes(text);
        return Find(buffer);
    }

    public static string? Find(string text) => Find(Encoding.UTF8.GetBytes(text));

    /// <summary>The first literal in any string value or property name of a tree (tool definitions).</summary>
    public static string? FindInTree(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return Find(value);
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (FindInTree(item) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    var name = JsonMarshal.GetRawUtf8PropertyName(property);
                    var literal = name.IndexOf((byte)'\\') < 0 ? Find(name) : Find(property.Name);
                    if ((literal ?? FindInTree(property.Value)) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    public static string? Find(ReadOnlySpan<byte> text)
    {
        var offset = 0;
        while (true)
        {
            var at = text[offset..].IndexOfAny((byte)'<', (byte)'[');
            if (at < 0)
            {
                return null;
            }

            at += offset;
            var length = text[at] == (byte)'<' ? AngleLiteral(text[at..]) : BracketLiteral(text[at..]);
            if (length > 0)
            {
                return Encoding.UTF8.GetString(text.Slice(at, length));
            }

            offset = at + 1;
        }
    }

    // <|name|> with name = [A-Za-z_][A-Za-z0-9_]*
    private static int AngleLiteral(ReadOnlySpan<byte> s)
    {
        if (s.Length < 5 || s[1] != (byte)'|' || !(char.IsAsciiLetter((char)s[2]) || s[2] == (byte)'_'))
        {
            return 0;
        }

        var i = 3;
        while (i < s.Length && (char.IsAsciiLetterOrDigit((char)s[i]) || s[i] == (byte)'_'))
        {
            i++;
        }

        return i + 1 < s.Length && s[i] == (byte)'|' && s[i + 1] == (byte)'>' ? i + 2 : 0;
    }

    // [BOS], [EOS], … exactly, upper case: citation markers like [1] and prose like [eos] pass.
    private static int BracketLiteral(ReadOnlySpan<byte> s)
    {
        foreach (var sentinel in Sentinels)
        {
            var length = sentinel.Length + 2;
            if (s.Length >= length && s[length - 1] == (byte)']' && s.Slice(1, sentinel.Length).SequenceEqual(sentinel))
            {
                return length;
            }
        }

        return 0;
    }
}
