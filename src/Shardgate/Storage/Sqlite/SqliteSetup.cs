namespace Shardgate.Storage.Sqlite;

internal sealed class SqliteSetup(SqliteDatabase database, TimeProvider time) : IDatabaseSetup
{
    public string Description => "SQLite " + database.FilePath;

    public Task MigrateAsync(CancellationToken cancellationToken) => SqliteMigrator.MigrateAsync(database, time, cancellationToken);
}
