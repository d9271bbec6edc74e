using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Responses;

/// <summary><c>/v1/responses</c> over plain HTTP against simulated hosts: the object, the typed events, tools, structured output, errors.</summary>
public sealed class ResponsesEndToEndTests(ThreeFamilyGateway gateway) : IClassFixture<ThreeFamilyGateway>
{
    private static readonly JsonArray WeatherTool = new(new JsonObject
    {
        ["type"] = "function",
        ["name"] = "get_weather",
        ["description"] = "Weather for a city",
        ["parameters"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } },
            ["required"] = new JsonArray("city"),
        },
    });

    [Fact]
    public async Task A_string_input_is_answered_as_a_response_object_and_logged_with_its_endpoint()
    {
        var body = Body(ModelFamilies.QwenModelId, "Hello [[sim:tokens=7]]");
        body["instructions"] = "You are terse.";
        body["metadata"] = new JsonObject { ["ticket"] = "T-9" };
        using var response = await PostAsync(body);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("response", answer["object"]!.GetValue<string>());
        Assert.StartsWith("resp_", answer["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        Assert.Equal(ModelFamilies.QwenModelId, answer["model"]!.GetValue<string>());
        var message = Assert.Single(answer["output"]!.AsArray())!;
        Assert.Equal(("message", "assistant"), (message["type"]!.GetValue<string>(), message["role"]!.GetValue<string>()));
        Assert.Equal(7, message["content"]![0]!["text"]!.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(7, answer["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.Equal("T-9", answer["metadata"]!["ticket"]!.GetValue<string>());
        Assert.Equal("You are terse.", answer["instructions"]!.GetValue<string>());
        Assert.False(answer["store"]!.GetValue<bool>());

        var upstream = JsonNode.Parse(gateway.Qwen.LastRequestBody.Span)!;
        Assert.Equal(("system", "You are terse."), (upstream["messages"]![0]!["role"]!.GetValue<string>(), upstream["messages"]![0]!["content"]!.GetValue<string>()));
        Assert.Null(upstream["metadata"]);

        var row = await RowAsync(response);
        Assert.Equal("/v1/responses", row["endpoint"]!.GetValue<string>());
        Assert.Equal(7, row["completion_tokens"]!.GetValue<int>());
        var filtered = (await gateway.Harness.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/requests?endpoint=/v1/responses&limit=1000"))!;
        Assert.Contains(filtered["data"]!.AsArray(), r => r!["request_id"]!.GetValue<string>() == row["request_id"]!.GetValue<string>());
        Assert.All(filtered["data"]!.AsArray(), r => Assert.Equal("/v1/responses", r!["endpoint"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_stream_sends_the_typed_events_in_order_and_completes_with_usage()
    {
        var body = Body(ModelFamilies.KimiModelId, "Think, then answer [[sim:reasoning=5]] [[sim:tokens=6]]", stream: true);
        body["max_output_tokens"] = 4096;
        using var response = await PostAsync(body);
        var events = Sse.Events(await response.Content.ReadAsStringAsync());

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["response.created", "response.in_progress"], events.Take(2).Select(e => e.Name));
        Assert.Equal("response.completed", events[^1].Name);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
        var items = events.Where(e => e.Name == "response.output_item.added").Select(e => e.Data["item"]!["type"]!.GetValue<string>());
        Assert.Equal(["reasoning", "message"], items);
        var reasoning = string.Concat(events.Where(e => e.Name == "response.reasoning_summary_text.delta").Select(e => e.Data["delta"]!.GetValue<string>()));
        var text = string.Concat(events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data["delta"]!.GetValue<string>()));
        Assert.Equal(5, reasoning.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(6, text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        var completed = events[^1].Data["response"]!;
        Assert.Equal(text, completed["output"]![1]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(11, completed["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.True(completed["usage"]!["input_tokens"]!.GetValue<int>() > 0);
        Assert.DoesNotContain("[DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await RowAsync(response))["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_tool_call_round_trips_over_two_turns_through_function_call_and_its_output()
    {
        var body = Body(ModelFamilies.QwenModelId, "Use get_weather for Paris");
        body["tools"] = WeatherTool.DeepClone();
        using var first = await PostAsync(body);
        var call = (await first.Content.ReadFromJsonAsync<JsonObject>())!;

        var item = call["output"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "function_call")!;
        Assert.Equal("get_weather", item["name"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.String, JsonNode.Parse(item["arguments"]!.GetValue<string>())!["city"]!.GetValueKind());
        Assert.Equal("get_weather", call["tools"]![0]!["name"]!.GetValue<string>());

        var next = Body(ModelFamilies.QwenModelId, "Use get_weather for Paris");
        next["tools"] = WeatherTool.DeepClone();
        var input = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Use get_weather for Paris" }, item.DeepClone(), new JsonObject
        {
            ["type"] = "function_call_output",
            ["call_id"] = item["call_id"]!.GetValue<string>(),
            ["output"] = "18 C and sunny",
        });
        next["input"] = input;
        using var second = await PostAsync(next);
        var answer = (await second.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("message", Assert.Single(answer["output"]!.AsArray())!["type"]!.GetValue<string>());
        var messages = JsonNode.Parse(gateway.Qwen.LastRequestBody.Span)!["messages"]!.AsArray();
        Assert.Equal(item["call_id"]!.GetValue<string>(), messages[^2]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(("tool", "18 C and sunny"), (messages[^1]!["role"]!.GetValue<string>(), messages[^1]!["content"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_streamed_tool_call_arrives_as_function_call_argument_deltas()
    {
        var body = Body(ModelFamilies.QwenModelId, "Weather in Rome", stream: true);
        body["tools"] = WeatherTool.DeepClone();
        body["tool_choice"] = new JsonObject { ["type"] = "function", ["name"] = "get_weather" };
        using var response = await PostAsync(body);
        var events = Sse.Events(await response.Content.ReadAsStringAsync());

        var arguments = string.Concat(events.Where(e => e.Name == "response.function_call_arguments.delta").Select(e => e.Data["delta"]!.GetValue<string>()));
        Assert.Equal(JsonValueKind.String, JsonNode.Parse(arguments)!["city"]!.GetValueKind());
        Assert.Equal(arguments, events.Single(e => e.Name == "response.function_call_arguments.done").Data["arguments"]!.GetValue<string>());
        Assert.Equal("function_call", events[^1].Data["response"]!["output"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_json_schema_text_format_answers_json_that_fits_the_schema()
    {
        var body = Body(ModelFamilies.QwenModelId, "Give me a city");
        body["text"] = new JsonObject
        {
            ["format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["name"] = "city",
                ["strict"] = true,
                ["schema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["name"] = new JsonObject { ["type"] = "string" }, ["population"] = new JsonObject { ["type"] = "integer" } },
                    ["required"] = new JsonArray("name", "population"),
                    ["additionalProperties"] = false,
                },
            },
        };
        body["max_output_tokens"] = 256;
        using var response = await PostAsync(body);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        var json = JsonNode.Parse(answer["output"]![0]!["content"]![0]!["text"]!.GetValue<string>())!;
        Assert.Equal(JsonValueKind.String, json["name"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, json["population"]!.GetValueKind());
        Assert.Equal("json_schema", JsonNode.Parse(gateway.Qwen.LastRequestBody.Span)!["response_format"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_answer_cut_by_max_output_tokens_is_incomplete_and_says_why()
    {
        var body = Body(ModelFamilies.QwenModelId, "Long answer [[sim:tokens=40]]");
        body["max_output_tokens"] = 5;
        using var response = await PostAsync(body);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal("incomplete", answer["status"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", answer["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal(5, answer["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"type":"web_search"}""", "tools[0].type")]
    [InlineData("""{"type":"file_search","vector_store_ids":["vs_1"]}""", "tools[0].type")]
    [InlineData("""{"type":"computer_use_preview"}""", "tools[0].type")]
    public async Task A_built_in_tool_is_a_400_in_the_openai_shape_naming_the_field(string tool, string param)
    {
        var body = Body(ModelFamilies.QwenModelId, "Search the web");
        body["tools"] = new JsonArray(JsonNode.Parse(tool));
        using var response = await PostAsync(body);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("/v1/responses", (await RowAsync(response))["endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task Background_previous_response_id_and_an_unknown_model_are_clear_errors()
    {
        var background = Body(ModelFamilies.QwenModelId, "hi");
        background["background"] = true;
        var previous = Body(ModelFamilies.QwenModelId, "hi");
        previous["previous_response_id"] = "resp_123";
        using var first = await PostAsync(background);
        using var second = await PostAsync(previous);
        using var third = await PostAsync(Body("no-such-model", "hi"));

        Assert.Equal("background", (await first.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!.GetValue<string>());
        Assert.Equal("previous_response_id", (await second.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, third.StatusCode);
        Assert.Equal("model_not_found", (await third.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    private Task<JsonObject> RowAsync(HttpResponseMessage response) => gateway.Harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());

    private async Task<HttpResponseMessage> PostAsync(JsonObject body) =>
        await gateway.Client.PostAsync("/v1/responses", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private static JsonObject Body(string model, string input, bool stream = false) => new()
    {
        ["model"] = model,
        ["input"] = input,
        ["stream"] = stream,
    };
}
