using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Shardgate.Observability;

namespace Shardgate.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database on its own connection and task, beside the request-log commits rather
/// than inside one of them: SQLite's automatic checkpoint runs in whichever commit crosses 1,000 WAL pages, and
/// every client waiting on that commit waited for it too (the p99 at concurrency 1 was the checkpoint). A PASSIVE
/// checkpoint takes no lock a writer needs, so commits go on while it runs. It runs after every
/// <see cref="CommitsPerCheckpoint"/> commits, and once a second while any are unchecked, so the WAL stays small.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    internal const int CommitsPerCheckpoint = 64;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);
    private readonly SqliteDatabase _database;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _commits;
    private long _checkpoints;

    public SqliteCheckpointer(SqliteDatabase database, TimeProvider time, ILogger logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints completed so far.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Called after each commit; wakes the checkpointer every <see cref="CommitsPerCheckpoint"/> commits.</summary>
    public void OnCommitted()
    {
        if (Interlocked.Increment(ref _commits) % CommitsPerCheckpoint == 0 && _wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: one checkpoint covers every commit before it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync()
    {
        SqliteConnection? connection = null;
        var checkedUpTo = 0L;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using (var idle = new CancellationTokenSource(Idle, _time))
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, _stop.Token))
                {
                    try
                    {
                        await _wake.WaitAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                        // A quiet second: check whatever was committed since the last checkpoint.
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                var commits = Interlocked.Read(ref _commits);
                if (commits == checkedUpTo)
                {
                    continue;
                }

                try
                {
                    connection ??= await _database.OpenAsync(pooled: false, CancellationToken.None);
                    using var checkpoint = connection.CreateCommand();
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    checkpoint.ExecuteNonQuery();
                    checkedUpTo = commits;
                    Interlocked.Increment(ref _checkpoints);
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
                {
                    // A failed checkpoint loses nothing (the frames stay in the WAL); the next one retries.
                    GatewayLog.CheckpointFailed(_logger, ex);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
