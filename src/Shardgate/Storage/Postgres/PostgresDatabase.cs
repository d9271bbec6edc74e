using Npgsql;

namespace Shardgate.Storage.Postgres;

/// <summary>The PostgreSQL backend's connection pool, for replicas sharing one database.</summary>
internal sealed class PostgresDatabase(string connectionString) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    /// <summary>Whether the configured database is PostgreSQL (a connection string) rather than a SQLite path.</summary>
    public static bool IsConnectionString(string database) =>
        database.Contains("Host=", StringComparison.OrdinalIgnoreCase) || database.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
