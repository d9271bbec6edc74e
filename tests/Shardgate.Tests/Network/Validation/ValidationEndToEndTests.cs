using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Network.Validation;

/// <summary>
/// Sampling every request (fraction 1) on a shard of three honest simulated hosts and one serving another model:
/// the wrong-model host becomes suspect, the honest ones do not, and the replays are the broker's expense.
/// </summary>
public sealed class ValidationEndToEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    private static async Task<GatewayHarness> StartAsync() => await GatewayHarness.StartAsync(true,
        "--Shardgate:Validation:AccountId", "1",
        "--Shardgate:Validation:Fraction", "1",
        "--Shardgate:Validation:MaxPerMinute", "100000",
        "--Shardgate:Hedging:Enabled", "false");

    private static async Task<JsonObject> ValidationAsync(GatewayHarness gateway) => (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/validation"))!;

    private static bool Suspect(JsonObject validation, string node) =>
        validation["hosts"]!.AsArray().Any(h => h!["node_id"]!.GetValue<string>() == node && h["suspect"]!.GetValue<bool>());

    [Fact]
    public async Task A_wrong_model_host_is_marked_suspect_honest_hosts_are_not_and_the_broker_pays_for_the_replays()
    {
        await using var gateway = await StartAsync();
        var (broker, _) = await gateway.CreateAccountWithKeyAsync("broker", credit: 1_000_000_000_000);
        Assert.Equal(1, broker);
        await gateway.SetPriceAsync(Qwen, 1, 2);
        foreach (var honest in new[] { "honest-1", "honest-2", "honest-3" })
        {
            await gateway.AddHostAsync(honest, new SimulatedHostOptions { Family = ModelFamily.Qwen });
        }

        var liar = await gateway.AddHostAsync("liar", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "wrong-model" });
        var (user, key) = await gateway.CreateAccountWithKeyAsync("user", credit: 1_000_000_000);
        using var client = gateway.CreateClient(key);

        JsonObject? answer = null;
        var sent = 0;
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"question {sent++} [[sim:tokens=24]]"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answer ??= await response.Content.ReadFromJsonAsync<JsonObject>();
            return Suspect(await ValidationAsync(gateway), "liar");
        }, "the wrong-model host was not marked suspect");

        var validation = await ValidationAsync(gateway);
        Assert.All(new[] { "honest-1", "honest-2", "honest-3" }, h => Assert.False(Suspect(validation, h), $"{h} was marked suspect"));
        Assert.True(liar.Requests > 0);
        // Diverged as the host that answered, or as a validator whose verdict a third host overturned.
        Assert.True(validation["hosts"]!.AsArray().Single(h => h!["node_id"]!.GetValue<string>() == "liar")!["window_diverged"]!.GetValue<int>() >= 3);
        var hosts = (await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;
        Assert.True(hosts.Single(h => h!["id"]!.GetValue<string>() == "liar")!["suspect"]!.GetValue<bool>());
        var metrics = await gateway.Admin.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("shardgate_validation_suspect{", StringComparison.Ordinal) && line.EndsWith("node=\"liar\"} 1", StringComparison.Ordinal));
        // The client did not ask for logprobs, so the ones forced for the sample are not in its answer.
        Assert.Null(answer!["choices"]![0]!["logprobs"]);

        var replays = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/requests?endpoint=validation&limit=1000"))!["data"]!.AsArray();
        Assert.NotEmpty(replays);
        Assert.All(replays, r => Assert.Equal(broker, r!["account_id"]!.GetValue<long>()));
        Assert.All(replays, r => Assert.True(r!["cost"]!.GetValue<long>() > 0));
        var userRows = (await gateway.Admin.GetFromJsonAsync<JsonObject>($"/admin/v1/requests?account_id={user}&limit=1000"))!["data"]!.AsArray();
        Assert.Equal(sent, userRows.Count);
        Assert.All(userRows, r => Assert.Equal("/v1/chat/completions", r!["endpoint"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_account_that_opted_out_is_never_replayed()
    {
        await using var gateway = await StartAsync();
        await gateway.CreateAccountWithKeyAsync("broker", credit: 1_000_000_000_000);
        await gateway.AddHostAsync("a", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await gateway.AddHostAsync("b", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var (privateAccount, privateKey) = await gateway.CreateAccountWithKeyAsync("private");
        using (var patched = await gateway.Admin.PatchAsJsonAsync($"/admin/v1/accounts/{privateAccount}", new JsonObject { ["validation_sampling"] = false }))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            Assert.False((await patched.Content.ReadFromJsonAsync<JsonObject>())!["validation_sampling"]!.GetValue<bool>());
        }

        using var privateClient = gateway.CreateClient(privateKey);
        using var sharingClient = gateway.CreateClient(await gateway.CreateApiKeyAsync("sharing"));
        var privateIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await privateClient.PostChatAsync(ChatBodies.Simple(Qwen, $"private {i}"));
            privateIds.Add(response.Headers.GetValues("X-Request-Id").Single());
        }

        // The queue is served in order: once a later request's sample is in, the private ones were seen before it.
        using var shared = await sharingClient.PostChatAsync(ChatBodies.Simple(Qwen, "shared"));
        var sharedId = shared.Headers.GetValues("X-Request-Id").Single();
        await Eventually.HoldsAsync(async () => (await ValidationAsync(gateway))["recent"]!.AsArray().Any(s => s!["request_id"]!.GetValue<string>() == sharedId), "the sharing account's request was not replayed");

        var recent = (await ValidationAsync(gateway))["recent"]!.AsArray().Select(s => s!["request_id"]!.GetValue<string>());
        Assert.Empty(recent.Intersect(privateIds));
    }
}
