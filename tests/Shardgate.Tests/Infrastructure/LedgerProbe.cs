using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Shardgate.Storage.Postgres;

namespace Shardgate.Tests.Infrastructure;

/// <summary>Reads the gateway's ledger straight from its database (SQLite or PostgreSQL), to check the books from outside.</summary>
internal sealed class LedgerProbe(string database)
{
    public long Balance(long accountId) => Scalar("SELECT balance FROM accounts WHERE id = @a", accountId);

    public long Reserved(long accountId) => Scalar("SELECT reserved FROM accounts WHERE id = @a", accountId);

    public long ChargedByLedger(long accountId) => -Scalar("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account_id = @a AND kind = 'charge'", accountId);

    public long CostInRequestLog(long accountId) => Scalar("SELECT COALESCE(SUM(cost), 0) FROM request_log WHERE account_id = @a", accountId);

    public long Rows(long accountId) => Scalar("SELECT COUNT(*) FROM request_log WHERE account_id = @a", accountId);

    public long PromptTokensInRequestLog(long accountId) => Scalar("SELECT COALESCE(SUM(prompt_tokens), 0) FROM request_log WHERE account_id = @a", accountId);

    public long CompletionTokensInRequestLog(long accountId) => Scalar("SELECT COALESCE(SUM(completion_tokens), 0) FROM request_log WHERE account_id = @a", accountId);

    public long Shortfall(long accountId) => Scalar("SELECT COALESCE(SUM(shortfall), 0) FROM request_log WHERE account_id = @a", accountId);

    private long Scalar(string sql, long accountId)
    {
        using DbConnection connection = PostgresDatabase.IsConnectionString(database)
            ? new NpgsqlConnection(database)
            : new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@a";
        parameter.Value = accountId;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
