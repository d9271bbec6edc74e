using Npgsql;

namespace Shardgate.Storage.Postgres;

/// <summary>
/// The PostgreSQL backend's connection pool, for replicas sharing one database. Statements the gateway runs
/// again and again (the request-log insert, ledger entries, lease updates) are prepared automatically on each
/// pooled connection, so PostgreSQL parses and plans them once per connection, not once per batch, unless the
/// connection string sets <c>Max Auto Prepare</c> itself.
/// </summary>
internal sealed class PostgresDatabase(string connectionString) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(WithAutoPrepare(connectionString));

    /// <summary>Whether the configured database is PostgreSQL (a connection string) rather than a SQLite path.</summary>
    public static bool IsConnectionString(string database) =>
        database.Contains("Host=", StringComparison.OrdinalIgnoreCase) || database.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
