using Microsoft.Data.Sqlite;

namespace Shardgate.Storage.Sqlite;

/// <summary>Versioned schema migrations, applied in order at start; each runs once, in its own transaction.</summary>
internal static class SqliteMigrator
{
    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE nodes (
                id TEXT PRIMARY KEY,
                spec TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE api_keys (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                hash BLOB NOT NULL UNIQUE,
                display_prefix TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER
            );
            CREATE INDEX ix_api_keys_account ON api_keys(account_id);
            CREATE TABLE request_log (
                request_id TEXT PRIMARY KEY,
                started_at INTEGER NOT NULL,
                key_id INTEGER,
                account_id INTEGER,
                model TEXT,
                node_id TEXT,
                stream INTEGER NOT NULL,
                status INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                prompt_tokens INTEGER,
                completion_tokens INTEGER,
                ttft_ms REAL,
                duration_ms REAL NOT NULL,
                attempts INTEGER NOT NULL,
                error TEXT
            );
            CREATE INDEX ix_request_log_time ON request_log(started_at);
            CREATE INDEX ix_request_log_key_time ON request_log(key_id, started_at);
            """),
        (2, """
            ALTER TABLE accounts ADD COLUMN balance INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE accounts ADD COLUMN reserved INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE prices (
                model TEXT PRIMARY KEY,
                input_per_token INTEGER NOT NULL,
                output_per_token INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE TABLE ledger_entries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                amount INTEGER NOT NULL,
                kind TEXT NOT NULL,
                request_id TEXT,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX ix_ledger_entries_account ON ledger_entries(account_id, id);
            CREATE TABLE balance_leases (
                owner TEXT NOT NULL,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                amount INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (owner, account_id)
            );
            ALTER TABLE request_log ADD COLUMN reserved INTEGER;
            ALTER TABLE request_log ADD COLUMN cost INTEGER;
            ALTER TABLE request_log ADD COLUMN shortfall INTEGER;
            """),
        (3, """
            ALTER TABLE api_keys ADD COLUMN limits TEXT;
            """),
        (4, """
            CREATE TABLE host_health (node_id TEXT PRIMARY KEY, status TEXT NOT NULL, until_ms INTEGER, strikes INTEGER NOT NULL, successes INTEGER NOT NULL, reason TEXT);
            """),
        (5, """
            ALTER TABLE request_log ADD COLUMN hedge TEXT;
            """),
        (6, """
            CREATE TABLE catalog_versions (version INTEGER PRIMARY KEY AUTOINCREMENT, document TEXT NOT NULL, author TEXT NOT NULL, created_at INTEGER NOT NULL);
            ALTER TABLE request_log ADD COLUMN alias TEXT;
            """),
        (7, """
            ALTER TABLE request_log ADD COLUMN endpoint TEXT;
            """),
        (8, """
            ALTER TABLE accounts ADD COLUMN validation_sampling INTEGER NOT NULL DEFAULT 1;
            """),
        (9, """
            CREATE TABLE host_epoch_stats (node_id TEXT NOT NULL, epoch INTEGER NOT NULL, model TEXT NOT NULL, requests INTEGER NOT NULL, input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL, earned INTEGER NOT NULL, missed INTEGER NOT NULL, failed INTEGER NOT NULL, PRIMARY KEY (node_id, epoch, model));
            CREATE TABLE operator_keys (hash BLOB PRIMARY KEY, participant TEXT NOT NULL, display_prefix TEXT NOT NULL, created_at INTEGER NOT NULL);
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;

    public static async Task MigrateAsync(SqliteDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);", cancellationToken);
        var current = await CurrentVersionAsync(connection, cancellationToken);
        foreach (var (version, sql) in Migrations)
        {
            if (version <= current)
            {
                continue;
            }

            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, tx, sql, cancellationToken);
            using var record = connection.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $t);";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$t", time.GetUtcNow().ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
    }

    public static async Task<int> CurrentVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
