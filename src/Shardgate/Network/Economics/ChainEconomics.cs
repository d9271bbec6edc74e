using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shardgate.Network.Chain;
using Shardgate.Network.Discovery;
using Shardgate.Observability;

namespace Shardgate.Network.Economics;

/// <summary>
/// Reads, now and then (<see cref="NetworkOptions.EconomicsInterval"/>), what the chain says of the participants
/// serving through this broker: the paged directory (coins owed, balance), each one's collateral, and the collateral
/// parameters. A failed read keeps the last figures. Only with the Gonka source.
/// </summary>
internal sealed class ChainEconomics(NetworkOptions options, DiscoveredHosts discovered, INetworkState network, TimeProvider time, ILogger<ChainEconomics> logger) : BackgroundService
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private volatile IReadOnlyDictionary<string, ParticipantEconomics> _figures = new Dictionary<string, ParticipantEconomics>();

    public ParticipantEconomics? Find(string address) => _figures.GetValueOrDefault(address);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var client = new GonkaChainClient(_http, options);
        var directory = await client.ReadDirectoryAsync(cancellationToken);
        var rule = await client.ReadCollateralParamsAsync(cancellationToken);
        var figures = new Dictionary<string, ParticipantEconomics>(StringComparer.Ordinal);
        foreach (var host in discovered.Hosts)
        {
            var collateral = await client.ReadCollateralAsync(host.Address, cancellationToken);
            var weight = host.Weight;
            var account = directory.GetValueOrDefault(host.Address);
            figures[host.Address] = new ParticipantEconomics(host.Address, weight, collateral, weight is { } w ? rule.ActiveWeight(w, collateral, network.Epoch ?? 0) : null, account?.CoinsOwed, account?.Balance);
        }

        _figures = figures;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ChainPoll.RunAsync(options.EconomicsInterval, time, RefreshAsync, ex => GatewayLog.EconomicsPollFailed(logger, ex), stoppingToken);

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
