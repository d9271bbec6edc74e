using System.Text.Json;
using Npgsql;
using Shardgate.Network;

namespace Shardgate.Storage.Postgres;

internal sealed class PostgresNodeStore(PostgresDatabase database, TimeProvider time) : INodeStore
{
    public async Task<IReadOnlyList<NodeSpec>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT spec, enabled FROM nodes ORDER BY id;", connection);
        return await command.ReadAllAsync(reader => Read(reader.GetString(0), reader.GetBoolean(1)), cancellationToken);
    }

    public async Task<NodeSpec?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT spec, enabled FROM nodes WHERE id = @id;", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader.GetString(0), reader.GetBoolean(1)) : null;
    }

    public async Task<bool> UpsertAsync(NodeSpec node, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO nodes (id, spec, enabled, revision, created_at, updated_at) VALUES (@id, @spec, @enabled, 1, @now, @now)
            ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, enabled = excluded.enabled, revision = nodes.revision + 1, updated_at = excluded.updated_at
            RETURNING revision;
            """, connection);
        command.Parameters.AddWithValue("id", node.Id);
        command.Parameters.AddWithValue("spec", JsonSerializer.Serialize(node with { Enabled = true }, StorageJsonContext.Default.NodeSpec));
        command.Parameters.AddWithValue("enabled", node.Enabled);
        command.Parameters.AddWithValue("now", time.GetUtcNow().ToUnixTimeMilliseconds());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM nodes WHERE id = @id;", connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static NodeSpec Read(string json, bool enabled) =>
        JsonSerializer.Deserialize(json, StorageJsonContext.Default.NodeSpec)! with { Enabled = enabled };
}
