using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Storage;

namespace Shardgate.Api.Admin;

/// <summary><c>/admin/v1/requests/{id}</c>: the request-log row behind an <c>X-Request-Id</c>.</summary>
internal static class AdminRequestsEndpoints
{
    public static void Map(RouteGroupBuilder admin) =>
        admin.MapGet("/requests/{id}", async (string id, IRequestLogStore store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } row
                ? Results.Json(row, ApiJsonContext.Default.RequestLogEntry)
                : new OpenAiErrorResult(OpenAiError.NotFound($"No request-log row for '{id}' (rows are committed within moments of the response).")));
}
