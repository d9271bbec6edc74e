using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Upstream;

/// <summary>
/// tool_choice "required" on a family whose hosts cannot force a call (Qwen here): held back, retried once with an
/// instruction, charged for both answers, refused when the model still answers in text.
/// </summary>
public sealed class RequiredToolCallTests : IAsyncLifetime
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private GatewayHarness _gateway = null!;
    private SimulatedHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayHarness.StartAsync();
        _host = await _gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen, TokensPerSecond = 0, TimeToFirstToken = TimeSpan.Zero });
        await _gateway.SetPriceAsync(Qwen, 1, 4);
        _client = _gateway.CreateClient((await _gateway.CreateAccountWithKeyAsync("tools", credit: 10_000_000)).Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
    }

    private static JsonObject Body(string prompt, bool stream, params string[] tools)
    {
        var body = ChatBodies.Simple(Qwen, prompt, stream, includeUsage: stream);
        body["tool_choice"] = "required";
        body["tools"] = new JsonArray([.. tools.Select(name => (JsonNode)new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["parameters"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } } } },
        })]);
        return body;
    }

    [Fact]
    public async Task A_stream_answered_in_text_is_held_back_and_retried_and_the_client_sees_only_the_call()
    {
        using var response = await _client.PostChatAsync(Body("What is the weather like? [[sim:tokens=12]]", stream: true, "get_weather", "get_time"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("X-Shardgate-Warning"), w => w.Contains("emulated", StringComparison.Ordinal));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", payloads[^1]);
        Assert.Equal(string.Empty, Sse.Content(payloads));
        var chunks = payloads.SkipLast(1).Select(p => JsonNode.Parse(p)!).ToList();
        Assert.Contains(chunks, c => c["choices"]!.AsArray().Any(ch => ch!["delta"]?["tool_calls"]?[0]?["function"]?["name"]?.GetValue<string>() == "get_weather"));
        Assert.Equal("tool_calls", chunks.Select(c => c["choices"]!.AsArray().FirstOrDefault()?["finish_reason"]?.GetValue<string>()).Last(f => f is not null));
        var answeredUsage = chunks.Single(c => c["usage"] is JsonObject)["usage"]!;

        Assert.Equal(2, _host.Requests);
        var retry = JsonNode.Parse(_host.LastRequestBody.Span)!;
        Assert.Equal("system", retry["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Contains("(get_weather, get_time)", retry["messages"]![0]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("auto", retry["tool_choice"]!.GetValue<string>());

        var row = await _gateway.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(2, row["attempts"]!.GetValue<int>());
        var prompt = row["prompt_tokens"]!.GetValue<long>();
        var completion = row["completion_tokens"]!.GetValue<long>();
        // Both answers are charged: the held-back one's 12 tokens are in the row beside the answer the client got.
        Assert.Equal(12 + answeredUsage["completion_tokens"]!.GetValue<long>(), completion);
        Assert.True(prompt > answeredUsage["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(prompt + (4 * completion), row["cost"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_completion_answered_in_text_is_retried_and_answers_the_call()
    {
        var body = Body("What is the weather like? [[sim:tokens=5]]", stream: false, "get_weather", "get_time");
        body["max_tokens"] = 200;
        using var response = await _client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["message"]!;
        Assert.Equal("get_weather", message["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal(2, _host.Requests);
        // The retry's output budget is what the first answer left of max_tokens.
        Assert.Equal(195, JsonNode.Parse(_host.LastRequestBody.Span)!["max_tokens"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_model_that_still_answers_in_text_gets_a_clear_error_and_both_answers_are_charged(bool stream)
    {
        using var response = await _client.PostChatAsync(Body("Weather? [[sim:ignore-instructions]] [[sim:tokens=6]]", stream, "get_weather", "get_time"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("tool_call_not_made", error["code"]!.GetValue<string>());
        Assert.Equal("tool_choice", error["param"]!.GetValue<string>());
        Assert.Contains("answered in text twice", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var row = await _gateway.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(422, row["status"]!.GetValue<int>());
        Assert.Equal(12, row["completion_tokens"]!.GetValue<long>());
        Assert.Equal(row["prompt_tokens"]!.GetValue<long>() + 48, row["cost"]!.GetValue<long>());
    }

    [Fact]
    public async Task No_retry_when_the_first_answer_left_too_little_output_budget()
    {
        var body = Body("Weather? [[sim:tokens=10]]", stream: false, "get_weather", "get_time");
        body["max_tokens"] = 20;
        using var response = await _client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("left 10 of max_tokens 20", (await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(1, _host.Requests);
    }

    [Fact]
    public async Task One_tool_is_forced_by_name_with_no_retry_needed()
    {
        using var response = await _client.PostChatAsync(Body("What is the weather like?", stream: false, "get_weather"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["message"]!;
        Assert.Equal("get_weather", message["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal(1, _host.Requests);
        Assert.Equal("get_weather", JsonNode.Parse(_host.LastRequestBody.Span)!["tool_choice"]!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_call_made_at_once_is_relayed_from_the_first_answer()
    {
        using var response = await _client.PostChatAsync(Body("Use get_time please", stream: true, "get_weather", "get_time"));

        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        Assert.Contains(payloads, p => p.Contains("\"get_time\"", StringComparison.Ordinal));
        Assert.Equal(1, _host.Requests);
        var row = await _gateway.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(1, row["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Anthropic_tool_choice_any_streams_only_the_tool_use_block()
    {
        var body = new JsonObject
        {
            ["model"] = Qwen,
            ["max_tokens"] = 256,
            ["stream"] = true,
            ["tool_choice"] = new JsonObject { ["type"] = "any" },
            ["tools"] = new JsonArray(
                new JsonObject { ["name"] = "get_weather", ["input_schema"] = new JsonObject { ["type"] = "object" } },
                new JsonObject { ["name"] = "get_time", ["input_schema"] = new JsonObject { ["type"] = "object" } }),
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Anything I should know? [[sim:tokens=9]]" }),
        };
        using var response = await _client.PostAsync("/v1/messages", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = Sse.Events(await response.Content.ReadAsStringAsync());
        var blocks = events.Where(e => e.Name == "content_block_start").Select(e => e.Data["content_block"]!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["tool_use"], blocks);
        Assert.Equal("tool_use", events.Single(e => e.Name == "message_delta").Data["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(2, _host.Requests);
    }

    [Fact]
    public async Task The_retry_has_attempts_of_its_own_when_the_first_round_used_them_all()
    {
        await using var gateway = await GatewayHarness.StartAsync(true, "--Shardgate:Upstream:MaxAttempts", "1");
        var host = await gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen, TokensPerSecond = 0, TimeToFirstToken = TimeSpan.Zero });
        using var client = gateway.CreateClient(await gateway.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(Body("Weather?", stream: false, "get_weather", "get_time"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, host.Requests);
    }
}
