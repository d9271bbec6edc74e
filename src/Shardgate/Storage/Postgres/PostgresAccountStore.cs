using Npgsql;
using Shardgate.Ledger;

namespace Shardgate.Storage.Postgres;

internal sealed class PostgresAccountStore(PostgresDatabase database, TimeProvider time) : IAccountStore
{
    public async Task<Account> CreateAccountAsync(string name, CancellationToken cancellationToken)
    {
        var now = Truncate(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("INSERT INTO accounts (name, created_at) VALUES (@name, @now) RETURNING id;", connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        return new Account((long)(await command.ExecuteScalarAsync(cancellationToken))!, name, now);
    }

    public async Task<Account?> GetAccountAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {AccountRows.Columns} FROM accounts WHERE id = @id;", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? AccountRows.Read(reader)
            : null;
    }

    public async Task<IReadOnlyList<Account>> ListAccountsAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {AccountRows.Columns} FROM accounts WHERE id > @after ORDER BY id LIMIT @limit;", connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ReadAllAsync(AccountRows.Read, cancellationToken);
    }

    public async Task<bool> SetValidationSamplingAsync(long id, bool enabled, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE accounts SET validation_sampling = @enabled WHERE id = @id;", connection);
        command.Parameters.AddWithValue("enabled", enabled);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<ApiKeyRecord> CreateKeyAsync(long accountId, byte[] hash, string displayPrefix, KeyLimits limits, CancellationToken cancellationToken)
    {
        var now = Truncate(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("INSERT INTO api_keys (account_id, hash, display_prefix, created_at, limits) VALUES (@a, @h, @p, @now, @limits) RETURNING id;", connection);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("h", hash);
        command.Parameters.AddWithValue("p", displayPrefix);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("limits", ApiKeyRows.Serialize(limits));
        return new ApiKeyRecord((long)(await command.ExecuteScalarAsync(cancellationToken))!, accountId, hash, displayPrefix, now, null, limits);
    }

    public async Task<bool> SetKeyLimitsAsync(long accountId, long keyId, KeyLimits limits, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE api_keys SET limits = @limits WHERE id = @id AND account_id = @a;", connection);
        command.Parameters.AddWithValue("limits", ApiKeyRows.Serialize(limits));
        command.Parameters.AddWithValue("id", keyId);
        command.Parameters.AddWithValue("a", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<ApiKeyRecord?> FindKeyByHashAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {ApiKeyRows.Columns} FROM api_keys WHERE hash = @h;", connection);
        command.Parameters.AddWithValue("h", hash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ApiKeyRows.Read(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {ApiKeyRows.Columns} FROM api_keys WHERE account_id = @a ORDER BY id;", connection);
        command.Parameters.AddWithValue("a", accountId);
        return await command.ReadAllAsync(ApiKeyRows.Read, cancellationToken);
    }

    public async Task<bool> RevokeKeyAsync(long accountId, long keyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE api_keys SET revoked_at = @now WHERE id = @id AND account_id = @a AND revoked_at IS NULL;", connection);
        command.Parameters.AddWithValue("now", time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("id", keyId);
        command.Parameters.AddWithValue("a", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());
}
