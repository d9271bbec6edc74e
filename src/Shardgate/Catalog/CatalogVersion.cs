namespace Shardgate.Catalog;

/// <summary>One accepted catalog: its number, the document as written, who made it (the admin API's caller, or "file") and when.</summary>
internal sealed record CatalogVersion(long Version, string Document, string Author, DateTimeOffset CreatedAt);
