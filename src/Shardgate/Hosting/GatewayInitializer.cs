using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shardgate.Api;
using Shardgate.Api.Auth;
using Shardgate.Catalog;
using Shardgate.Contract.Tokens;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Observability;
using Shardgate.Routing;
using Shardgate.Storage;
using Shardgate.Storage.Redis;

namespace Shardgate.Hosting;

/// <summary>Brings the database to the latest schema, registers configured nodes, and loads the routing view.</summary>
internal sealed class GatewayInitializer(
    ShardgateOptions options,
    AuthOptions auth,
    IDatabaseSetup database,
    INodeStore nodes,
    NodeCatalog catalog,
    HostRegistry registry,
    BalanceLedger ledger,
    RequestLogWriter requestLog,
    PriceBook prices,
    HealthTracker health,
    SharedStateOptions shared,
    ModelCatalog models,
    CatalogFileSource catalogFile,
    TokenCounter tokens,
    ILogger<GatewayInitializer> logger)
{
    public bool IsReady { get; private set; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        // The default tokenizer's vocabulary takes a quarter of a second to load; no request should wait for it.
        tokens.Warm();
        foreach (var node in await ConfiguredNodesAsync(cancellationToken))
        {
            var errors = NodeValidator.Validate(node);
            if (errors.Count > 0)
            {
                GatewayLog.ConfiguredNodeInvalid(logger, node.Id, string.Join("; ", errors));
                continue;
            }

            await nodes.UpsertAsync(node, cancellationToken);
        }

        await catalog.ReloadAsync(cancellationToken);
        // The stored catalog first, then the file over it: the file is the operator's declared intent at start.
        await models.ReloadAsync(cancellationToken);
        await catalogFile.LoadAtStartAsync(cancellationToken);
        await prices.ReloadAsync(cancellationToken);
        await health.LoadAsync(cancellationToken);
        // Rows a crash left in the spool are charged against the leases they were held in, before those are released.
        await requestLog.ReplaySpoolAsync(cancellationToken);
        await ledger.ReleaseCrashLeftoversAsync(cancellationToken);
        GatewayLog.RegistryLoaded(logger, registry.Shards.SelectMany(s => s.Hosts).Distinct().Count(), registry.ModelIds.Count, database.Description);
        if (string.IsNullOrEmpty(auth.AdminKey))
        {
            GatewayLog.AdminApiDisabled(logger);
        }

        if (!shared.Enabled && Storage.Postgres.PostgresDatabase.IsConnectionString(options.Database))
        {
            GatewayLog.LimitsPerReplica(logger);
        }

        IsReady = true;
    }

    private async Task<IReadOnlyList<NodeSpec>> ConfiguredNodesAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.NodesFile))
        {
            return [];
        }

        await using var file = File.OpenRead(options.NodesFile);
        try
        {
            return await JsonSerializer.DeserializeAsync(file, ApiJsonContext.Default.IReadOnlyListNodeSpec, cancellationToken) ?? [];
        }
        catch (JsonException ex)
        {
            throw new StartupException($"The nodes file '{options.NodesFile}' is not a valid JSON array of nodes: {ex.Message}", ex);
        }
    }
}
