using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Observability;

namespace Shardgate.Network.Economics;

/// <summary>Adds the counted host figures to the store every couple of seconds, and once more at stop.</summary>
internal sealed class HostEarningsFlusher(HostEarnings earnings, IParticipantStore store, TimeProvider time, ILogger<HostEarningsFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var rows = earnings.Drain();
        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            await store.AddStatsAsync(rows, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GatewayLog.HostStatsFlushFailed(logger, ex, rows.Count);
        }
    }
}
