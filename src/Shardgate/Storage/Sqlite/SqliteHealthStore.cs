using Shardgate.Routing;

namespace Shardgate.Storage.Sqlite;

internal sealed class SqliteHealthStore(SqliteDatabase database) : IHealthStore
{
    public async Task<IReadOnlyList<HostHealthState>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT node_id, status, until_ms, strikes, successes, reason FROM host_health;";
        return await command.ReadAllAsync(HealthRows.Read, cancellationToken);
    }

    public async Task SaveAsync(HostHealthState state, CancellationToken cancellationToken)
    {
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = HealthRows.Upsert('$');
        HealthRows.Bind(command, '$', state);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
