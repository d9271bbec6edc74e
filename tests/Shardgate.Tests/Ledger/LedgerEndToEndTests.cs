using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Ledger;

/// <summary>The money path against real SQLite and simulated hosts: reservations, 402, settlement, the books.</summary>
public abstract class LedgerEndToEndTests
{
    protected abstract Backend Backend { get; }

    private const string Qwen = ModelFamilies.QwenModelId;

    [BackendFact]
    public async Task Credit_debit_and_balance_through_the_admin_api()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        var (account, _) = await harness.CreateAccountWithKeyAsync(credit: 5_000);

        using (var debit = await harness.Admin.PostAsJsonAsync($"/admin/v1/accounts/{account}/debit", new JsonObject { ["amount"] = 1_200 }))
        {
            Assert.Equal(HttpStatusCode.OK, debit.StatusCode);
        }

        using (var overdraw = await harness.Admin.PostAsJsonAsync($"/admin/v1/accounts/{account}/debit", new JsonObject { ["amount"] = 10_000 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, overdraw.StatusCode);
        }

        using (var fractional = await harness.Admin.PostAsJsonAsync($"/admin/v1/accounts/{account}/credit", new JsonObject { ["amount"] = 1.5 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, fractional.StatusCode);
        }

        var read = (await harness.Admin.GetFromJsonAsync<JsonObject>($"/admin/v1/accounts/{account}"))!;
        Assert.Equal(3_800, read["balance"]!.GetValue<long>());
        Assert.Equal(0, read["reserved"]!.GetValue<long>());
    }

    [BackendFact]
    public async Task A_new_account_receives_the_configured_free_grant()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend, "--Shardgate:Ledger:FreeGrant", "777");
        using var created = await harness.Admin.PostAsJsonAsync("/admin/v1/accounts", new JsonObject { ["name"] = "new" });

        Assert.Equal(777, (await created.Content.ReadFromJsonAsync<JsonObject>())!["balance"]!.GetValue<long>());
    }

    [BackendFact]
    public async Task Prices_are_set_listed_and_shown_in_models()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await harness.SetPriceAsync(Qwen, 2, 7);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        var prices = (await harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/prices"))!;
        var models = (await client.GetFromJsonAsync<JsonObject>("/v1/models"))!;

        Assert.Equal(7, prices.Single()!["output_per_token"]!.GetValue<long>());
        Assert.Equal(2, models["data"]![0]!["pricing"]!["input_per_token"]!.GetValue<long>());
        Assert.Equal("ngonka", models["data"]![0]!["pricing"]!["unit"]!.GetValue<string>());
    }

    [BackendFact]
    public async Task Without_enough_balance_the_answer_is_402_insufficient_quota_never_429()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await harness.SetPriceAsync(Qwen, 1, 1);
        var (_, key) = await harness.CreateAccountWithKeyAsync(credit: 100);
        using var client = harness.CreateClient(key);

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("insufficient_quota", error["type"]!.GetValue<string>());
        Assert.Equal("insufficient_quota", error["code"]!.GetValue<string>());
        Assert.Contains("100 ngonka available", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [BackendFact]
    public async Task A_request_is_charged_its_actual_usage_and_the_rest_is_released()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await harness.SetPriceAsync(Qwen, 3, 5);
        var (account, key) = await harness.CreateAccountWithKeyAsync(credit: 1_000_000);
        using var client = harness.CreateClient(key);

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "charge me [[sim:tokens=10]]"));
        var usage = (await response.Content.ReadFromJsonAsync<JsonObject>())!["usage"]!;
        var expected = (usage["prompt_tokens"]!.GetValue<long>() * 3) + (10 * 5);

        // The row was committed before the body was sent: no waiting.
        var row = (await harness.Admin.GetFromJsonAsync<JsonObject>($"/admin/v1/requests/{response.Headers.GetValues("X-Request-Id").Single()}"))!;
        Assert.Equal(expected, row["cost"]!.GetValue<long>());
        Assert.True(row["reserved"]!.GetValue<long>() > expected);
        Assert.Equal(1_000_000 - expected, (await harness.LedgerAsync()).Balance(account));
        Assert.Equal(expected, (await harness.LedgerAsync()).ChargedByLedger(account));
    }

    [BackendFact]
    public async Task A_stream_whose_done_the_client_saw_has_its_row_committed()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await harness.SetPriceAsync(Qwen, 1, 1);
        var (_, key) = await harness.CreateAccountWithKeyAsync(credit: 1_000_000);
        using var client = harness.CreateClient(key);

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"stream {i}", stream: true));
            Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var row = await harness.Admin.GetAsync($"/admin/v1/requests/{response.Headers.GetValues("X-Request-Id").Single()}");
            Assert.Equal(HttpStatusCode.OK, row.StatusCode);
        }
    }

    [BackendFact]
    public async Task A_request_that_fails_before_output_costs_nothing()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("bad", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "status=500" });
        await harness.SetPriceAsync(Qwen, 1, 1);
        var (account, key) = await harness.CreateAccountWithKeyAsync(credit: 1_000_000);
        using var client = harness.CreateClient(key);

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen));
        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, row["cost"]!.GetValue<long>());
        Assert.Equal(1_000_000, (await harness.LedgerAsync()).Balance(account));
    }

    [BackendFact]
    public async Task Usage_reports_the_keys_totals_per_model_and_the_remaining_balance()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await harness.SetPriceAsync(Qwen, 1000, 2);
        var (account, key) = await harness.CreateAccountWithKeyAsync(credit: 1_000_000);
        using var client = harness.CreateClient(key);
        for (var i = 0; i < 3; i++)
        {
            using var r = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"u{i} [[sim:tokens=4]]"));
        }

        // Refused before any host: its worst case (2,000 one-token words with the count's margin, at 1000 ngonka) is more than the balance.
        var tooBig = ChatBodies.Simple(Qwen, string.Join(' ', Enumerable.Repeat("word", 2000)));
        for (var i = 0; i < 2; i++)
        {
            using var refused = await client.PostChatAsync(tooBig);
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        }

        var usage = (await client.GetFromJsonAsync<JsonObject>("/v1/usage"))!;

        var day = usage["data"]!.AsArray().Single()!;
        Assert.Equal(Qwen, day["model"]!.GetValue<string>());
        Assert.Equal(3, day["requests"]!.GetValue<long>());
        Assert.Equal(2, day["rejected"]!.GetValue<long>());
        Assert.Equal(12, day["output_tokens"]!.GetValue<long>());
        Assert.True(day["input_tokens"]!.GetValue<long>() > 0);
        var rollup = (await harness.Admin.GetFromJsonAsync<JsonObject>($"/admin/v1/usage?account_id={account}"))!;
        Assert.True(JsonNode.DeepEquals(day, rollup["data"]!.AsArray().Single()), rollup.ToJsonString());
        Assert.Equal(1_000_000 - day["cost"]!.GetValue<long>(), usage["balance"]!.GetValue<long>());
        Assert.Equal((await harness.LedgerAsync()).Balance(account), usage["balance"]!.GetValue<long>());
    }
}

// The suite, once per backend: SQLite always, PostgreSQL when SHARDGATE_TEST_POSTGRES names a server.
public sealed class LedgerEndToEndTestsOnSqlite : LedgerEndToEndTests
{
    protected override Backend Backend => Backend.Sqlite;
}

public sealed class LedgerEndToEndTestsOnPostgres : LedgerEndToEndTests, IRunsOnPostgres
{
    protected override Backend Backend => Backend.Postgres;
}
