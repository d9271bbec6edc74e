using Microsoft.Data.Sqlite;

namespace Shardgate.Storage.Sqlite;

/// <summary>
/// The request-log writer's own connection, held open with its four statements prepared once: a batch is a
/// transaction of bound executions, with no connection open, pragma or SQL parse per commit. Its automatic
/// checkpoints are off, so a commit never copies the WAL into the database while clients wait on it;
/// <see cref="SqliteCheckpointer"/> does that on another connection, beside the commits.
/// </summary>
internal sealed class SqliteLogAppender : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insertRow;
    private readonly SqliteCommand _insertCharge;
    private readonly SqliteCommand _chargeAccount;
    private readonly SqliteCommand _chargeLease;
    private readonly SqliteParameter[] _row;
    private readonly Dictionary<long, long> _charges = [];

    private SqliteLogAppender(SqliteConnection connection, string owner)
    {
        _connection = connection;
        _insertRow = Prepare($"INSERT OR IGNORE INTO request_log ({RequestLogRows.Columns}) VALUES ($id, $started, $key, $account, $model, $node, $stream, $status, $outcome, $prompt, $completion, $ttft, $duration, $attempts, $error, $reserved, $cost, $shortfall);",
            ("$id", SqliteType.Text), ("$started", SqliteType.Integer), ("$key", SqliteType.Integer), ("$account", SqliteType.Integer), ("$model", SqliteType.Text),
            ("$node", SqliteType.Text), ("$stream", SqliteType.Integer), ("$status", SqliteType.Integer), ("$outcome", SqliteType.Text), ("$prompt", SqliteType.Integer),
            ("$completion", SqliteType.Integer), ("$ttft", SqliteType.Real), ("$duration", SqliteType.Real), ("$attempts", SqliteType.Integer), ("$error", SqliteType.Text),
            ("$reserved", SqliteType.Integer), ("$cost", SqliteType.Integer), ("$shortfall", SqliteType.Integer));
        _row = new SqliteParameter[_insertRow.Parameters.Count];
        _insertRow.Parameters.CopyTo(_row, 0);
        _insertCharge = Prepare("INSERT INTO ledger_entries (account_id, amount, kind, request_id, created_at) VALUES ($a, $amount, 'charge', $r, $t);",
            ("$a", SqliteType.Integer), ("$amount", SqliteType.Integer), ("$r", SqliteType.Text), ("$t", SqliteType.Integer));
        _chargeAccount = Prepare("UPDATE accounts SET balance = balance - $c, reserved = reserved - $c WHERE id = $a;", ("$c", SqliteType.Integer), ("$a", SqliteType.Integer));
        _chargeLease = Prepare("UPDATE balance_leases SET amount = amount - $c WHERE owner = $o AND account_id = $a;", ("$c", SqliteType.Integer), ("$o", SqliteType.Text), ("$a", SqliteType.Integer));
        _chargeLease.Parameters["$o"].Value = owner;
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
        using var tx = _connection.BeginTransaction();
        _insertRow.Transaction = _insertCharge.Transaction = _chargeAccount.Transaction = _chargeLease.Transaction = tx;
        _charges.Clear();
        foreach (var e in entries)
        {
            var started = e.StartedAt.ToUnixTimeMilliseconds();
            _row[0].Value = e.RequestId;
            _row[1].Value = started;
            _row[2].Value = (object?)e.KeyId ?? DBNull.Value;
            _row[3].Value = (object?)e.AccountId ?? DBNull.Value;
            _row[4].Value = (object?)e.Model ?? DBNull.Value;
            _row[5].Value = (object?)e.NodeId ?? DBNull.Value;
            _row[6].Value = e.Stream ? 1 : 0;
            _row[7].Value = e.Status;
            _row[8].Value = e.Outcome;
            _row[9].Value = (object?)e.PromptTokens ?? DBNull.Value;
            _row[10].Value = (object?)e.CompletionTokens ?? DBNull.Value;
            _row[11].Value = (object?)e.TimeToFirstTokenMs ?? DBNull.Value;
            _row[12].Value = e.DurationMs;
            _row[13].Value = e.Attempts;
            _row[14].Value = (object?)e.Error ?? DBNull.Value;
            _row[15].Value = (object?)e.Reserved ?? DBNull.Value;
            _row[16].Value = (object?)e.Cost ?? DBNull.Value;
            _row[17].Value = (object?)e.Shortfall ?? DBNull.Value;

            // A row already present (a retried batch) is not charged twice.
            if (_insertRow.ExecuteNonQuery() > 0 && e.Cost is > 0 && e.AccountId is { } accountId)
            {
                _charges[accountId] = _charges.GetValueOrDefault(accountId) + e.Cost.Value;
                _insertCharge.Parameters[0].Value = accountId;
                _insertCharge.Parameters[1].Value = -e.Cost.Value;
                _insertCharge.Parameters[2].Value = e.RequestId;
                _insertCharge.Parameters[3].Value = started;
                _insertCharge.ExecuteNonQuery();
            }
        }

        // One balance write per account per batch, not per request: the money was already held by this
        // replica's lease, so balance and reserved drop together and the available balance does not move.
        foreach (var (accountId, total) in _charges)
        {
            _chargeAccount.Parameters[0].Value = total;
            _chargeAccount.Parameters[1].Value = accountId;
            _chargeAccount.ExecuteNonQuery();
            _chargeLease.Parameters[0].Value = total;
            _chargeLease.Parameters[2].Value = accountId;
            _chargeLease.ExecuteNonQuery();
        }

        tx.Commit();
    }

    public void Dispose()
    {
        _insertRow.Dispose();
        _insertCharge.Dispose();
        _chargeAccount.Dispose();
        _chargeLease.Dispose();
        _connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
