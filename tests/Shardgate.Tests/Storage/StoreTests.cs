using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage;

/// <summary>What every backend's stores must do alike, run against real SQLite and real PostgreSQL.</summary>
public abstract class StoreTests
{
    protected abstract Backend Backend { get; }

    private static NodeSpec Node(string id) => new()
    {
        Id = id,
        Host = "h",
        InferencePort = 1,
        MaxConcurrent = 2,
        Weight = 1.5,
        Models = new Dictionary<string, NodeModelSpec> { ["m"] = new() { Args = ["--max-model-len", "100"] } },
        Hardware = [new HardwareSpec("H100", 8)],
    };

    private static RequestLogEntry Row(string id, string outcome = RequestOutcome.Completed, long? cost = null, string? node = "n") => new()
    {
        RequestId = id,
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123),
        KeyId = 3,
        AccountId = 7,
        Model = "m",
        NodeId = node,
        Status = outcome == RequestOutcome.Completed ? 200 : 429,
        Outcome = outcome,
        PromptTokens = 10,
        CompletionTokens = 20,
        DurationMs = 1.25,
        Attempts = 1,
        Cost = cost,
    };

    [BackendFact]
    public async Task Host_figures_add_up_per_host_epoch_and_model_and_operator_keys_are_found_by_hash()
    {
        await using var stores = await TestStores.CreateAsync(Backend);
        await stores.Participants.AddStatsAsync([new("gonka1a", 42, "m", 1, 10, 20, 30, 0, 0), new("gonka1b", 42, "m", 2, 1, 1, 1, 1, 1)], default);
        // A second replica adds to the same row; a new epoch is a new row.
        await stores.Participants.AddStatsAsync([new("gonka1a", 42, "m", 2, 5, 5, 10, 1, 1), new("gonka1a", 43, "m", 1, 1, 1, 2, 0, 0)], default);
        await stores.Participants.CreateOperatorKeyAsync("gonka1a", [1, 2, 3], "sgo-abc", default);

        Assert.Equal(
            [new("gonka1a", 43, "m", 1, 1, 1, 2, 0, 0), new("gonka1a", 42, "m", 3, 15, 25, 40, 1, 1)],
            await stores.Participants.ListStatsAsync("gonka1a", default));
        Assert.Equal(3, (await stores.Participants.ListStatsAsync(null, default)).Count);
        Assert.Equal("gonka1a", await stores.Participants.FindOperatorAsync([1, 2, 3], default));
        Assert.Null(await stores.Participants.FindOperatorAsync([9], default));
    }

    [BackendFact]
    public async Task Node_upsert_reports_creation_once_and_round_trips_every_field()
    {
        await using var stores = await TestStores.CreateAsync(Backend);

        Assert.True(await stores.Nodes.UpsertAsync(Node("a"), default));
        Assert.False(await stores.Nodes.UpsertAsync(Node("a") with { Enabled = false }, default));

        var read = await stores.Nodes.GetAsync("a", default);
        Assert.NotNull(read);
        Assert.False(read.Enabled);
        Assert.Equal(1.5, read.Weight);
        Assert.Equal(["--max-model-len", "100"], read.Models["m"].Args);
        Assert.Equal(new HardwareSpec("H100", 8), read.Hardware!.Single());
        Assert.True(await stores.Nodes.DeleteAsync("a", default));
        Assert.False(await stores.Nodes.DeleteAsync("a", default));
        Assert.Empty(await stores.Nodes.ListAsync(default));
    }

    [BackendFact]
    public async Task Keys_are_found_by_hash_with_their_limits_listed_and_revoked_once()
    {
        await using var stores = await TestStores.CreateAsync(Backend);
        var account = await stores.Accounts.CreateAccountAsync("acme", default);
        var key = ApiKeyMaterial.NewKey();
        var limits = new KeyLimits { RequestsPerMinute = 60, Models = ["m"] };
        var created = await stores.Accounts.CreateKeyAsync(account.Id, ApiKeyMaterial.Hash(key), ApiKeyMaterial.DisplayPrefix(key), limits, default);

        var found = await stores.Accounts.FindKeyByHashAsync(ApiKeyMaterial.Hash(key), default);
        Assert.Equal(created.Id, found!.Id);
        Assert.Equal(account.Id, found.AccountId);
        Assert.True(found.Limits.SameAs(limits));
        Assert.False(found.IsRevoked);

        Assert.True(await stores.Accounts.RevokeKeyAsync(account.Id, created.Id, default));
        Assert.False(await stores.Accounts.RevokeKeyAsync(account.Id, created.Id, default));
        Assert.True((await stores.Accounts.ListKeysAsync(account.Id, default)).Single().IsRevoked);
        Assert.Null(await stores.Accounts.FindKeyByHashAsync(ApiKeyMaterial.Hash(ApiKeyMaterial.NewKey()), default));
    }

    [BackendFact]
    public async Task A_log_batch_reads_back_exactly_and_a_row_appended_twice_keeps_the_first()
    {
        await using var stores = await TestStores.CreateAsync(Backend);
        var rows = Enumerable.Range(0, 300).Select(i => Row($"req_{i}") with { Stream = i % 2 == 0, TimeToFirstTokenMs = 1.5 }).ToList();

        await stores.Log.AppendAsync(rows, default);
        await stores.Log.AppendAsync([rows[5] with { Status = 500 }], default);

        Assert.Equal(rows[123], await stores.Log.GetAsync("req_123", default));
        Assert.Equal(200, (await stores.Log.GetAsync("req_5", default))!.Status);
        Assert.Null(await stores.Log.GetAsync("req_missing", default));
    }

    [BackendFact]
    public async Task Charged_rows_write_one_ledger_entry_each_and_a_retried_batch_is_not_charged_twice()
    {
        await using var stores = await TestStores.CreateAsync(Backend);
        await AddAccountWithLeaseAsync(stores);
        List<RequestLogEntry> batch = [Row("r1", cost: 40), Row("r2", cost: 60), Row("r3", cost: 0)];

        await stores.Log.AppendAsync(batch, default);
        await stores.Log.AppendAsync(batch, default);

        Assert.Equal("900 200 200 2 -100", await stores.ScalarAsync("""
            SELECT (SELECT balance FROM accounts WHERE id = 7) || ' ' || (SELECT reserved FROM accounts WHERE id = 7) || ' ' ||
                   (SELECT amount FROM balance_leases WHERE account_id = 7) || ' ' || COUNT(*) || ' ' || SUM(amount)
            FROM ledger_entries WHERE kind = 'charge';
            """));
    }

    [BackendFact]
    public async Task Usage_counts_served_and_rejected_requests_apart_per_key_and_per_account()
    {
        await using var stores = await TestStores.CreateAsync(Backend);
        await AddAccountWithLeaseAsync(stores);
        await stores.Log.AppendAsync(
            [
                Row("a", cost: 5), Row("b", RequestOutcome.Incomplete, cost: 3),
                Row("c", RequestOutcome.ClientDisconnected, cost: 1), Row("d", RequestOutcome.ClientDisconnected, node: null),
                Row("e", RequestOutcome.Saturated, node: null), Row("f", RequestOutcome.Rejected, node: null),
                Row("g", RequestOutcome.UpstreamFailed) with { PromptTokens = null, CompletionTokens = null },
            ],
            default);

        var expected = new UsageDay("2027-01-15", "m", Requests: 3, Rejected: 4, InputTokens: 60, OutputTokens: 120, Cost: 9);
        Assert.Equal(expected, (await stores.Log.UsageAsync(3, null, null, default)).Single());
        Assert.Equal(expected, (await stores.Log.UsageAsync(null, 7, null, default)).Single());
        Assert.Equal(expected, (await stores.Log.UsageAsync(null, null, null, default)).Single());
        Assert.Empty(await stores.Log.UsageAsync(4, null, null, default));
        Assert.Equal(expected, (await stores.Log.UsageAsync(null, null, DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123), default)).Single());
        Assert.Empty(await stores.Log.UsageAsync(null, null, DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_124), default));
    }

    [BackendFact]
    public async Task Spend_is_grouped_by_day_account_and_model_with_only_served_requests_counted()
    {
        await using var stores = await TestStores.CreateAsync(Backend);
        await AddAccountWithLeaseAsync(stores);
        await stores.Log.AppendAsync([Row("a", cost: 5), Row("b", RequestOutcome.Incomplete, cost: 3), Row("e", RequestOutcome.Saturated, node: null)], default);

        var spend = Assert.Single(await stores.Log.SpendAsync(null, default));

        Assert.Equal(new SpendRow("2027-01-15", 7, "m", Requests: 2, InputTokens: 30, OutputTokens: 60, Cost: 8), spend);
        Assert.Empty(await stores.Log.SpendAsync(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_124), default));
    }

    [BackendFact]
    public async Task Accounts_are_listed_by_id_one_page_at_a_time()
    {
        await using var stores = await TestStores.CreateAsync(Backend);
        var created = new List<long>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            created.Add((await stores.Accounts.CreateAccountAsync(name, default)).Id);
        }

        var first = await stores.Accounts.ListAccountsAsync(0, 2, default);
        var rest = await stores.Accounts.ListAccountsAsync(first[^1].Id, 2, default);

        Assert.Equal(["a", "b"], first.Select(a => a.Name));
        Assert.Equal(["c"], rest.Select(a => a.Name));
        Assert.Equal(created, first.Concat(rest).Select(a => a.Id));
    }

    /// <summary>Account 7 with 300 of its 1000 ngonka in this replica's lease, so charged rows have money to take.</summary>
    private static Task AddAccountWithLeaseAsync(TestStores stores) => stores.ExecuteAsync("""
        INSERT INTO accounts (id, name, created_at, balance, reserved) VALUES (7, 'a', 0, 1000, 300);
        INSERT INTO balance_leases (owner, account_id, amount, updated_at) VALUES ('local', 7, 300, 0);
        """);
}

// The suite, once per backend: SQLite always, PostgreSQL when SHARDGATE_TEST_POSTGRES names a server.
public sealed class StoreTestsOnSqlite : StoreTests
{
    protected override Backend Backend => Backend.Sqlite;
}

public sealed class StoreTestsOnPostgres : StoreTests, IRunsOnPostgres
{
    protected override Backend Backend => Backend.Postgres;
}
