using Shardgate.Contract.Response;

namespace Shardgate.Tests.Contract.Response;

public sealed class ThinkSplitterTests
{
    private const string MiniMaxOutput = "<think>\nThe user asks about the sky.\n</think>\n\nYes, it is blue.";

    [Fact]
    public void Splits_a_whole_message()
    {
        Assert.Equal(("The user asks about the sky.", "Yes, it is blue."), ThinkSplitter.SplitWhole(MiniMaxOutput));
        Assert.Equal(((string?)null, "No thinking here."), ThinkSplitter.SplitWhole("No thinking here."));
        Assert.Equal(("cut off mid-thought", string.Empty), ThinkSplitter.SplitWhole("<think>\ncut off mid-thought"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Gives_the_same_split_whatever_the_chunking(int chunkSize)
    {
        var splitter = new ThinkSplitter();
        var reasoning = string.Empty;
        var content = string.Empty;
        for (var at = 0; at < MiniMaxOutput.Length; at += chunkSize)
        {
            var (r, c) = splitter.Push(MiniMaxOutput.Substring(at, Math.Min(chunkSize, MiniMaxOutput.Length - at)));
            reasoning += r;
            content += c;
        }

        var (lastReasoning, lastContent) = splitter.Flush();
        Assert.Equal("The user asks about the sky.", reasoning + lastReasoning);
        Assert.Equal("Yes, it is blue.", content + lastContent);
    }

    [Fact]
    public void Text_that_only_looks_like_a_tag_start_is_released_as_content()
    {
        var splitter = new ThinkSplitter();
        Assert.Equal((string.Empty, string.Empty), splitter.Push("<th"));
        Assert.Equal((string.Empty, "<thumbs up>"), splitter.Push("umbs up>"));
    }
}
