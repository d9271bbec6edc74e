using Microsoft.Data.Sqlite;

namespace Shardgate.Storage.Sqlite;

/// <summary>
/// Opens connections to the embedded SQLite database. WAL lets the request-log writer commit while readers read;
/// <c>synchronous=NORMAL</c> in WAL mode keeps every commit durable against a process crash (only an OS crash
/// can lose the last commits), at a fraction of FULL's fsync cost.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly string _unpooledConnectionString;
    private readonly SemaphoreSlim _writers = new(1, 1);

    public SqliteDatabase(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        FilePath = full;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _unpooledConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
    }

    public string FilePath { get; }

    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(pooled: true, cancellationToken);

    /// <summary>
    /// Waits for this process's turn to write. SQLite admits one writer at a time and makes the others poll with
    /// growing sleeps (1, 2, 5, 10, 15, 20, 25… ms under busy_timeout): a balance-lease extension that met the
    /// request-log writer committing back to back slept ~100 ms behind it, and every request of that account
    /// stalled with it. Queued here, a writer waits for the one transaction ahead of it and no longer.
    /// </summary>
    public async ValueTask<SqliteWriteTurn> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken);
        return new SqliteWriteTurn(_writers);
    }

    /// <summary>Unpooled for a connection held for the process's life with its own settings, which must not reach the pool.</summary>
    public async Task<SqliteConnection> OpenAsync(bool pooled, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(pooled ? _connectionString : _unpooledConnectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public void Dispose() => _writers.Dispose();
}
