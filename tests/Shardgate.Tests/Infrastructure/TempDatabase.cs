using Microsoft.Data.Sqlite;
using Shardgate.Storage.Sqlite;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A migrated SQLite file in a temporary folder, deleted afterwards.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("shardgate-db-").FullName;

    private TempDatabase()
    {
        Database = new SqliteDatabase(Path.Combine(_directory, "test.db"));
    }

    public SqliteDatabase Database { get; }

    public static async Task<TempDatabase> CreateAsync()
    {
        var db = new TempDatabase();
        await SqliteMigrator.MigrateAsync(db.Database, TimeProvider.System, default);
        return db;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
