using Microsoft.Data.Sqlite;

namespace Shardgate.Storage.Sqlite;

/// <summary>Request-log rows, appended a batch per transaction and never updated.</summary>
internal sealed class SqliteRequestLogStore(SqliteDatabase database, Shardgate.Ledger.LedgerOptions ledger) : IRequestLogStore
{
    private const string Columns = "request_id, started_at, key_id, account_id, model, node_id, stream, status, outcome, prompt_tokens, completion_tokens, ttft_ms, duration_ms, attempts, error, reserved, cost, shortfall";

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
        command.CommandText = $"INSERT OR IGNORE INTO request_log ({Columns}) VALUES ($id, $started, $key, $account, $model, $node, $stream, $status, $outcome, $prompt, $completion, $ttft, $duration, $attempts, $error, $reserved, $cost, $shortfall);";
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
        command.CommandText = $"SELECT {Columns} FROM request_log WHERE request_id = $id;";
        command.Parameters.AddWithValue("$id", requestId);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return null;
        }

        return Read(r);
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
        var where = new List<string>();
        void Filter(string clause, string name, object value)
        {
            where.Add(clause);
            command.Parameters.AddWithValue(name, value);
        }

        if (query.KeyId is { } key)
        {
            Filter("key_id = $key", "$key", key);
        }

        if (query.Model is { } model)
        {
            Filter("model = $model", "$model", model);
        }

        if (query.Status is { } status)
        {
            Filter("status = $status", "$status", status);
        }

        if (query.From is { } from)
        {
            Filter("started_at >= $from", "$from", from.ToUnixTimeMilliseconds());
        }

        if (query.To is { } to)
        {
            Filter("started_at < $to", "$to", to.ToUnixTimeMilliseconds());
        }

        if (query.Before is { } before)
        {
            Filter("request_id < $before", "$before", before);
        }

        command.CommandText = $"SELECT {Columns} FROM request_log {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)} ORDER BY request_id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", query.Limit);
        var rows = new List<RequestLogEntry>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(Read(r));
        }

        return rows;
    }

    private static RequestLogEntry Read(SqliteDataReader r) => new()
    {
        RequestId = r.GetString(0),
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
        KeyId = r.IsDBNull(2) ? null : r.GetInt64(2),
        AccountId = r.IsDBNull(3) ? null : r.GetInt64(3),
        Model = r.IsDBNull(4) ? null : r.GetString(4),
        NodeId = r.IsDBNull(5) ? null : r.GetString(5),
        Stream = r.GetInt64(6) != 0,
        Status = r.GetInt32(7),
        Outcome = r.GetString(8),
        PromptTokens = r.IsDBNull(9) ? null : r.GetInt32(9),
        CompletionTokens = r.IsDBNull(10) ? null : r.GetInt32(10),
        TimeToFirstTokenMs = r.IsDBNull(11) ? null : r.GetDouble(11),
        DurationMs = r.GetDouble(12),
        Attempts = r.GetInt32(13),
        Error = r.IsDBNull(14) ? null : r.GetString(14),
        Reserved = r.IsDBNull(15) ? null : r.GetInt64(15),
        Cost = r.IsDBNull(16) ? null : r.GetInt64(16),
        Shortfall = r.IsDBNull(17) ? null : r.GetInt64(17),
    };
}
