using Shardgate.Hosting;

namespace Shardgate.Tests.Hosting;

public sealed class CliArgumentsTests
{
    private static readonly HashSet<string> Allowed = ["port", "family"];

    [Fact]
    public void Reads_both_spellings_of_an_option()
    {
        var cli = CliArguments.Parse(["--port", "81", "--family=kimi"], Allowed);
        Assert.Equal(81, cli.GetInt("port", 0));
        Assert.Equal("kimi", cli.GetString("family"));
    }

    [Theory]
    [InlineData(new[] { "--prot", "1" }, "unknown option '--prot'")]
    [InlineData(new[] { "--port" }, "needs a value")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray'")]
    public void Refuses_what_it_does_not_understand(string[] args, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => CliArguments.Parse(args, Allowed));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Range_checks_numbers()
    {
        var cli = CliArguments.Parse(["--port", "70000"], Allowed);
        Assert.Throws<ArgumentException>(() => cli.GetInt("port", 0, 0, 65535));
    }
}
