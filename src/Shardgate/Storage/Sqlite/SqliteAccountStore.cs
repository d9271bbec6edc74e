using Microsoft.Data.Sqlite;
using Shardgate.Ledger;

namespace Shardgate.Storage.Sqlite;

internal sealed class SqliteAccountStore(SqliteDatabase database, TimeProvider time) : IAccountStore
{
    public async Task<Account> CreateAccountAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO accounts (name, created_at) VALUES ($name, $now) RETURNING id;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new Account(id, name, Truncate(now));
    }

    public async Task<Account?> GetAccountAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AccountRows.Columns} FROM accounts WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? AccountRows.Read(reader)
            : null;
    }

    public async Task<IReadOnlyList<Account>> ListAccountsAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AccountRows.Columns} FROM accounts WHERE id > $after ORDER BY id LIMIT $limit;";
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", limit);
        return await command.ReadAllAsync(AccountRows.Read, cancellationToken);
    }

    public async Task<bool> SetValidationSamplingAsync(long id, bool enabled, CancellationToken cancellationToken)
    {
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE accounts SET validation_sampling = $enabled WHERE id = $id;";
        command.Parameters.AddWithValue("$enabled", enabled);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<ApiKeyRecord> CreateKeyAsync(long accountId, byte[] hash, string displayPrefix, KeyLimits limits, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO api_keys (account_id, hash, display_prefix, created_at, limits) VALUES ($account, $hash, $prefix, $now, $limits) RETURNING id;";
        command.Parameters.AddWithValue("$limits", ApiKeyRows.Serialize(limits));
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$prefix", displayPrefix);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new ApiKeyRecord(id, accountId, hash, displayPrefix, Truncate(now), null, limits);
    }

    public async Task<bool> SetKeyLimitsAsync(long accountId, long keyId, KeyLimits limits, CancellationToken cancellationToken)
    {
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_keys SET limits = $limits WHERE id = $id AND account_id = $account;";
        command.Parameters.AddWithValue("$limits", ApiKeyRows.Serialize(limits));
        command.Parameters.AddWithValue("$id", keyId);
        command.Parameters.AddWithValue("$account", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<ApiKeyRecord?> FindKeyByHashAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ApiKeyRows.Columns} FROM api_keys WHERE hash = $hash;";
        command.Parameters.AddWithValue("$hash", hash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ApiKeyRows.Read(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ApiKeyRows.Columns} FROM api_keys WHERE account_id = $account ORDER BY id;";
        command.Parameters.AddWithValue("$account", accountId);
        return await command.ReadAllAsync(ApiKeyRows.Read, cancellationToken);
    }

    public async Task<bool> RevokeKeyAsync(long accountId, long keyId, CancellationToken cancellationToken)
    {
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_keys SET revoked_at = $now WHERE id = $id AND account_id = $account AND revoked_at IS NULL;";
        command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$id", keyId);
        command.Parameters.AddWithValue("$account", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    // The database keeps milliseconds; answer with what a later read returns.
    private static DateTimeOffset Truncate(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());
}
