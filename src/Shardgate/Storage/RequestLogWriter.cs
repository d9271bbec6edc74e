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
/// database work. On shutdown it drains the queue before the process exits.
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

    /// <summary>Queues a row and completes once the transaction holding it has committed.</summary>
    public async Task CommitAsync(RequestLogEntry entry)
    {
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
        for (var attempt = 1; attempt <= MaxTries; attempt++)
        {
            try
            {
                await _store.AppendAsync(rows, CancellationToken.None);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _rows, rows.Count);
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

    private void Finish(List<Pending> batch, bool committed)
    {
        foreach (var (entry, waiter) in batch)
        {
            if (entry.Cost is > 0 && entry.AccountId is { } accountId)
            {
                _ledger.OnCommitted(accountId, committed ? entry.Cost.Value : 0, entry.Cost.Value);
            }

            // A waiter is released even when its row was lost: the loss is logged as critical, and holding the
            // client's last bytes forever would not bring the row back.
            waiter?.TrySetResult();
        }
    }

    private readonly record struct Pending(RequestLogEntry Entry, TaskCompletionSource? Committed);
}
