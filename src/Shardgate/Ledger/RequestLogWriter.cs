using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Observability;

namespace Shardgate.Ledger;

/// <summary>
/// Takes request-log rows off the request path and makes them durable in batches (group commit): whatever queued
/// while the previous write ran goes into the next one. A row is durable once it is in the local spool
/// (<see cref="RequestLogSpool"/>, one write per batch; the default over SQLite) or, without a spool, once its
/// database transaction commits. Spooled rows reach the database in bigger batches behind the requests, every
/// <see cref="RequestLogOptions.RequestLogFlushInterval"/> or sooner when a batch's worth waits, and whenever a
/// reader asks (<see cref="FlushAsync"/>); a crash leaves them in the spool, replayed at the next start
/// (<see cref="ReplaySpoolAsync"/>). A row that finds no write running is written on its request's own thread
/// (see <see cref="CommitAsync(RequestLogEntry, bool)"/>). On shutdown it drains the queue and flushes the spool.
/// </summary>
internal sealed class RequestLogWriter : BackgroundService
{
    private const int MaxTries = 5;
    private static readonly TimeSpan MaxFlushBackoff = TimeSpan.FromSeconds(5);

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(65_536) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly IRequestLogStore _store;
    private readonly BalanceLedger _ledger;
    private readonly RequestLogSpool? _spool;
    private readonly int _batchSize;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _time;
    private readonly ILogger<RequestLogWriter> _logger;

    // Held by whoever makes rows durable (the writer's batches, inline writes) and by a flush while it takes the
    // spooled rows and rotates the segment, so no row lands in a segment that is being retired.
    private readonly SemaphoreSlim _writing = new(1, 1);

    // One flush to the database at a time.
    private readonly SemaphoreSlim _flushing = new(1, 1);

    // Released when a batch's worth of rows waits in the spool, to flush before the interval ends.
    private readonly SemaphoreSlim _flushDue = new(0, 1);

    // Spooled rows not yet taken by a flush, oldest first; guarded by _writing.
    private List<RequestLogEntry> _spooled = [];

    // Spooled rows not yet committed, those a running flush holds included.
    private int _spooledCount;

    // Guards the three counters together, so a status read never sees a flushed row both spooled and committed.
    private readonly Lock _counters = new();

    // Set when a flush failed: its rows were let go and live only in the closed segments; read only under _flushing.
    private bool _rowsOnDiskOnly;
    private long _commits;
    private long _rows;

    public RequestLogWriter(IRequestLogStore store, BalanceLedger ledger, RequestLogOptions options, TimeProvider time, ILogger<RequestLogWriter> logger)
    {
        _store = store;
        _ledger = ledger;
        _batchSize = options.RequestLogBatchSize;
        _flushInterval = options.RequestLogFlushInterval;
        _time = time;
        _logger = logger;
        if (RequestLogSpool.DirectoryFor(options) is { } directory)
        {
            _spool = RequestLogSpool.TryOpen(directory);
            if (_spool is null)
            {
                GatewayLog.SpoolHeldElsewhere(_logger, directory);
            }
        }
    }

    /// <summary>Rows queued and not yet durable.</summary>
    public int Backlog => _queue.Reader.Count;

    /// <summary>Rows durable in the spool and not yet committed to the database.</summary>
    public int Spooled => Volatile.Read(ref _spooledCount);

    /// <summary>Bytes in the spool's segment files; zero without a spool.</summary>
    public long SpoolBytes => _spool?.Bytes() ?? 0;

    /// <summary>Whether rows go through a local spool before the database.</summary>
    public bool HasSpool => _spool is not null;

    /// <summary>Database transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Rows committed to the database so far; divided by <see cref="Commits"/>, the batch size.</summary>
    public long RowsCommitted => Interlocked.Read(ref _rows);

    /// <summary>Spooled rows, commits and committed rows read together: a row is counted in one place, never two.</summary>
    public (int Spooled, long Commits, long RowsCommitted) Counts()
    {
        lock (_counters)
        {
            return (_spooledCount, _commits, _rows);
        }
    }

    /// <summary>Queues a row; waits only when the queue is full, which pushes back on the request path.</summary>
    public ValueTask EnqueueAsync(RequestLogEntry entry) => _queue.Writer.WriteAsync(new Pending(entry, null));

