using Npgsql;
using Shardgate.Network.Economics;

namespace Shardgate.Storage.Postgres;

internal sealed class PostgresParticipantStore(PostgresDatabase database, TimeProvider time) : IParticipantStore
{
    public async Task AddStatsAsync(IReadOnlyCollection<HostEpochStats> rows, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var row in rows)
        {
            await using var command = new NpgsqlCommand(ParticipantRows.Add('@'), connection, tx);
            ParticipantRows.Bind(command, '@', row);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<HostEpochStats>> ListStatsAsync(string? nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(ParticipantRows.List('@'), connection);
        command.Parameters.Add(new NpgsqlParameter("node", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)nodeId ?? DBNull.Value });
        return await command.ReadAllAsync(ParticipantRows.Read, cancellationToken);
    }

    public async Task CreateOperatorKeyAsync(string participant, byte[] hash, string displayPrefix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("INSERT INTO operator_keys (hash, participant, display_prefix, created_at) VALUES (@hash, @participant, @prefix, @now);", connection);
        command.Parameters.AddWithValue("hash", hash);
        command.Parameters.AddWithValue("participant", participant);
        command.Parameters.AddWithValue("prefix", displayPrefix);
        command.Parameters.AddWithValue("now", time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string?> FindOperatorAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT participant FROM operator_keys WHERE hash = @hash;", connection);
        command.Parameters.AddWithValue("hash", hash);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
