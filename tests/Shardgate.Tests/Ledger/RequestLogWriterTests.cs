using Microsoft.Extensions.Logging.Abstractions;
using Shardgate.Hosting;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Storage;
using Shardgate.Storage.Sqlite;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Ledger;

public sealed class RequestLogWriterTests
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    [Fact]
    public async Task Without_a_spool_a_request_alone_commits_its_row_itself_and_others_wait_for_the_writers_group_commit()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);
        using var writer = NewWriter(temp, store, new RequestLogOptions { RequestLogSpool = RequestLogOptions.Off });

        // The writer's loop is not started: only an inline commit can complete.
        await writer.CommitAsync(Row("alone"), alone: true).WaitAsync(TimeSpan.FromSeconds(10));
        var queued = writer.CommitAsync(Row("queued"), alone: false);
        // Queued synchronously (the channel has room); with the loop not started nothing else can commit it.
        Assert.Equal(1, writer.Backlog);
        var waitedForTheWriter = !queued.IsCompleted;
        await writer.StartAsync(default);
        await queued.WaitAsync(TimeSpan.FromSeconds(10));
        await writer.StopAsync(default);

        Assert.False(writer.HasSpool);
        Assert.NotNull(await store.GetAsync("alone", default));
        Assert.True(waitedForTheWriter, "a row that was not alone was committed without the writer");
        Assert.NotNull(await store.GetAsync("queued", default));
        Assert.Equal(2, writer.RowsCommitted);
        Assert.Equal(2, writer.Commits);
    }

    [Fact]
    public async Task A_flush_waits_for_the_rows_queued_before_it_so_a_read_that_follows_sees_them()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);
        using var writer = NewWriter(temp, store, new RequestLogOptions { RequestLogSpool = RequestLogOptions.Off });

        await writer.StartAsync(default);
        for (var i = 0; i < 100; i++)
        {
            await writer.EnqueueAsync(Row($"queued-{i}"));
        }

        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Read at once: every row queued before the flush is there, wherever the writer was when it began.
        for (var i = 0; i < 100; i++)
        {
            Assert.NotNull(await store.GetAsync($"queued-{i}", default));
        }
        await writer.StopAsync(default);
    }

    [Fact]
    public async Task The_writer_resumes_a_batchs_requests_itself_rather_than_handing_each_to_the_thread_pool()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);
        // Without a spool a row that is not alone always queues for the writer (with one it would be written inline).
        using var writer = NewWriter(temp, store, new RequestLogOptions { RequestLogSpool = RequestLogOptions.Off });

        // On the thread pool, as in ASP.NET Core: xUnit's synchronization context would take the continuations.
        // Resumed by the writer, the first request runs inside the writer's completion of its batch, before the
        // second request's row is marked committed; handed to the thread pool, it would run after.
        Task? second = null;
        var first = Task.Run(async () =>
        {
            var committing = writer.CommitAsync(Row("r1"));
            second = writer.CommitAsync(Row("r2"));
            await committing;
            return second.IsCompleted;
        });
        for (var i = 0; i < 3_000 && writer.Backlog < 2; i++)
        {
            await Task.Delay(10);
        }

        await writer.StartAsync(default);
        var secondDoneWhenFirstResumed = await first.WaitAsync(TimeSpan.FromSeconds(30));
        await second!.WaitAsync(TimeSpan.FromSeconds(30));
        await writer.StopAsync(default);

        Assert.False(secondDoneWhenFirstResumed);
        Assert.Equal(2, writer.RowsCommitted);
        Assert.Equal(1, writer.Commits);
    }

    [Fact]
    public async Task With_a_spool_a_row_that_finds_no_write_running_is_written_by_its_request_though_others_are_in_flight()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);
        var spool = SpoolIn(temp);
        using var writer = NewWriter(temp, store, Spooling(spool));

        // The writer's loop is not started: only an inline write can complete.
        await writer.CommitAsync(Row("busy"), alone: false).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("busy", Assert.Single(RequestLogSpool.Read(Assert.Single(Segments(spool)), out _)).RequestId);
        Assert.Equal(1, writer.Spooled);
        Assert.Equal(0, writer.Backlog);
    }

    [Fact]
    public async Task A_spooled_row_is_durable_before_the_database_has_it_and_a_flush_commits_it_and_retires_its_segment()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);
        var spool = SpoolIn(temp);
        using var writer = NewWriter(temp, store, Spooling(spool));

        await writer.CommitAsync(Row("r1"), alone: true).WaitAsync(TimeSpan.FromSeconds(10));
        var segments = Segments(spool);
        var inSegment = RequestLogSpool.Read(Assert.Single(segments), out var torn);
        var beforeFlush = await store.GetAsync("r1", default);
        var spooled = writer.Spooled;
        await writer.FlushAsync();

        Assert.True(writer.HasSpool);
        Assert.Equal("r1", Assert.Single(inSegment).RequestId);
        Assert.False(torn);
        Assert.Null(beforeFlush);
        Assert.Equal(1, spooled);
        Assert.NotNull(await store.GetAsync("r1", default));
        Assert.Empty(Segments(spool));
        Assert.Equal(0, writer.Spooled);
        Assert.Equal(1, writer.RowsCommitted);
    }

    [Fact]
    public async Task The_writer_flushes_the_spool_on_its_own_and_on_stop()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);
        var spool = SpoolIn(temp);
        using var writer = NewWriter(temp, store, Spooling(spool, flushEvery: TimeSpan.FromMilliseconds(20)));
        await writer.StartAsync(default);

        await writer.CommitAsync(Row("by-interval"));
        for (var i = 0; i < 3_000 && writer.RowsCommitted == 0; i++)
        {
            await Task.Delay(10);
        }

        var byInterval = await store.GetAsync("by-interval", default);
        await writer.CommitAsync(Row("by-stop"));
        await writer.StopAsync(default);

        Assert.NotNull(byInterval);
        Assert.NotNull(await store.GetAsync("by-stop", default));
        Assert.Empty(Segments(spool));
    }

    [Fact]
    public async Task Rows_a_crash_left_in_the_spool_are_replayed_charged_once_and_a_torn_last_record_is_ignored()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await temp.AddAccountWithLeaseAsync(7, balance: 1000, leased: 300);
        await using var store = NewStore(temp);
        var spool = SpoolIn(temp);
        var options = Spooling(spool);
        var (r1, r2) = (Charged("r1", 40), Charged("r2", 60));
        using (var crashed = NewWriter(temp, store, options))
        {
            await crashed.CommitAsync(r1, alone: true);
            await crashed.CommitAsync(r2, alone: true);
        }

        // r1 reached the database before the crash; the crash cut a third record short.
        await store.AppendAsync([r1], default);
        await File.AppendAllBytesAsync(Assert.Single(Segments(spool)), [200, 0, 0, 0, 1, 2, 3]);

        using var restarted = NewWriter(temp, store, options);
        await restarted.ReplaySpoolAsync(default);

        Assert.NotNull(await store.GetAsync("r2", default));
        Assert.Empty(Segments(spool));
        Assert.Equal("900 200 200 2", await temp.ScalarAsync("""
            SELECT (SELECT balance FROM accounts WHERE id = 7) || ' ' || (SELECT reserved FROM accounts WHERE id = 7) || ' ' ||
                   (SELECT amount FROM balance_leases WHERE account_id = 7) || ' ' || COUNT(*)
            FROM ledger_entries WHERE kind = 'charge';
            """));
    }

    [Fact]
    public async Task Rows_whose_database_commit_fails_stay_in_the_spool_and_a_later_flush_reads_them_back_and_commits_each_once()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var sqlite = NewStore(temp);
        var store = new FailingRequestLogStore(sqlite) { FailuresLeft = 2 };
        var spool = SpoolIn(temp);
        using var writer = NewWriter(temp, store, Spooling(spool));

        // Two failed flushes leave three segments: r1's, r2's, and the one r3 is appended to.
        await writer.CommitAsync(Row("r1"), alone: true);
        await writer.FlushAsync();
        await writer.CommitAsync(Row("r2"), alone: true);
        await writer.FlushAsync();
        var (spooledAfterFailures, segmentsAfterFailures) = (writer.Spooled, Segments(spool).Length);
        await writer.CommitAsync(Row("r3"), alone: true);
        await writer.FlushAsync();

        Assert.Equal(2, spooledAfterFailures);
        Assert.Equal(2, segmentsAfterFailures);
        foreach (var id in new[] { "r1", "r2", "r3" })
        {
            Assert.NotNull(await sqlite.GetAsync(id, default));
        }

        Assert.Empty(Segments(spool));
        Assert.Equal(0, writer.Spooled);
        Assert.Equal(3, writer.RowsCommitted);
    }

    [Fact]
    public async Task A_spool_another_writer_holds_is_not_shared_and_rows_go_to_the_database_directly()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var store = NewStore(temp);
        var options = Spooling(SpoolIn(temp));
        using var holder = NewWriter(temp, store, options);
        using var second = NewWriter(temp, store, options);

        await second.CommitAsync(Row("direct"), alone: true);

        Assert.True(holder.HasSpool);
        Assert.False(second.HasSpool);
        Assert.NotNull(await store.GetAsync("direct", default));
    }

    [Fact]
    public async Task A_spool_directory_that_cannot_be_created_stops_the_start_with_a_message_naming_it()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var file = Path.Combine(temp.Directory, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");
        await using var store = NewStore(temp);

        var error = Assert.Throws<StartupException>(() => NewWriter(temp, store, new RequestLogOptions { RequestLogSpool = Path.Combine(file, "spool") }));

        Assert.Contains(Path.Combine(file, "spool"), error.Message, StringComparison.Ordinal);
        Assert.Contains("RequestLogSpool", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data/shardgate.db", null, "/data/shardgate.db-spool")]
    [InlineData("/data/shardgate.db", "", "/data/shardgate.db-spool")]
    [InlineData("/data/shardgate.db", "off", null)]
    [InlineData("/data/shardgate.db", "/var/spool/sg", "/var/spool/sg")]
    [InlineData("Host=127.0.0.1;Database=sg", null, null)]
    [InlineData("Host=127.0.0.1;Database=sg", "/var/spool/sg", "/var/spool/sg")]
    public void The_spool_sits_beside_a_sqlite_file_and_is_off_over_postgres_unless_a_directory_is_set(string database, string? spool, string? expected)
    {
        var sqliteFile = Shardgate.Storage.Postgres.PostgresDatabase.IsConnectionString(database) ? null : database;
        Assert.Equal(expected, RequestLogSpool.DirectoryFor(new RequestLogOptions { RequestLogSpool = spool }.WithDefaultSpool(sqliteFile)));
    }

    private static string[] Segments(string spool) => Directory.GetFiles(spool, "*.spool");

    private static string SpoolIn(TempDatabase temp) => Path.Combine(temp.Directory, "spool");

    /// <summary>A spool in <paramref name="spool"/>, flushed only when asked unless <paramref name="flushEvery"/> says.</summary>
    private static RequestLogOptions Spooling(string spool, TimeSpan? flushEvery = null) =>
        new() { RequestLogSpool = spool, RequestLogFlushInterval = flushEvery ?? Never };

    private static SqliteRequestLogStore NewStore(TempDatabase temp) =>
        new(temp.Database, new LedgerOptions(), TimeProvider.System, NullLogger<SqliteRequestLogStore>.Instance);

    private static BalanceLedger NewLedger(TempDatabase temp) =>
        new(new SqliteLedgerStore(temp.Database, TimeProvider.System), new LedgerOptions(), TimeProvider.System, NullLogger<BalanceLedger>.Instance);

    private static RequestLogWriter NewWriter(TempDatabase temp, IRequestLogStore store, RequestLogOptions options) =>
        new(store, NewLedger(temp), options, TimeProvider.System, NullLogger<RequestLogWriter>.Instance);

    private static RequestLogEntry Row(string id) =>
        new() { RequestId = id, StartedAt = DateTimeOffset.UnixEpoch, Status = 200, Outcome = RequestOutcome.Completed, DurationMs = 1 };

    private static RequestLogEntry Charged(string id, long cost) => Row(id) with { AccountId = 7, Cost = cost };
}
