using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Shardgate.Api.Auth;

/// <summary>Checks the admin bearer key in constant time (comparing digests, so length leaks nothing either).</summary>
internal sealed class AdminKeyVerifier(AuthOptions options)
{
    private readonly byte[]? _digest = string.IsNullOrEmpty(options.AdminKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.AdminKey));

    public bool IsConfigured => _digest is not null;

    public bool IsAdmin(HttpRequest request)
    {
        if (_digest is null)
        {
            return false;
        }

        var token = BearerToken.From(request);
        if (token.IsEmpty)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[32];
        Ledger.ApiKeyMaterial.Hash(token, given);
        return Matches(given);
    }

    /// <summary>Whether <paramref name="digest"/> (a bearer token's SHA-256) is the admin key's.</summary>
    public bool Matches(ReadOnlySpan<byte> digest) => _digest is not null && CryptographicOperations.FixedTimeEquals(digest, _digest);
}
