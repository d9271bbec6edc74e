using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Simulator.Tests.Endpoints;

public sealed class ChatCompletionsEndpointTests : IAsyncLifetime
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private const string Kimi = ModelFamilies.KimiModelId;
    private const string MiniMax = ModelFamilies.MiniMaxModelId;

    private static readonly JsonArray WeatherTool = new(new JsonObject
    {
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = "get_weather",
            ["parameters"] = JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},"required":["city"]}"""),
        },
    });

    private SimulatedHost _qwen = null!;
    private SimulatedHost _kimi = null!;
    private SimulatedHost _minimax = null!;

    public async Task InitializeAsync()
    {
        _qwen = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 64 });
        _kimi = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Kimi });
        _minimax = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.MiniMax });
    }

    public async Task DisposeAsync()
    {
        await _qwen.DisposeAsync();
        await _kimi.DisposeAsync();
        await _minimax.DisposeAsync();
    }

    [Fact]
    public async Task A_stream_has_vllms_shape_role_content_finish_usage_done()
    {
        var chunks = await SimHttp.StreamAsync(_qwen, SimHttp.Body(Qwen, "hi [[sim:tokens=5]]", stream: true));

        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        var content = chunks.Skip(1).Take(5).Select(c => c["choices"]![0]!["delta"]!["content"]!.GetValue<string>()).ToList();
        Assert.Equal(5, content.Count);
        Assert.Equal("stop", chunks[6]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var usage = chunks[7];
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal(5, usage["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(usage["usage"]!["prompt_tokens"]!.GetValue<int>() + 5, usage["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Equal(8, chunks.Count);
    }

    [Fact]
    public async Task Generation_is_deterministic_for_the_same_request_and_differs_with_the_seed()
    {
        var (_, a) = await SimHttp.PostAsync(_qwen, SimHttp.Body(Qwen, "same"));
        var (_, b) = await SimHttp.PostAsync(_qwen, SimHttp.Body(Qwen, "same"));
        var (_, c) = await SimHttp.PostAsync(_qwen, SimHttp.Body(Qwen, "same", extra: body => body["seed"] = 7));

        Assert.Equal(SimHttp.Message(a, "content"), SimHttp.Message(b, "content"));
        Assert.NotEqual(SimHttp.Message(a, "content"), SimHttp.Message(c, "content"));
    }

    [Fact]
    public async Task Kimi_reasons_in_reasoning_content_before_answering()
    {
        var (_, completion) = await SimHttp.PostAsync(_kimi, SimHttp.Body(Kimi, "think [[sim:reasoning=6]] [[sim:tokens=4]]"));

        Assert.Equal(6, SimHttp.Message(completion, "reasoning_content")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(4, SimHttp.Message(completion, "content")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(10, completion["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Kimi_can_spend_a_small_max_tokens_on_thinking_and_return_null_content()
    {
        var (_, completion) = await SimHttp.PostAsync(_kimi, SimHttp.Body(Kimi, "think hard [[sim:reasoning=40]]", extra: b => b["max_tokens"] = 10));

        Assert.Null(SimHttp.Message(completion, "content"));
        Assert.Equal("length", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(10, completion["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Kimi_honours_thinking_token_budget_and_thinking_off()
    {
        var (_, budgeted) = await SimHttp.PostAsync(_kimi, SimHttp.Body(Kimi, "b [[sim:reasoning=40]]", extra: b => b["thinking_token_budget"] = 5));
        var (_, off) = await SimHttp.PostAsync(_kimi, SimHttp.Body(Kimi, "b [[sim:reasoning=40]]", extra: b => b["chat_template_kwargs"] = new JsonObject { ["thinking"] = false }));

        Assert.Equal(5, SimHttp.Message(budgeted, "reasoning_content")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Null(SimHttp.Message(off, "reasoning_content"));
        Assert.NotNull(SimHttp.Message(off, "content"));
    }

    [Fact]
    public async Task MiniMax_thinks_inline_in_content_and_qwen_not_at_all()
    {
        var (_, minimax) = await SimHttp.PostAsync(_minimax, SimHttp.Body(MiniMax, "m [[sim:reasoning=3]]"));
        var (_, qwen) = await SimHttp.PostAsync(_qwen, SimHttp.Body(Qwen, "q"));

        Assert.StartsWith("<think>\n", SimHttp.Message(minimax, "content"), StringComparison.Ordinal);
        Assert.Contains("\n</think>\n\n", SimHttp.Message(minimax, "content"), StringComparison.Ordinal);
        Assert.Null(SimHttp.Message(minimax, "reasoning_content"));
        Assert.Null(SimHttp.Message(qwen, "reasoning_content"));
    }

    [Theory]
    [InlineData(ModelFamily.Kimi, "^functions\\.get_weather:0$")]
    [InlineData(ModelFamily.MiniMax, "^chatcmpl-tool-[0-9a-f]{32}$")]
    public async Task A_named_tool_is_called_with_arguments_that_fit_its_schema(ModelFamily family, string idPattern)
    {
        var host = family == ModelFamily.Kimi ? _kimi : _minimax;
        var (_, completion) = await SimHttp.PostAsync(host, SimHttp.Body(ModelFamilies.DefaultModelId(family), "use get_weather for Paris", extra: b => b["tools"] = WeatherTool.DeepClone()));

        var call = completion["choices"]![0]!["message"]!["tool_calls"]![0]!;
        Assert.Matches(idPattern, call["id"]!.GetValue<string>());
        Assert.Equal("get_weather", call["function"]!["name"]!.GetValue<string>());
        using var args = JsonDocument.Parse(call["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.String, args.RootElement.GetProperty("city").ValueKind);
        Assert.Equal("c", args.RootElement.GetProperty("unit").GetString());
        Assert.Equal("tool_calls", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kimi_with_n_2_repeats_tool_call_ids_across_choices_like_the_real_parser()
    {
        var (_, completion) = await SimHttp.PostAsync(_kimi, SimHttp.Body(Kimi, "get_weather please", extra: b =>
        {
            b["tools"] = WeatherTool.DeepClone();
            b["n"] = 2;
        }));

        var ids = completion["choices"]!.AsArray().Select(c => c!["message"]!["tool_calls"]![0]!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(ids[0], ids[1]);
    }

    [Fact]
    public async Task A_tool_result_turn_is_answered_with_text()
    {
        var body = SimHttp.Body(Kimi, "get_weather", extra: b =>
        {
            b["tools"] = WeatherTool.DeepClone();
            b["messages"]!.AsArray().Add(new JsonObject { ["role"] = "assistant", ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = "functions.get_weather:0", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = "{}" } }) });
            b["messages"]!.AsArray().Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = "functions.get_weather:0", ["content"] = "sunny" });
        });

        var (_, completion) = await SimHttp.PostAsync(_kimi, body);

        Assert.StartsWith("Using the tool result", SimHttp.Message(completion, "content"), StringComparison.Ordinal);
        Assert.Equal("stop", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Prompt_plus_max_tokens_beyond_max_model_len_is_vllms_400()
    {
        var (response, error) = await SimHttp.PostAsync(_qwen, SimHttp.Body(Qwen, "short", extra: b => b["max_tokens"] = 100));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("This model's maximum context length is 64 tokens. However, you requested", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("BadRequestError", error["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_repeated_prefix_is_reported_as_cached_tokens()
    {
        JsonObject Conversation(string last) => new()
        {
            ["model"] = Kimi,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = new string('s', 800) },
                new JsonObject { ["role"] = "user", ["content"] = last }),
        };

        var (_, first) = await SimHttp.PostAsync(_kimi, Conversation("first question"));
        var (_, second) = await SimHttp.PostAsync(_kimi, Conversation("second question"));

        Assert.Equal(0, first["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.True(second["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>() >= 200);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_status_fault_answers_before_any_output(int status)
    {
        var (response, error) = await SimHttp.PostAsync(_qwen, SimHttp.Body(Qwen, "x"), fault: $"status={status}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, error["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_drop_fault_cuts_the_connection_mid_stream()
    {
        using var client = new HttpClient { BaseAddress = _qwen.BaseUrl };

        // The reset may beat the headers to the client, so the failure shows on either the send or the read.
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            using var response = await client.PostAsJsonAsync("/v1/chat/completions", SimHttp.Body(Qwen, "x [[sim:fault=drop-after=2]]", stream: true));
            await response.Content.ReadAsStringAsync();
        });
    }

    [Fact]
    public async Task A_generation_the_client_walks_away_from_is_counted_aborted_and_its_own_drop_fault_is_not()
    {
        await using var host = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        using (var cancel = new CancellationTokenSource())
        {
            var slow = client.PostAsJsonAsync("/v1/chat/completions", SimHttp.Body(Qwen, "x [[sim:fault=slow-first-token=30000]]"), cancel.Token);
            for (var i = 0; i < 3_000 && host.Active == 0; i++)
            {
                await Task.Delay(10);
            }

            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        }

        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            using var response = await client.PostAsJsonAsync("/v1/chat/completions", SimHttp.Body(Qwen, "x [[sim:fault=drop-after=2]]", stream: true));
            await response.Content.ReadAsStringAsync();
        });
        for (var i = 0; i < 3_000 && host.Active > 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, host.Requests);
        Assert.Equal(1, host.Aborted);
    }

    [Fact]
    public async Task An_empty_stream_fault_sends_only_done()
    {
        using var client = new HttpClient { BaseAddress = _qwen.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(SimHttp.Body(Qwen, "x", stream: true)) };
        request.Headers.Add("x-sim-fault", "empty");
        using var response = await client.SendAsync(request);

        Assert.Equal("data: [DONE]\n\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Requests_beyond_max_concurrent_get_429()
    {
        await using var host = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxConcurrent = 1 });
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        using var cancel = new CancellationTokenSource();
        var slow = client.PostAsJsonAsync("/v1/chat/completions", SimHttp.Body(Qwen, "x [[sim:fault=slow-first-token=30000]]"), cancel.Token);
        for (var i = 0; i < 3_000 && host.Active == 0; i++)
        {
            await Task.Delay(10);
        }

        var (response, _) = await SimHttp.PostAsync(host, SimHttp.Body(Qwen, "y"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public async Task The_instance_fault_can_be_set_over_http()
    {
        await using var host = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        using (var set = await client.PostAsJsonAsync("/sim/fault", new JsonObject { ["fault"] = "status=503" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        }

        var (response, _) = await SimHttp.PostAsync(host, SimHttp.Body(Qwen, "x"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

        using var bad = await client.PostAsJsonAsync("/sim/fault", new JsonObject { ["fault"] = "explode" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Wrong_model_and_bad_json_are_refused_like_vllm()
    {
        var (wrongModel, _) = await SimHttp.PostAsync(_qwen, SimHttp.Body("other/model", "x"));
        using var client = new HttpClient { BaseAddress = _qwen.BaseUrl };
        using var badJson = await client.PostAsync("/v1/chat/completions", new StringContent("{nope", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, wrongModel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
    }

    [Fact]
    public async Task Models_and_health_answer()
    {
        using var client = new HttpClient { BaseAddress = _qwen.BaseUrl };
        var models = (await client.GetFromJsonAsync<JsonObject>("/v1/models"))!;
        using var health = await client.GetAsync("/health");

        Assert.Equal(Qwen, models["data"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(64, models["data"]![0]!["max_model_len"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Logprobs_and_token_ids_come_back_when_asked_as_vllm_returns_them()
    {
        var (_, completion) = await SimHttp.PostAsync(_qwen, SimHttp.Body(Qwen, "x [[sim:tokens=3]]", extra: b =>
        {
            b["logprobs"] = true;
            b["top_logprobs"] = 2;
            b["return_token_ids"] = true;
        }));
        var chunks = await SimHttp.StreamAsync(_qwen, SimHttp.Body(Qwen, "x [[sim:tokens=3]]", stream: true, extra: b => b["logprobs"] = true));

        var choice = completion["choices"]![0]!;
        Assert.Equal(3, choice["logprobs"]!["content"]!.AsArray().Count);
        Assert.Equal(2, choice["logprobs"]!["content"]![0]!["top_logprobs"]!.AsArray().Count);
        Assert.Equal(3, choice["token_ids"]!.AsArray().Count);
        Assert.Equal(completion["usage"]!["prompt_tokens"]!.GetValue<int>(), completion["prompt_token_ids"]!.AsArray().Count);
        Assert.NotNull(chunks[1]["choices"]![0]!["logprobs"]!["content"]);
    }
}
