using System.Data.Common;
using Shardgate.Catalog;

namespace Shardgate.Storage;

/// <summary>The catalog-version row both backends read: version, document, author, created_at (Unix milliseconds).</summary>
internal static class CatalogRows
{
    public const string Select = "SELECT version, document, author, created_at FROM catalog_versions";

    public static CatalogVersion Read(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)));
}
