using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Shardgate.Contract.Tokens;

/// <summary>
/// Loads a model's own tokenizer from the file its publisher ships: a Hugging Face <c>tokenizer.json</c> with a
/// byte-level BPE model (Qwen, MiniMax, DeepSeek, …), or a tiktoken rank file (<c>*.tiktoken</c>, Kimi's
/// <c>tiktoken.model</c>). The default, for a model without one, is OpenAI's o200k_base, shipped in its package.
/// </summary>
internal static class TokenizerFiles
{
    // o200k_base's split pattern, for tiktoken files that come without their own (they carry only ranks).
    private const string TiktokenPattern = """[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+""";

    // The pattern compiled here splits the same pieces as the package's source-generated o200k regex (checked on
    // this repository's docs and code) in about two thirds of the time.
    public static SplitTokenizer Default() => new(TiktokenTokenizer.CreateForModel("gpt-4o"), Compiled(TiktokenPattern));

    /// <summary>The tokenizer in <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming what is wrong with the file.</summary>
    public static SplitTokenizer Load(string path)
    {
        using var stream = File.OpenRead(path);
        var first = stream.ReadByte();
        stream.Position = 0;
        if (first != '{')
        {
            var split = Compiled(TiktokenPattern);
            return new(TiktokenTokenizer.Create(stream, new RegexPreTokenizer(split, null), normalizer: null), split);
        }

        return FromTokenizerJson(stream, path);
    }

    private static SplitTokenizer FromTokenizerJson(Stream stream, string path)
    {
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        var root = document.RootElement;
        if (!root.TryGetProperty("model"u8, out var model) || !model.TryGetProperty("type"u8, out var type) || !type.ValueEquals("BPE"u8)
            || !model.TryGetProperty("vocab"u8, out var vocab) || vocab.ValueKind != JsonValueKind.Object
            || !model.TryGetProperty("merges"u8, out var merges) || merges.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: not a BPE tokenizer.json (model.type BPE with model.vocab and model.merges is needed).");
        }

        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens"u8, out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                if (token.TryGetProperty("content"u8, out var content) && token.TryGetProperty("id"u8, out var id) && content.GetString() is { } text)
                {
                    specials[text] = id.GetInt32();
                }
            }
        }

        var split = Compiled(SplitPattern(root) ?? TiktokenPattern);
        var options = new BpeOptions(vocab.EnumerateObject().Select(p => new KeyValuePair<string, int>(p.Name, p.Value.GetInt32())).ToList())
        {
            // Older files list a merge as "a b", newer ones as ["a", "b"].
            Merges = merges.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Array ? m[0].GetString() + " " + m[1].GetString() : m.GetString()!).ToList(),
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(split, specials),
            SpecialTokens = specials.Count > 0 ? specials : null,
        };
        return new(BpeTokenizer.Create(options), split);
    }

    /// <summary>The first <c>Split</c> regex of the pre-tokenizer (alone or in a <c>Sequence</c>).</summary>
    private static string? SplitPattern(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer"u8, out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        IEnumerable<JsonElement> steps = pre.TryGetProperty("pretokenizers"u8, out var sequence) && sequence.ValueKind == JsonValueKind.Array ? sequence.EnumerateArray() : [pre];
        foreach (var step in steps)
        {
            if (step.TryGetProperty("type"u8, out var kind) && kind.ValueEquals("Split"u8)
                && step.TryGetProperty("pattern"u8, out var pattern) && pattern.TryGetProperty("Regex"u8, out var regex))
            {
                return regex.GetString();
            }
        }

        return null;
    }

    private static Regex Compiled(string pattern) => new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
}
