using System.Data.Common;
using Shardgate.Ledger;

namespace Shardgate.Storage;

/// <summary>What both backends share about account rows: the columns and the row mapping.</summary>
internal static class AccountRows
{
    public const string Columns = "id, name, created_at, validation_sampling";

    public static Account Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
    {
        ValidationSampling = reader.GetBoolean(3),
    };
}
