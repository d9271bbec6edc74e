using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shardgate.Api.Auth;

namespace Shardgate.Api.Dashboard;

/// <summary>
/// Dashboard sign-ins: the admin key is exchanged once for a session cookie, which the admin API then accepts in its
/// place. A session is its expiry and a nonce, signed with HMAC-SHA256 under a key derived from the admin key, so
/// every replica accepts every replica's sessions with nothing shared but the admin key, and rotating the admin key
/// ends every session. The CSRF token is a second HMAC of the same session, sent back in a header on each action:
/// a cross-site page cannot read it, and SameSite=Strict keeps the cookie off cross-site requests anyway.
/// </summary>
internal sealed class DashboardSessions(AuthOptions options, TimeProvider time)
{
    public const string CookieName = "sg_session";
    public const string CsrfHeader = "X-CSRF-Token";

    private const int PayloadLength = 8 + 16;
    private const int PayloadChars = 32;
    private const int SignatureChars = 43;

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly byte[]? _key = string.IsNullOrEmpty(options.AdminKey)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes("shardgate dashboard session\n" + options.AdminKey));

    /// <summary>A new session: the cookie's value, its CSRF token and when it ends.</summary>
    public (string Cookie, string Csrf, DateTimeOffset Expires) Issue()
    {
        var key = _key ?? throw new InvalidOperationException("the dashboard is off without an admin key");
        var expires = time.GetUtcNow() + options.DashboardSessionLifetime;
        Span<byte> payload = stackalloc byte[PayloadLength];
        BinaryPrimitives.WriteInt64BigEndian(payload, expires.ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(payload[8..]);
        var cookie = Base64Url(payload) + "." + Base64Url(Sign(key, 's', payload));
        return (cookie, Base64Url(Sign(key, 'c', payload)), DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>Whether the request carries a live session cookie; its CSRF token and expiry when it does.</summary>
    public bool TryRead(HttpRequest request, out string csrf, out DateTimeOffset expires)
    {
        csrf = string.Empty;
        expires = default;
        if (_key is null || request.Cookies[CookieName] is not { Length: > 0 } cookie)
        {
            return false;
        }

        // Only the exact shape is decoded: the decoder throws on some malformed input, and a cookie is client input.
        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        Span<byte> payload = stackalloc byte[PayloadLength];
        Span<byte> signature = stackalloc byte[32];
        if (dot != PayloadChars || cookie.Length != PayloadChars + 1 + SignatureChars
            || !IsBase64Url(cookie.AsSpan(0, dot)) || !IsBase64Url(cookie.AsSpan(dot + 1))
            || !System.Buffers.Text.Base64Url.TryDecodeFromChars(cookie.AsSpan(0, dot), payload, out var payloadLength) || payloadLength != PayloadLength
            || !System.Buffers.Text.Base64Url.TryDecodeFromChars(cookie.AsSpan(dot + 1), signature, out var signatureLength) || signatureLength != 32
            || !CryptographicOperations.FixedTimeEquals(signature, Sign(_key, 's', payload)))
        {
            return false;
        }

        expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload));
        if (expires <= time.GetUtcNow())
        {
            return false;
        }

        csrf = Base64Url(Sign(_key, 'c', payload));
        return true;
    }

    /// <summary>Whether the request's CSRF header is the session's token, compared in constant time.</summary>
    public static bool CsrfMatches(HttpRequest request, string csrf) =>
        request.Headers[CsrfHeader].ToString() is { Length: > 0 } sent
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sent), Encoding.ASCII.GetBytes(csrf));

    private static byte[] Sign(byte[] key, char purpose, ReadOnlySpan<byte> payload)
    {
        Span<byte> message = stackalloc byte[1 + PayloadLength];
        message[0] = (byte)purpose;
        payload.CopyTo(message[1..]);
        return HMACSHA256.HashData(key, message);
    }

    private static bool IsBase64Url(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(Base64UrlAlphabet);

    private static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
