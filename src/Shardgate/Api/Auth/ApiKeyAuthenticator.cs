using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Shardgate.Kernel;
using Shardgate.Ledger;

namespace Shardgate.Api.Auth;

/// <summary>
/// Verifies API keys by their SHA-256 digest. A verified key is cached for <see cref="AuthOptions.KeyCacheTtl"/>,
/// so the request path touches the database once per key per TTL; revocation through this replica is immediate,
/// through another replica within one TTL. A key the store does not know is remembered as unknown for
/// <see cref="AuthOptions.FailedKeyCacheTtl"/>, and an address over its failed-authentication limit is refused
/// without a lookup (<see cref="FailedAuthLimiter"/>).
/// </summary>
internal sealed class ApiKeyAuthenticator(IAccountStore store, AuthOptions options, TimeProvider time, AdminKeyVerifier adminKeys, FailedAuthLimiter failures, IReplicaBus bus)
{
    /// <summary>Keys remembered at most, known and unknown; a guessing client cannot grow the cache past it.</summary>
    private const int MaxCachedKeys = 100_000;

    private readonly ConcurrentDictionary<KeyHash, CachedKey> _cache = new();

    /// <summary>
    /// The request's caller from its bearer token (or <c>x-api-key</c>), hashed once for both checks: the admin key
    /// and the API keys. The token is not copied to a string; a cached key costs one SHA-256 and a dictionary hit.
    /// </summary>
    public ValueTask<Caller> IdentifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var address = request.HttpContext.Connection.RemoteIpAddress;
        var token = BearerToken.From(request);
        if (token.IsEmpty)
        {
            return new(Refuse(address));
        }

        Span<byte> digest = stackalloc byte[32];
        ApiKeyMaterial.Hash(token, digest);
        if (adminKeys.Matches(digest))
        {
            return new(new Caller(IsAdmin: true, null));
        }

        if (!IsKeyShaped(token))
        {
            return new(Refuse(address));
        }

        var hash = KeyHash.From(digest);
        var now = time.GetTimestamp();
        if (TryCached(hash, now, out var identity))
        {
            return new(identity is null ? Refuse(address) : new Caller(IsAdmin: false, identity));
        }

        // A verified key passes above whatever its address did; only lookups are withheld from a guessing address.
        return failures.LockedOut(address) is { } wait
            ? new(new Caller(IsAdmin: false, null, wait))
            : LookUpAsync(digest.ToArray(), hash, now, address, cancellationToken);

        async ValueTask<Caller> LookUpAsync(byte[] digest, KeyHash hash, long now, System.Net.IPAddress? address, CancellationToken cancellationToken) =>
            await VerifyAsync(digest, hash, now, cancellationToken) is { } verified ? new Caller(IsAdmin: false, verified) : Refuse(address);
    }

    private Caller Refuse(System.Net.IPAddress? address)
    {
        failures.Failed(address);
        return new Caller(IsAdmin: false, null, failures.LockedOut(address));
    }

    /// <summary>Forgets a key at once, after it is revoked here.</summary>
    /// <summary>Forgets a key here and on every other replica, after it was revoked or its limits changed.</summary>
    public void Invalidate(byte[] digest)
    {
        Forget(digest);
        bus.Publish(ReplicaTopics.Keys, Convert.ToHexString(digest));
    }

    /// <summary>Forgets a key here only: its next request reads it from the store again.</summary>
    public void Forget(byte[] digest) => _cache.TryRemove(KeyHash.From(digest), out _);

    private static bool IsKeyShaped(ReadOnlySpan<char> token) => token.StartsWith(ApiKeyMaterial.Prefix, StringComparison.Ordinal) && token.Length <= 256;

    /// <summary>True when the key's answer is cached: its identity, or null for a key the store did not know.</summary>
    private bool TryCached(KeyHash hash, long now, out KeyIdentity? identity)
    {
        if (_cache.TryGetValue(hash, out var cached) && time.GetElapsedTime(cached.VerifiedAt, now) < (cached.Identity is null ? options.FailedKeyCacheTtl : options.KeyCacheTtl))
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
            RememberUnknown(hash, now);
            return null;
        }

        var identity = new KeyIdentity(record.Id, record.AccountId, record.DisplayPrefix, record.Limits);
        _cache[hash] = new CachedKey(identity, now);
        return identity;
    }

    /// <summary>
    /// Caches a key the store did not know. The cache is bounded: when full, expired unknown keys are swept, and a
    /// key that finds no room is simply looked up again next time (the address limit still holds).
    /// </summary>
    private void RememberUnknown(KeyHash hash, long now)
    {
        if (_cache.Count >= MaxCachedKeys)
        {
            foreach (var (stale, cached) in _cache)
            {
                if (cached.Identity is null && time.GetElapsedTime(cached.VerifiedAt, now) >= options.FailedKeyCacheTtl)
                {
                    _cache.TryRemove(stale, out _);
                }
            }

            if (_cache.Count >= MaxCachedKeys)
            {
                _cache.TryRemove(hash, out _);
                return;
            }
        }

        _cache[hash] = new CachedKey(null, now);
    }

    /// <summary>A key's last answer from the store: its identity, or null when the store did not know it.</summary>
    private readonly record struct CachedKey(KeyIdentity? Identity, long VerifiedAt);
}
