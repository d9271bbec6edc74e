using Shardgate.Simulator.Requests;

namespace Shardgate.Simulator.Tests.Requests;

public sealed class SimDirectivesTests
{
    [Theory]
    [InlineData("plain text", null, null, null)]
    [InlineData("say [[sim:tokens=12]] please", 12, null, null)]
    [InlineData("[[sim:reasoning=5]][[sim:tokens=0]]", 0, 5, null)]
    [InlineData("x [[sim:fault=drop-after=3]] y", null, null, "drop-after=3")]
    [InlineData("[[sim:tokens=-4]] [[sim:unclosed", null, null, null)]
    public void Reads_directives_from_the_prompt(string text, int? tokens, int? reasoning, string? fault) =>
        Assert.Equal(new SimDirectives(tokens, reasoning, fault), SimDirectives.Parse(text));

    [Theory]
    [InlineData("""read it [[sim:args={"file_path": "/tmp/a.txt"}]]""", """{"file_path": "/tmp/a.txt"}""")]
    [InlineData("[[sim:args=not json]]", null)]
    [InlineData("[[sim:args=[1, 2]]]", null)]
    public void Reads_tool_arguments_only_as_a_json_object(string text, string? arguments) =>
        Assert.Equal(arguments, SimDirectives.Parse(text).ToolArguments);

    [Fact]
    public void Reads_ignore_instructions() => Assert.True(SimDirectives.Parse("x [[sim:ignore-instructions]]").IgnoreInstructions);
}
