using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Routing;

/// <summary>An alias naming tiers of models, and OpenRouter's <c>models</c> list, falling through when a model cannot serve.</summary>
public sealed class FallbackEndToEndTests
{
    private const string Kimi = ModelFamilies.KimiModelId;
    private const string Qwen = ModelFamilies.QwenModelId;
    private const string MiniMax = ModelFamilies.MiniMaxModelId;
    private static readonly string LongPrompt = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 400));

    private static string[] AutoAlias(int kimiMaxPrompt = 1_000) =>
    [
        "--Shardgate:Fallbacks:auto:0:Model", Kimi,
        "--Shardgate:Fallbacks:auto:0:MaxPromptTokens", kimiMaxPrompt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--Shardgate:Fallbacks:auto:1:Model", Qwen,
        "--Shardgate:Fallbacks:auto:2:Model", MiniMax,
    ];

    [Fact]
    public async Task Auto_sends_short_prompts_to_the_first_tier_and_long_ones_to_the_next_and_says_which_served()
    {
        await using var harness = await GatewayHarness.StartAsync(true, AutoAlias());
        await harness.AddHostAsync("k", new SimulatedHostOptions { Family = ModelFamily.Kimi });
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var shortOne = await client.PostChatAsync(ChatBodies.Simple("auto", "short"));
        using var longOne = await client.PostChatAsync(ChatBodies.Simple("auto", LongPrompt));

        Assert.Equal(Kimi, shortOne.Headers.GetValues("X-Shardgate-Model").Single());
        Assert.Equal(Qwen, longOne.Headers.GetValues("X-Shardgate-Model").Single());
        Assert.Equal(Qwen, (await longOne.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_saturated_first_tier_falls_through_to_the_next()
    {
        await using var harness = await GatewayHarness.StartAsync(true, AutoAlias());
        var kimi = await harness.AddHostAsync("k", new SimulatedHostOptions { Family = ModelFamily.Kimi }, maxConcurrent: 1);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        using var hold = new CancellationTokenSource();
        var slow = client.PostAsJsonAsync("/v1/chat/completions", ChatBodies.Simple(Kimi, "hold [[sim:fault=slow-first-token=30000]]", stream: true), hold.Token);
        for (var i = 0; i < 3_000 && kimi.Active == 0; i++)
        {
            await Task.Delay(10);
        }

        using var response = await client.PostChatAsync(ChatBodies.Simple("auto", "short"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Qwen, response.Headers.GetValues("X-Shardgate-Model").Single());
        await hold.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public async Task A_context_too_long_for_one_model_falls_through_to_a_model_that_holds_it()
    {
        await using var harness = await GatewayHarness.StartAsync(true, AutoAlias(kimiMaxPrompt: 1_000_000));
        await harness.AddHostAsync("k", new SimulatedHostOptions { Family = ModelFamily.Kimi, MaxModelLen = 4_096 });
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 65_536 });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple("auto", LongPrompt + LongPrompt));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Qwen, response.Headers.GetValues("X-Shardgate-Model").Single());
    }

    [Fact]
    public async Task A_models_list_is_tried_in_order_and_never_reaches_the_host()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("k", new SimulatedHostOptions { Family = ModelFamily.Kimi, Fault = "status=500" });
        var qwen = await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        var body = new JsonObject
        {
            ["models"] = new JsonArray("not-served", Kimi, Qwen),
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
        };

        using var response = await client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Qwen, response.Headers.GetValues("X-Shardgate-Model").Single());
        Assert.DoesNotContain("\"models\"", Encoding.UTF8.GetString(qwen.LastRequestBody.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_model_fails_the_last_ones_error_is_the_answer()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("k", new SimulatedHostOptions { Family = ModelFamily.Kimi, Fault = "status=500" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        var body = ChatBodies.Simple(Kimi);
        body["models"] = new JsonArray("not-served");

        using var response = await client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Shardgate-Model"));
        Assert.Equal("upstream_unavailable", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }
}