    /// <summary>
    /// Completes once the row is durable. A row that arrives with nothing queued and no write running is written by
    /// the caller itself: handing it to the writer and being woken back costs two thread wake-ups, each of which can
    /// wait for a core when the host and clients share the machine, and the writer's pool thread spins between
    /// batches. With a spool that holds whenever the writer is idle — a batch of one is one <c>pwrite</c> — and rows
    /// that arrive meanwhile join the writer's next batch. Without a spool a batch is a database transaction, so
    /// only a request <paramref name="alone"/> (no other in flight) writes its own; the others wait for the writer's
    /// group commit. A failed inline write falls back to the writer, which retries.
    /// </summary>
    public async Task CommitAsync(RequestLogEntry entry, bool alone = false)
    {
        if ((alone || _spool is not null) && _queue.Reader.Count == 0 && _writing.Wait(0))
        {
            try
            {
                await WriteAsync([entry]);
                return;
            }
            catch (Exception ex)
            {
                GatewayLog.RequestLogWriteFailed(_logger, ex, 1, 1);
            }
            finally
            {
                _writing.Release();
            }
        }

        // Continuations run synchronously: the writer resumes the batch's requests itself (ResumeWaiters).
        var committed = new TaskCompletionSource();
        await _queue.Writer.WriteAsync(new Pending(entry, committed));
        await committed.Task;
    }

    /// <summary>
    /// Makes the rows queued so far durable, then commits the spooled rows to the database, so a read that follows
    /// sees every request answered before it.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        // A marker behind the rows queued so far (and any batch the writer is writing): the writer resumes it once
        // those are durable. Without the writer running (not started, or stopping) there is no one to wait for.
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (ExecuteTask is { IsCompleted: false } && _queue.Writer.TryWrite(new Pending(null, drained)))
        {
            await drained.Task.WaitAsync(cancellationToken);
        }

        if (_spool is not null && Spooled > 0)
        {
            await FlushOneAtATimeAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Commits what a crashed run left in the spool, before leftover leases are released: the rows' charges still
    /// sit in this owner's leases. Rows already committed before the crash are skipped by their request id, so
    /// nothing is charged twice.
    /// </summary>
    public async Task ReplaySpoolAsync(CancellationToken cancellationToken)
    {
        if (_spool is null)
        {
            return;
        }

        foreach (var segment in _spool.Leftovers)
        {
            var rows = RequestLogSpool.Read(segment, out var torn);
            await AppendAsync(rows, cancellationToken);

            File.Delete(segment);
            GatewayLog.SpoolReplayed(_logger, rows.Count, Path.GetFileName(segment), torn);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        base.Dispose();
        _spool?.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var flushes = _spool is null ? Task.CompletedTask : FlushPeriodicallyAsync(stoppingToken);
        var batch = new List<Pending>(_batchSize);
        // The reader ignores stoppingToken on purpose: StopAsync completes the queue and this loop drains it.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < _batchSize && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            await WriteBatchAsync(batch);
            batch.Clear();
        }

        await flushes;
        for (var attempt = 1; attempt <= MaxTries && Spooled > 0; attempt++)
        {
            // Rows a last flush cannot commit stay in the spool and are replayed at the next start.
            await FlushAsync(CancellationToken.None);
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var rows = batch.Where(p => p.Entry is not null).Select(p => p.Entry!).ToList();
        if (rows.Count == 0)
        {
            ResumeWaiters(batch);
            return;
        }

        await _writing.WaitAsync();
        try
        {
            for (var attempt = 1; attempt <= MaxTries; attempt++)
            {
                try
                {
                    await WriteAsync(rows);
                    return;
                }
                catch (Exception ex) when (attempt < MaxTries)
                {
                    GatewayLog.RequestLogWriteFailed(_logger, ex, batch.Count, attempt);
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt), _time);
                }
                catch (Exception ex)
                {
                    GatewayLog.RequestLogWriteFailed(_logger, ex, batch.Count, attempt);
                    GatewayLog.RequestLogRowsDropped(_logger, batch.Count);
                    foreach (var row in rows)
                    {
                        ReportCharge(row, committed: false);
                    }
                }
            }
        }
        finally
        {
            _writing.Release();
            ResumeWaiters(batch);
        }
    }

    /// <summary>Makes rows durable: into the spool when there is one (the database if the spool cannot take them), else into the database. The caller holds <see cref="_writing"/>.</summary>
    private async Task WriteAsync(List<RequestLogEntry> rows)
    {
        if (_spool is not null)
        {
            try
            {
                _spool.Append(rows);
                _spooled.AddRange(rows);
                lock (_counters)
                {
                    _spooledCount += rows.Count;
                }

                if (_spooled.Count >= _batchSize && _flushDue.CurrentCount == 0)
                {
                    _flushDue.Release();
                }

                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                GatewayLog.SpoolWriteFailed(_logger, ex, rows.Count);
            }
        }

        await _store.AppendAsync(rows, CancellationToken.None);
        Committed(rows);
    }

