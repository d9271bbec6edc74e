using System.Globalization;
using System.Security.Cryptography;

namespace Shardgate.Kernel;

/// <summary>
/// Request ids: <c>req_</c>, the start time in milliseconds, a per-process counter and 48 random bits drawn once
/// per process, all hex. They sort by time, and within one replica strictly in creation order, which keyset paging
/// of the log relies on (UUIDv7 does not order ids created in the same millisecond); the process's random bits keep
/// replicas' ids apart. Drawing them per request cost a call into OpenSSL's generator (and its fork check) each time.
/// </summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";

    /// <summary>Where the response echoes the caller's own <c>X-Request-Id</c>; <see cref="Header"/> stays the gateway's, the request log's key.</summary>
    public const string ClientHeader = "X-Client-Request-Id";

    private static readonly string ProcessBits = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private static long _sequence;

    /// <summary>The longest caller's <c>X-Request-Id</c> kept.</summary>
    public const int MaxClientIdLength = 128;

    /// <summary>
    /// The caller's own <c>X-Request-Id</c> when it is safe to keep and pass on: at most 128 characters of letters,
    /// digits and <c>-_.:</c> (a UUID, a ULID, an <c>req-…</c> id all qualify). Anything else is ignored, never echoed.
    /// </summary>
    public static string? ClientId(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > MaxClientIdLength)
        {
            return null;
        }

        foreach (var c in header)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return null;
            }
        }

        return header;
    }

    public static string New(DateTimeOffset now)
    {
        var sequence = (uint)Interlocked.Increment(ref _sequence);
        return string.Create(CultureInfo.InvariantCulture, $"req_{now.ToUnixTimeMilliseconds():x12}{sequence:x8}{ProcessBits}");
    }
}
