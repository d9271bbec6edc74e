using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Admission;

public sealed class AdmissionEndToEndTests
{
    [Fact]
    public async Task A_model_at_its_admission_limit_answers_429_at_once_while_other_models_serve()
    {
        await using var harness = await GatewayHarness.StartAsync(true, $"--Shardgate:Admission:Models:{ModelFamilies.QwenModelId}:MaxConcurrent", "1");
        var qwen = await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await harness.AddHostAsync("k", new SimulatedHostOptions { Family = ModelFamily.Kimi });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        using var hold = new CancellationTokenSource();
        var slow = client.PostAsJsonAsync("/v1/chat/completions", ChatBodies.Simple(ModelFamilies.QwenModelId, "hold [[sim:fault=slow-first-token=30000]]", stream: true), hold.Token);
        for (var i = 0; i < 3_000 && qwen.Active == 0; i++)
        {
            await Task.Delay(10);
        }

        using var refused = await client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId));
        using var other = await client.PostChatAsync(ChatBodies.Simple(ModelFamilies.KimiModelId));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        var error = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("model_saturated", error["code"]!.GetValue<string>());
        Assert.Contains("admission limit", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        await hold.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public async Task A_request_the_gate_refuses_holds_nothing_afterwards()
    {
        // One slot for the model, and a key limited to one request at a time: a refusal that kept either would
        // make the next request fail.
        await using var harness = await GatewayHarness.StartAsync(true, $"--Shardgate:Admission:Models:{ModelFamilies.QwenModelId}:MaxConcurrent", "1");
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await harness.SetPriceAsync(ModelFamilies.QwenModelId, 1000, 1);
        var (account, key) = await harness.CreateAccountWithKeyAsync(credit: 1_000_000);
        var keyId = (await harness.Admin.GetFromJsonAsync<JsonArray>($"/admin/v1/accounts/{account}/keys"))!.Single()!["id"]!.GetValue<long>();
        using (var limits = await harness.Admin.PutAsJsonAsync($"/admin/v1/accounts/{account}/keys/{keyId}/limits", new JsonObject { ["max_concurrent"] = 1 }))
        {
            Assert.True(limits.IsSuccessStatusCode, await limits.Content.ReadAsStringAsync());
        }

        using var client = harness.CreateClient(key);

        using var unpaid = await client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId, string.Join(' ', Enumerable.Repeat("word", 2000))));
        using var served = await client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId));

        Assert.Equal(HttpStatusCode.PaymentRequired, unpaid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
