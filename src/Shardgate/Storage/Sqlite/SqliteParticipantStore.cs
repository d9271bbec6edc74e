using Shardgate.Network.Economics;

namespace Shardgate.Storage.Sqlite;

internal sealed class SqliteParticipantStore(SqliteDatabase database, TimeProvider time) : IParticipantStore
{
    public async Task AddStatsAsync(IReadOnlyCollection<HostEpochStats> rows, CancellationToken cancellationToken)
    {
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var row in rows)
        {
            using var command = connection.CreateCommand();
            command.Transaction = (Microsoft.Data.Sqlite.SqliteTransaction)tx;
            command.CommandText = ParticipantRows.Add('$');
            ParticipantRows.Bind(command, '$', row);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<HostEpochStats>> ListStatsAsync(string? nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = ParticipantRows.List('$');
        command.Parameters.AddWithValue("$node", (object?)nodeId ?? DBNull.Value);
        return await command.ReadAllAsync(ParticipantRows.Read, cancellationToken);
    }

    public async Task CreateOperatorKeyAsync(string participant, byte[] hash, string displayPrefix, CancellationToken cancellationToken)
    {
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO operator_keys (hash, participant, display_prefix, created_at) VALUES ($hash, $participant, $prefix, $now);";
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$participant", participant);
        command.Parameters.AddWithValue("$prefix", displayPrefix);
        command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string?> FindOperatorAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT participant FROM operator_keys WHERE hash = $hash;";
        command.Parameters.AddWithValue("$hash", hash);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
