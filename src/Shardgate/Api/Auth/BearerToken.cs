using Microsoft.AspNetCore.Http;

namespace Shardgate.Api.Auth;

/// <summary>
/// Reads the key from <c>Authorization: Bearer &lt;token&gt;</c>, or from <c>x-api-key</c> as Anthropic clients send
/// it, without allocating more than the token.
/// </summary>
internal static class BearerToken
{
    public static ReadOnlySpan<char> From(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1)
        {
            var apiKey = request.Headers["x-api-key"];
            return apiKey.Count == 1 ? apiKey[0].AsSpan().Trim() : default;
        }

        var value = header[0].AsSpan().Trim();
        const string Scheme = "Bearer ";
        return value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? value[Scheme.Length..].Trim() : default;
    }
}
