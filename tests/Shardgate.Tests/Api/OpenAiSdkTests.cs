using System.ClientModel;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

/// <summary>The official OpenAI .NET SDK as the client, unchanged but for its endpoint and key.</summary>
public sealed class OpenAiSdkTests(ThreeFamilyGateway gateway) : IClassFixture<ThreeFamilyGateway>
{
    private ChatClient Client(string model, string? key = null) => new(
        model,
        new ApiKeyCredential(key ?? gateway.ApiKey),
        new OpenAIClientOptions { Endpoint = new Uri(gateway.Harness.BaseUrl, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task Sdk_completes_a_chat()
    {
        ChatCompletion completion = await Client(ModelFamilies.QwenModelId).CompleteChatAsync([new UserChatMessage("Hello from the SDK [[sim:tokens=6]]")]);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ModelFamilies.QwenModelId, completion.Model);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(6, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Sdk_streams_every_token_and_the_final_usage()
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Client(ModelFamilies.QwenModelId).CompleteChatStreamingAsync([new UserChatMessage("Stream to the SDK [[sim:tokens=12]]")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(12, usage.OutputTokenCount);
        Assert.Equal(12, text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Sdk_surfaces_an_unknown_model_as_a_typed_404_with_the_gateways_message()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, ex.Status);
        Assert.Contains("Served models", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sdk_surfaces_a_wrong_key_as_a_typed_401()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client(ModelFamilies.QwenModelId, "sg-wrong").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, ex.Status);
    }

    [Fact]
    public async Task Sdk_round_trips_a_tool_call_and_its_result()
    {
        var tool = ChatTool.CreateFunctionTool(
            "get_weather",
            "Weather for a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool }, MaxOutputTokenCount = 1024 };
        List<ChatMessage> messages = [new UserChatMessage("Use get_weather for Lima")];

        ChatCompletion first = await Client(ModelFamilies.QwenModelId).CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        using (var arguments = System.Text.Json.JsonDocument.Parse(call.FunctionArguments))
        {
            Assert.Equal(System.Text.Json.JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
        }

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "22 C, clear"));
        ChatCompletion second = await Client(ModelFamilies.QwenModelId).CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.False(string.IsNullOrWhiteSpace(second.Content[0].Text));
    }

    [Fact]
    public async Task Sdk_streams_a_tool_call_in_fragments_that_assemble_to_valid_arguments()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var arguments = new StringBuilder();
        string? name = null;
        await foreach (var update in Client(ModelFamilies.KimiModelId).CompleteChatStreamingAsync([new UserChatMessage("Use get_weather for Quito")], new ChatCompletionOptions { Tools = { tool }, MaxOutputTokenCount = 2048 }))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                name ??= part.FunctionName;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal("get_weather", name);
        using var parsed = System.Text.Json.JsonDocument.Parse(arguments.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.String, parsed.RootElement.GetProperty("city").ValueKind);
    }
}
