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
            var command = new NpgsqlBatchCommand($"INSERT INTO request_log ({RequestLogRows.Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19, @p20) ON CONFLICT (request_id) DO NOTHING;");
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
            p.Add(Nullable("p18", NpgsqlDbType.Text, e.Hedge));
            p.Add(Nullable("p19", NpgsqlDbType.Text, e.Alias));
            p.Add(Nullable("p20", NpgsqlDbType.Text, e.Endpoint));
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
        await using var command = new NpgsqlCommand($"SELECT {RequestLogRows.Columns} FROM request_log WHERE request_id = @id;", connection);
        command.Parameters.AddWithValue("id", requestId);
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? RequestLogRows.Read(r) : null;
    }

    public async Task<IReadOnlyList<RequestLogEntry>> QueryAsync(RequestLogQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        command.CommandText = RequestLogRows.Select(query, '@', command);
        return await command.ReadAllAsync(RequestLogRows.Read, cancellationToken);
    }

    public async Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset? from, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(RequestLogRows.SpendSelect("to_char(to_timestamp(started_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')", "@from", "::bigint"), connection);
        command.Parameters.Add(new NpgsqlParameter<long?>("from", from?.ToUnixTimeMilliseconds()));
        return await command.ReadAllAsync(RequestLogRows.ReadSpend, cancellationToken);
    }

    public async Task<IReadOnlyList<UsageDay>> UsageAsync(long? keyId, long? accountId, DateTimeOffset? from, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT to_char(to_timestamp(started_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, COALESCE(model, ''),
                   {RequestLogRows.ServedCount}::bigint, {RequestLogRows.RejectedCount}::bigint,
                   COALESCE(SUM(prompt_tokens), 0)::bigint, COALESCE(SUM(completion_tokens), 0)::bigint, COALESCE(SUM(cost), 0)::bigint
            FROM request_log WHERE (@key::bigint IS NULL OR key_id = @key) AND (@account::bigint IS NULL OR account_id = @account)
                  AND (@from::bigint IS NULL OR started_at >= @from)
            GROUP BY day, model ORDER BY day DESC, 2;
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<long?>("key", keyId));
        command.Parameters.Add(new NpgsqlParameter<long?>("account", accountId));
        command.Parameters.Add(new NpgsqlParameter<long?>("from", from?.ToUnixTimeMilliseconds()));
        return await command.ReadAllAsync(RequestLogRows.ReadUsageDay, cancellationToken);
    }

    private static NpgsqlParameter Nullable<T>(string name, NpgsqlDbType type, T? value) =>
        new(name, type) { Value = (object?)value ?? DBNull.Value };
}
