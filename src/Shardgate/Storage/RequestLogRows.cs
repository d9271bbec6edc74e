using System.Data.Common;
using System.Globalization;
using Shardgate.Ledger;

namespace Shardgate.Storage;

/// <summary>What both backends share about request-log rows: the column list, the row mapping and the query filter.</summary>
internal static class RequestLogRows
{
    public const string Columns = "request_id, started_at, key_id, account_id, model, node_id, stream, status, outcome, prompt_tokens, completion_tokens, ttft_ms, duration_ms, attempts, error, reserved, cost, shortfall, hedge, alias, endpoint";

    /// <summary>
    /// Rows a host served: an answer completed or cut short, or a client that left after a host answered. Every other
    /// row was refused before any host answered (see <see cref="UsageDay"/>).
    /// </summary>
    public const string ServedCount = "SUM(CASE WHEN outcome IN ('completed', 'incomplete') OR (outcome = 'client_disconnected' AND node_id IS NOT NULL) THEN 1 ELSE 0 END)";

    public const string RejectedCount = "SUM(CASE WHEN outcome IN ('completed', 'incomplete') OR (outcome = 'client_disconnected' AND node_id IS NOT NULL) THEN 0 ELSE 1 END)";

    /// <summary>Spend grouped by day, account and model; <paramref name="day"/> is the backend's expression for the UTC day.</summary>
    public static string SpendSelect(string day, string fromParameter, string cast) => $"""
        SELECT {day} AS day, account_id, COALESCE(model, ''), {ServedCount}{cast},
               COALESCE(SUM(prompt_tokens), 0){cast}, COALESCE(SUM(completion_tokens), 0){cast}, COALESCE(SUM(cost), 0){cast}
        FROM request_log WHERE account_id IS NOT NULL AND ({fromParameter}{cast} IS NULL OR started_at >= {fromParameter})
        GROUP BY day, account_id, model ORDER BY day DESC, account_id, 3;
        """;

    public static SpendRow ReadSpend(DbDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6));

    /// <summary>Maps a usage row: day, model, served, rejected, input tokens, output tokens, cost.</summary>
    public static UsageDay ReadUsageDay(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6));

    /// <summary>Maps a row selected with <see cref="Columns"/> (SQLite stores <c>stream</c> as 0/1, PostgreSQL as a boolean).</summary>
    public static RequestLogEntry Read(DbDataReader r) => new()
    {
        RequestId = r.GetString(0),
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
        KeyId = r.IsDBNull(2) ? null : r.GetInt64(2),
        AccountId = r.IsDBNull(3) ? null : r.GetInt64(3),
        Model = r.IsDBNull(4) ? null : r.GetString(4),
        NodeId = r.IsDBNull(5) ? null : r.GetString(5),
        Stream = Convert.ToBoolean(r.GetValue(6), CultureInfo.InvariantCulture),
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
        Hedge = r.IsDBNull(18) ? null : r.GetString(18),
        Alias = r.IsDBNull(19) ? null : r.GetString(19),
        Endpoint = r.IsDBNull(20) ? null : r.GetString(20),
    };

    /// <summary>The SELECT for a query, with parameters named with the backend's <paramref name="prefix"/> (<c>$</c> or <c>@</c>).</summary>
    public static string Select(RequestLogQuery query, char prefix, DbCommand command)
    {
        var where = new List<string>();
        void Filter(string column, string op, string name, object value)
        {
            where.Add($"{column} {op} {prefix}{name}");
            var parameter = command.CreateParameter();
            parameter.ParameterName = prefix + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        if (query.KeyId is { } key)
        {
            Filter("key_id", "=", "key", key);
        }

        if (query.AccountId is { } account)
        {
            Filter("account_id", "=", "account", account);
        }

        if (query.NodeId is { } node)
        {
            Filter("node_id", "=", "node", node);
        }

        if (query.Endpoint is { } endpoint)
        {
            Filter("endpoint", "=", "endpoint", endpoint);
        }

        if (query.Model is { } model)
        {
            Filter("model", "=", "model", model);
        }

        if (query.Status is { } status)
        {
            Filter("status", "=", "status", status);
        }

        if (query.From is { } from)
        {
            Filter("started_at", ">=", "from", from.ToUnixTimeMilliseconds());
        }

        if (query.To is { } to)
        {
            Filter("started_at", "<", "to", to.ToUnixTimeMilliseconds());
        }

        if (query.Before is { } before)
        {
            Filter("request_id", "<", "before", before);
        }

        var limit = command.CreateParameter();
        limit.ParameterName = prefix + "limit";
        limit.Value = query.Limit;
        command.Parameters.Add(limit);
        return $"SELECT {Columns} FROM request_log {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)} ORDER BY request_id DESC LIMIT {prefix}limit;";
    }
}
