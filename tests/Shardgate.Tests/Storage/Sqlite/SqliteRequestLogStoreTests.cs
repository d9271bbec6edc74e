using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Storage;
using Shardgate.Storage.Sqlite;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage.Sqlite;

public sealed class SqliteRequestLogStoreTests
{
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
        for (var tries = 0; tries < 600 && store.Checkpoints == 0; tries++)
        {
            await Task.Delay(50);
        }

        Assert.True(store.Checkpoints > 0, "no checkpoint ran after 192 commits");
        Assert.Equal((long)(3 * SqliteCheckpointer.CommitsPerCheckpoint), long.Parse((await temp.ScalarAsync("SELECT COUNT(*) FROM request_log;"))!, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static SqliteRequestLogStore NewStore(TempDatabase temp) =>
        new(temp.Database, new Shardgate.Ledger.LedgerOptions(), TimeProvider.System, NullLogger<SqliteRequestLogStore>.Instance);
}
