using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Ledger;

/// <summary>The ledger's invariants under concurrency, disconnects and host failures, checked on the database itself.</summary>
public abstract class LedgerInvariantTests
{
    protected abstract Backend Backend { get; }

    private const string Qwen = ModelFamilies.QwenModelId;

    [BackendFact]
    public async Task Five_hundred_concurrent_requests_on_an_account_that_affords_ten_run_exactly_ten()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        // Each request costs exactly what it reserves (output only, and the host writes all 100 tokens), so a settlement
        // frees nothing and the count holds however the 500 interleave with the first ones finishing on a busy machine.
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxConcurrent = 600, TimeToFirstToken = TimeSpan.FromSeconds(1) });
        await harness.SetPriceAsync(Qwen, 0, 1);
        var body = ChatBodies.Simple(Qwen, "afford me [[sim:tokens=100]]");
        body["max_tokens"] = 100;
        var perRequest = await WorstCaseAsync(harness, body);
        var (account, key) = await harness.CreateAccountWithKeyAsync(credit: perRequest * 10);
        using var client = harness.CreateClient(key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(async _ =>
        {
            using var response = await client.PostAsync("/v1/chat/completions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            return response.StatusCode;
        }));

        Assert.Equal(10, responses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(490, responses.Count(s => s == HttpStatusCode.PaymentRequired));
        Assert.True((await harness.LedgerAsync()).Balance(account) >= 0);
        Assert.Equal(0, (await harness.LedgerAsync()).Shortfall(account));
    }

    [BackendFact]
    public async Task After_mixed_load_the_balance_change_equals_the_charges_equals_the_logged_costs()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("good", new SimulatedHostOptions { Family = ModelFamily.Qwen, TokensPerSecond = 200 });
        await harness.AddHostAsync("failing", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "status=503" }, weight: 5);
        await harness.AddHostAsync("dropping", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "drop-after=5", TokensPerSecond = 100 }, weight: 0.5);
        await harness.SetPriceAsync(Qwen, 3, 7);
        const long Initial = 50_000_000;
        var (account, key) = await harness.CreateAccountWithKeyAsync(credit: Initial);
        using var client = harness.CreateClient(key);

        var work = Enumerable.Range(0, 60).Select(i => (i % 4) switch
        {
            0 => PlainAsync(client, i),
            1 => StreamAsync(client, i),
            2 => DisconnectAsync(client, i),
            _ => StreamAsync(client, i, tokens: 40),
        });
        await Task.WhenAll(work);
        await WaitForRowsAsync(harness, account, 60);

        var charged = (await harness.LedgerAsync()).ChargedByLedger(account);
        Assert.True(charged > 0);
        Assert.Equal(Initial - (await harness.LedgerAsync()).Balance(account), charged);
        Assert.Equal(charged, (await harness.LedgerAsync()).CostInRequestLog(account));
        Assert.Equal(0, (await harness.LedgerAsync()).Shortfall(account));
    }

    [BackendFact]
    public async Task A_client_that_disconnects_mid_stream_pays_only_for_what_the_host_produced()
    {
        await using var harness = await GatewayHarness.StartAsync(Backend);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen, TokensPerSecond = 20 });
        await harness.SetPriceAsync(Qwen, 0, 1_000);
        var (account, key) = await harness.CreateAccountWithKeyAsync(credit: 10_000_000);
        using var client = harness.CreateClient(key);

        await DisconnectAsync(client, 0, tokens: 200);
        await WaitForRowsAsync(harness, account, 1);

        var cost = (await harness.LedgerAsync()).CostInRequestLog(account);
        Assert.InRange(cost, 1_000, 199_000);
    }

    [BackendFact]
    public async Task Leases_left_by_a_crash_are_released_at_the_next_start()
    {
        // The same replica restarting: an owner it keeps (over PostgreSQL the default is unique per process).
        await using var first = await GatewayHarness.StartAsync(Backend, "--Shardgate:Ledger:Owner", "replica-a");
        await first.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await first.SetPriceAsync(Qwen, 1, 1);
        var (account, key) = await first.CreateAccountWithKeyAsync(credit: 1_000_000);
        using (var client = first.CreateClient(key))
        {
            using var r = await client.PostChatAsync(ChatBodies.Simple(Qwen));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        // The lease is held while the replica runs, as it would be at the moment of a crash.
        Assert.True((await first.LedgerAsync()).Reserved(account) > 0);
        var balance = (await first.LedgerAsync()).Balance(account);

        await using var second = await GatewayHarness.StartAsync(Backend, "--Shardgate:Database", first.DatabasePath, "--Shardgate:Ledger:Owner", "replica-a");

        Assert.Equal(0, (await first.LedgerAsync()).Reserved(account));
        Assert.Equal(balance, (await first.LedgerAsync()).Balance(account));
    }

    private static async Task<long> WorstCaseAsync(GatewayHarness harness, JsonObject body)
    {
        // One request on a rich account tells the exact reservation the gateway computes for this body.
        var (_, key) = await harness.CreateAccountWithKeyAsync("probe", credit: 1_000_000_000);
        using var client = harness.CreateClient(key);
        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        return row["reserved"]!.GetValue<long>();
    }

    private static async Task PlainAsync(HttpClient client, int i)
    {
        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"plain {i} [[sim:tokens=12]]"));
        await response.Content.ReadAsStringAsync();
    }

    private static async Task StreamAsync(HttpClient client, int i, int tokens = 8)
    {
        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"stream {i} [[sim:tokens={tokens}]]", stream: true));
        await response.Content.ReadAsStringAsync();
    }

    private static async Task DisconnectAsync(HttpClient client, int i, int tokens = 100)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(ChatBodies.Simple(Qwen, $"leave {i} [[sim:tokens={tokens}]]", stream: true)) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return;
        }

        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        _ = await stream.ReadAsync(buffer);
        // Disposing the response mid-stream closes the connection, after HttpClient's drain allowance (at most 2 s):
        // the client has left.
    }

    private static async Task WaitForRowsAsync(GatewayHarness harness, long account, int rows)
    {
        for (var i = 0; i < 1_200 && (await harness.LedgerAsync()).Rows(account) < rows; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(rows, (await harness.LedgerAsync()).Rows(account));
    }
}

// The suite, once per backend: SQLite always, PostgreSQL when SHARDGATE_TEST_POSTGRES names a server.
public sealed class LedgerInvariantTestsOnSqlite : LedgerInvariantTests
{
    protected override Backend Backend => Backend.Sqlite;
}

public sealed class LedgerInvariantTestsOnPostgres : LedgerInvariantTests, IRunsOnPostgres
{
    protected override Backend Backend => Backend.Postgres;
}
