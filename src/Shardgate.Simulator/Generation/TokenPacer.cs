namespace Shardgate.Simulator.Generation;

/// <summary>
/// Paces generation against a schedule (first token at T, token k at T + k/rate) rather than sleeping a fixed
/// interval per token, so timer granularity does not accumulate into a slower rate than configured.
/// </summary>
internal sealed class TokenPacer(TimeProvider time, double tokensPerSecond, TimeSpan firstToken)
{
    private long _start;
    private int _emitted;

    public async Task WaitFirstTokenAsync(CancellationToken cancellationToken)
    {
        if (firstToken > TimeSpan.Zero)
        {
            await Task.Delay(firstToken, time, cancellationToken);
        }

        _start = time.GetTimestamp();
    }

    public async Task WaitNextTokenAsync(CancellationToken cancellationToken)
    {
        if (tokensPerSecond <= 0)
        {
            return;
        }

        var due = TimeSpan.FromSeconds(_emitted++ / tokensPerSecond);
        var ahead = due - time.GetElapsedTime(_start);
        if (ahead > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(ahead, time, cancellationToken);
        }
    }

    public async Task WaitForTokensAsync(int tokens, CancellationToken cancellationToken)
    {
        var total = firstToken + (tokensPerSecond > 0 ? TimeSpan.FromSeconds(tokens / tokensPerSecond) : TimeSpan.Zero);
        if (total > TimeSpan.Zero)
        {
            await Task.Delay(total, time, cancellationToken);
        }
    }
}
