using Microsoft.Data.Sqlite;
using Shardgate.Ledger;
using SQLitePCL;

namespace Shardgate.Storage.Sqlite;

/// <summary>
/// The request-log writer's own connection, held open with its statements prepared once: a batch is a
/// transaction of bound executions, with no connection open, pragma or SQL parse per commit. Values are bound
/// straight to SQLite's statements (<c>sqlite3_bind_*</c>, step, reset): through <see cref="SqliteCommand"/> every
/// execution allocated a parameter binder per value and a data reader, ~3 KB a request. Its automatic checkpoints
/// are off, so a commit never copies the WAL into the database while clients wait on it;
/// <see cref="SqliteCheckpointer"/> does that on another connection, beside the commits.
/// </summary>
internal sealed class SqliteLogAppender : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;
    private readonly sqlite3_stmt _insertRow;
    private readonly sqlite3_stmt _insertCharge;
    private readonly sqlite3_stmt _chargeAccount;
    private readonly sqlite3_stmt _chargeLease;
    private readonly Dictionary<long, long> _charges = [];

    private SqliteLogAppender(SqliteConnection connection, string owner)
    {
        _connection = connection;
        _db = connection.Handle!;
        _begin = Prepare("BEGIN IMMEDIATE;");
        _commit = Prepare("COMMIT;");
        _rollback = Prepare("ROLLBACK;");
        _insertRow = Prepare($"INSERT OR IGNORE INTO request_log ({RequestLogRows.Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21);");
        _insertCharge = Prepare("INSERT INTO ledger_entries (account_id, amount, kind, request_id, created_at) VALUES (?1, ?2, 'charge', ?3, ?4);");
        _chargeAccount = Prepare("UPDATE accounts SET balance = balance - ?1, reserved = reserved - ?1 WHERE id = ?2;");
        _chargeLease = Prepare("UPDATE balance_leases SET amount = amount - ?1 WHERE owner = ?3 AND account_id = ?2;");
        Check(raw.sqlite3_bind_text(_chargeLease, 3, owner));
    }

    public static async Task<SqliteLogAppender> OpenAsync(SqliteDatabase database, string owner, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(pooled: false, cancellationToken);
        try
        {
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA wal_autocheckpoint=0;";
                pragma.ExecuteNonQuery();
            }

            return new SqliteLogAppender(connection, owner);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Commits the rows, one ledger entry per charged row and one balance and lease write per account.</summary>
    public void Append(IReadOnlyList<RequestLogEntry> entries)
    {
        Run(_begin);
        try
        {
            _charges.Clear();
            foreach (var e in entries)
            {
                // A row already present (a retried batch) is not charged twice.
                if (InsertRow(e) && e.Cost is > 0 && e.AccountId is { } accountId)
                {
                    _charges[accountId] = _charges.GetValueOrDefault(accountId) + e.Cost.Value;
                    Check(raw.sqlite3_bind_int64(_insertCharge, 1, accountId));
                    Check(raw.sqlite3_bind_int64(_insertCharge, 2, -e.Cost.Value));
                    Check(raw.sqlite3_bind_text(_insertCharge, 3, e.RequestId));
                    Check(raw.sqlite3_bind_int64(_insertCharge, 4, e.StartedAt.ToUnixTimeMilliseconds()));
                    Run(_insertCharge);
                }
            }

            // One balance write per account per batch, not per request: the money was already held by this
            // replica's lease, so balance and reserved drop together and the available balance does not move.
            foreach (var (accountId, total) in _charges)
            {
                Check(raw.sqlite3_bind_int64(_chargeAccount, 1, total));
                Check(raw.sqlite3_bind_int64(_chargeAccount, 2, accountId));
                Run(_chargeAccount);
                Check(raw.sqlite3_bind_int64(_chargeLease, 1, total));
                Check(raw.sqlite3_bind_int64(_chargeLease, 2, accountId));
                Run(_chargeLease);
            }

            Run(_commit);
        }
        catch
        {
            // Nothing of a failed batch stays: the writer retries it whole.
            if (raw.sqlite3_get_autocommit(_db) == 0)
            {
                raw.sqlite3_step(_rollback);
                raw.sqlite3_reset(_rollback);
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (var statement in new[] { _begin, _commit, _rollback, _insertRow, _insertCharge, _chargeAccount, _chargeLease })
        {
            statement.Dispose();
        }

        _connection.Dispose();
    }

    /// <summary>Binds and inserts the row; false when a row with its id was already there.</summary>
    private bool InsertRow(RequestLogEntry e)
    {
        var s = _insertRow;
        Check(raw.sqlite3_bind_text(s, 1, e.RequestId));
        Check(raw.sqlite3_bind_int64(s, 2, e.StartedAt.ToUnixTimeMilliseconds()));
        BindInt64(s, 3, e.KeyId);
        BindInt64(s, 4, e.AccountId);
        BindText(s, 5, e.Model);
        BindText(s, 6, e.NodeId);
        Check(raw.sqlite3_bind_int(s, 7, e.Stream ? 1 : 0));
        Check(raw.sqlite3_bind_int(s, 8, e.Status));
        Check(raw.sqlite3_bind_text(s, 9, e.Outcome));
        BindInt64(s, 10, e.PromptTokens);
        BindInt64(s, 11, e.CompletionTokens);
        BindDouble(s, 12, e.TimeToFirstTokenMs);
        Check(raw.sqlite3_bind_double(s, 13, e.DurationMs));
        Check(raw.sqlite3_bind_int(s, 14, e.Attempts));
        BindText(s, 15, e.Error);
        BindInt64(s, 16, e.Reserved);
        BindInt64(s, 17, e.Cost);
        BindInt64(s, 18, e.Shortfall);
        BindText(s, 19, e.Hedge);
        BindText(s, 20, e.Alias);
        BindText(s, 21, e.Endpoint);
        Run(s);
        return raw.sqlite3_changes(_db) > 0;
    }

    private void BindInt64(sqlite3_stmt s, int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(s, index, v) : raw.sqlite3_bind_null(s, index));

    private void BindDouble(sqlite3_stmt s, int index, double? value) =>
        Check(value is { } v ? raw.sqlite3_bind_double(s, index, v) : raw.sqlite3_bind_null(s, index));

    private void BindText(sqlite3_stmt s, int index, string? value) =>
        Check(value is not null ? raw.sqlite3_bind_text(s, index, value) : raw.sqlite3_bind_null(s, index));

    /// <summary>Steps a statement that returns no rows to its end and resets it for the next use.</summary>
    private void Run(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        return statement;
    }
}
