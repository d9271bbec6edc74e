using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Shardgate.Contract.Tokens;

/// <summary>
/// Counts a chat request's prompt with one tokenizer, over the JSON already parsed for the contract: every text a
/// chat template renders (contents, text parts, reasoning, tool-call names and arguments, the tools' schemas) plus a
/// few tokens per message for the template's own markers. Images count a fixed amount. A long message's count is kept
/// by its hash (<see cref="MessageCountCache"/>), so an agent resending its whole history counts only the new turn.
/// Text is cut into pre-tokens here, with the tokenizer's own pattern, and each short piece's count is remembered
/// (<see cref="PieceCountCache"/>): the tokenizer is asked only for pieces not seen before, which makes a count of new
/// text about twice as fast as the tokenizer's whole-text count, with the same result.
/// </summary>
internal sealed class PromptCounter(SplitTokenizer tokenizer, MessageCountCache cache, ulong seed)
{
    private readonly PieceCountCache _pieces = new();

    // OpenAI's cookbook figures for chat templates: three per message and three to prime the answer.
    private const int PerMessage = 3;
    private const int PerAnswer = 3;

    // What a vision encoder's tiles cost varies by model and size; a 1024-token guess keeps reservations honest.
    public const int PerImage = 1024;

    // Shorter messages cost less to count than to hash and look up.
    private const int CachedFromBytes = 512;

    // BPE merging is superlinear in a pre-token's length, and a run with no space (10 MiB of one letter) is one
    // pre-token: longer pieces are counted in slices of this many characters, at most a token per slice over.
    private const int MaxRun = 64;

    // Beyond about a million characters (past every host's window) the rest is extrapolated from the counted part:
    // it bounds the cost of a 10 MiB body, whose count only has to say "too long", at a few hundred milliseconds.
    internal const int MaxCountedChars = 1 << 20;

    public int Count(JsonElement messages, JsonElement? tools)
    {
        var budget = new CountBudget(MaxCountedChars);
        var total = PerAnswer;
        if (messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                total += PerMessage + CountMessage(message, ref budget);
            }
        }

        if (tools is { ValueKind: JsonValueKind.Array } schemas)
        {
            total += CountRaw(JsonMarshal.GetRawUtf8Value(schemas), ref budget);
        }

        return (int)Math.Min(int.MaxValue, total + budget.Extrapolated);
    }

    /// <summary>Counts text, slicing pre-tokens longer than <see cref="MaxRun"/> characters.</summary>
    public int CountText(ReadOnlySpan<char> text)
    {
        var budget = new CountBudget(long.MaxValue);
        return CountText(text, ref budget);
    }

    private int CountText(ReadOnlySpan<char> text, ref CountBudget budget)
    {
        text = budget.Take(text);
        var total = 0;
        foreach (var match in tokenizer.Split.EnumerateMatches(text))
        {
            var piece = text.Slice(match.Index, match.Length);
            if (piece.Length > PieceCountCache.MaxPieceLength)
            {
                for (var at = 0; at < piece.Length; at += MaxRun)
                {
                    total += tokenizer.Tokenizer.CountTokens(piece.Slice(at, Math.Min(MaxRun, piece.Length - at)), considerPreTokenization: false);
                }
            }
            else if (_pieces.TryGet(piece, out var known))
            {
                total += known;
            }
            else
            {
                var count = tokenizer.Tokenizer.CountTokens(piece, considerPreTokenization: false);
                _pieces.Add(piece, count);
                total += count;
            }
        }

        budget.Counted(total);
        return total;
    }

    private int CountMessage(JsonElement message, ref CountBudget budget)
    {
        var raw = JsonMarshal.GetRawUtf8Value(message);
        if (raw.Length < CachedFromBytes)
        {
            return CountValues(message, null, ref budget);
        }

        var key = XxHash3.HashToUInt64(raw, (long)seed);
        if (cache.TryGet(key, out var known))
        {
            return known;
        }

        // A message cut by the budget has a partial count: it is not kept.
        var skipped = budget.Skipped;
        var count = CountValues(message, null, ref budget);
        if (budget.Skipped == skipped)
        {
            cache.Add(key, count);
        }

        return count;
    }

    /// <summary>Every string a template would render, skipping ids, roles and types (markers the per-message figure covers).</summary>
    private int CountValues(JsonElement element, string? name, ref CountBudget budget)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when name is not ("role" or "type" or "id" or "tool_call_id"):
                return name is "url" ? 0 : CountString(element, ref budget);
            case JsonValueKind.Object:
                var total = 0;
                foreach (var property in element.EnumerateObject())
                {
                    total += property.Name is "image_url" or "input_image" ? PerImage : CountValues(property.Value, property.Name, ref budget);
                }

                return total;
            case JsonValueKind.Array:
                var sum = 0;
                foreach (var item in element.EnumerateArray())
                {
                    sum += CountValues(item, name, ref budget);
                }

                return sum;
            default:
                return 0;
        }
    }

    /// <summary>A JSON string's text, unescaped into a pooled buffer.</summary>
    private int CountString(JsonElement value, ref CountBudget budget)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var reader = new Utf8JsonReader(raw);
        reader.Read();
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(16, raw.Length));
        try
        {
            var length = reader.CopyString(buffer);
            return length == 0 ? 0 : CountText(buffer.AsSpan(0, length), ref budget);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Raw JSON (a tool schema) as the characters a template prints.</summary>
    private int CountRaw(ReadOnlySpan<byte> utf8, ref CountBudget budget)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(16, utf8.Length));
        try
        {
            var length = System.Text.Encoding.UTF8.GetChars(utf8, buffer);
            return CountText(buffer.AsSpan(0, length), ref budget);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
