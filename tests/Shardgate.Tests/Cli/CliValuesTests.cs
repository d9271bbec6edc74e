using Shardgate.Cli;

namespace Shardgate.Tests.Cli;

public sealed class CliValuesTests
{
    [Theory]
    [InlineData("5000", 5000L)]
    [InlineData("10gnk", 10_000_000_000L)]
    [InlineData("3 GNK", 3_000_000_000L)]
    [InlineData("42ngonka", 42L)]
    public void Amounts_are_whole_ngonka_or_gnk(string text, long expected) => Assert.Equal(expected, Ngonka.Parse(text, "--amount"));

    [Theory]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("ten")]
    [InlineData("99999999999gnk")]
    public void Other_amounts_are_usage_errors_naming_the_option(string text) =>
        Assert.Contains("--amount", Assert.Throws<CliUsageException>(() => Ngonka.Parse(text, "--amount")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("24h", 86_400)]
    [InlineData("7d", 604_800)]
    public void Look_backs_take_a_unit(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), Since.Parse(text));

    [Theory]
    [InlineData("24")]
    [InlineData("h")]
    [InlineData("0h")]
    [InlineData("yesterday")]
    public void Other_look_backs_are_usage_errors(string text) => Assert.Throws<CliUsageException>(() => Since.Parse(text));
}
