using System.Globalization;
using System.Security.Cryptography;

namespace Shardgate.Api;

/// <summary>
/// Request ids: <c>req_</c>, the start time in milliseconds, a per-process counter and 48 random bits drawn once
/// per process, all hex. They sort by time, and within one replica strictly in creation order, which keyset paging
/// of the log relies on (UUIDv7 does not order ids created in the same millisecond); the process's random bits keep
/// replicas' ids apart. Drawing them per request cost a call into OpenSSL's generator (and its fork check) each time.
/// </summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";

    private static readonly string ProcessBits = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private static long _sequence;

    public static string New(DateTimeOffset now)
    {
        var sequence = (uint)Interlocked.Increment(ref _sequence);
        return string.Create(CultureInfo.InvariantCulture, $"req_{now.ToUnixTimeMilliseconds():x12}{sequence:x8}{ProcessBits}");
    }
}
