using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Network.Discovery;
using Shardgate.Network.Economics;

namespace Shardgate.Api.Admin;

/// <summary>
/// <c>/admin/v1/participants</c>: the host operators' view of each participant serving through this broker (its
/// epoch, PoC weight and share, collateral and active weight, money on chain, and what it did here by epoch). One
/// participant's figures are also readable with that participant's operator key (<see cref="ParticipantAccessFilter"/>).
/// </summary>
internal static class AdminParticipantsEndpoints
{
    public const string OperatorKeyPrefix = "sgo-";

    public static void Map(RouteGroupBuilder admin, IEndpointRouteBuilder app)
    {
        admin.MapGet("/participants", async (DiscoveredHosts discovered, IParticipantStore store, INetworkState network, IServiceProvider services, CancellationToken ct) =>
        {
            var stats = await store.ListStatsAsync(null, ct);
            var addresses = discovered.Hosts.Select(h => h.Address).Concat(stats.Select(s => s.NodeId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var economics = services.GetService<ChainEconomics>();
            var list = addresses.Select(a => Describe(a, discovered, economics, network, stats)).ToArray();
            return Results.Json<IReadOnlyList<ParticipantResponse>>(list, ApiJsonContext.Default.IReadOnlyListParticipantResponse);
        });
        admin.MapPost("/participants/{address}/keys", async (string address, IParticipantStore store, CancellationToken ct) =>
        {
            var key = OperatorKeyPrefix + ApiKeyMaterial.NewKey()[ApiKeyMaterial.Prefix.Length..];
            await store.CreateOperatorKeyAsync(address, ApiKeyMaterial.Hash(key), ApiKeyMaterial.DisplayPrefix(key), ct);
            return Results.Json(new OperatorKeyResponse(address, key, ApiKeyMaterial.DisplayPrefix(key)), ApiJsonContext.Default.OperatorKeyResponse, statusCode: StatusCodes.Status201Created);
        });

        app.MapGroup("/admin/v1").AddEndpointFilter<ParticipantAccessFilter>().MapGet("/participants/{address}", async (string address, DiscoveredHosts discovered, IParticipantStore store, INetworkState network, IServiceProvider services, CancellationToken ct) =>
        {
            var stats = await store.ListStatsAsync(address, ct);
            if (discovered.Find(address) is null && stats.Count == 0)
            {
                return (IResult)new ErrorResult(GatewayError.NotFound($"No participant '{address}' serves through this broker. GET /admin/v1/participants lists them."));
            }

            return Results.Json(Describe(address, discovered, services.GetService<ChainEconomics>(), network, stats), ApiJsonContext.Default.ParticipantResponse);
        });
    }

    private static ParticipantResponse Describe(string address, DiscoveredHosts discovered, ChainEconomics? economics, INetworkState network, IReadOnlyList<HostEpochStats> stats)
    {
        var host = discovered.Find(address);
        var chain = economics?.Find(address);
        return new ParticipantResponse(
            address,
            host?.Epoch ?? network.Epoch,
            host?.State ?? "admin",
            host?.Models ?? [],
            host?.Weight,
            chain?.Collateral,
            chain?.ActiveWeight,
            chain?.CoinsOwed,
            chain?.Balance,
            [.. stats.Where(s => s.NodeId == address)]);
    }
}
