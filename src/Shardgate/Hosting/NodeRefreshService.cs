using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Catalog;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Observability;

namespace Shardgate.Hosting;

/// <summary>Reloads the routing view, the prices and the model catalog now and then, so changes made through another replica arrive here too.</summary>
internal sealed class NodeRefreshService(NodeCatalog catalog, PriceBook prices, ModelCatalog models, ShardgateOptions options, TimeProvider time, ILogger<NodeRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.NodeRefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await catalog.ReloadAsync(stoppingToken);
                    await prices.ReloadAsync(stoppingToken);
                    await models.ReloadAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Keep routing on the last good view; the next tick tries again.
                    GatewayLog.NodeRefreshFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
