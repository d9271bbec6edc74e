using System.Globalization;
using Npgsql;
using Shardgate.Storage.Postgres;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage.Postgres;

/// <summary>Replicas that start together migrate one at a time, under the migrator's advisory lock.</summary>
public sealed class PostgresMigratorTests : IRunsOnPostgres
{
    [BackendFact]
    public async Task Two_migrators_started_together_wait_for_the_lock_and_apply_each_migration_once()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await using var holder = new NpgsqlConnection(connectionString);
            await holder.OpenAsync();
            await ScalarAsync(holder, $"SELECT pg_advisory_lock({PostgresMigrator.LockKey});");
            await using var first = new PostgresDatabase(connectionString);
            await using var second = new PostgresDatabase(connectionString);

            // Both start while the lock is held, so both are waiting at once when it is let go.
            var migrating = Task.WhenAll(
                PostgresMigrator.MigrateAsync(first, TimeProvider.System, default),
                PostgresMigrator.MigrateAsync(second, TimeProvider.System, default));
            for (var i = 0; i < 3_000 && await WaitingForTheLockAsync(holder) < 2; i++)
            {
                await Task.Delay(10);
            }

            var waiting = await WaitingForTheLockAsync(holder);
            await ScalarAsync(holder, $"SELECT pg_advisory_unlock({PostgresMigrator.LockKey});");
            await migrating.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(2, waiting);
            var latest = PostgresMigrator.LatestVersion.ToString(CultureInfo.InvariantCulture);
            Assert.Equal($"{latest} {latest} {latest}", await ScalarAsync(holder, "SELECT COUNT(*) || ' ' || COUNT(DISTINCT version) || ' ' || MAX(version) FROM schema_migrations;"));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<long> WaitingForTheLockAsync(NpgsqlConnection connection) => long.Parse((await ScalarAsync(connection, """
        SELECT COUNT(*) FROM pg_locks
        WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
        """))!, CultureInfo.InvariantCulture);

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
