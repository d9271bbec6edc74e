using Shardgate.Storage;
using Shardgate.Storage.Sqlite;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage.Sqlite;

public sealed class SqliteRequestLogStoreTests
{
    [Fact]
    public async Task A_batch_is_appended_and_each_row_reads_back_exactly()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var store = new SqliteRequestLogStore(temp.Database, new Shardgate.Ledger.LedgerOptions());
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
        var store = new SqliteRequestLogStore(temp.Database, new Shardgate.Ledger.LedgerOptions());
        var row = new RequestLogEntry { RequestId = "req_x", StartedAt = DateTimeOffset.UnixEpoch, Status = 200, Outcome = RequestOutcome.Completed, DurationMs = 1 };

        await store.AppendAsync([row], default);
        await store.AppendAsync([row with { Status = 500 }], default);

        Assert.Equal(200, (await store.GetAsync("req_x", default))!.Status);
    }
}
