using System.Data.Common;

namespace Shardgate.Storage;

/// <summary>Reading a query's rows, the same on both backends.</summary>
internal static class DbRows
{
    /// <summary>Runs <paramref name="command"/> and maps every row with <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
