using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Kernel;
using Shardgate.Network;
using Shardgate.Network.Discovery;
using Shardgate.Network.Validation;
using Shardgate.Routing;

namespace Shardgate.Api.Admin;

/// <summary><c>/admin/v1/nodes</c>, shaped like the network's ML-node admin API.</summary>
internal static class AdminNodesEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        var nodes = admin.MapGroup("/nodes");
        nodes.MapGet("/", async (NodeCatalog catalog, CancellationToken ct) =>
            Results.Json(await catalog.ListAsync(ct), ApiJsonContext.Default.IReadOnlyListNodeSpec));
        nodes.MapPost("/", (HttpContext context, NodeCatalog catalog) => UpsertAsync(context, catalog, null));
        nodes.MapGet("/{id}", async (string id, NodeCatalog catalog, CancellationToken ct) =>
            await catalog.GetAsync(id, ct) is { } node ? Results.Json(node, ApiJsonContext.Default.NodeSpec) : NodeNotFound(id));
        nodes.MapPut("/{id}", (string id, HttpContext context, NodeCatalog catalog) => UpsertAsync(context, catalog, id));
        nodes.MapDelete("/{id}", async (string id, NodeCatalog catalog, CancellationToken ct) =>
            await catalog.DeleteAsync(id, ct) is { } node ? Results.Json(node, ApiJsonContext.Default.NodeSpec) : NodeNotFound(id));
        nodes.MapPost("/{id}/enable", (string id, NodeCatalog catalog, CancellationToken ct) => ToggleAsync(catalog, id, true, ct));
        nodes.MapPost("/{id}/disable", (string id, NodeCatalog catalog, CancellationToken ct) => ToggleAsync(catalog, id, false, ct));
        admin.MapGet("/hosts", async (HostRegistry registry, NodeCatalog catalog, HealthTracker health, HostSuspicion suspicion, INetworkState network, CancellationToken ct) =>
            Results.Json(HostStates(registry, catalog.WithDiscovered(await catalog.ListAsync(ct)), health, suspicion, network.Current), ApiJsonContext.Default.IReadOnlyListNodeStateResponse));
        admin.MapGet("/network/hosts", (DiscoveredHosts discovered) =>
            Results.Json(discovered.Hosts, ApiJsonContext.Default.IReadOnlyListDiscoveredHost));
        admin.MapGet("/network", (INetworkState network) =>
            Results.Json(new NetworkPhaseResponse(network.Current.Name, network.Current.PocActive, network.Current.PreservedNodes.Count, network.Current.ExpectedEnd?.TotalSeconds), ApiJsonContext.Default.NetworkPhaseResponse));
        admin.MapPost("/hosts/{id}/clear", (string id, HostRegistry registry, HealthTracker health) =>
            registry.FindHost(id) is null ? NodeNotFound(id) : (IResult)Results.Json(ToResponse(health.Clear(id)), ApiJsonContext.Default.HostHealthResponse));
    }

    private static async Task<IResult> UpsertAsync(HttpContext context, NodeCatalog catalog, string? routeId)
    {
        var (node, error) = await AdminJson.ReadAsync(context, ApiJsonContext.Default.NodeSpec);
        if (error is not null)
        {
            return error;
        }

        if (routeId is not null)
        {
            if (!string.IsNullOrEmpty(node!.Id) && node.Id != routeId)
            {
                return AdminJson.Invalid($"The body's id '{node.Id}' differs from the path's '{routeId}'. Omit it or make them equal.", ErrorCodes.InvalidNode, "id");
            }

            node = node with { Id = routeId };
        }

        var (created, errors) = await catalog.UpsertAsync(node!, context.RequestAborted);
        if (errors is not null)
        {
            return AdminJson.Invalid("validation failed: " + string.Join("; ", errors), ErrorCodes.InvalidNode);
        }

        var stored = await catalog.GetAsync(node!.Id, context.RequestAborted);
        return Results.Json(stored, ApiJsonContext.Default.NodeSpec, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ToggleAsync(NodeCatalog catalog, string id, bool enabled, CancellationToken cancellationToken)
    {
        var node = await catalog.SetEnabledAsync(id, enabled, cancellationToken);
        return node is null
            ? NodeNotFound(id)
            : Results.Json(new NodeToggleResponse(enabled ? "node enabled successfully" : "node disabled successfully", id, enabled), ApiJsonContext.Default.NodeToggleResponse);
    }

    /// <summary>Every registered node and discovered host: those routing holds with their load, and disabled ones with none.</summary>
    private static List<NodeStateResponse> HostStates(HostRegistry registry, IEnumerable<(NodeSpec Node, bool Discovered)> nodes, HealthTracker health, HostSuspicion suspicion, NetworkPhase phase)
    {
        var states = new List<NodeStateResponse>();
        foreach (var (node, discovered) in nodes)
        {
            var host = node.Enabled ? registry.FindHost(node.Id) : null;
            states.Add(new NodeStateResponse(
                node.Id,
                node.Enabled,
                host?.InFlight ?? 0,
                node.MaxConcurrent,
                node.Weight,
                host is null ? node.Weight : phase.WeightOf(host),
                (host?.BaseUri ?? node.ResolveBaseUri()).ToString(),
                ToResponse(health.Get(node.Id)),
                [.. node.Models.Keys.Order(StringComparer.Ordinal)],
                health.RecentFailures(node.Id),
                discovered ? "chain" : "admin",
                suspicion.IsSuspect(node.Id)));
        }

        states.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return states;
    }

    private static HostHealthResponse ToResponse(HostHealthState state) =>
        new(state.Status.ToString().ToLowerInvariant(), state.Until, state.Strikes, state.Successes, state.Reason);

    private static ErrorResult NodeNotFound(string id) => new ErrorResult(GatewayError.NotFound($"No node with id '{id}'. GET /admin/v1/nodes lists them."));
}
