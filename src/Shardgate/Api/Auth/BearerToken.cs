using Microsoft.AspNetCore.Http;

namespace Shardgate.Api.Auth;

/// <summary>Reads <c>Authorization: Bearer &lt;token&gt;</c> without allocating more than the token.</summary>
internal static class BearerToken
{
    public static ReadOnlySpan<char> From(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1)
        {
            return default;
        }

        var value = header[0].AsSpan().Trim();
        const string Scheme = "Bearer ";
        return value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? value[Scheme.Length..].Trim() : default;
    }
}
