using System.Text;
using System.Text.Json.Nodes;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// Small tokenizer files written by the tests, in the two formats publishers ship: a byte-level BPE
/// <c>tokenizer.json</c> and a tiktoken rank file. In both, "hello world" is two tokens.
/// </summary>
internal static class TinyTokenizers
{
    /// <summary>
    /// A byte-level BPE whose merges build "hello" and "Ġworld" ("Ġ" is a space in byte-level form). With
    /// <paramref name="merge"/> false it has no merges: every character is its own token.
    /// </summary>
    public static string WriteTokenizerJson(string directory, bool merge = true)
    {
        string[] merges = merge ? ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld"] : [];
        var vocab = new JsonObject();
        foreach (var token in new[] { "h", "e", "l", "o", "Ġ", "w", "r", "d" }.Concat(merges.Select(m => m.Replace(" ", string.Empty, StringComparison.Ordinal))))
        {
            vocab[token] = vocab.Count;
        }

        var document = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(new JsonObject { ["id"] = vocab.Count, ["content"] = "<|im_end|>", ["special"] = true }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = @" ?\p{L}+|\s+" }, ["behavior"] = "Isolated" },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = false }),
            },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray([.. merges.Select(m => (JsonNode)new JsonArray(m.Split(' ')[0], m.Split(' ')[1]))]) },
        };
        var path = Path.Combine(directory, "tokenizer.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    /// <summary>A tiktoken file: each line a token's bytes in base64 and its rank; lower ranks merge first.</summary>
    public static string WriteTiktoken(string directory)
    {
        string[] tokens = ["h", "e", "l", "o", " ", "w", "r", "d", "he", "ll", "hell", "hello", " w", "or", "ld", " wor", " world"];
        var path = Path.Combine(directory, "tiny.tiktoken");
        File.WriteAllLines(path, tokens.Select((t, rank) => $"{Convert.ToBase64String(Encoding.UTF8.GetBytes(t))} {rank}"));
        return path;
    }
}
