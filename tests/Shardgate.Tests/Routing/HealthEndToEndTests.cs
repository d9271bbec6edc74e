using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Routing;

/// <summary>Passive health through the gateway: a failing host rests, is shown resting, can be cleared, and stays resting across a restart.</summary>
public sealed class HealthEndToEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    [Fact]
    public async Task A_host_that_said_503_rests_and_later_requests_go_straight_to_a_healthy_host()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("tired", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "status=503" }, weight: 10);
        await harness.AddHostAsync("fresh", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using (var first = await client.PostChatAsync(ChatBodies.Simple(Qwen, "one")))
        {
            var row = await harness.WaitForLogRowAsync(first.Headers.GetValues("X-Request-Id").Single());
            Assert.Equal(2, row["attempts"]!.GetValue<int>());
        }

        for (var i = 0; i < 5; i++)
        {
            using var next = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"next {i}"));
            var row = await harness.WaitForLogRowAsync(next.Headers.GetValues("X-Request-Id").Single());
            Assert.Equal(1, row["attempts"]!.GetValue<int>());
            Assert.Equal("fresh", row["node_id"]!.GetValue<string>());
        }

        var hosts = (await harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;
        var tired = hosts.Single(h => h!["id"]!.GetValue<string>() == "tired")!["health"]!;
        Assert.Equal("coolingdown", tired["status"]!.GetValue<string>());
        Assert.Contains("HTTP 503", tired["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        using var cleared = await harness.Admin.PostAsync("/admin/v1/hosts/tired/clear", null);
        Assert.Equal("probation", (await cleared.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_every_host_rests_one_request_probes_and_a_recovered_host_serves_again()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var only = await harness.AddHostAsync("only", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "status=503" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        using (var failed = await client.PostChatAsync(ChatBodies.Simple(Qwen, "fails")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, failed.StatusCode);
        }

        only.SetFault(null);
        using var probe = await client.PostChatAsync(ChatBodies.Simple(Qwen, "probe"));

        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        var hosts = (await harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;
        Assert.Equal("probation", hosts.Single()!["health"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rest_survives_a_restart_of_the_gateway()
    {
        await using var first = await GatewayHarness.StartAsync();
        await first.AddHostAsync("tired", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "status=500" });
        using (var client = first.CreateClient(await first.CreateApiKeyAsync()))
        {
            using var failed = await client.PostChatAsync(ChatBodies.Simple(Qwen));
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        await using var second = await GatewayHarness.StartAsync(true, "--Shardgate:Database", first.DatabasePath);
        var hosts = (await second.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;

        Assert.Equal("coolingdown", hosts.Single()!["health"]!["status"]!.GetValue<string>());
    }
}
