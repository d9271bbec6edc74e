using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Observability;

/// <summary>Requests through real simulated hosts, then <c>/metrics</c> read as Prometheus would.</summary>
public sealed class MetricsEndToEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private static readonly SimulatedHostOptions QwenHost = new() { Family = ModelFamily.Qwen };

    [Fact]
    public async Task The_token_usage_histogram_sums_to_the_tokens_in_the_request_log()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("qwen-1", QwenHost);
        await harness.SetPriceAsync(Qwen, 1, 2);
        var (account, key) = await harness.CreateAccountWithKeyAsync("metered", credit: 10_000_000);
        using var client = harness.CreateClient(key);

        for (var i = 0; i < 6; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"count me {i} [[sim:tokens={5 + i}]]", stream: i % 2 == 0));
            await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var ledger = await harness.LedgerAsync();
        var metrics = await PrometheusText.ScrapeAsync(harness.Admin);
        var model = $"gen_ai_request_model=\"{Qwen}\"";
        Assert.Equal(ledger.PromptTokensInRequestLog(account), metrics.Sum("gen_ai_client_token_usage_sum", model, "gen_ai_token_type=\"input\""));
        Assert.Equal(ledger.CompletionTokensInRequestLog(account), metrics.Sum("gen_ai_client_token_usage_sum", model, "gen_ai_token_type=\"output\""));
        Assert.Equal(6, metrics.Sum("gen_ai_client_token_usage_count", model, "gen_ai_token_type=\"input\""));
        Assert.Equal(6, metrics.Sum("shardgate_requests_total", $"model=\"{Qwen}\"", "outcome=\"served\"", "status_class=\"2xx\""));
        Assert.Equal(ledger.CostInRequestLog(account), metrics.Sum("shardgate_ledger_spent_total", $"model=\"{Qwen}\""));
        Assert.Equal(6, metrics.Sum("gen_ai_server_request_duration_seconds_count", model));
        Assert.Equal(6, metrics.Sum("gen_ai_server_time_to_first_token_seconds_count", model));
        Assert.Equal(3, metrics.Sum("shardgate_host_time_to_first_token_seconds_count", "node=\"qwen-1\""));
        Assert.True(metrics.Has("dotnet_gc_collections_total") || metrics.Has("dotnet_process_cpu_time_seconds_total"), "runtime metrics are exported");
    }

    [Fact]
    public async Task A_host_that_stalls_mid_stream_shows_in_its_failures_and_its_health_state()
    {
        await using var harness = await GatewayHarness.StartAsync(true, "--Shardgate:Upstream:InterChunkTimeout", "00:00:00.300", "--Shardgate:Hedging:Enabled", "false");
        await harness.AddHostAsync("stalls", QwenHost with { Fault = "stall-after=2" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "then silence", stream: true));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("upstream_stream_interrupted", body, StringComparison.Ordinal);

        var metrics = await PrometheusText.ScrapeAsync(harness.Admin);
        Assert.Equal(1, metrics.Sum("shardgate_host_failures_total", "node=\"stalls\"", "kind=\"stall\""));
        Assert.Equal(1, metrics.Sum("shardgate_host_health", "node=\"stalls\"", "state=\"quarantined\""));
        Assert.Equal(0, metrics.Sum("shardgate_host_health", "node=\"stalls\"", "state=\"healthy\""));
        Assert.Equal(1, metrics.Sum("shardgate_requests_total", "outcome=\"interrupted\""));
        Assert.Equal(1, metrics.Sum("gen_ai_server_request_duration_seconds_count", "error_type=\"interrupted\""));
    }

    [Fact]
    public async Task Refusals_show_under_their_outcome_and_unknown_models_never_become_labels()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("qwen-1", QwenHost);
        await harness.SetPriceAsync(Qwen, 1_000, 1_000);
        using var broke = harness.CreateClient(await harness.CreateApiKeyAsync("broke"));

        using (var unpaid = await broke.PostChatAsync(ChatBodies.Simple(Qwen)))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, unpaid.StatusCode);
        }

        using (var unknown = await broke.PostChatAsync(ChatBodies.Simple("no-such-model-" + Guid.NewGuid().ToString("N"))))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using var anonymous = harness.CreateClient("sk-not-a-key");
        using (var refused = await anonymous.PostChatAsync(ChatBodies.Simple(Qwen)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var metrics = await PrometheusText.ScrapeAsync(harness.Admin);
        Assert.Equal(1, metrics.Sum("shardgate_requests_total", $"model=\"{Qwen}\"", "outcome=\"insufficient_balance\"", "status_class=\"4xx\""));
        Assert.Equal(1, metrics.Sum("shardgate_requests_total", "model=\"unknown\"", "outcome=\"rejected\""));
        Assert.Equal(1, metrics.Sum("shardgate_requests_total", "outcome=\"unauthorized\""));
        Assert.DoesNotContain("no-such-model", metrics.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saturated_model_counts_its_429s_and_the_fallback_taken()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var kimi = await harness.AddHostAsync("kimi-busy", new SimulatedHostOptions { Family = ModelFamily.Kimi, Fault = "hold" }, maxConcurrent: 1);
        await harness.AddHostAsync("qwen-1", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        var kimiModel = kimi.Options.EffectiveModelId;

        var holding = client.PostChatAsync(ChatBodies.Simple(kimiModel, "takes the only slot"));
        await WaitUntilAsync(() => kimi.Active == 1);
        var body = ChatBodies.Simple(kimiModel, "falls back");
        body["models"] = new JsonArray(kimiModel, Qwen);
        using (var fellBack = await client.PostChatAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, fellBack.StatusCode);
        }

        kimi.ReleaseHeld();
        using (var first = await holding)
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var metrics = await PrometheusText.ScrapeAsync(harness.Admin);
        Assert.Equal(1, metrics.Sum("shardgate_model_saturated_total", $"model=\"{kimiModel}\""));
        Assert.Equal(1, metrics.Sum("shardgate_model_fallbacks_total", $"model=\"{kimiModel}\""));
        Assert.Equal(2, metrics.Sum("shardgate_requests_total", "outcome=\"served\""));
    }

    [Fact]
    public async Task The_scrape_endpoint_moves_to_its_own_port_or_turns_off()
    {
        var port = FreePort();
        await using (var separate = await GatewayHarness.StartAsync(true, "--Shardgate:Metrics:Url", $"http://127.0.0.1:{port}"))
        {
            using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var metrics = await PrometheusText.ScrapeAsync(scraper);
            Assert.True(metrics.Has("target_info"));
            Assert.Equal(HttpStatusCode.NotFound, (await separate.Admin.GetAsync("/metrics")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync("/v1/models")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await separate.Admin.GetAsync("/healthz")).StatusCode);
        }

        await using var off = await GatewayHarness.StartAsync(true, "--Shardgate:Metrics:Enabled", "false");
        using var notThere = await off.Admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, notThere.StatusCode);
        Assert.Equal("not_found", (await notThere.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Bounded at 30 s, for a machine busy with other work; the condition normally holds within milliseconds.
        for (var i = 0; i < 1200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
