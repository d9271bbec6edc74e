using System.Text.Json;
using Shardgate.Contract.Anthropic;

namespace Shardgate.Tests.Contract.Anthropic;

public sealed class AnthropicStopTests
{
    [Theory]
    [InlineData("stop", """{"finish_reason":"stop","stop_reason":null}""", "end_turn", null)]
    [InlineData("stop", """{"finish_reason":"stop","stop_reason":"END"}""", "stop_sequence", "END")]
    [InlineData("stop", """{"finish_reason":"stop","stop_reason":151645}""", "end_turn", null)]
    [InlineData("length", """{"finish_reason":"length"}""", "max_tokens", null)]
    [InlineData("tool_calls", """{"finish_reason":"tool_calls"}""", "tool_use", null)]
    public void Chat_finish_reasons_become_anthropics_stop_reasons(string finish, string choice, string reason, string? sequence)
    {
        using var document = JsonDocument.Parse(choice);

        Assert.Equal((reason, sequence), AnthropicStop.From(finish, document.RootElement));
    }
}
