using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Hosting;
using Shardgate.Ledger;
using Shardgate.Observability;

namespace Shardgate.Storage;

/// <summary>
/// Takes request-log rows off the request path and commits them in batches (group commit): whatever queued while
/// the previous commit ran goes into the next transaction, so the commit rate, not the request rate, bounds the
/// database work. The row of a request alone in the gateway is committed on its own thread instead (see
/// <see cref="CommitAsync(RequestLogEntry, bool)"/>). On shutdown it drains the queue before the process exits.
/// </summary>
internal sealed class RequestLogWriter : BackgroundService
{
    private const int MaxTries = 5;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(65_536) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly IRequestLogStore _store;
    private readonly int _batchSize;
    private readonly TimeProvider _time;
    private readonly ILogger<RequestLogWriter> _logger;
    private readonly BalanceLedger _ledger;

    // Held by whoever commits: the writer's batches and inline commits never overlap.
    private readonly SemaphoreSlim _committing = new(1, 1);

    public RequestLogWriter(IRequestLogStore store, BalanceLedger ledger, ShardgateOptions options, TimeProvider time, ILogger<RequestLogWriter> logger)
    {
        _store = store;
        _ledger = ledger;
        _batchSize = Math.Max(1, options.RequestLogBatchSize);
        _time = time;
        _logger = logger;
    }

    private long _commits;
    private long _rows;

    /// <summary>Rows queued and not yet committed.</summary>
    public int Backlog => _queue.Reader.Count;

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Rows committed so far; divided by <see cref="Commits"/>, the group-commit batch size.</summary>
    public long RowsCommitted => Interlocked.Read(ref _rows);

    /// <summary>Queues a row; waits only when the queue is full, which pushes back on the request path.</summary>
    public ValueTask EnqueueAsync(RequestLogEntry entry) => _queue.Writer.WriteAsync(new Pending(entry, null));

    /// <summary>
    /// Completes once the transaction holding the row has committed. A row whose request is <paramref name="alone"/>
    /// (no other request in flight), arriving with nothing queued and no commit running, is committed by the
    /// caller itself: there is nothing to batch it with, and handing it to the writer and being woken back costs
    /// two thread wake-ups, each of which can wait for a core when the host and clients share the machine. Every
    /// other row joins the writer's next group commit. A failed inline commit falls back to the writer, which retries.
    /// </summary>
    public async Task CommitAsync(RequestLogEntry entry, bool alone = false)
    {
        if (alone && _queue.Reader.Count == 0 && _committing.Wait(0))
        {
            try
            {
                await _store.AppendAsync([entry], CancellationToken.None);
                Count(1);
                Settle(entry, committed: true);
                return;
            }
            catch (Exception ex)
            {
                GatewayLog.RequestLogWriteFailed(_logger, ex, 1, 1);
            }
            finally
            {
                _committing.Release();
            }
        }

        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Pending(entry, committed));
        await committed.Task;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(_batchSize);
        // The reader ignores stoppingToken on purpose: StopAsync completes the queue and this loop drains it.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < _batchSize && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        var rows = batch.ConvertAll(p => p.Entry);
        await _committing.WaitAsync();
        try
        {
            for (var attempt = 1; attempt <= MaxTries; attempt++)
            {
                try
                {
                    await _store.AppendAsync(rows, CancellationToken.None);
                    Finish(batch, committed: true);
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
                    Finish(batch, committed: false);
                }
            }
        }
        finally
        {
            _committing.Release();
        }
    }

    private void Finish(List<Pending> batch, bool committed)
    {
        if (committed)
        {
            Count(batch.Count);
        }

        foreach (var (entry, waiter) in batch)
        {
            Settle(entry, committed);

            // A waiter is released even when its row was lost: the loss is logged as critical, and holding the
            // client's last bytes forever would not bring the row back.
            waiter?.TrySetResult();
        }
    }

    private void Count(int rows)
    {
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _rows, rows);
    }

    /// <summary>Tells the ledger the row's charge is written (or lost), so its lease stops holding the money.</summary>
    private void Settle(RequestLogEntry entry, bool committed)
    {
        if (entry.Cost is > 0 && entry.AccountId is { } accountId)
        {
            _ledger.OnCommitted(accountId, committed ? entry.Cost.Value : 0, entry.Cost.Value);
        }
    }

    private readonly record struct Pending(RequestLogEntry Entry, TaskCompletionSource? Committed);
}
