using System.Collections.Concurrent;
using System.Security.Cryptography;
using Shardgate.Hosting;
using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Api.Auth;

/// <summary>
/// Verifies API keys by their SHA-256 digest. A verified key is cached for <see cref="ShardgateOptions.KeyCacheTtl"/>,
/// so the request path touches the database once per key per TTL; revocation through this replica is immediate,
/// through another replica within one TTL.
/// </summary>
internal sealed class ApiKeyAuthenticator(IAccountStore store, ShardgateOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<KeyHash, CachedKey> _cache = new();

    public async ValueTask<KeyIdentity?> AuthenticateAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || !key.StartsWith(ApiKeyMaterial.Prefix, StringComparison.Ordinal) || key.Length > 256)
        {
            return null;
        }

        var digest = new byte[32];
        ApiKeyMaterial.Hash(key, digest);
        var hash = KeyHash.From(digest);
        var now = time.GetTimestamp();
        if (_cache.TryGetValue(hash, out var cached) && time.GetElapsedTime(cached.VerifiedAt, now) < options.KeyCacheTtl)
        {
            return cached.Identity;
        }

        var record = await store.FindKeyByHashAsync(digest, cancellationToken);
        // The lookup is by digest, so timing reveals nothing about the key; the fixed-time check guards the match itself.
        if (record is null || record.IsRevoked || !CryptographicOperations.FixedTimeEquals(record.Hash, digest))
        {
            _cache.TryRemove(hash, out _);
            return null;
        }

        var identity = new KeyIdentity(record.Id, record.AccountId, record.DisplayPrefix, record.Limits);
        _cache[hash] = new CachedKey(identity, now);
        return identity;
    }

    /// <summary>Forgets a key at once, after it is revoked here.</summary>
    public void Invalidate(byte[] digest) => _cache.TryRemove(KeyHash.From(digest), out _);

    private readonly record struct CachedKey(KeyIdentity Identity, long VerifiedAt);
}
