using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Shardgate.Hosting;
using Shardgate.Ledger;
using Shardgate.Storage;

namespace Shardgate.Api.Auth;

/// <summary>
/// Verifies API keys by their SHA-256 digest. A verified key is cached for <see cref="ShardgateOptions.KeyCacheTtl"/>,
/// so the request path touches the database once per key per TTL; revocation through this replica is immediate,
/// through another replica within one TTL.
/// </summary>
internal sealed class ApiKeyAuthenticator(IAccountStore store, ShardgateOptions options, TimeProvider time, AdminKeyVerifier adminKeys)
{
    private readonly ConcurrentDictionary<KeyHash, CachedKey> _cache = new();

    /// <summary>
    /// The request's caller from its bearer token (or <c>x-api-key</c>), hashed once for both checks: the admin key
    /// and the API keys. The token is not copied to a string; a cached key costs one SHA-256 and a dictionary hit.
    /// </summary>
    public ValueTask<Caller> IdentifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var token = BearerToken.From(request);
        if (token.IsEmpty)
        {
            return default;
        }

        Span<byte> digest = stackalloc byte[32];
        ApiKeyMaterial.Hash(token, digest);
        if (adminKeys.Matches(digest))
        {
            return new(new Caller(IsAdmin: true, null));
        }

        if (!IsKeyShaped(token))
        {
            return default;
        }

        var hash = KeyHash.From(digest);
        var now = time.GetTimestamp();
        return TryCached(hash, now, out var identity)
            ? new(new Caller(IsAdmin: false, identity))
            : LookUpAsync(digest.ToArray(), hash, now, cancellationToken);

        async ValueTask<Caller> LookUpAsync(byte[] digest, KeyHash hash, long now, CancellationToken cancellationToken) =>
            new(IsAdmin: false, await VerifyAsync(digest, hash, now, cancellationToken));
    }

    /// <summary>Forgets a key at once, after it is revoked here.</summary>
    public void Invalidate(byte[] digest) => _cache.TryRemove(KeyHash.From(digest), out _);

    private static bool IsKeyShaped(ReadOnlySpan<char> token) => token.StartsWith(ApiKeyMaterial.Prefix, StringComparison.Ordinal) && token.Length <= 256;

    private bool TryCached(KeyHash hash, long now, out KeyIdentity? identity)
    {
        if (_cache.TryGetValue(hash, out var cached) && time.GetElapsedTime(cached.VerifiedAt, now) < options.KeyCacheTtl)
        {
            identity = cached.Identity;
            return true;
        }

        identity = null;
        return false;
    }

    private async ValueTask<KeyIdentity?> VerifyAsync(byte[] digest, KeyHash hash, long now, CancellationToken cancellationToken)
    {
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

    private readonly record struct CachedKey(KeyIdentity Identity, long VerifiedAt);
}
