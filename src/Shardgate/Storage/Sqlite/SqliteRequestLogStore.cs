using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Shardgate.Ledger;

namespace Shardgate.Storage.Sqlite;

/// <summary>
/// Request-log rows, appended a batch per transaction and never updated. Appends go through one held connection
/// with prepared statements (<see cref="SqliteLogAppender"/>); the WAL is checkpointed beside them
/// (<see cref="SqliteCheckpointer"/>). Reads open pooled connections.
/// </summary>
internal sealed class SqliteRequestLogStore(SqliteDatabase database, Shardgate.Ledger.LedgerOptions ledger, TimeProvider time, ILogger<SqliteRequestLogStore> logger) : IRequestLogStore, IAsyncDisposable
{
    private SqliteLogAppender? _appender;
    private SqliteCheckpointer? _checkpointer;

    /// <summary>WAL checkpoints run beside the appends so far.</summary>
    public long Checkpoints => _checkpointer?.Checkpoints ?? 0;

    public async Task AppendAsync(IReadOnlyList<RequestLogEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        using (await database.EnterWriteAsync(cancellationToken))
        {
            _appender ??= await SqliteLogAppender.OpenAsync(database, ledger.Owner, cancellationToken);
            _checkpointer ??= new SqliteCheckpointer(database, time, logger);
            try
            {
                _appender.Append(entries);
            }
            catch
            {
                // The next batch starts from a fresh connection, whatever state this one was left in.
                _appender.Dispose();
                _appender = null;
                throw;
            }

            _checkpointer.OnCommitted();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (await database.EnterWriteAsync(CancellationToken.None))
        {
            _appender?.Dispose();
            _appender = null;
            if (_checkpointer is not null)
            {
                await _checkpointer.DisposeAsync();
                _checkpointer = null;
            }
        }
    }

    public async Task<RequestLogEntry?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RequestLogRows.Columns} FROM request_log WHERE request_id = $id;";
        command.Parameters.AddWithValue("$id", requestId);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return null;
        }

        return RequestLogRows.Read(r);
    }

    public async Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset? from, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = RequestLogRows.SpendSelect("date(started_at / 1000, 'unixepoch')", "$from", "");
        command.Parameters.AddWithValue("$from", (object?)from?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        return await command.ReadAllAsync(RequestLogRows.ReadSpend, cancellationToken);
    }

    public async Task<IReadOnlyList<UsageDay>> UsageAsync(long? keyId, long? accountId, DateTimeOffset? from, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        // A key's totals are served by the (key_id, started_at) index.
        command.CommandText = $"""
            SELECT date(started_at / 1000, 'unixepoch') AS day, COALESCE(model, ''),
                   {RequestLogRows.ServedCount}, {RequestLogRows.RejectedCount},
                   COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(cost), 0)
            FROM request_log WHERE ($key IS NULL OR key_id = $key) AND ($account IS NULL OR account_id = $account)
                  AND ($from IS NULL OR started_at >= $from)
            GROUP BY day, model ORDER BY day DESC, model;
            """;
        command.Parameters.AddWithValue("$key", (object?)keyId ?? DBNull.Value);
        command.Parameters.AddWithValue("$account", (object?)accountId ?? DBNull.Value);
        command.Parameters.AddWithValue("$from", (object?)from?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        return await command.ReadAllAsync(RequestLogRows.ReadUsageDay, cancellationToken);
    }

    public async Task<IReadOnlyList<RequestLogEntry>> QueryAsync(RequestLogQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = RequestLogRows.Select(query, '$', command);
        return await command.ReadAllAsync(RequestLogRows.Read, cancellationToken);
    }
}
