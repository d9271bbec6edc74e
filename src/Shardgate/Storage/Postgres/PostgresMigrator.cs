using Npgsql;

namespace Shardgate.Storage.Postgres;

/// <summary>
/// The same versioned schema as SQLite's, in PostgreSQL's types. Replicas starting together take an advisory lock,
/// so each migration runs once.
/// </summary>
internal static class PostgresMigrator
{
    /// <summary>The advisory lock migrators take, one at a time across replicas.</summary>
    internal const long LockKey = 0x5348415244474154; // "SHARDGAT"

    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE nodes (id TEXT PRIMARY KEY, spec TEXT NOT NULL, enabled BOOLEAN NOT NULL, revision BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
            CREATE TABLE accounts (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL);
            CREATE TABLE api_keys (id BIGSERIAL PRIMARY KEY, account_id BIGINT NOT NULL REFERENCES accounts(id), hash BYTEA NOT NULL UNIQUE,
                display_prefix TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT);
            CREATE INDEX ix_api_keys_account ON api_keys(account_id);
            CREATE TABLE request_log (request_id TEXT PRIMARY KEY, started_at BIGINT NOT NULL, key_id BIGINT, account_id BIGINT, model TEXT, node_id TEXT,
                stream BOOLEAN NOT NULL, status INTEGER NOT NULL, outcome TEXT NOT NULL, prompt_tokens INTEGER, completion_tokens INTEGER,
                ttft_ms DOUBLE PRECISION, duration_ms DOUBLE PRECISION NOT NULL, attempts INTEGER NOT NULL, error TEXT);
            CREATE INDEX ix_request_log_time ON request_log(started_at);
            CREATE INDEX ix_request_log_key_time ON request_log(key_id, started_at);
            """),
        (2, """
            ALTER TABLE accounts ADD COLUMN balance BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE accounts ADD COLUMN reserved BIGINT NOT NULL DEFAULT 0;
            CREATE TABLE prices (model TEXT PRIMARY KEY, input_per_token BIGINT NOT NULL, output_per_token BIGINT NOT NULL, updated_at BIGINT NOT NULL);
            CREATE TABLE ledger_entries (id BIGSERIAL PRIMARY KEY, account_id BIGINT NOT NULL REFERENCES accounts(id), amount BIGINT NOT NULL,
                kind TEXT NOT NULL, request_id TEXT, created_at BIGINT NOT NULL);
            CREATE INDEX ix_ledger_entries_account ON ledger_entries(account_id, id);
            CREATE TABLE balance_leases (owner TEXT NOT NULL, account_id BIGINT NOT NULL REFERENCES accounts(id), amount BIGINT NOT NULL,
                updated_at BIGINT NOT NULL, PRIMARY KEY (owner, account_id));
            ALTER TABLE request_log ADD COLUMN reserved BIGINT;
            ALTER TABLE request_log ADD COLUMN cost BIGINT;
            ALTER TABLE request_log ADD COLUMN shortfall BIGINT;
            """),
        (3, """
            ALTER TABLE api_keys ADD COLUMN limits TEXT;
            """),
        (4, """
            CREATE TABLE host_health (node_id TEXT PRIMARY KEY, status TEXT NOT NULL, until_ms BIGINT, strikes INTEGER NOT NULL, successes INTEGER NOT NULL, reason TEXT);
            """),
        (5, """
            ALTER TABLE request_log ADD COLUMN hedge TEXT;
            """),
        (6, """
            CREATE TABLE catalog_versions (version BIGSERIAL PRIMARY KEY, document TEXT NOT NULL, author TEXT NOT NULL, created_at BIGINT NOT NULL);
            ALTER TABLE request_log ADD COLUMN alias TEXT;
            """),
        (7, """
            ALTER TABLE request_log ADD COLUMN endpoint TEXT;
            """),
        (8, """
            ALTER TABLE accounts ADD COLUMN validation_sampling BOOLEAN NOT NULL DEFAULT TRUE;
            """),
        (9, """
            CREATE TABLE host_epoch_stats (node_id TEXT NOT NULL, epoch BIGINT NOT NULL, model TEXT NOT NULL, requests BIGINT NOT NULL, input_tokens BIGINT NOT NULL,
                output_tokens BIGINT NOT NULL, earned BIGINT NOT NULL, missed BIGINT NOT NULL, failed BIGINT NOT NULL, PRIMARY KEY (node_id, epoch, model));
            CREATE TABLE operator_keys (hash BYTEA PRIMARY KEY, participant TEXT NOT NULL, display_prefix TEXT NOT NULL, created_at BIGINT NOT NULL);
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;

    public static async Task MigrateAsync(PostgresDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey});", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);", cancellationToken);
            await using var current = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;", connection);
            var applied = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (version, sql) in Migrations)
            {
                if (version <= applied)
                {
                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, tx, sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t);", connection, tx);
                record.Parameters.AddWithValue("v", version);
                record.Parameters.AddWithValue("t", time.GetUtcNow().ToUnixTimeMilliseconds());
                await record.ExecuteNonQueryAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey});", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
