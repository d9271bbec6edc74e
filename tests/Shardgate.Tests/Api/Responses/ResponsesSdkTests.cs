using System.ClientModel;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

#pragma warning disable OPENAI001 // The SDK marks its Responses client as evaluation-only; it is what its users call.

namespace Shardgate.Tests.Api.Responses;

/// <summary>The official OpenAI .NET SDK's <see cref="ResponsesClient"/>, unchanged but for its endpoint and key.</summary>
public sealed class ResponsesSdkTests(ThreeFamilyGateway gateway) : IClassFixture<ThreeFamilyGateway>
{
    private static readonly BinaryData WeatherParameters = BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private ResponsesClient Client(string? key = null, Uri? baseUrl = null) => new(
        new ApiKeyCredential(key ?? gateway.ApiKey),
        new ResponsesClientOptions { Endpoint = new Uri(baseUrl ?? gateway.Harness.BaseUrl, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task Sdk_creates_a_response_with_its_text_and_usage()
    {
        var options = new CreateResponseOptions(ModelFamilies.QwenModelId, [ResponseItem.CreateUserMessageItem("Hello from the SDK [[sim:tokens=6]]")])
        {
            Instructions = "Be brief.",
            Metadata = { ["ticket"] = "T-1" },
        };
        ResponseResult response = await Client().CreateResponseAsync(options);

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(ModelFamilies.QwenModelId, response.Model);
        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(6, response.GetOutputText().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(6, response.Usage.OutputTokenCount);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.Equal("T-1", response.Metadata["ticket"]);
    }

    [Fact]
    public async Task Sdk_streams_typed_updates_that_add_up_to_the_completed_response()
    {
        var text = new StringBuilder();
        var kinds = new List<StreamingResponseUpdate>();
        ResponseResult? completed = null;
        var options = new CreateResponseOptions(ModelFamilies.KimiModelId, [ResponseItem.CreateUserMessageItem("Stream to the SDK [[sim:reasoning=4]] [[sim:tokens=9]]")]) { MaxOutputTokenCount = 4096, StreamingEnabled = true };
        await foreach (var update in await Client().CreateResponseStreamingAsync(options))
        {
            kinds.Add(update);
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.IsType<StreamingResponseCreatedUpdate>(kinds[0]);
        Assert.Contains(kinds, u => u is StreamingResponseReasoningSummaryTextDeltaUpdate);
        Assert.NotNull(completed);
        Assert.Equal(text.ToString(), completed.GetOutputText());
        Assert.Equal(9, text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(13, completed.Usage.OutputTokenCount);
        Assert.IsType<ReasoningResponseItem>(completed.OutputItems[0]);
    }

    [Fact]
    public async Task Sdk_round_trips_a_function_call_over_two_turns()
    {
        var tool = ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: false, functionDescription: "Weather for a city");
        List<ResponseItem> input = [ResponseItem.CreateUserMessageItem("Use get_weather for Lima")];
        var first = new CreateResponseOptions(ModelFamilies.QwenModelId, input) { Tools = { tool } };

        ResponseResult call = await Client().CreateResponseAsync(first);

        var functionCall = Assert.IsType<FunctionCallResponseItem>(Assert.Single(call.OutputItems));
        Assert.Equal("get_weather", functionCall.FunctionName);
        using (var arguments = JsonDocument.Parse(functionCall.FunctionArguments))
        {
            Assert.Equal(JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
        }

        input.Add(functionCall);
        input.Add(ResponseItem.CreateFunctionCallOutputItem(functionCall.CallId, "19 C, clear"));
        ResponseResult answer = await Client().CreateResponseAsync(new CreateResponseOptions(ModelFamilies.QwenModelId, input) { Tools = { tool } });

        Assert.Equal(ResponseStatus.Completed, answer.Status);
        Assert.StartsWith("Using the tool result", answer.GetOutputText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sdk_gets_a_structured_output_answer_that_parses_against_its_schema()
    {
        var schema = BinaryData.FromString("""{"type":"object","properties":{"name":{"type":"string"},"founded":{"type":"integer"}},"required":["name","founded"],"additionalProperties":false}""");
        var options = new CreateResponseOptions(ModelFamilies.QwenModelId, [ResponseItem.CreateUserMessageItem("Name a city and its founding year")])
        {
            TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("city", schema, jsonSchemaIsStrict: true) },
            MaxOutputTokenCount = 256,
        };

        ResponseResult response = await Client().CreateResponseAsync(options);

        using var json = JsonDocument.Parse(response.GetOutputText());
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("name").ValueKind);
        Assert.True(json.RootElement.GetProperty("founded").TryGetInt64(out _));
    }

    [Fact]
    public async Task Sdk_surfaces_a_built_in_tool_as_a_typed_400_naming_the_field()
    {
        var options = new CreateResponseOptions(ModelFamilies.QwenModelId, [ResponseItem.CreateUserMessageItem("search")]) { Tools = { ResponseTool.CreateWebSearchTool() } };

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync(options));

        Assert.Equal(400, ex.Status);
        Assert.Contains("tools[0].type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sdk_sees_a_stall_mid_stream_as_an_error_update_and_a_failed_response_never_a_completion()
    {
        await using var harness = await GatewayHarness.StartAsync(true, "--Shardgate:Upstream:InterChunkTimeout", "00:00:00.500");
        await harness.AddHostAsync("staller", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "stall-after=4" });
        var client = Client(await harness.CreateApiKeyAsync(), harness.BaseUrl);

        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions(ModelFamilies.QwenModelId, [ResponseItem.CreateUserMessageItem("stall [[sim:tokens=30]]")]) { StreamingEnabled = true }))
        {
            updates.Add(update);
        }

        Assert.DoesNotContain(updates, u => u is StreamingResponseCompletedUpdate);
        var failed = Assert.Single(updates.OfType<StreamingResponseFailedUpdate>());
        Assert.Equal(ResponseStatus.Failed, failed.Response.Status);
        Assert.Contains("stopped mid-stream", failed.Response.Error.Message, StringComparison.Ordinal);
        var error = Assert.IsType<StreamingResponseErrorUpdate>(updates[^1]);
        Assert.Equal("upstream_stream_interrupted", error.Code);
    }
}
