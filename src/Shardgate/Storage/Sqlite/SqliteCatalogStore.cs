using Shardgate.Catalog;

namespace Shardgate.Storage.Sqlite;

internal sealed class SqliteCatalogStore(SqliteDatabase database) : ICatalogStore
{
    public Task<CatalogVersion?> LatestAsync(CancellationToken cancellationToken) =>
        OneAsync($"{CatalogRows.Select} ORDER BY version DESC LIMIT 1;", null, cancellationToken);

    public Task<CatalogVersion?> GetAsync(long version, CancellationToken cancellationToken) =>
        OneAsync($"{CatalogRows.Select} WHERE version = $v;", version, cancellationToken);

    public async Task<IReadOnlyList<CatalogVersion>> HistoryAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"{CatalogRows.Select} ORDER BY version DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit);
        return await command.ReadAllAsync(CatalogRows.Read, cancellationToken);
    }

    public async Task<CatalogVersion> AppendAsync(string document, string author, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO catalog_versions (document, author, created_at) VALUES ($d, $a, $t) RETURNING version;";
        command.Parameters.AddWithValue("$d", document);
        command.Parameters.AddWithValue("$a", author);
        command.Parameters.AddWithValue("$t", at.ToUnixTimeMilliseconds());
        var version = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new CatalogVersion(version, document, author, DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()));
    }

    private async Task<CatalogVersion?> OneAsync(string sql, long? version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (version is { } v)
        {
            command.Parameters.AddWithValue("$v", v);
        }

        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? CatalogRows.Read(r) : null;
    }
}
