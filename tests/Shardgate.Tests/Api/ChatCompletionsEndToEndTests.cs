using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

public sealed class ChatCompletionsEndToEndTests(ThreeFamilyGateway gateway) : IClassFixture<ThreeFamilyGateway>
{
    private const string Qwen = ModelFamilies.QwenModelId;

    [Fact]
    public async Task Non_streaming_completion_returns_the_hosts_answer_with_usage_and_a_request_id()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(Qwen));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("req_", response.Headers.GetValues("X-Request-Id").Single(), StringComparison.Ordinal);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        Assert.Equal(Qwen, body["model"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
        Assert.True(body["usage"]!["completion_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Streaming_relays_role_content_finish_and_done_and_hides_usage_the_client_did_not_ask_for()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(Qwen, "stream me", stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", payloads[^1]);
        Assert.Equal("assistant", JsonNode.Parse(payloads[0])!["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("stop", JsonNode.Parse(payloads[^2])!["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.DoesNotContain(payloads, p => p.Contains("\"usage\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streamed_content_equals_the_non_streamed_content_for_the_same_request()
    {
        using var plain = await gateway.Client.PostChatAsync(ChatBodies.Simple(Qwen, "same words twice"));
        using var streamed = await gateway.Client.PostChatAsync(ChatBodies.Simple(Qwen, "same words twice", stream: true));

        var expected = (await plain.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.Equal(expected, Sse.Content(Sse.DataPayloads(await streamed.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task Streaming_with_include_usage_delivers_the_usage_chunk_before_done()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(Qwen, "count me [[sim:tokens=7]]", stream: true, includeUsage: true));

        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        var usage = JsonNode.Parse(payloads[^2])!;
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal(7, usage["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal("[DONE]", payloads[^1]);
    }

    [Fact]
    public async Task Model_ids_resolve_case_insensitively_and_the_canonical_id_is_returned()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(Qwen.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Qwen, (await response.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_model_is_a_404_that_lists_the_served_models()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple("gpt-4o"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());
        Assert.Equal("model", error["param"]!.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        Assert.Contains(ModelFamilies.KimiModelId, message, StringComparison.Ordinal);
        Assert.Contains(Qwen, message, StringComparison.Ordinal);
        Assert.Contains(ModelFamilies.MiniMaxModelId, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sg-not-a-real-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Missing_or_wrong_key_is_a_401_in_the_openai_shape(string? key)
    {
        using var client = gateway.Harness.CreateClient(null);
        if (key is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", key.StartsWith("Basic", StringComparison.Ordinal) ? key : "Bearer " + key);
        }

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"model\": \"x\", ", "application/json", "invalid_json", null)]
    [InlineData("[1, 2]", "application/json", "invalid_json", null)]
    [InlineData("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "application/json", "missing_required_field", "model")]
    [InlineData("{\"model\": 42, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "application/json", "invalid_type", "model")]
    [InlineData("{\"model\": \"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8\"}", "application/json", "missing_required_field", "messages")]
    [InlineData("{\"model\": \"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8\", \"messages\": []}", "application/json", "invalid_type", "messages")]
    [InlineData("{\"model\": \"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8\", \"messages\": [{}], \"stream\": \"yes\"}", "application/json", "invalid_type", "stream")]
    [InlineData("{\"model\": \"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8\", \"messages\": [{}], \"stream\": true, \"stream_options\": {\"include_usage\": 1}}", "application/json", "invalid_stream_options", "stream_options.include_usage")]
    [InlineData("model=m", "application/x-www-form-urlencoded", "invalid_content_type", null)]
    public async Task Malformed_input_is_a_400_naming_the_problem(string body, string contentType, string code, string? param)
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Nesting_deeper_than_32_is_refused_before_decoding()
    {
        var deep = new string('[', 40) + new string(']', 40);
        using var content = new StringContent($"{{\"model\": \"m\", \"messages\": [{{\"role\": \"user\", \"content\": {deep}}}]}}", Encoding.UTF8, "application/json");
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("nesting_too_deep", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_over_10_MiB_is_a_413()
    {
        var big = new string('a', 10 * 1024 * 1024 + 10);
        using var content = new StringContent($"{{\"model\": \"m\", \"messages\": [{{\"role\": \"user\", \"content\": \"{big}\"}}]}}", Encoding.UTF8, "application/json");
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_prompt_beyond_the_hosts_context_window_is_a_400_context_length_exceeded()
    {
        var body = ChatBodies.Simple(Qwen, new string('x', 40_000));
        using var response = await gateway.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("context_length_exceeded", error["code"]!.GetValue<string>());
        Assert.Contains("maximum context length is 8192", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_request_log_row_carries_the_usage_the_host_reported()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(ModelFamilies.KimiModelId, "log me [[sim:tokens=11]] [[sim:reasoning=5]]"));
        var usage = (await response.Content.ReadFromJsonAsync<JsonObject>())!["usage"]!;
        var requestId = response.Headers.GetValues("X-Request-Id").Single();

        var row = await gateway.Harness.WaitForLogRowAsync(requestId);

        Assert.Equal(200, row["status"]!.GetValue<int>());
        Assert.Equal("completed", row["outcome"]!.GetValue<string>());
        Assert.Equal("kimi-1", row["node_id"]!.GetValue<string>());
        Assert.Equal(ModelFamilies.KimiModelId, row["model"]!.GetValue<string>());
        Assert.Equal(16, row["completion_tokens"]!.GetValue<int>());
        Assert.Equal(usage["completion_tokens"]!.GetValue<int>(), row["completion_tokens"]!.GetValue<int>());
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>(), row["prompt_tokens"]!.GetValue<int>());
        Assert.NotNull(row["key_id"]);
        Assert.True(row["time_to_first_token_ms"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task A_stream_whose_usage_the_client_did_not_see_is_still_logged_with_its_tokens()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(Qwen, "hidden usage [[sim:tokens=9]]", stream: true));
        await response.Content.ReadAsStringAsync();

        var row = await gateway.Harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());

        Assert.Equal(9, row["completion_tokens"]!.GetValue<int>());
        Assert.True(row["prompt_tokens"]!.GetValue<int>() > 0);
        Assert.True(row["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Models_lists_each_served_model_with_its_context_window()
    {
        var list = (await gateway.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!;

        Assert.Equal("list", list["object"]!.GetValue<string>());
        var models = list["data"]!.AsArray().ToDictionary(m => m!["id"]!.GetValue<string>(), m => m!);
        Assert.Equal([ModelFamilies.MiniMaxModelId, Qwen, ModelFamilies.KimiModelId], models.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(262_144, models[ModelFamilies.KimiModelId]["context_length"]!.GetValue<int>());
        Assert.Equal(8_192, models[Qwen]["context_length"]!.GetValue<int>());
        Assert.Equal(4096, models[Qwen]["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal("kimi", models[ModelFamilies.KimiModelId]["family"]!.GetValue<string>());
        var kimiParameters = models[ModelFamilies.KimiModelId]["supported_parameters"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        var qwenParameters = models[Qwen]["supported_parameters"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Contains("thinking_token_budget", kimiParameters);
        Assert.DoesNotContain("structured_outputs", kimiParameters);
        Assert.DoesNotContain("thinking_token_budget", qwenParameters);
        Assert.Contains("tools", qwenParameters);
    }

    [Fact]
    public async Task Models_requires_a_key()
    {
        using var client = gateway.Harness.CreateClient(null);
        using var response = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_answer_404_in_the_openai_shape()
    {
        using var response = await gateway.Client.GetAsync("/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Healthz_answers_once_ready()
    {
        using var client = gateway.Harness.CreateClient(null);
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
