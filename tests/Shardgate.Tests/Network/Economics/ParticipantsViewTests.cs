using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Network.Chain;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Network.Economics;

/// <summary>The host operators' view over discovered participants, with a fake chain API serving their collateral and a paged directory.</summary>
public sealed class ParticipantsViewTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    [Theory]
    [InlineData(10_000L, 0L, 50L, 2_000L)] // no collateral: only the base 20 %
    [InlineData(10_000L, 4_000L, 50L, 6_000L)] // half the 8,000 required
    [InlineData(10_000L, 9_000L, 50L, 10_000L)] // more than required
    [InlineData(10_000L, 0L, 5L, 10_000L)] // grace period: all of it
    public void Active_weight_follows_the_collateral_rule(long weight, long collateral, long epoch, long active) =>
        Assert.Equal(active, new CollateralParams(0.2, 1, 10).ActiveWeight(weight, collateral, epoch));

    [Fact]
    public async Task Each_participant_shows_its_epoch_weight_share_collateral_and_what_it_served_missed_and_earned_and_an_operator_key_reads_only_its_own()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(true,
            "--Shardgate:Network:Source", "gonka",
            "--Shardgate:Network:PublicApi", api.BaseUrl.ToString(),
            "--Shardgate:Network:ChainRest", api.BaseUrl.ToString(),
            "--Shardgate:Network:PollInterval", "00:00:00.100",
            "--Shardgate:Network:EconomicsInterval", "00:00:00.200",
            "--Shardgate:Hedging:Enabled", "false");
        var a = await gateway.StartHostAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var b = await gateway.StartHostAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var down = await gateway.StartHostAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "status=503" });
        api.AddParticipant("gonka1aaa", a.BaseUrl.ToString(), Qwen, 30_000);
        api.AddParticipant("gonka1bbb", b.BaseUrl.ToString(), Qwen, 20_000, 10_000);
        api.AddParticipant("gonka1down", down.BaseUrl.ToString(), Qwen, 30_000);
        api.Collateral["gonka1aaa"] = 12_000;
        // The directory pages two at a time: gonka1down's coins are on the second page.
        api.CoinsOwed["gonka1down"] = 777;
        await gateway.SetPriceAsync(Qwen, 1, 1);
        using var client = gateway.CreateClient((await gateway.CreateAccountWithKeyAsync("user", credit: 1_000_000)).Key);
        await Eventually.HoldsAsync(async () => (await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/network/hosts"))!.Count == 3, "the participants were not discovered");

        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "work"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var view = await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/participants");
            JsonNode? Of(string address) => view!.Single(p => p!["address"]!.GetValue<string>() == address);
            return Of("gonka1aaa")!["epochs"]!.AsArray().Count > 0 && Of("gonka1bbb")!["epochs"]!.AsArray().Count > 0
                && Of("gonka1down")!["epochs"]!.AsArray().Any(e => e!["missed"]!.GetValue<long>() > 0)
                && Of("gonka1down")!["coins_owed"] is not null && Of("gonka1aaa")!["active_weight"] is not null;
        }, "the participants' figures did not appear");

        var all = (await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/participants"))!;
        var aaa = all.Single(p => p!["address"]!.GetValue<string>() == "gonka1aaa")!;
        Assert.Equal((42L, 30_000L), (aaa["epoch"]!.GetValue<long>(), aaa["poc_weight"]!.GetValue<long>()));
        Assert.Equal(1 / 3.0, aaa["models"]![0]!["share"]!.GetValue<double>(), 9);
        // Past the grace period (epoch 10): 20 % base plus 12,000 of the 24,000 collateral required for the rest.
        Assert.Equal((12_000L, 18_000L), (aaa["collateral"]!.GetValue<long>(), aaa["active_weight"]!.GetValue<long>()));
        var served = aaa["epochs"]!.AsArray().Single()!;
        Assert.Equal((42L, Qwen), (served["epoch"]!.GetValue<long>(), served["model"]!.GetValue<string>()));
        Assert.True(served["requests"]!.GetValue<long>() > 0);
        Assert.Equal(served["input_tokens"]!.GetValue<long>() + served["output_tokens"]!.GetValue<long>(), served["earned"]!.GetValue<long>());
        Assert.Equal(777, all.Single(p => p!["address"]!.GetValue<string>() == "gonka1down")!["coins_owed"]!.GetValue<long>());

        using var created = await gateway.Admin.PostAsync("/admin/v1/participants/gonka1aaa/keys", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        using var operatorClient = new HttpClient { BaseAddress = gateway.BaseUrl };
        operatorClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var own = await operatorClient.GetAsync("/admin/v1/participants/gonka1aaa");
        using var other = await operatorClient.GetAsync("/admin/v1/participants/gonka1bbb");
        using var list = await operatorClient.GetAsync("/admin/v1/participants");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("gonka1aaa", (await own.Content.ReadFromJsonAsync<JsonObject>())!["address"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("address", (await other.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);

        var cliList = await CliProcess.RunAsync(gateway.BaseUrl, GatewayHarness.AdminKey, "participants", "list");
        var cliOwn = await CliProcess.RunAsync(gateway.BaseUrl, key, "participants", "show", "gonka1aaa");
        var cliOther = await CliProcess.RunAsync(gateway.BaseUrl, key, "participants", "show", "gonka1bbb");
        Assert.True(cliList.ExitCode == 0, cliList.Error);
        Assert.Contains("gonka1down", cliList.Output, StringComparison.Ordinal);
        Assert.True(cliOwn.ExitCode == 0, cliOwn.Error);
        Assert.Contains(Qwen, cliOwn.Output, StringComparison.Ordinal);
        Assert.Equal(1, cliOther.ExitCode);
        Assert.Contains("403", cliOther.Error, StringComparison.Ordinal);
    }
}
