using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Kernel;
using Shardgate.Ledger;

namespace Shardgate.Api.Admin;

/// <summary>
/// <c>/admin/v1/spend?by=model,account,day&amp;since=24h</c>: ngonka charged, grouped by any of model, account and UTC
/// day, from the request log. A row's cost is the charge its request wrote to the ledger in the same transaction,
/// so the totals equal the ledger's charges exactly.
/// </summary>
internal static class AdminSpendEndpoints
{
    private static readonly string[] Dimensions = ["model", "account", "day"];

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/spend", SpendAsync);

    private static async Task<IResult> SpendAsync(HttpContext context, IRequestLogStore store, RequestLogWriter writer, TimeProvider time)
    {
        var q = context.Request.Query;
        var by = (q["by"].ToString() is { Length: > 0 } text ? text : "model,account").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (by.Length == 0 || by.Any(d => !Dimensions.Contains(d)) || by.Distinct().Count() != by.Length)
        {
            return AdminJson.Invalid("'by' is a comma-separated list of model, account and day, each at most once (default model,account).", ErrorCodes.InvalidArgument, "by");
        }

        DateTimeOffset? from = null;
        if (q["since"].ToString() is { Length: > 0 } since)
        {
            if (ParseSince(since, time.GetUtcNow()) is not { } start)
            {
                return AdminJson.Invalid($"'since' is a look-back such as 30s, 30m, 24h or 7d, or an ISO 8601 time; got '{since}'.", ErrorCodes.InvalidArgument, "since");
            }

            from = start;
        }

        await writer.FlushAsync(context.RequestAborted);
        var rows = await store.SpendAsync(from, context.RequestAborted);
        var groups = rows
            .GroupBy(r => (Model: by.Contains("model") ? r.Model : null, Account: by.Contains("account") ? r.AccountId : (long?)null, Date: by.Contains("day") ? r.Date : null))
            .Select(g => new SpendEntry(g.Key.Model, g.Key.Account, g.Key.Date, g.Sum(r => r.Requests), g.Sum(r => r.InputTokens), g.Sum(r => r.OutputTokens), g.Sum(r => r.Cost)))
            .OrderByDescending(e => e.Date, StringComparer.Ordinal).ThenBy(e => e.AccountId).ThenBy(e => e.Model, StringComparer.Ordinal)
            .ToList();
        var totals = new SpendEntry(null, null, null, rows.Sum(r => r.Requests), rows.Sum(r => r.InputTokens), rows.Sum(r => r.OutputTokens), rows.Sum(r => r.Cost));
        return Results.Json(new SpendResponse(by, from, groups, totals), ApiJsonContext.Default.SpendResponse);
    }

    private static DateTimeOffset? ParseSince(string text, DateTimeOffset now) =>
        LookBack.TryParse(text, out var back) ? now - back
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : null;
}
