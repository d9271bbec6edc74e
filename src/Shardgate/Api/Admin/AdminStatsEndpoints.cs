using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Contract;
using Shardgate.Contract.Tokens;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Routing;

namespace Shardgate.Api.Admin;

/// <summary>
/// <c>/admin/v1/stats</c>: requests, errors, tokens, spend and latency per model and node over the last hour or
/// day, from the request log; <c>/admin/v1/models</c>: each served model's hosts, window, prices and the aliases
/// and fallbacks that lead to it. The dashboard and the CLI read these, so they show what the API says.
/// </summary>
internal static class AdminStatsEndpoints
{
    /// <summary>The most rows one report reads: a day of a busy broker is summarized from its newest rows.</summary>
    internal const int MaxRows = 50_000;

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/stats", StatsAsync);
        admin.MapGet("/models", Models);
        // How the gateway's prompt counts compare with hosts' usage, per family (docs/ledger.md).
        admin.MapGet("/tokens", (TokenCalibration calibration) => Results.Json(calibration.Views(), ApiJsonContext.Default.IReadOnlyListTokenCalibrationView));
    }

    /// <summary>Query: <c>window</c> = <c>1h</c> (twelve 5-minute buckets, the default) or <c>24h</c> (24 hourly buckets).</summary>
    private static async Task<IResult> StatsAsync(HttpContext context, IRequestLogStore store, RequestLogWriter writer, TimeProvider time)
    {
        var window = context.Request.Query["window"].ToString() is { Length: > 0 } w ? w : "1h";
        (TimeSpan Span, TimeSpan Bucket)? shape = window switch
        {
            "1h" => (TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
            "24h" => (TimeSpan.FromHours(24), TimeSpan.FromHours(1)),
            _ => null,
        };
        if (shape is not { } s)
        {
            return AdminJson.Invalid($"'window' must be 1h or 24h, got '{window}'.", ErrorCodes.InvalidArgument, "window");
        }

        await writer.FlushAsync(context.RequestAborted);
        // Buckets end at the next bucket boundary, so the newest bucket is the one now is in and a refresh keeps its edges.
        var to = Ceiling(time.GetUtcNow(), s.Bucket);
        var from = to - s.Span;
        var rows = await store.QueryAsync(new RequestLogQuery(null, null, null, null, null, from, to, null, MaxRows), context.RequestAborted);
        return Results.Json(RequestStats.Summarize(window, from, to, s.Bucket, rows, rows.Count == MaxRows), ApiJsonContext.Default.StatsResponse);
    }

    private static IResult Models(HostRegistry registry, HealthTracker health, ModelProfiles profiles, PriceBook prices, ContractOptions contract, FallbackOptions fallbacks)
    {
        var models = new List<AdminModelResponse>();
        foreach (var id in registry.ModelIds.Order(StringComparer.Ordinal))
        {
            if (!registry.TryGetShard(id, out var shard))
            {
                continue;
            }

            var profile = profiles.Get(id);
            var price = prices.For(id);
            models.Add(new AdminModelResponse(
                id,
                profile.Family.ToString().ToLowerInvariant(),
                shard.ContextWindow,
                profile.MaxTokensCap,
                price.InputPerToken,
                price.OutputPerToken,
                [.. shard.Hosts.Select(h => h.NodeId)],
                shard.Hosts.Count(h => health.Get(h.NodeId).Status == HealthStatus.Healthy),
                [.. contract.Aliases.Where(a => string.Equals(a.Value, id, StringComparison.OrdinalIgnoreCase)).Select(a => a.Key).Order(StringComparer.Ordinal)],
                [.. fallbacks.Fallbacks
                    .Where(f => f.Value.Any(t => string.Equals(t.Model, id, StringComparison.OrdinalIgnoreCase)))
                    .OrderBy(f => f.Key, StringComparer.Ordinal)
                    .Select(f => new AdminFallbackResponse(f.Key, [.. f.Value.Select(t => t.Model)]))]));
        }

        return Results.Json<IReadOnlyList<AdminModelResponse>>(models, ApiJsonContext.Default.IReadOnlyListAdminModelResponse);
    }

    private static DateTimeOffset Ceiling(DateTimeOffset now, TimeSpan bucket) =>
        new(((now.UtcTicks / bucket.Ticks) + 1) * bucket.Ticks, TimeSpan.Zero);
}
