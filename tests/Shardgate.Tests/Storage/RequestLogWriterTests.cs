using Microsoft.Extensions.Logging.Abstractions;
using Shardgate.Hosting;
using Shardgate.Ledger;
using Shardgate.Storage;
using Shardgate.Storage.Sqlite;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage;

public sealed class RequestLogWriterTests
{
    [Fact]
    public async Task A_request_alone_commits_its_row_itself_and_others_wait_for_the_writers_group_commit()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = new SqliteRequestLogStore(temp.Database, new LedgerOptions(), TimeProvider.System, NullLogger<SqliteRequestLogStore>.Instance);
        var ledger = new BalanceLedger(new SqliteLedgerStore(temp.Database, TimeProvider.System), new LedgerOptions(), TimeProvider.System, NullLogger<BalanceLedger>.Instance);
        using var writer = new RequestLogWriter(store, ledger, new ShardgateOptions(), TimeProvider.System, NullLogger<RequestLogWriter>.Instance);

        // The writer's loop is not started: only an inline commit can complete.
        await writer.CommitAsync(Row("alone"), alone: true).WaitAsync(TimeSpan.FromSeconds(10));
        var queued = writer.CommitAsync(Row("queued"), alone: false);
        await Task.Delay(100);
        var waitedForTheWriter = !queued.IsCompleted;
        await writer.StartAsync(default);
        await queued.WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(default);

        Assert.NotNull(await store.GetAsync("alone", default));
        Assert.True(waitedForTheWriter, "a row that was not alone was committed without the writer");
        Assert.NotNull(await store.GetAsync("queued", default));
        Assert.Equal(2, writer.RowsCommitted);
        Assert.Equal(2, writer.Commits);
    }

    private static RequestLogEntry Row(string id) =>
        new() { RequestId = id, StartedAt = DateTimeOffset.UnixEpoch, Status = 200, Outcome = RequestOutcome.Completed, DurationMs = 1 };
}
