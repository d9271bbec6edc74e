namespace Shardgate.Upstream;

/// <summary>
/// One attempt's timer, linked with the client's abort: first the first-byte deadline, then, once output flows,
/// an inter-chunk deadline re-armed on every read. Built on <see cref="TimeProvider"/> so tests can drive it.
/// </summary>
internal sealed class AttemptDeadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public AttemptDeadline(TimeSpan firstByte, TimeProvider time, CancellationToken clientAborted)
    {
        _timer = new CancellationTokenSource(firstByte, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, _timer.Token);
        ClientAborted = clientAborted;
    }

    public CancellationToken Token => _linked.Token;

    public CancellationToken ClientAborted { get; }

    /// <summary>True when the cancellation came from the timer, not from the client.</summary>
    public bool Expired => _timer.IsCancellationRequested && !ClientAborted.IsCancellationRequested;

    public void Rearm(TimeSpan timeout) => _timer.CancelAfter(timeout);

    /// <summary>Cancels the attempt for the gateway's own reasons: it lost a hedge race.</summary>
    public void Abandon() => _linked.Cancel();

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
