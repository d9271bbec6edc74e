using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Network.Discovery;

/// <summary>A gateway whose hosts come from a (fake) chain API, pointing at simulated hosts on loopback.</summary>
public sealed class DiscoveryEndToEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    private static Task<GatewayHarness> StartAsync(FakeGonkaApi api, params string[] extra) => GatewayHarness.StartAsync(true,
        [
            "--Shardgate:Network:Source", "gonka",
            "--Shardgate:Network:PublicApi", api.BaseUrl.ToString(),
            "--Shardgate:Network:ChainRest", api.BaseUrl.ToString(),
            "--Shardgate:Network:PollInterval", "00:00:00.100",
            "--Shardgate:Hedging:Enabled", "false",
            .. extra,
        ]);

    private static async Task<string[]> RoutedAsync(GatewayHarness gateway)
    {
        var hosts = (await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;
        return [.. hosts.Select(h => $"{h!["id"]}:{h["source"]}").Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Participants_serve_beside_an_admin_node_and_a_newcomer_gets_traffic()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        await using var gateway = await StartAsync(api);
        var a = await gateway.StartHostAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var b = await gateway.StartHostAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        api.AddParticipant("gonka1aaa", a.BaseUrl.ToString(), Qwen, 5_000);
        var own = await gateway.AddHostAsync("own", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = gateway.CreateClient(await gateway.CreateApiKeyAsync());
        await Eventually.HoldsAsync(async () => (await RoutedAsync(gateway)).SequenceEqual(["gonka1aaa:chain", "own:admin"]), "the participant was not discovered");

        api.AddParticipant("gonka1bbb", b.BaseUrl.ToString(), Qwen, 5_000);
        await Eventually.HoldsAsync(async () => (await RoutedAsync(gateway)).Contains("gonka1bbb:chain"), "the newcomer was not discovered");
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "spread"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return a.Requests > 0 && b.Requests > 0 && own.Requests > 0;
        }, "requests did not reach both participants and the admin node");

        var network = (await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/network/hosts"))!;
        Assert.Equal(["gonka1aaa", "gonka1bbb"], network.Select(h => h!["address"]!.GetValue<string>()));
        Assert.All(network, h => Assert.Equal((42L, 0.5), (h!["epoch"]!.GetValue<long>(), h["models"]![0]!["share"]!.GetValue<double>())));
    }

    [Fact]
    public async Task A_departed_participant_is_drained_its_request_in_flight_finishes_and_nothing_new_reaches_it()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        await using var gateway = await StartAsync(api);
        var leaving = await gateway.StartHostAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "hold" });
        var arriving = await gateway.StartHostAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        api.AddParticipant("gonka1leaving", leaving.BaseUrl.ToString(), Qwen, 5_000);
        using var client = gateway.CreateClient(await gateway.CreateApiKeyAsync());
        await Eventually.HoldsAsync(async () => (await RoutedAsync(gateway)).SequenceEqual(["gonka1leaving:chain"]), "the participant was not discovered");

        var inFlight = client.PostChatAsync(ChatBodies.Simple(Qwen, "held while the host leaves"));
        await Eventually.HoldsAsync(() => Task.FromResult(leaving.Active == 1), "the request did not reach the leaving host");
        api.Epoch = 43;
        api.RemoveParticipant("gonka1leaving");
        api.AddParticipant("gonka1arriving", arriving.BaseUrl.ToString(), Qwen, 5_000);
        await Eventually.HoldsAsync(async () => (await RoutedAsync(gateway)).SequenceEqual(["gonka1arriving:chain"]), "the departure was not seen");
        leaving.SetFault(null);
        leaving.ReleaseHeld();

        using (var finished = await inFlight)
        {
            Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        }

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"after {i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, leaving.Requests);
        Assert.Equal(5, arriving.Requests);
    }

    [Fact]
    public async Task An_excluded_participant_gets_nothing_and_the_chain_going_down_keeps_the_hosts()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        await using var gateway = await StartAsync(api, "--Shardgate:Network:Discovery:Hosts:gonka1bad:Exclude", "true");
        var good = await gateway.StartHostAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var bad = await gateway.StartHostAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        api.AddParticipant("gonka1good", good.BaseUrl.ToString(), Qwen, 5_000);
        api.AddParticipant("gonka1bad", bad.BaseUrl.ToString(), Qwen, 50_000);
        using var client = gateway.CreateClient(await gateway.CreateApiKeyAsync());
        await Eventually.HoldsAsync(async () => (await RoutedAsync(gateway)).SequenceEqual(["gonka1good:chain"]), "the participants were not discovered");
        var states = (await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/network/hosts"))!;
        Assert.Equal(["excluded", "active"], states.OrderBy(s => s!["address"]!.GetValue<string>(), StringComparer.Ordinal).Select(s => s!["state"]!.GetValue<string>()));

        api.ParticipantsDown = true;
        var failedPolls = await Eventually.WaitAsync(() => api.RefusedReads >= 2);
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"chain down {i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(failedPolls);
        Assert.Equal(["gonka1good:chain"], await RoutedAsync(gateway));
        Assert.Equal(3, good.Requests);
        Assert.Equal(0, bad.Requests);
    }
}
