using Microsoft.Data.Sqlite;
using Shardgate.Storage.Sqlite;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A migrated SQLite file in a temporary folder, deleted afterwards.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("shardgate-db-").FullName;

    private TempDatabase()
    {
        Database = new SqliteDatabase(Path.Combine(_directory, "test.db"));
    }

    public SqliteDatabase Database { get; }

    /// <summary>The temporary folder the database file is in; deleted with it.</summary>
    public string Directory => _directory;

    public static async Task<TempDatabase> CreateAsync()
    {
        var db = new TempDatabase();
        await SqliteMigrator.MigrateAsync(db.Database, TimeProvider.System, default);
        return db;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(default);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An account whose <paramref name="leased"/> ngonka sit in this replica's lease (owner <c>local</c>), as reserved.</summary>
    public Task AddAccountWithLeaseAsync(long accountId, long balance, long leased) => ExecuteAsync(string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"""
        INSERT INTO accounts (id, name, created_at, balance, reserved) VALUES ({accountId}, 'a', 0, {balance}, {leased});
        INSERT INTO balance_leases (owner, account_id, amount, updated_at) VALUES ('local', {accountId}, {leased}, 0);
        """));

    public async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(default);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
