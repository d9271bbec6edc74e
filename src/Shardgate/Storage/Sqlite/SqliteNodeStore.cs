using System.Text.Json;
using Shardgate.Network;

namespace Shardgate.Storage.Sqlite;

/// <summary>Nodes as JSON documents keyed by id: they are small, few, and read whole.</summary>
internal sealed class SqliteNodeStore(SqliteDatabase database, TimeProvider time) : INodeStore
{
    public async Task<IReadOnlyList<NodeSpec>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT spec, enabled FROM nodes ORDER BY id;";
        return await command.ReadAllAsync(reader => Read(reader.GetString(0), reader.GetInt64(1)), cancellationToken);
    }

    public async Task<NodeSpec?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT spec, enabled FROM nodes WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public async Task<bool> UpsertAsync(NodeSpec node, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        // RETURNING tells insert from update in one statement: revision 1 means the row is new.
        command.CommandText = """
            INSERT INTO nodes (id, spec, enabled, revision, created_at, updated_at) VALUES ($id, $spec, $enabled, 1, $now, $now)
            ON CONFLICT(id) DO UPDATE SET spec = excluded.spec, enabled = excluded.enabled, revision = revision + 1, updated_at = excluded.updated_at
            RETURNING revision;
            """;
        command.Parameters.AddWithValue("$id", node.Id);
        command.Parameters.AddWithValue("$spec", JsonSerializer.Serialize(node with { Enabled = true }, StorageJsonContext.Default.NodeSpec));
        command.Parameters.AddWithValue("$enabled", node.Enabled ? 1 : 0);
        command.Parameters.AddWithValue("$now", now);
        var created = await command.ExecuteScalarAsync(cancellationToken);
        return Convert.ToInt64(created, System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM nodes WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static NodeSpec Read(string json, long enabled) =>
        JsonSerializer.Deserialize(json, StorageJsonContext.Default.NodeSpec)! with { Enabled = enabled != 0 };
}
