using Shardgate.Catalog;

namespace Shardgate.Tests.Catalog;

public sealed class AliasPatternsTests
{
    private static readonly AliasPatterns<string> Patterns = new(new Dictionary<string, string>
    {
        ["claude-*"] = "any-claude",
        ["claude-opus-*"] = "opus",
        ["exact"] = "not a pattern",
        ["*"] = "a lone star is not a pattern",
    });

    [Theory]
    [InlineData("claude-opus-4-8", "opus")]
    [InlineData("CLAUDE-OPUS-5", "opus")]
    [InlineData("claude-sonnet-4-6", "any-claude")]
    [InlineData("claude-", "any-claude")]
    [InlineData("claude", null)]
    [InlineData("exact", null)]
    [InlineData("gpt-5", null)]
    public void The_longest_matching_prefix_wins(string name, string? expected)
    {
        var matched = Patterns.TryMatch(name, out var target);

        Assert.Equal(expected is not null, matched);
        Assert.Equal(expected, matched ? target : null);
    }
}
