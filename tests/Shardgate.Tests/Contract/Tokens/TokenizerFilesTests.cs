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
        var tokenizer = TokenizerFiles.Load(TinyTokenizers.WriteTokenizerJson(_directory));

        Assert.Equal(expected, tokenizer.CountTokens(text));
    }

    [Fact]
    public void Without_merges_every_character_is_a_token_and_special_tokens_count_once()
    {
        var tokenizer = TokenizerFiles.Load(TinyTokenizers.WriteTokenizerJson(_directory, merge: false));

        Assert.Equal(11, tokenizer.CountTokens("hello world"));
        Assert.Equal(6, tokenizer.CountTokens("hello<|im_end|>"));
    }

    [Theory]
    [InlineData("hello world", 2)]
    [InlineData("hello hello", 3)]
    [InlineData("world", 3)]
    public void A_tiktoken_rank_file_counts_by_its_ranks(string text, int expected)
    {
        var tokenizer = TokenizerFiles.Load(TinyTokenizers.WriteTiktoken(_directory));

        Assert.Equal(expected, tokenizer.CountTokens(text));
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
        var tokenizer = TokenizerFiles.Default();

        Assert.Equal(2, tokenizer.CountTokens("hello world"));
        Assert.Equal(1000, tokenizer.CountTokens(string.Join(' ', Enumerable.Repeat("word", 1000))));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
