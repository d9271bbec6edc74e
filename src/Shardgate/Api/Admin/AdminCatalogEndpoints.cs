using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shardgate.Catalog;
using Shardgate.Kernel;

namespace Shardgate.Api.Admin;

/// <summary>
/// <c>/admin/v1/catalog</c>: the model catalog in force (GET), a new one in the file's schema, YAML or JSON (PUT),
/// its history, any earlier version, and a rollback to one, which is applied as a new version.
/// </summary>
internal static class AdminCatalogEndpoints
{
    private const int MaxDocumentBytes = 1 << 20;
    private const string Author = "admin API";

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/catalog", (ModelCatalog catalog) => catalog.Version is { } version
            ? Results.Json(ToResponse(version, catalog.Current), ApiJsonContext.Default.CatalogVersionResponse)
            : new ErrorResult(GatewayError.NotFound("No catalog yet: start with --catalog FILE, or PUT one here (docs/catalog.md).")));
        admin.MapPut("/catalog", PutAsync);
        admin.MapGet("/catalog/history", async (HttpContext context, ICatalogStore store) =>
        {
            var limit = int.TryParse(context.Request.Query["limit"], out var n) && n is > 0 and <= 1000 ? n : 100;
            var versions = await store.HistoryAsync(limit, context.RequestAborted);
            return Results.Json<IReadOnlyList<CatalogHistoryEntry>>([.. versions.Select(v => new CatalogHistoryEntry(v.Version, v.Author, v.CreatedAt))], ApiJsonContext.Default.IReadOnlyListCatalogHistoryEntry);
        });
        admin.MapGet("/catalog/versions/{version:long}", async (long version, ICatalogStore store, CancellationToken ct) =>
            await store.GetAsync(version, ct) is { } found
                ? Results.Json(ToResponse(found, null), ApiJsonContext.Default.CatalogVersionResponse)
                : new ErrorResult(GatewayError.NotFound($"There is no catalog version {version}; GET /admin/v1/catalog/history lists them.")));
        admin.MapPost("/catalog/rollback", RollbackAsync);
    }

    private static async Task<IResult> PutAsync(HttpContext context, ModelCatalog catalog)
    {
        if (context.Request.ContentLength > MaxDocumentBytes)
        {
            return AdminJson.Invalid($"A catalog is at most {MaxDocumentBytes} bytes.", ErrorCodes.RequestTooLarge);
        }

        using var reader = new StreamReader(context.Request.Body);
        var document = await reader.ReadToEndAsync(context.RequestAborted);
        return Answer(await catalog.ApplyAsync(document, Author, context.RequestAborted), catalog);
    }

    private static async Task<IResult> RollbackAsync(HttpContext context, ModelCatalog catalog)
    {
        var (body, error) = await AdminJson.ReadAsync(context, ApiJsonContext.Default.CatalogRollbackRequest);
        if (error is not null)
        {
            return error;
        }

        if (body!.Version is not > 0)
        {
            return AdminJson.Invalid("'version' is required: the catalog version to return to (GET /admin/v1/catalog/history).", ErrorCodes.InvalidArgument, "version");
        }

        return Answer(await catalog.RollbackAsync(body.Version.Value, Author, context.RequestAborted), catalog);
    }

    private static IResult Answer((CatalogVersion? Version, IReadOnlyList<CatalogProblem> Problems) result, ModelCatalog catalog) =>
        result.Version is { } version
            ? Results.Json(ToResponse(version, catalog.Current), ApiJsonContext.Default.CatalogVersionResponse)
            : AdminJson.Invalid("The catalog was refused as a whole and the one in force is unchanged: " + string.Join("; ", result.Problems), ErrorCodes.InvalidCatalog, "catalog");

    private static CatalogVersionResponse ToResponse(CatalogVersion version, CatalogSnapshot? inForce) =>
        new(version.Version, version.Author, version.CreatedAt, version.Document, inForce?.Models.Count, inForce?.Aliases.Count);
}
