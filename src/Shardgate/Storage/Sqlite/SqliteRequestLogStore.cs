using Microsoft.Data.Sqlite;

namespace Shardgate.Storage.Sqlite;

/// <summary>Request-log rows, appended a batch per transaction and never updated.</summary>
internal sealed class SqliteRequestLogStore(SqliteDatabase database, Shardgate.Ledger.LedgerOptions ledger) : IRequestLogStore
{
    public async Task AppendAsync(IReadOnlyList<RequestLogEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT OR IGNORE INTO request_log ({RequestLogRows.Columns}) VALUES ($id, $started, $key, $account, $model, $node, $stream, $status, $outcome, $prompt, $completion, $ttft, $duration, $attempts, $error, $reserved, $cost, $shortfall);";
        var p = command.Parameters;
        var id = p.Add("$id", SqliteType.Text);
        var started = p.Add("$started", SqliteType.Integer);
        var key = p.Add("$key", SqliteType.Integer);
        var account = p.Add("$account", SqliteType.Integer);
        var model = p.Add("$model", SqliteType.Text);
        var node = p.Add("$node", SqliteType.Text);
        var stream = p.Add("$stream", SqliteType.Integer);
        var status = p.Add("$status", SqliteType.Integer);
        var outcome = p.Add("$outcome", SqliteType.Text);
        var prompt = p.Add("$prompt", SqliteType.Integer);
        var completion = p.Add("$completion", SqliteType.Integer);
        var ttft = p.Add("$ttft", SqliteType.Real);
        var duration = p.Add("$duration", SqliteType.Real);
        var attempts = p.Add("$attempts", SqliteType.Integer);
        var error = p.Add("$error", SqliteType.Text);
        var reserved = p.Add("$reserved", SqliteType.Integer);
        var cost = p.Add("$cost", SqliteType.Integer);
        var shortfall = p.Add("$shortfall", SqliteType.Integer);
        command.Prepare();
        var charges = new Dictionary<long, long>();
        foreach (var e in entries)
        {
            id.Value = e.RequestId;
            started.Value = e.StartedAt.ToUnixTimeMilliseconds();
            key.Value = (object?)e.KeyId ?? DBNull.Value;
            account.Value = (object?)e.AccountId ?? DBNull.Value;
            model.Value = (object?)e.Model ?? DBNull.Value;
            node.Value = (object?)e.NodeId ?? DBNull.Value;
            stream.Value = e.Stream ? 1 : 0;
            status.Value = e.Status;
            outcome.Value = e.Outcome;
            prompt.Value = (object?)e.PromptTokens ?? DBNull.Value;
            completion.Value = (object?)e.CompletionTokens ?? DBNull.Value;
            ttft.Value = (object?)e.TimeToFirstTokenMs ?? DBNull.Value;
            duration.Value = e.DurationMs;
            attempts.Value = e.Attempts;
            error.Value = (object?)e.Error ?? DBNull.Value;
            reserved.Value = (object?)e.Reserved ?? DBNull.Value;
            cost.Value = (object?)e.Cost ?? DBNull.Value;
            shortfall.Value = (object?)e.Shortfall ?? DBNull.Value;
            if (await command.ExecuteNonQueryAsync(cancellationToken) > 0 && e.Cost is > 0 && e.AccountId is { } accountId)
            {
                charges[accountId] = charges.GetValueOrDefault(accountId) + e.Cost.Value;
                await SqliteLedgerStore.ExecuteAsync(connection, tx, "INSERT INTO ledger_entries (account_id, amount, kind, request_id, created_at) VALUES ($a, $amount, 'charge', $r, $t);", cancellationToken,
                    ("$a", accountId), ("$amount", -e.Cost.Value), ("$r", e.RequestId), ("$t", e.StartedAt.ToUnixTimeMilliseconds()));
            }
        }

        // One balance write per account per batch, not per request: the money was already held by this
        // replica's lease, so balance and reserved drop together and the available balance does not move.
        foreach (var (accountId, total) in charges)
        {
            await SqliteLedgerStore.ExecuteAsync(connection, tx, "UPDATE accounts SET balance = balance - $c, reserved = reserved - $c WHERE id = $a;", cancellationToken, ("$c", total), ("$a", accountId));
            await SqliteLedgerStore.ExecuteAsync(connection, tx, "UPDATE balance_leases SET amount = amount - $c WHERE owner = $o AND account_id = $a;", cancellationToken, ("$c", total), ("$o", ledger.Owner), ("$a", accountId));
        }

        await tx.CommitAsync(cancellationToken);
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

    public async Task<IReadOnlyList<Api.UsageDay>> UsageByKeyAsync(long keyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        // Served by the (key_id, started_at) index.
        command.CommandText = """
            SELECT date(started_at / 1000, 'unixepoch') AS day, COALESCE(model, ''), COUNT(*),
                   COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(cost), 0)
            FROM request_log WHERE key_id = $key
            GROUP BY day, model ORDER BY day DESC, model;
            """;
        command.Parameters.AddWithValue("$key", keyId);
        var days = new List<Api.UsageDay>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            days.Add(new Api.UsageDay(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5)));
        }

        return days;
    }

    public async Task<IReadOnlyList<RequestLogEntry>> QueryAsync(RequestLogQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = RequestLogRows.Select(query, '$', command);
        var rows = new List<RequestLogEntry>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(RequestLogRows.Read(r));
        }

        return rows;
    }
}
