using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Shardgate.Ledger;
using Shardgate.Network;
using Shardgate.Storage.Postgres;
using Shardgate.Storage.Sqlite;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database of either backend with its stores, for store-level suites that run once per backend:
/// a temporary SQLite file, or a throwaway PostgreSQL database (dropped afterwards).
/// </summary>
internal sealed class TestStores : IAsyncDisposable
{
    private readonly TempDatabase? _sqlite;
    private readonly PostgresDatabase? _postgres;
    private readonly string? _postgresConnection;

    private TestStores(TempDatabase sqlite)
    {
        _sqlite = sqlite;
        Nodes = new SqliteNodeStore(sqlite.Database, TimeProvider.System);
        Accounts = new SqliteAccountStore(sqlite.Database, TimeProvider.System);
        Log = new SqliteRequestLogStore(sqlite.Database, new LedgerOptions(), TimeProvider.System, NullLogger<SqliteRequestLogStore>.Instance);
        Participants = new SqliteParticipantStore(sqlite.Database, TimeProvider.System);
    }

    private TestStores(PostgresDatabase postgres, string connectionString)
    {
        (_postgres, _postgresConnection) = (postgres, connectionString);
        Nodes = new PostgresNodeStore(postgres, TimeProvider.System);
        Accounts = new PostgresAccountStore(postgres, TimeProvider.System);
        Log = new PostgresRequestLogStore(postgres, new LedgerOptions());
        Participants = new PostgresParticipantStore(postgres, TimeProvider.System);
    }

    public INodeStore Nodes { get; }

    public IAccountStore Accounts { get; }

    public IRequestLogStore Log { get; }

    public Shardgate.Network.Economics.IParticipantStore Participants { get; }

    public static async Task<TestStores> CreateAsync(Backend backend)
    {
        if (backend == Backend.Sqlite)
        {
            return new TestStores(await TempDatabase.CreateAsync());
        }

        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var database = new PostgresDatabase(connectionString);
        await PostgresMigrator.MigrateAsync(database, TimeProvider.System, default);
        return new TestStores(database, connectionString);
    }

    /// <summary>Runs SQL both backends understand.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (Log is IAsyncDisposable log)
        {
            await log.DisposeAsync();
        }

        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(_postgresConnection!);
        }
    }

    private async Task<DbConnection> OpenAsync() =>
        _sqlite is not null ? await _sqlite.Database.OpenAsync(default) : await _postgres!.OpenAsync(default);
}
