using Microsoft.Data.Sqlite;

namespace Shardgate.Tests.Infrastructure;

/// <summary>Reads the gateway's SQLite ledger directly, to check the books from outside the gateway.</summary>
internal sealed class LedgerProbe(string databasePath)
{
    public long Balance(long accountId) => Scalar("SELECT balance FROM accounts WHERE id = $a", accountId);

    public long Reserved(long accountId) => Scalar("SELECT reserved FROM accounts WHERE id = $a", accountId);

    public long ChargedByLedger(long accountId) => -Scalar("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account_id = $a AND kind = 'charge'", accountId);

    public long CostInRequestLog(long accountId) => Scalar("SELECT COALESCE(SUM(cost), 0) FROM request_log WHERE account_id = $a", accountId);

    public long Rows(long accountId) => Scalar("SELECT COUNT(*) FROM request_log WHERE account_id = $a", accountId);

    public long Shortfall(long accountId) => Scalar("SELECT COALESCE(SUM(shortfall), 0) FROM request_log WHERE account_id = $a", accountId);

    private long Scalar(string sql, long accountId)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", accountId);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
