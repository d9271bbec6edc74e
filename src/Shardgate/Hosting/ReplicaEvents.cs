using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Api.Auth;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Observability;
using Shardgate.Routing;

namespace Shardgate.Hosting;

/// <summary>What this replica does when another announces a change: take a host's health, reload nodes or prices, forget a key.</summary>
internal sealed class ReplicaEvents(IReplicaBus bus, HealthTracker health, NodeCatalog catalog, PriceBook prices, ApiKeyAuthenticator authenticator, ILogger<ReplicaEvents> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        bus.Subscribe(ReplicaTopics.Health, health.ApplyRemote);
        bus.Subscribe(ReplicaTopics.Nodes, _ => Reload(catalog.ReloadAsync));
        bus.Subscribe(ReplicaTopics.Prices, _ => Reload(prices.ReloadAsync));
        bus.Subscribe(ReplicaTopics.Keys, digest => authenticator.Forget(Convert.FromHexString(digest)));
        return Task.CompletedTask;
    }

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
