using System.Text.Json;
using Shardgate.Contract.Tokens;

namespace Shardgate.Tests.Contract.Tokens;

public sealed class PromptCounterTests
{
    private static readonly SplitTokenizer O200k = TokenizerFiles.Default();

    // messages JSON, tools JSON (or null) → tokens: 3 for the answer, 3 per message, and the rendered text.
    public static TheoryData<string, string?, int> Rows => new()
    {
        { """[{"role":"user","content":"hello world"}]""", null, 3 + 3 + 2 },
        { """[{"role":"system","content":"hello"},{"role":"user","content":"world"}]""", null, 3 + 3 + 1 + 3 + 1 },
        // Text parts count; an image counts its fixed guess, its URL nothing.
        { """[{"role":"user","content":[{"type":"text","text":"hello world"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]""", null, 3 + 3 + 2 + PromptCounter.PerImage },
        // A tool call's name and arguments count; ids and types do not.
        { """[{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny"}]""", null, 3 + 3 + O200k.Tokenizer.CountTokens("weather") + O200k.Tokenizer.CountTokens("{}") + 3 + O200k.Tokenizer.CountTokens("sunny") },
        // Escapes are counted as the text they stand for.
        { """[{"role":"user","content":"hello\nworld"}]""", null, 3 + 3 + 3 },
        { """[{"role":"user","content":"hi"}]""", """[{"type":"function","function":{"name":"f"}}]""", 3 + 3 + 1 + O200k.Tokenizer.CountTokens("""[{"type":"function","function":{"name":"f"}}]""") },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_prompt_counts_what_a_chat_template_renders(string messages, string? tools, int expected)
    {
        using var m = JsonDocument.Parse(messages);
        using var t = tools is null ? null : JsonDocument.Parse(tools);

        Assert.Equal(expected, Counter().Count(m.RootElement, t?.RootElement));
    }

    [Fact]
    public void A_long_message_is_counted_once_and_then_read_from_the_cache()
    {
        var cache = new MessageCountCache(new TokenCountOptions());
        var counter = new PromptCounter(O200k, cache, seed: 7);
        var text = string.Join(' ', Enumerable.Repeat("word", 300));
        using var first = JsonDocument.Parse($$"""[{"role":"user","content":"{{text}}"}]""");
        using var second = JsonDocument.Parse($$"""[{"role":"user","content":"{{text}}"},{"role":"assistant","content":"ok"}]""");

        var once = counter.Count(first.RootElement, null);
        var message = first.RootElement[0];
        Assert.True(cache.TryGet(System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(message), 7), out var cached));
        Assert.Equal(300, cached);
        Assert.Equal(once + 3 + 1, counter.Count(second.RootElement, null));
    }

    [Fact]
    public void A_run_without_spaces_is_counted_in_slices_so_its_cost_stays_linear()
    {
        // BPE merging one 6,400-letter pre-token is superlinear; a hundred 64-letter slices are not.
        var slice = O200k.Tokenizer.CountTokens(new string('x', 64));

        Assert.Equal(100 * slice, Counter().CountText(new string('x', 6_400)));
        Assert.Equal(O200k.Tokenizer.CountTokens("hello world"), Counter().CountText("hello world"));
    }

    [Fact]
    public void Past_a_million_characters_the_rest_is_extrapolated_from_what_was_counted()
    {
        var words = (PromptCounter.MaxCountedChars / 5) * 3;
        using var messages = JsonDocument.Parse($$"""[{"role":"user","content":"{{string.Join(' ', Enumerable.Repeat("word", words))}}"}]""");

        var count = Counter().Count(messages.RootElement, null);

        Assert.InRange(count, words * 0.995, words * 1.005);
        Assert.Equal(2, Counter().CountText("hello world"));
    }

    [Fact]
    public void The_cache_never_holds_more_than_its_bound()
    {
        var cache = new MessageCountCache(new TokenCountOptions { CachedMessages = 2 });
        cache.Add(1, 10);
        cache.Add(2, 20);
        cache.Add(3, 30);

        Assert.False(cache.TryGet(1, out _));
        Assert.True(cache.TryGet(3, out var three));
        Assert.Equal(30, three);
    }

    private static PromptCounter Counter() => new(O200k, new MessageCountCache(new TokenCountOptions()), seed: 0);
}
