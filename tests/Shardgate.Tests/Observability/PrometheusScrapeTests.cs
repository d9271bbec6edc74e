using System.Net;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Observability;

/// <summary>A real Prometheus (Debian's package, deploy/prometheus/ci.yml) scrapes the gateway's own metrics port.</summary>
public sealed class PrometheusScrapeTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    [PrometheusFact]
    public async Task Prometheus_scrapes_the_gateway_and_its_token_usage_sums_to_the_request_log()
    {
        await using var harness = await GatewayHarness.StartAsync(true, "--Shardgate:Metrics:Url", TestPrometheus.ScrapeTarget);
        await harness.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var (account, key) = await harness.CreateAccountWithKeyAsync("scraped");
        using var client = harness.CreateClient(key);
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"scrape me {i} [[sim:tokens={3 + i}]]", stream: i % 2 == 1));
            await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var ledger = await harness.LedgerAsync();
        var input = ledger.PromptTokensInRequestLog(account);
        var output = ledger.CompletionTokensInRequestLog(account);
        Assert.True(input > 0 && output > 0);

        // A series keeps its labels across gateway restarts, so these read this gateway's counts once it is scraped.
        const string series = "gen_ai_client_token_usage_sum{job=\"shardgate\",gen_ai_request_model=\"" + Qwen + "\",gen_ai_token_type=";
        Assert.Equal(1, await TestPrometheus.WaitForValueAsync("up{job=\"shardgate\"}", 1));
        Assert.Equal(input, await TestPrometheus.WaitForValueAsync($"sum({series}\"input\"}})", input));
        Assert.Equal(output, await TestPrometheus.WaitForValueAsync($"sum({series}\"output\"}})", output));
        Assert.Equal(4, await TestPrometheus.WaitForValueAsync("sum(shardgate_requests_total{job=\"shardgate\",outcome=\"served\"})", 4));
    }
}
