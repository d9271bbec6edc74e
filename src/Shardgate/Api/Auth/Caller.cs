using System.Globalization;
using Shardgate.Kernel;
using Shardgate.Ledger;

namespace Shardgate.Api.Auth;

/// <summary>
/// Who sent an API request: a verified API key (<see cref="Identity"/>), or why not. The admin key is known as such
/// and still refused: it manages the gateway and is never billed, so it must not buy inference.
/// </summary>
internal readonly record struct Caller(bool IsAdmin, KeyIdentity? Identity, TimeSpan? LockedOutFor = null)
{
    /// <summary>The answer for a caller who may not use the API; null for a verified API key.</summary>
    public Refusal? Refusal => Identity is not null ? null
        : IsAdmin ? Kernel.Refusal.Final(AdminKeyRefused)
        : LockedOutFor is { } wait ? TooManyFailures(wait)
        : Kernel.Refusal.Final(GatewayError.MissingApiKey);

    private static GatewayError AdminKeyRefused { get; } = GatewayError.Unauthorized(
        "The admin key manages the gateway under /admin and is not an API key. Create an API key (POST /admin/v1/accounts/{id}/keys) and send it instead.");

    private static Refusal TooManyFailures(TimeSpan wait)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        return Kernel.Refusal.Final(
            new GatewayError(429, ErrorTypes.RateLimit, ErrorCodes.TooManyFailedAuth, string.Create(CultureInfo.InvariantCulture, $"Too many requests with invalid API keys from this address. Check the key you send, and retry after {seconds} s.")),
            seconds);
    }
}
