using Npgsql;
using NpgsqlTypes;
using Shardgate.Ledger;

namespace Shardgate.Storage.Postgres;

/// <summary>
/// The request log on PostgreSQL: a batch of rows, their charges and one balance update per account go in one
/// transaction, sent as one round trip per step with <see cref="NpgsqlBatch"/>.
/// </summary>
internal sealed class PostgresRequestLogStore(PostgresDatabase database, LedgerOptions ledger) : IRequestLogStore
{
    private const string Columns = "request_id, started_at, key_id, account_id, model, node_id, stream, status, outcome, prompt_tokens, completion_tokens, ttft_ms, duration_ms, attempts, error, reserved, cost, shortfall";

    public async Task AppendAsync(IReadOnlyList<RequestLogEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var rows = new NpgsqlBatch(connection, tx);
        foreach (var e in entries)
        {
            var command = new NpgsqlBatchCommand($"INSERT INTO request_log ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17) ON CONFLICT (request_id) DO NOTHING;");
            var p = command.Parameters;
            p.AddWithValue("p0", e.RequestId);
            p.AddWithValue("p1", e.StartedAt.ToUnixTimeMilliseconds());
            p.Add(Nullable("p2", NpgsqlDbType.Bigint, e.KeyId));
            p.Add(Nullable("p3", NpgsqlDbType.Bigint, e.AccountId));
            p.Add(Nullable("p4", NpgsqlDbType.Text, e.Model));
            p.Add(Nullable("p5", NpgsqlDbType.Text, e.NodeId));
            p.AddWithValue("p6", e.Stream);
            p.AddWithValue("p7", e.Status);
            p.AddWithValue("p8", e.Outcome);
            p.Add(Nullable("p9", NpgsqlDbType.Integer, e.PromptTokens));
            p.Add(Nullable("p10", NpgsqlDbType.Integer, e.CompletionTokens));
            p.Add(Nullable("p11", NpgsqlDbType.Double, e.TimeToFirstTokenMs));
            p.AddWithValue("p12", e.DurationMs);
            p.AddWithValue("p13", e.Attempts);
            p.Add(Nullable("p14", NpgsqlDbType.Text, e.Error));
            p.Add(Nullable("p15", NpgsqlDbType.Bigint, e.Reserved));
            p.Add(Nullable("p16", NpgsqlDbType.Bigint, e.Cost));
            p.Add(Nullable("p17", NpgsqlDbType.Bigint, e.Shortfall));
            rows.BatchCommands.Add(command);
        }

        await rows.ExecuteNonQueryAsync(cancellationToken);
        await using var money = new NpgsqlBatch(connection, tx);
        var charges = new Dictionary<long, long>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (rows.BatchCommands[i].RecordsAffected > 0 && e.Cost is > 0 && e.AccountId is { } accountId)
            {
                charges[accountId] = charges.GetValueOrDefault(accountId) + e.Cost.Value;
                var entry = new NpgsqlBatchCommand("INSERT INTO ledger_entries (account_id, amount, kind, request_id, created_at) VALUES (@a, @amount, 'charge', @r, @t);");
                entry.Parameters.AddWithValue("a", accountId);
                entry.Parameters.AddWithValue("amount", -e.Cost.Value);
                entry.Parameters.AddWithValue("r", e.RequestId);
                entry.Parameters.AddWithValue("t", e.StartedAt.ToUnixTimeMilliseconds());
                money.BatchCommands.Add(entry);
            }
        }

        // One balance write per account per batch; the money was held by this replica's lease (see docs/ledger.md).
        foreach (var (accountId, total) in charges.OrderBy(c => c.Key))
        {
            var balance = new NpgsqlBatchCommand("UPDATE accounts SET balance = balance - @c, reserved = reserved - @c WHERE id = @a;");
            balance.Parameters.AddWithValue("c", total);
            balance.Parameters.AddWithValue("a", accountId);
            money.BatchCommands.Add(balance);
            var lease = new NpgsqlBatchCommand("UPDATE balance_leases SET amount = amount - @c WHERE owner = @o AND account_id = @a;");
            lease.Parameters.AddWithValue("c", total);
            lease.Parameters.AddWithValue("o", ledger.Owner);
            lease.Parameters.AddWithValue("a", accountId);
            money.BatchCommands.Add(lease);
        }

        if (money.BatchCommands.Count > 0)
        {
            await money.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<RequestLogEntry?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM request_log WHERE request_id = @id;", connection);
        command.Parameters.AddWithValue("id", requestId);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? Read(r) : null;
    }

    public async Task<IReadOnlyList<RequestLogEntry>> QueryAsync(RequestLogQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var where = new List<string>();
        void Filter(string clause, string name, object value)
        {
            where.Add(clause);
            command.Parameters.AddWithValue(name, value);
        }

        if (query.KeyId is { } key)
        {
            Filter("key_id = @key", "key", key);
        }

        if (query.Model is { } model)
        {
            Filter("model = @model", "model", model);
        }

        if (query.Status is { } status)
        {
            Filter("status = @status", "status", status);
        }

        if (query.From is { } from)
        {
            Filter("started_at >= @from", "from", from.ToUnixTimeMilliseconds());
        }

        if (query.To is { } to)
        {
            Filter("started_at < @to", "to", to.ToUnixTimeMilliseconds());
        }

        if (query.Before is { } before)
        {
            Filter("request_id < @before", "before", before);
        }

        command.CommandText = $"SELECT {Columns} FROM request_log {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)} ORDER BY request_id DESC LIMIT @limit;";
        command.Parameters.AddWithValue("limit", query.Limit);
        var rows = new List<RequestLogEntry>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(Read(r));
        }

        return rows;
    }

    public async Task<IReadOnlyList<Api.UsageDay>> UsageByKeyAsync(long keyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT to_char(to_timestamp(started_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, COALESCE(model, ''), COUNT(*),
                   COALESCE(SUM(prompt_tokens), 0)::bigint, COALESCE(SUM(completion_tokens), 0)::bigint, COALESCE(SUM(cost), 0)::bigint
            FROM request_log WHERE key_id = @key
            GROUP BY day, model ORDER BY day DESC, 2;
            """, connection);
        command.Parameters.AddWithValue("key", keyId);
        var days = new List<Api.UsageDay>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            days.Add(new Api.UsageDay(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5)));
        }

        return days;
    }

    private static NpgsqlParameter Nullable<T>(string name, NpgsqlDbType type, T? value) =>
        new(name, type) { Value = (object?)value ?? DBNull.Value };

    private static RequestLogEntry Read(NpgsqlDataReader r) => new()
    {
        RequestId = r.GetString(0),
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
        KeyId = r.IsDBNull(2) ? null : r.GetInt64(2),
        AccountId = r.IsDBNull(3) ? null : r.GetInt64(3),
        Model = r.IsDBNull(4) ? null : r.GetString(4),
        NodeId = r.IsDBNull(5) ? null : r.GetString(5),
        Stream = r.GetBoolean(6),
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
