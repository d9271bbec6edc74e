using Npgsql;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests may use (<c>SHARDGATE_TEST_POSTGRES</c>, a connection string; .ci/run starts a
/// throwaway cluster and sets it). Each harness gets its own database, dropped afterwards.
/// </summary>
internal static class TestPostgres
{
    public const string SkipReason = "SHARDGATE_TEST_POSTGRES is not set: no PostgreSQL to run the PostgreSQL suite against (scripts/start-test-postgres.sh starts one).";

    public static string? ConnectionString => Environment.GetEnvironmentVariable("SHARDGATE_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "sg_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, MaxPoolSize = 50 }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
