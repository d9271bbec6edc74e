using Npgsql;
using Shardgate.Routing;

namespace Shardgate.Storage.Postgres;

internal sealed class PostgresHealthStore(PostgresDatabase database) : IHealthStore
{
    public async Task<IReadOnlyList<HostHealthState>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT node_id, status, until_ms, strikes, successes, reason FROM host_health;", connection);
        return await command.ReadAllAsync(HealthRows.Read, cancellationToken);
    }

    public async Task SaveAsync(HostHealthState state, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(HealthRows.Upsert('@'), connection);
        HealthRows.Bind(command, '@', state);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
