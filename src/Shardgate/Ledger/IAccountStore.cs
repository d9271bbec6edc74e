using Shardgate.Ledger;

namespace Shardgate.Ledger;

/// <summary>Accounts and their API keys. Keys are stored only as SHA-256 hashes.</summary>
internal interface IAccountStore
{
    Task<Account> CreateAccountAsync(string name, CancellationToken cancellationToken);

    Task<Account?> GetAccountAsync(long id, CancellationToken cancellationToken);

    /// <summary>Accounts by id, ascending, starting after <paramref name="after"/>: one page at a time.</summary>
    Task<IReadOnlyList<Account>> ListAccountsAsync(long after, int limit, CancellationToken cancellationToken);

    /// <summary>Whether the account's requests may be sampled for validation; false when there is no such account.</summary>
    Task<bool> SetValidationSamplingAsync(long id, bool enabled, CancellationToken cancellationToken);

    Task<ApiKeyRecord> CreateKeyAsync(long accountId, byte[] hash, string displayPrefix, KeyLimits limits, CancellationToken cancellationToken);

    /// <summary>Replaces a key's limits; false when the account has no such key.</summary>
    Task<bool> SetKeyLimitsAsync(long accountId, long keyId, KeyLimits limits, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindKeyByHashAsync(byte[] hash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(long accountId, CancellationToken cancellationToken);

    /// <summary>Revokes a key of the account; false when no such live key exists.</summary>
    Task<bool> RevokeKeyAsync(long accountId, long keyId, CancellationToken cancellationToken);
}
