using Shardgate.Contract.Tokens;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Contract.Tokens;

public sealed class TokenizerFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sg-tokenizers-").FullName;

    [Theory]
    [InlineData("hello world", 2)]
    [InlineData("hello", 1)]
    [InlineData("world hello", 5)]
    [InlineData("hello world world", 3)]
    public void A_byte_level_bpe_tokenizer_json_counts_exactly_as_its_merges_say(string text, int expected)
    {
        var loaded = TokenizerFiles.Load(TinyTokenizers.WriteTokenizerJson(_directory));

        Assert.Equal(expected, loaded.Tokenizer.CountTokens(text));
        Assert.Equal(expected, Counter(loaded).CountText(text));
    }

    [Fact]
    public void Without_merges_every_character_is_a_token_and_special_tokens_count_once()
    {
        var tokenizer = TokenizerFiles.Load(TinyTokenizers.WriteTokenizerJson(_directory, merge: false)).Tokenizer;

        Assert.Equal(11, tokenizer.CountTokens("hello world"));
        Assert.Equal(6, tokenizer.CountTokens("hello<|im_end|>"));
    }

    [Theory]
    [InlineData("hello world", 2)]
    [InlineData("hello hello", 3)]
    [InlineData("world", 3)]
    public void A_tiktoken_rank_file_counts_by_its_ranks(string text, int expected)
    {
        var loaded = TokenizerFiles.Load(TinyTokenizers.WriteTiktoken(_directory));

        Assert.Equal(expected, loaded.Tokenizer.CountTokens(text));
        Assert.Equal(expected, Counter(loaded).CountText(text));
    }

    [Fact]
    public void A_tokenizer_json_that_is_not_bpe_is_refused_naming_the_file()
    {
        var path = Path.Combine(_directory, "wordpiece.json");
        File.WriteAllText(path, """{"model":{"type":"WordPiece","vocab":{}}}""");

        var error = Assert.Throws<InvalidDataException>(() => TokenizerFiles.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_counts_one_token_per_common_english_word()
    {
        var tokenizer = TokenizerFiles.Default().Tokenizer;

        Assert.Equal(2, tokenizer.CountTokens("hello world"));
        Assert.Equal(1000, tokenizer.CountTokens(string.Join(' ', Enumerable.Repeat("word", 1000))));
    }

    [Fact]
    public void Counting_piece_by_piece_agrees_with_the_tokenizers_own_count()
    {
        var o200k = TokenizerFiles.Default();
        var counter = Counter(o200k);
        string[] texts =
        [
            "Hello, world! 你好世界 — naïve café 12345678 0.5e-3",
            "def f(x):\n    return x**2  # squares\n\n\tindented\r\nline",
            "I'm sure they'll've said: \"DON'T\" <tag attr='v'>…</tag> https://example.com/a/b?c=d",
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "shardgate.example.yaml")),
        ];

        foreach (var text in texts)
        {
            // Twice: the second count reads every piece from the cache.
            Assert.Equal(o200k.Tokenizer.CountTokens(text), counter.CountText(text));
            Assert.Equal(o200k.Tokenizer.CountTokens(text), counter.CountText(text));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static PromptCounter Counter(SplitTokenizer tokenizer) => new(tokenizer, new MessageCountCache(new TokenCountOptions()), 0);
}
