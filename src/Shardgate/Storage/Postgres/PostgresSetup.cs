namespace Shardgate.Storage.Postgres;

internal sealed class PostgresSetup(PostgresDatabase database, TimeProvider time) : IDatabaseSetup
{
    public string Description => $"PostgreSQL {database.DataSource.ConnectionString.Split(';').FirstOrDefault(p => p.StartsWith("Host", StringComparison.OrdinalIgnoreCase))}";

    public Task MigrateAsync(CancellationToken cancellationToken) => PostgresMigrator.MigrateAsync(database, time, cancellationToken);
}
