using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;
using Shardgate.Contract;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;

namespace Shardgate.Api;

/// <summary><c>GET /v1/models</c>: the models that have at least one enabled host, with their real context window.</summary>
internal sealed class ModelsEndpoint(ApiKeyAuthenticator authenticator, HostRegistry registry, ModelProfiles profiles, PriceBook prices, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        if ((await authenticator.IdentifyAsync(context.Request, context.RequestAborted)).Refusal is { } refusal)
        {
            await ErrorResponse.WriteAsync(context, refusal.Error, retryAfterSeconds: refusal.RetryAfterSeconds);
            return;
        }

        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var entries = new List<ModelEntry>();
        foreach (var id in registry.ModelIds)
        {
            if (registry.TryGetShard(id, out var shard))
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
                    Pricing(prices.For(shard.ModelId))));
            }
        }

        await Results.Json(new ModelListResponse("list", entries), ApiJsonContext.Default.ModelListResponse).ExecuteAsync(context);
    }

    private static ModelPricing Pricing(Price price) => new(price.InputPerToken, price.OutputPerToken, "ngonka");
}
