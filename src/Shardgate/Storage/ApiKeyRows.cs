using System.Data.Common;
using System.Text.Json;
using Shardgate.Ledger;

namespace Shardgate.Storage;

/// <summary>What both backends share about API-key rows: the columns, the row mapping, and how limits are stored.</summary>
internal static class ApiKeyRows
{
    public const string Columns = "id, account_id, hash, display_prefix, created_at, revoked_at, limits";

    public static ApiKeyRecord Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        (byte[])reader.GetValue(2),
        reader.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        reader.IsDBNull(6) ? KeyLimits.None : JsonSerializer.Deserialize(reader.GetString(6), StorageJsonContext.Default.KeyLimits) ?? KeyLimits.None);

    /// <summary>Limits as JSON, or NULL for an unlimited key.</summary>
    public static object Serialize(KeyLimits limits) =>
        limits.IsUnlimited ? DBNull.Value : JsonSerializer.Serialize(limits, StorageJsonContext.Default.KeyLimits);
}
