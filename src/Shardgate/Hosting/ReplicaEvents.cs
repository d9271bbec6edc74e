using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Api.Auth;
using Shardgate.Catalog;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Observability;
using Shardgate.Routing;

namespace Shardgate.Hosting;

/// <summary>What this replica does when another announces a change: take a host's health, reload nodes, prices or the catalog, forget a key.</summary>
internal sealed class ReplicaEvents(IReplicaBus bus, HealthTracker health, NodeCatalog catalog, PriceBook prices, ModelCatalog models, ApiKeyAuthenticator authenticator, ILogger<ReplicaEvents> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.WhenAll(
        bus.SubscribeAsync(ReplicaTopics.Health, health.ApplyRemote, cancellationToken),
        bus.SubscribeAsync(ReplicaTopics.Nodes, _ => Reload(catalog.ReloadAsync), cancellationToken),
        bus.SubscribeAsync(ReplicaTopics.Prices, _ => Reload(prices.ReloadAsync), cancellationToken),
        bus.SubscribeAsync(ReplicaTopics.Catalog, _ => Reload(models.ReloadAsync), cancellationToken),
        bus.SubscribeAsync(ReplicaTopics.Keys, digest => authenticator.Forget(Convert.FromHexString(digest)), cancellationToken));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Reload(Func<CancellationToken, Task> reload) => _ = Task.Run(async () =>
    {
        try
        {
            await reload(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The periodic refresh tries again.
            GatewayLog.NodeRefreshFailed(logger, ex);
        }
    });
}
