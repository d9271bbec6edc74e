using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Catalog;
using Shardgate.Contract;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;

namespace Shardgate.Api;

/// <summary>
/// <c>GET /v1/models</c>: the models that have at least one enabled host, with their real context window, and the
/// catalog's name, lifecycle and sunset for the models it declares (retired ones, and closed ones for other accounts, left out).
/// </summary>
internal sealed class ModelsEndpoint(ApiKeyAuthenticator authenticator, HostRegistry registry, ModelProfiles profiles, PriceBook prices, ModelCatalog catalog, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        var caller = await authenticator.IdentifyAsync(context.Request, context.RequestAborted);
        if (caller.Refusal is { } refusal)
        {
            await ErrorResponse.WriteAsync(context, refusal.Error, retryAfterSeconds: refusal.RetryAfterSeconds);
            return;
        }

        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var entries = new List<ModelEntry>();
        foreach (var id in registry.ModelIds)
        {
            var declared = catalog.Current.Models.GetValueOrDefault(id);
            // A retired model is not offered, and a closed one only to the accounts it is open to.
            if (registry.TryGetShard(id, out var shard) && declared?.State != ModelLifecycle.Retired && declared?.Admits(caller.Identity?.AccountId) != false)
            {
                var profile = profiles.Get(shard.ModelId);
                entries.Add(new ModelEntry(
                    shard.ModelId,
                    "model",
                    created,
                    "shardgate",
                    shard.ContextWindow,
                    profile.MaxTokensCap,
                    profile.Family.ToString().ToLowerInvariant(),
                    shard.Hosts.Count,
                    SupportedParameters.For(profile),
                    Pricing(prices.For(shard.ModelId)),
                    declared?.DisplayName,
                    declared?.State.ToString().ToLowerInvariant(),
                    declared?.Sunset?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    declared?.Replacement));
            }
        }

        await Results.Json(new ModelListResponse("list", entries), ApiJsonContext.Default.ModelListResponse).ExecuteAsync(context);
    }

    private static ModelPricing Pricing(Price price) => new(price.InputPerToken, price.OutputPerToken, "ngonka");
}
