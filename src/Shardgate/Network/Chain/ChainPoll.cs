namespace Shardgate.Network.Chain;

/// <summary>
/// The loop every chain read runs in: read now, then every interval, until stopped. A read that fails the way a
/// network read fails is reported and the loop goes on, since an ended BackgroundService stops the gateway.
/// </summary>
internal static class ChainPoll
{
    public static async Task RunAsync(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> read, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await read(stoppingToken);
            }
            // A connection cut mid-answer surfaces as an IOException, and one cut while opening as a bare SocketException.
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or System.Text.Json.JsonException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                failed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
