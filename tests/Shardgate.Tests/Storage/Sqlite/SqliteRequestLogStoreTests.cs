using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Storage.Sqlite;
using Shardgate.Storage;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage.Sqlite;

public sealed class SqliteRequestLogStoreTests
{
    [Fact]
    public async Task A_batch_is_appended_and_each_row_reads_back_exactly()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);
        var started = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123);
        var rows = Enumerable.Range(0, 300).Select(i => new RequestLogEntry
        {
            RequestId = $"req_{i}",
            StartedAt = started,
            KeyId = i,
            AccountId = 1,
            Model = "m",
            NodeId = "n",
            Stream = i % 2 == 0,
            Status = 200,
            Outcome = RequestOutcome.Completed,
            PromptTokens = i,
            CompletionTokens = i * 2,
            TimeToFirstTokenMs = 1.5,
            DurationMs = 9.25,
            Attempts = 1,
        }).ToList();

        await store.AppendAsync(rows, default);

        Assert.Equal(rows[123], await store.GetAsync("req_123", default));
        Assert.Null(await store.GetAsync("req_missing", default));
    }

    [Fact]
    public async Task Appending_a_row_twice_keeps_the_first_and_never_updates()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);
        var row = new RequestLogEntry { RequestId = "req_x", StartedAt = DateTimeOffset.UnixEpoch, Status = 200, Outcome = RequestOutcome.Completed, DurationMs = 1 };

        await store.AppendAsync([row], default);
        await store.AppendAsync([row with { Status = 500 }], default);

        Assert.Equal(200, (await store.GetAsync("req_x", default))!.Status);
    }

    [Fact]
    public async Task Charged_rows_write_one_ledger_entry_each_and_one_balance_and_lease_change_per_account_and_a_retried_batch_is_not_charged_twice()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await temp.AddAccountWithLeaseAsync(7, balance: 1000, leased: 300);
        await using var store = NewStore(temp);
        RequestLogEntry Charged(string id, long cost) => new() { RequestId = id, StartedAt = DateTimeOffset.UnixEpoch, AccountId = 7, Status = 200, Outcome = RequestOutcome.Completed, DurationMs = 1, Cost = cost };
        List<RequestLogEntry> batch = [Charged("r1", 40), Charged("r2", 60), Charged("r3", 0)];

        await store.AppendAsync(batch, default);
        await store.AppendAsync(batch, default);

        Assert.Equal("900 200 200 2 -100", await temp.ScalarAsync("""
            SELECT (SELECT balance FROM accounts WHERE id = 7) || ' ' || (SELECT reserved FROM accounts WHERE id = 7) || ' ' ||
                   (SELECT amount FROM balance_leases WHERE account_id = 7) || ' ' || COUNT(*) || ' ' || SUM(amount)
            FROM ledger_entries WHERE kind = 'charge';
            """));
    }

    [Fact]
    public async Task A_batch_that_fails_part_way_leaves_nothing_behind_and_the_next_batch_starts_afresh()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await temp.ExecuteAsync("INSERT INTO accounts (id, name, created_at, balance, reserved) VALUES (7, 'a', 0, 1000, 300);");
        await using var store = NewStore(temp);
        await store.AppendAsync([new RequestLogEntry { RequestId = "warm", StartedAt = DateTimeOffset.UnixEpoch, Status = 200, Outcome = RequestOutcome.Completed, DurationMs = 1 }], default);

        // The charge insert now fails after the row insert ran in the same transaction.
        await temp.ExecuteAsync("ALTER TABLE ledger_entries RENAME TO ledger_entries_away;");
        var charged = new RequestLogEntry { RequestId = "r1", StartedAt = DateTimeOffset.UnixEpoch, AccountId = 7, Status = 200, Outcome = RequestOutcome.Completed, DurationMs = 1, Cost = 40 };
        await Assert.ThrowsAsync<SqliteException>(() => store.AppendAsync([charged], default));
        var afterFailure = await store.GetAsync("r1", default);
        await temp.ExecuteAsync("ALTER TABLE ledger_entries_away RENAME TO ledger_entries;");
        await store.AppendAsync([charged], default);

        Assert.Null(afterFailure);
        Assert.NotNull(await store.GetAsync("r1", default));
        Assert.Equal("960 1", await temp.ScalarAsync("SELECT (SELECT balance FROM accounts WHERE id = 7) || ' ' || COUNT(*) FROM ledger_entries WHERE kind = 'charge';"));
    }

    [Fact]
    public async Task Many_small_batches_all_commit_and_the_wal_is_checkpointed_beside_them()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);

        for (var i = 0; i < 3 * SqliteCheckpointer.CommitsPerCheckpoint; i++)
        {
            await store.AppendAsync([new RequestLogEntry { RequestId = $"c{i}", StartedAt = DateTimeOffset.UnixEpoch, Status = 200, Outcome = RequestOutcome.Completed, DurationMs = 1 }], default);
        }

        // Checkpoints run on their own task; wait (bounded) for the first.
        for (var tries = 0; tries < 200 && store.Checkpoints == 0; tries++)
        {
            await Task.Delay(50);
        }

        Assert.True(store.Checkpoints > 0, "no checkpoint ran after 192 commits");
        Assert.Equal((long)(3 * SqliteCheckpointer.CommitsPerCheckpoint), long.Parse((await temp.ScalarAsync("SELECT COUNT(*) FROM request_log;"))!, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static SqliteRequestLogStore NewStore(TempDatabase temp) =>
        new(temp.Database, new Shardgate.Ledger.LedgerOptions(), TimeProvider.System, NullLogger<SqliteRequestLogStore>.Instance);
}
