using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Tests.Infrastructure;

/// <summary>A fake key store that counts lookups, for testing the authenticator's cache (not storage).</summary>
internal sealed class CountingAccountStore : IAccountStore
{
    private readonly List<ApiKeyRecord> _keys = [];

    public int Lookups { get; private set; }

    public ApiKeyRecord Add(string key, long accountId = 1)
    {
        var record = new ApiKeyRecord(_keys.Count + 1, accountId, ApiKeyMaterial.Hash(key), ApiKeyMaterial.DisplayPrefix(key), DateTimeOffset.UnixEpoch, null, KeyLimits.None);
        _keys.Add(record);
        return record;
    }

    public void Revoke(long keyId)
    {
        var i = _keys.FindIndex(k => k.Id == keyId);
        _keys[i] = _keys[i] with { RevokedAt = DateTimeOffset.UnixEpoch };
    }

    public Task<ApiKeyRecord?> FindKeyByHashAsync(byte[] hash, CancellationToken cancellationToken)
    {
        Lookups++;
        return Task.FromResult(_keys.FirstOrDefault(k => k.Hash.AsSpan().SequenceEqual(hash)));
    }

    public Task<Account> CreateAccountAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Account?> GetAccountAsync(long id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<Account>> ListAccountsAsync(long after, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ApiKeyRecord> CreateKeyAsync(long accountId, byte[] hash, string displayPrefix, KeyLimits limits, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> SetValidationSamplingAsync(long id, bool enabled, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> SetKeyLimitsAsync(long accountId, long keyId, KeyLimits limits, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(long accountId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> RevokeKeyAsync(long accountId, long keyId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