    private async Task FlushPeriodicallyAsync(CancellationToken stoppingToken)
    {
        var wait = _flushInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                await Task.WhenAny(_flushDue.WaitAsync(wake.Token), Task.Delay(wait, _time, wake.Token));
                await wake.CancelAsync();
            }

            // A database that keeps failing is retried less and less often; the rows are safe in the spool.
            wait = await FlushOneAtATimeAsync(CancellationToken.None) ? _flushInterval : TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, MaxFlushBackoff.Ticks));
        }
    }

    private async Task<bool> FlushOneAtATimeAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            return await FlushCoreAsync();
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>
    /// Commits every spooled row to the database; false if the database failed. The rows of a failed flush are let
    /// go from memory and read back from their segments by the next flush, so a database that stays down costs disk,
    /// not memory. The caller holds <see cref="_flushing"/>.
    /// </summary>
    private async Task<bool> FlushCoreAsync()
    {
        List<RequestLogEntry> rows;
        await _writing.WaitAsync();
        try
        {
            if (_spooled.Count == 0 && !_rowsOnDiskOnly)
            {
                return true;
            }

            rows = _spooled;
            _spooled = new List<RequestLogEntry>(rows.Count);
            _spool!.Rotate();
        }
        finally
        {
            _writing.Release();
        }

        try
        {
            if (!_rowsOnDiskOnly)
            {
                await AppendAsync(rows);
                DeleteClosedSegments();
                Flushed(rows);
                return true;
            }

            // Every row of the closed segments, those just rotated out included, comes back from disk, one segment at
            // a time; rows a failed flush had committed part-way are skipped by request id.
            foreach (var segment in _spool.ClosedSegments())
            {
                var fromDisk = RequestLogSpool.Read(segment, out _);
                await AppendAsync(fromDisk);
                File.Delete(segment);
                Flushed(fromDisk);
            }

            _rowsOnDiskOnly = false;
            DeleteClosedSegments();
            return true;
        }
        catch (Exception ex)
        {
            GatewayLog.RequestLogFlushFailed(_logger, ex, Spooled);
            _rowsOnDiskOnly = true;
            return false;
        }
    }

    /// <summary>Commits rows to the database, a transaction per <see cref="RequestLogOptions.RequestLogBatchSize"/> rows.</summary>
    private async Task AppendAsync(List<RequestLogEntry> rows, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < rows.Count; i += _batchSize)
        {
            await _store.AppendAsync(rows.GetRange(i, Math.Min(_batchSize, rows.Count - i)), cancellationToken);
        }
    }

    private void DeleteClosedSegments()
    {
        try
        {
            _spool!.DeleteClosedSegments();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The rows are committed; a segment left behind is replayed at the next start and skipped row by row.
            GatewayLog.SpoolWriteFailed(_logger, ex, 0);
        }
    }

    /// <summary>Spooled rows now in the database.</summary>
    private void Flushed(List<RequestLogEntry> rows) => Committed(rows, fromSpool: true);

    /// <summary>Counts rows committed to the database and tells the ledger, once per row.</summary>
    private void Committed(List<RequestLogEntry> rows, bool fromSpool = false)
    {
        lock (_counters)
        {
            _spooledCount -= fromSpool ? rows.Count : 0;
            _commits += (rows.Count + _batchSize - 1) / _batchSize;
            _rows += rows.Count;
        }

        foreach (var row in rows)
        {
            ReportCharge(row, committed: true);
        }
    }

    /// <summary>
    /// Lets the batch's requests finish, resuming them on this thread one after another once the write turn is let
    /// go: each goes on to send its response, which the socket takes at once. Handing each to the thread pool cost a
    /// work item and often a thread wake-up per request (docs/benchmarks.md). A waiter is released even when its row
    /// was lost: the loss is logged as critical, and holding the client's last bytes forever would not bring the row
    /// back.
    /// </summary>
    private static void ResumeWaiters(List<Pending> batch)
    {
        foreach (var pending in batch)
        {
            pending.Committed?.TrySetResult();
        }
    }

    /// <summary>Tells the ledger the row's charge is written (or lost), so its lease stops holding the money.</summary>
    private void ReportCharge(RequestLogEntry entry, bool committed)
    {
        if (entry.Cost is > 0 && entry.AccountId is { } accountId)
        {
            _ledger.OnCommitted(accountId, committed ? entry.Cost.Value : 0, entry.Cost.Value);
        }
    }

    /// <summary>A row to make durable and who waits for it; a null entry is <see cref="FlushAsync"/>'s marker.</summary>
    private readonly record struct Pending(RequestLogEntry? Entry, TaskCompletionSource? Committed);
}
