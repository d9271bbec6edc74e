using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Hosting;
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
    private readonly Channel<RequestLogEntry> _queue = Channel.CreateBounded<RequestLogEntry>(
        new BoundedChannelOptions(65_536) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly IRequestLogStore _store;
    private readonly int _batchSize;
    private readonly TimeProvider _time;
    private readonly ILogger<RequestLogWriter> _logger;

    public RequestLogWriter(IRequestLogStore store, ShardgateOptions options, TimeProvider time, ILogger<RequestLogWriter> logger)
    {
        _store = store;
        _batchSize = Math.Max(1, options.RequestLogBatchSize);
        _time = time;
        _logger = logger;
    }

    /// <summary>Rows queued and not yet committed.</summary>
    public int Backlog => _queue.Reader.Count;

    /// <summary>Queues a row; waits only when the queue is full, which pushes back on the request path.</summary>
    public ValueTask EnqueueAsync(RequestLogEntry entry) => _queue.Writer.WriteAsync(entry);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RequestLogEntry>(_batchSize);
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

    private async Task CommitAsync(List<RequestLogEntry> batch)
    {
        for (var attempt = 1; attempt <= MaxTries; attempt++)
        {
            try
            {
                await _store.AppendAsync(batch, CancellationToken.None);
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
            }
        }
    }
}
