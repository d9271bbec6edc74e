using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Anthropic;

/// <summary>The official Anthropic .NET SDK as the client, unchanged but for its base URL and key.</summary>
public sealed class AnthropicSdkTests(ThreeFamilyGateway gateway) : IClassFixture<ThreeFamilyGateway>
{
    private AnthropicClient Client(string? key = null) => new()
    {
        ApiKey = key ?? gateway.ApiKey,
        BaseUrl = gateway.Harness.BaseUrl.ToString().TrimEnd('/'),
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Sdk_creates_a_message()
    {
        var message = await Client().Messages.Create(new MessageCreateParams
        {
            Model = ModelFamilies.QwenModelId,
            MaxTokens = 64,
            Messages = [new UserMessageParam { Content = "Hello from the Anthropic SDK [[sim:tokens=6]]" }],
        });

        Assert.Equal(StopReason.EndTurn, (StopReason)message.StopReason!);
        Assert.True(message.Content.Single().TryPickText(out var text));
        Assert.Equal(6, text!.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(6, message.Usage.OutputTokens);
        Assert.True(message.Usage.InputTokens > 0);
    }

    [Fact]
    public async Task Sdk_streams_thinking_and_text_and_the_final_usage()
    {
        var thinking = new StringBuilder();
        var text = new StringBuilder();
        long? outputTokens = null;
        StopReason? stop = null;
        var order = new List<string>();
        await foreach (var evt in Client().Messages.CreateStreaming(new MessageCreateParams
        {
            Model = ModelFamilies.KimiModelId,
            MaxTokens = 4096,
            Thinking = new ThinkingConfigEnabled { BudgetTokens = 1024 },
            Messages = [new UserMessageParam { Content = "Think then stream [[sim:reasoning=4]] [[sim:tokens=9]]" }],
        }))
        {
            if (evt.TryPickStart(out _))
            {
                order.Add("message_start");
            }
            else if (evt.TryPickContentBlockDelta(out var delta))
            {
                if (delta!.Delta.TryPickThinking(out var t))
                {
                    thinking.Append(t!.Thinking);
                }
                else if (delta.Delta.TryPickText(out var x))
                {
                    text.Append(x!.Text);
                }
            }
            else if (evt.TryPickDelta(out var messageDelta))
            {
                order.Add("message_delta");
                outputTokens = messageDelta!.Usage.OutputTokens;
                stop = messageDelta.Delta.StopReason is { } reason ? (StopReason)reason : null;
            }
            else if (evt.TryPickStop(out _))
            {
                order.Add("message_stop");
            }
        }

        Assert.Equal(["message_start", "message_delta", "message_stop"], order);
        Assert.Equal(4, thinking.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(9, text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(13, outputTokens);
        Assert.Equal(StopReason.EndTurn, stop);
    }

    [Fact]
    public async Task Sdk_round_trips_a_tool_call_and_its_result()
    {
        var tool = new Tool
        {
            Name = "get_weather",
            Description = "Weather for a city",
            InputSchema = new InputSchema
            {
                Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
                Required = ["city"],
            },
        };
        var first = await Client().Messages.Create(new MessageCreateParams
        {
            Model = ModelFamilies.QwenModelId,
            MaxTokens = 1024,
            Tools = [tool],
            Messages = [new UserMessageParam { Content = "Use get_weather for Oslo" }],
        });

        Assert.Equal(StopReason.ToolUse, (StopReason)first.StopReason!);
        var call = first.Content.Select(b => b.TryPickToolUse(out var u) ? u : null).Single(u => u is not null)!;
        Assert.Equal("get_weather", call.Name);
        Assert.Equal(JsonValueKind.String, call.Input["city"].ValueKind);

        var second = await Client().Messages.Create(new MessageCreateParams
        {
            Model = ModelFamilies.QwenModelId,
            MaxTokens = 1024,
            Tools = [tool],
            Messages =
            [
                new UserMessageParam { Content = "Use get_weather for Oslo" },
                new AssistantMessageParam { Content = new List<ContentBlockParam> { new ToolUseBlockParam { ID = call.ID, Name = call.Name, Input = call.Input } } },
                new UserMessageParam { Content = new List<ContentBlockParam> { new ToolResultBlockParam { ToolUseID = call.ID, Content = "3 C, snow" } } },
            ],
        });

        Assert.Equal(StopReason.EndTurn, (StopReason)second.StopReason!);
        Assert.True(second.Content[0].TryPickText(out _));
    }

    [Fact]
    public async Task Sdk_surfaces_errors_as_its_typed_exceptions_with_the_gateways_message()
    {
        var unauthorized = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => Client("sg-wrong").Messages.Create(Hello("x")));
        Assert.Contains("x-api-key", unauthorized.Message, StringComparison.Ordinal);

        var notFound = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => Client().Messages.Create(Hello("claude-opus-4-6")));
        Assert.Contains("Served models", notFound.Message, StringComparison.Ordinal);

        var badRequest = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => Client().Messages.Create(Hello(ModelFamilies.QwenModelId) with { MaxTokens = 0 }));
        Assert.Contains("max_tokens", badRequest.Message, StringComparison.Ordinal);
    }

    private static MessageCreateParams Hello(string model) => new()
    {
        Model = model,
        MaxTokens = 16,
        Messages = [new UserMessageParam { Content = "hi" }],
    };
}
