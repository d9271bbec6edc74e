using Shardgate.Storage.Sqlite;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage.Sqlite;

public sealed class SqliteMigratorTests
{
    [Fact]
    public async Task Migrations_apply_once_and_a_second_run_is_a_no_op()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await SqliteMigrator.MigrateAsync(temp.Database, TimeProvider.System, default);

        await using var connection = await temp.Database.OpenAsync(default);
        Assert.Equal(SqliteMigrator.LatestVersion, await SqliteMigrator.CurrentVersionAsync(connection, default));
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM schema_migrations;";
        Assert.Equal((long)SqliteMigrator.LatestVersion, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_database_runs_in_wal_mode()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var connection = await temp.Database.OpenAsync(default);
        using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)(await mode.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_request_log_is_indexed_by_time_and_by_key()
    {
        await using var temp = await TempDatabase.CreateAsync();
        await using var connection = await temp.Database.OpenAsync(default);
        using var indexes = connection.CreateCommand();
        indexes.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'request_log';";
        var names = new List<string>();
        await using var reader = await indexes.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        Assert.Contains("ix_request_log_time", names);
        Assert.Contains("ix_request_log_key_time", names);
    }
}
