using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Kernel;
using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Api.Admin;

/// <summary>
/// <c>/admin/v1/requests</c>: the request log, filtered and paged, and the row behind an <c>X-Request-Id</c>;
/// <c>/admin/v1/usage</c>: totals per day and model (served and rejected requests apart), for a key, an account or all;
/// <c>/admin/v1/request-log</c>: whether its writer keeps up (rows queued, rows in the spool, commits, rows committed);
/// <c>/admin/v1/runtime</c>: GC pauses and the thread pool, to tell where a latency spike came from.
/// Reads first make the queued rows durable and commit the spool, so they see every request answered before them.
/// </summary>
internal static class AdminRequestsEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/requests", QueryAsync);
        admin.MapGet("/requests/{id}", async (string id, IRequestLogStore store, RequestLogWriter writer, CancellationToken ct) =>
        {
            await writer.FlushAsync(ct);
            return await store.GetAsync(id, ct) is { } row
                ? Results.Json(row, ApiJsonContext.Default.RequestLogEntry)
                : new ErrorResult(GatewayError.NotFound($"No request-log row for '{id}' (rows are committed within moments of the response)."));
        });
        admin.MapGet("/usage", UsageAsync);
        admin.MapGet("/runtime", () => Results.Json(RuntimeStatus.Now(), ApiJsonContext.Default.RuntimeStatus));
        admin.MapGet("/request-log", (RequestLogWriter writer) =>
        {
            var (spooled, commits, rows) = writer.Counts();
            return Results.Json(new RequestLogWriterStatus(writer.Backlog, spooled, commits, rows), ApiJsonContext.Default.RequestLogWriterStatus);
        });
    }

    /// <summary>Query: <c>key_id</c>, <c>account_id</c>, <c>node_id</c>, <c>model</c>, <c>endpoint</c> (an API path), <c>status</c>, <c>from</c>, <c>to</c> (ISO 8601), <c>before</c> (a request id), <c>limit</c> (1–1000).</summary>
    private static async Task<IResult> QueryAsync(HttpContext context, IRequestLogStore store, RequestLogWriter writer)
    {
        var q = context.Request.Query;
        if (!TryLong(q["key_id"], out var keyId) || !TryLong(q["account_id"], out var accountId) || !TryLong(q["status"], out var status) || !TryLong(q["limit"], out var limit)
            || !TryTime(q["from"], out var from) || !TryTime(q["to"], out var to) || limit is < 1 or > MaxLimit)
        {
            return AdminJson.Invalid($"Filters: key_id, account_id and status are integers, from and to ISO 8601 times, limit 1 to {MaxLimit}.");
        }

        var take = (int)(limit ?? DefaultLimit);
        await writer.FlushAsync(context.RequestAborted);
        var rows = await store.QueryAsync(
            new RequestLogQuery(keyId, accountId, NullIfEmpty(q["node_id"]), NullIfEmpty(q["model"]), (int?)status, from, to, NullIfEmpty(q["before"]), take) { Endpoint = NullIfEmpty(q["endpoint"]) },
            context.RequestAborted);
        return Results.Json(new RequestLogPage(rows, rows.Count == take ? rows[^1].RequestId : null), ApiJsonContext.Default.RequestLogPage);
    }

    /// <summary>Query: <c>key_id</c> or <c>account_id</c> (neither: the whole gateway), and <c>from</c> (ISO 8601).</summary>
    private static async Task<IResult> UsageAsync(HttpContext context, IRequestLogStore store, RequestLogWriter writer)
    {
        var q = context.Request.Query;
        if (!TryLong(q["key_id"], out var keyId) || !TryLong(q["account_id"], out var accountId) || !TryTime(q["from"], out var from))
        {
            return AdminJson.Invalid("Filters: key_id and account_id are integers (give either, or neither for the whole gateway); from is an ISO 8601 time.");
        }

        await writer.FlushAsync(context.RequestAborted);
        var days = await store.UsageAsync(keyId, accountId, from, context.RequestAborted);
        return Results.Json(new UsageRollup(days), ApiJsonContext.Default.UsageRollup);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool TryLong(string? text, out long? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var ok = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed);
        value = parsed;
        return ok;
    }

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed);
        value = parsed;
        return ok;
    }
}
